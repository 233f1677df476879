import ArgumentParser
import CSQLiteTuning
import Device
import Foundation
import MattermostClient
import MattermostModel
import Scenario
import TerminalUI

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run YAML scenarios headless (CI): exit 0 all passed, 1 a scenario failed, 2 bad file or usage.",
        discussion: """
            Each scenario gets a fresh embedded server on 127.0.0.1:0 with a virtual clock, so `wait: 3m` costs \
            no real time; phones talk to it over real HTTP and WebSocket. A folder means every *.yaml and *.yml in it. \
            All files are validated before any runs. ${KEY} in string values comes from -e, --env-file, or \
            the environment (in that priority); put secrets in the environment or an env file, not in -e.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Scenario files or folders.")
    var paths: [String] = []

    @Option(help: ArgumentHelp("Write a JUnit XML report ('-' for stdout).", valueName: "file"))
    var junit: String?

    @Option(help: ArgumentHelp("Write a TAP report ('-' for stdout).", valueName: "file"))
    var tap: String?

    @Option(help: ArgumentHelp("Write a JSON report ('-' for stdout).", valueName: "file"))
    var json: String?

    @Option(help: ArgumentHelp("Write each phone's text screen after every step into this folder.", valueName: "dir"))
    var snapshots: String?

    @Option(help: ArgumentHelp("Record the phone screens as an asciicast v2 file.", valueName: "file.cast"))
    var record: String?

    @Option(help: ArgumentHelp("Run against this Mattermost server instead (waits are then real time).", valueName: "url"))
    var server: String?

    @Option(name: .customLong("ca-file"), help: ArgumentHelp("PEM file of CA certificates trusted for an https --server, in addition to the system's.", valueName: "pem"))
    var caFile: String?

    @Option(help: ArgumentHelp("Every phone's network profile unless its device says otherwise: \(NetworkProfile.names.joined(separator: ", ")).",
                               valueName: "profile"))
    var network: String = NetworkProfile.online.rawValue

    @Option(help: AppOption.help)
    var app: AppModel = .reference

    @Option(help: ArgumentHelp("Seed of the lossy profile's random drops.", valueName: "n"))
    var networkSeed: UInt64 = 1

    @Option(name: .customShort("e"), help: ArgumentHelp("Set ${KEY} (repeatable).", valueName: "KEY=VALUE"))
    var env: [String] = []

    @Option(help: ArgumentHelp("Read KEY=VALUE lines for ${KEY}.", valueName: "file"))
    var envFile: String?

    @Option(help: ArgumentHelp("Run only scenarios with one of these tags.", valueName: "a,b"))
    var includeTags: String?

    @Option(help: ArgumentHelp("Skip scenarios with any of these tags.", valueName: "a,b"))
    var excludeTags: String?

    @Flag(help: "Only validate the files.")
    var check = false

    @Flag(help: "With --server, allow waits longer than 10 minutes.")
    var allowLongWaits = false

    @Option(help: "Real seconds a step may take before it fails (a real-time wait is added to this).")
    var stepTimeout: Double = 30

    @Option(help: ArgumentHelp("""
        Scenarios run at once, each with its own embedded server and clock; output and reports stay in file order \
        (default: the number of cores, \(Self.cores) here; 1 with --server, whose users the scenarios share, \
        and with --record, which records one scenario after another).
        """, valueName: "n"))
    var jobs: Int?

    func validate() throws {
        try OptionRange.check(stepTimeout, "--step-timeout", in: OptionRange.stepTimeoutSeconds, unit: "seconds")
        if let jobs { try OptionRange.check(jobs, "--jobs", in: OptionRange.jobs) }
        if [junit, tap, json].filter({ $0 == "-" }).count > 1 {
            throw ValidationError("only one of --junit, --tap and --json can go to stdout ('-').")
        }
        if let jobs, jobs > 1, record != nil {
            throw ValidationError("--record records one scenario after another: it does not combine with --jobs \(jobs).")
        }
    }

    static let cores = ProcessInfo.processInfo.activeProcessorCount

    /// `--jobs` as given; else the cores, except where scenarios at once would interfere or interleave.
    var effectiveJobs: Int {
        if let jobs { return jobs }
        return server != nil || record != nil ? 1 : Self.cores
    }

    func run() async throws {
        // Before any database opens. Scenarios side by side each have SQLite databases, and its memory statistics
        // (nothing here reads them) would make every SQLite allocation of every scenario take one mutex.
        _ = mmsim_sqlite_disable_memory_statistics()
        try global.bootstrapLogging()
        guard !paths.isEmpty else { throw RunUsage.error("give at least one scenario file or folder") }
        if let server, let problem = ServerOption.problem(server) { throw RunUsage.error(problem) }
        if caFile != nil, server == nil { throw RunUsage.error("--ca-file only applies with --server") }
        let trust: ClientTrust
        do { trust = try ServerOption.trust(caFile: caFile) } catch { throw RunUsage.error("\(error)") }
        guard let defaultNetwork = NetworkProfile(rawValue: network) else {
            throw RunUsage.error("--network expects one of \(NetworkProfile.names.joined(separator: ", ")), got '\(network)'")
        }
        let substitution = try makeSubstitution()
        let loaded = ScenarioLoader.load(paths, substitution: substitution, embedded: server == nil, allowLongWaits: allowLongWaits)
        for error in loaded.errors { RunUsage.stderr(OutputText.escape("\(error)")) }
        guard loaded.errors.isEmpty else { throw ExitCode(2) }
        let scenarios = ScenarioLoader.filter(loaded.scenarios, include: Self.list(includeTags), exclude: Self.list(excludeTags))
        guard !scenarios.isEmpty else { throw RunUsage.error("no scenario matched (\(loaded.scenarios.count) found, none selected by the tags)") }
        if check {
            print("ok: \(scenarios.count) scenario\(scenarios.count == 1 ? "" : "s") valid")
            return
        }

        for (flag, path) in [("--junit", junit), ("--tap", tap), ("--json", json)] {
            guard let path, path != "-" else { continue }
            do { try OutputFile.checkUsable(path) } catch { throw RunUsage.error("\(flag): \(error)") }
        }
        if let server {
            do throws(ServerPreflight.Failure) { try await ServerPreflight.ping(server, trust: trust) } catch {
                throw RunUsage.error("\(error)")
            }
        }
        if let problem = ScenarioOpenFiles.reserve(scenarios, jobs: effectiveJobs) { throw RunUsage.error(problem) }
        if let snapshots { try Self.prepareSnapshotsFolder(snapshots) }
        var options = RunOptions(serverURL: server?.trimmingCharacters(in: CharacterSet(charactersIn: "/")),
                                  snapshotsDirectory: snapshots.map { URL(fileURLWithPath: $0) }, stepTimeoutSeconds: stepTimeout)
        options.defaultNetwork = defaultNetwork
        options.networkSeed = networkSeed
        options.defaultApp = app
        options.trust = trust
        options.jobs = effectiveJobs
        if let record {
            do { try OutputFile.checkUsable(record) } catch { throw RunUsage.error("--record: \(error)") }
        }
        let recorder = record.map { AsciicastRecorder(url: URL(fileURLWithPath: $0)) }
        if let recorder {
            options.observers.append(recorder)
            options.liveConsole = true  // the cast shows what the demo shows, the admin's console included
        }
        // Every phone folder under one scratch folder, removed at the end and on a signal.
        let result = try await CommandScratch.with(prefix: "mmsim-run") { scratch in
            var options = options
            options.runFolder = scratch
            return await ScenarioRunner(options: options).run(scenarios)
        }

        // With a machine report on stdout, the human summary goes to stderr.
        let summary = HumanSummary.text(result)
        if [junit, tap, json].contains("-") { RunUsage.stderr(summary, newline: false) } else { print(summary, terminator: "") }
        // Every report is attempted: one that cannot be written (a full disk) must not cost the others.
        let reports = [write(JUnitReport.xml(result), to: junit), write(TAPReport.text(result), to: tap),
                       write(String(decoding: JSONReport.data(result), as: UTF8.self), to: json)]
        var recorded = true
        if let recorder {
            do { try await recorder.write() } catch {
                RunUsage.stderr("mmsim: \(error)")
                recorded = false
            }
        }
        for error in result.outputErrors { RunUsage.stderr("mmsim: --snapshots: \(error)") }
        guard reports.allSatisfy({ $0 }), recorded, result.outputErrors.isEmpty else { throw ExitCode(2) }
        if result.failed > 0 { throw ExitCode(1) }
    }

    func makeSubstitution() throws -> Substitution {
        var cli: [String: String] = [:]
        for assignment in env {
            guard let (key, value) = Substitution.parseAssignment(assignment) else {
                throw RunUsage.error("-e expects KEY=VALUE, got '\(assignment)'")
            }
            cli[key] = value
        }
        var fileValues: [String: String] = [:]
        if let envFile {
            let text: String
            switch PathKind.readText(envFile) {
            case .success(let read): text = read
            case .failure(let error): throw RunUsage.error("--env-file \(envFile): \(error.message)")
            }
            do {
                fileValues = try Substitution.parseEnvFile(text, file: envFile)
            } catch {
                throw RunUsage.error("\(error)")
            }
        }
        return Substitution.merged(cli: cli, envFile: fileValues)
    }

    /// Writes a report, if asked for; false (and said on stderr) when it could not be written.
    func write(_ text: String, to path: String?) -> Bool {
        guard let path else { return true }
        do throws(OutputFile.Failure) {
            if path == "-" {
                try OutputFile.writeStandardOutput(Data(text.utf8))
            } else {
                try OutputFile.write(Data(text.utf8), to: path)
            }
            return true
        } catch {
            RunUsage.stderr("mmsim: \(error)")
            return false
        }
    }

    /// A folder, made if missing; a file or an unwritable place exits 2 before anything runs.
    static func prepareSnapshotsFolder(_ path: String) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue {
            throw RunUsage.error("--snapshots \(path): not a folder")
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw RunUsage.error("--snapshots \(path): cannot create the folder")
        }
        guard access(path, W_OK) == 0 else { throw RunUsage.error("--snapshots \(path): the folder is not writable") }
    }

    static func list(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

/// Usage problems of `run` and `demo`: a message on stderr and exit 2.
enum RunUsage {
    static func error(_ message: String) -> ExitCode {
        stderr("mmsim: \(message)")
        return ExitCode(2)
    }

    static func stderr(_ text: String, newline: Bool = true) {
        StandardStream.error.write(text + (newline ? "\n" : ""))
    }
}
