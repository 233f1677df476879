import TerminalUI
import ArgumentParser
import Foundation
import MattermostModel
import Scenario

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Play a scenario at a human pace with captions, for an audience (Space pauses, → skips ahead, q quits).",
        discussion: """
            Runs the scenario like `mmsim run` (embedded server, virtual clock) but draws the mmsim screen \
            (phones, System Console, timeline) after every step, with the step's caption underneath, and waits \
            between steps so that people can follow. Default file: \(defaultFile) (from the checkout's folder).
            """
    )

    @OptionGroup var global: GlobalOptions

    /// The checkout's own demo, relative to the working folder.
    static let defaultFile = "demo/MM-T941.yaml"

    @Argument(help: "The scenario to play.")
    var file = Self.defaultFile

    @Option(help: "Seconds per captioned step, from its caption to the next step (0.1 to 60); a step without a caption takes half.")
    var pace: Double = 4

    @Flag(help: "Advance one step per key press (Space, Enter or →) instead of on a timer: for a presenter.")
    var step = false

    @Option(name: .customShort("e"), help: ArgumentHelp("Set ${KEY} (repeatable).", valueName: "KEY=VALUE"))
    var env: [String] = []

    @Option(help: ArgumentHelp("Also record the demo as an asciicast v2 file (the same screens).", valueName: "file.cast"))
    var record: String?

    /// `$XDG_STATE_HOME/mmsim/demo.log` (else `~/.local/state/…`), in a folder of the user's own: a fixed name in
    /// the shared temporary folder could be held by another user (the demo then failed over a --log-file it was
    /// never given) or be a link to a file of theirs. Nowhere to write: the logs are dropped.
    static func defaultLogFile() -> String {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_STATE_HOME"].flatMap { $0.hasPrefix("/") ? URL(fileURLWithPath: $0) : nil }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/state")
        let folder = base.appendingPathComponent("mmsim")
        do { try PrivateFolder.make(folder) } catch { return "/dev/null" }
        return folder.appendingPathComponent("demo.log").path
    }

    func validate() throws {
        try OptionRange.check(pace, "--pace", in: OptionRange.paceSeconds, unit: "seconds")
    }

    func run() async throws {
        // Logs would scribble over the screen: they go to a file unless --log-file says where.
        try global.bootstrapLogging(fallbackFile: Self.defaultLogFile())
        var cli: [String: String] = [:]
        for assignment in env {
            guard let (key, value) = Substitution.parseAssignment(assignment) else { throw RunUsage.error("-e expects KEY=VALUE") }
            cli[key] = value
        }
        if file == Self.defaultFile, !FileManager.default.fileExists(atPath: file) {
            throw RunUsage.error("\(file) is not here: the demo files are in mmsim's checkout; run from its folder, "
                                 + "or give a scenario file (mmsim demo FILE.yaml)")
        }
        let loaded = ScenarioLoader.load([file], substitution: .merged(cli: cli, envFile: [:]), embedded: true, allowLongWaits: false)
        for error in loaded.errors { RunUsage.stderr(OutputText.escape("\(error)")) }
        guard loaded.errors.isEmpty, !loaded.scenarios.isEmpty else { throw ExitCode(2) }
        if let problem = ScenarioOpenFiles.reserve(loaded.scenarios, jobs: 1) { throw RunUsage.error(problem) }

        if let record {
            do { try OutputFile.checkUsable(record) } catch { throw RunUsage.error("--record: \(error)") }
        }
        let keys = RunDemoKeys(stepMode: step)
        let player = RunDemoPlayer(pace: pace, keys: keys, color: ProcessInfo.processInfo.environment["NO_COLOR"] == nil)
        keys.start()
        let signals = ShutdownSignals { _ in keys.apply(.quit) }
        defer { signals.cancel() }
        let recorder = record.map { AsciicastRecorder(url: URL(fileURLWithPath: $0)) }
        var options = RunOptions(stepTimeoutSeconds: 60, observers: [player] + (recorder.map { [$0] } ?? []))
        options.liveConsole = true
        let result = await ScenarioRunner(options: options).run(loaded.scenarios)
        if let recorder {
            do { try await recorder.write() } catch { throw RunUsage.error("\(error)") }
        }
        // A quit on the end screen is only its closing key: the run was over, its verdict stands.
        let stoppedEarly = keys.quit
        await player.holdLastScreen()
        keys.stop()
        await player.finish()
        if stoppedEarly {
            print("demo stopped")
            return
        }
        print(HumanSummary.text(result), terminator: "")
        if result.failed > 0 { throw ExitCode(1) }
    }
}
