import TerminalUI
import Device
import Foundation

/// Runs parsed scenarios, each in a fresh world (server, clock, phones), `options.jobs` at a time, and collects
/// their results in the order given, whatever order they finish in.
public struct ScenarioRunner: Sendable {
    public var options: RunOptions

    public init(options: RunOptions = RunOptions()) { self.options = options }

    public func run(_ scenarios: [Scenario]) async -> RunResult {
        let started = ContinuousClock.now
        let folders = snapshotFolders(scenarios)
        var results = [ScenarioResult?](repeating: nil, count: scenarios.count)
        await withTaskGroup(of: (Int, ScenarioResult).self) { group in
            var next = 0
            func add(_ index: Int) {
                group.addTask { (index, await run(scenarios[index], snapshotFolder: folders[index])) }
            }
            while next < min(max(1, options.jobs), scenarios.count) {
                add(next)
                next += 1
            }
            for await (index, result) in group {
                results[index] = result
                guard next < scenarios.count else { continue }
                if await stopRequested() {
                    next = scenarios.count
                    continue
                }
                add(next)
                next += 1
            }
        }
        return RunResult(results: results.compactMap { $0 }, realMillis: Self.millis(since: started),
                         simulatedClock: options.serverURL == nil)
    }

    /// Each scenario's snapshot folder, named after it and made unique in file order (`name`, `name-2`, …), so that
    /// two scenarios of the same name neither overwrite each other nor write into one folder at once.
    func snapshotFolders(_ scenarios: [Scenario]) -> [URL?] {
        guard let root = options.snapshotsDirectory else { return scenarios.map { _ in nil } }
        var taken: Set<String> = []
        return scenarios.map { scenario in
            let base = Snapshots.slug(ScenarioSession.scrubber(for: scenario, embedded: options.serverURL == nil).clean(scenario.name))
            var name = base
            var count = 1
            while !taken.insert(name).inserted {
                count += 1
                name = "\(base)-\(count)"
            }
            return root.appendingPathComponent(name)
        }
    }

    func stopRequested() async -> Bool {
        for observer in options.observers where await observer.shouldStop { return true }
        return false
    }

    func run(_ scenario: Scenario, snapshotFolder: URL?) async -> ScenarioResult {
        let started = ContinuousClock.now
        var result = ScenarioResult(file: scenario.file, name: scenario.name, tags: scenario.tags, status: .passed,
                                    realMillis: 0, virtualMillis: 0, steps: [], failure: nil)
        let session: ScenarioSession
        do {
            session = try await ScenarioSession.start(scenario, options: options, snapshotFolder: snapshotFolder)
        } catch {
            result.status = .failed
            result.failure = StepFailure(stepIndex: -1, step: "start", location: SourceLocation(file: scenario.file, line: 1, column: 1),
                                         expected: "the server to start", actual: "\(error)", device: nil, screen: [], timeline: [])
            result.realMillis = Self.millis(since: started)
            return result.cleaned(ScenarioSession.scrubber(for: scenario, embedded: options.serverURL == nil))
        }
        // Step events (every phone drawn and scrubbed) only for someone who reads them: a plain run skips that work.
        let observed = !options.observers.isEmpty
        if observed {
            let opening = await event(session, scenario, index: -1, step: nil, result: nil)
            for observer in options.observers { await observer.scenarioStarted(scenario, screens: opening) }
        }

        for (index, step) in scenario.steps.enumerated() {
            if await stopRequested() { break }
            if observed {
                let before = await event(session, scenario, index: index, step: step, result: nil)
                for observer in options.observers { await observer.stepStarting(before) }
            }
            let stepStarted = ContinuousClock.now
            let outcome = await runCapped(step, in: session)
            var stepResult = StepResult(index: index, summary: step.summary, location: step.location,
                                        status: outcome == nil ? .passed : .failed,
                                        realMillis: Self.millis(since: stepStarted), virtualMillis: await session.elapsedMillis)
            if let error = outcome {
                stepResult.status = .failed
                result.status = .failed
                result.failure = await failure(error, step: step, index: index, session: session)
            }
            result.steps.append(stepResult)
            if observed || snapshotFolder != nil {
                let after = await event(session, scenario, index: index, step: step, result: stepResult)
                if let snapshotFolder {
                    do throws(OutputFile.Failure) {
                        try Snapshots.writeStep(snapshotFolder, index: index, step: step, summary: after.summary, screens: after.screens)
                    } catch {
                        await session.noteOutputError("\(error)")
                    }
                }
                for observer in options.observers { await observer.stepFinished(after) }
            }
            if outcome != nil { break }
        }
        for (index, step) in scenario.steps.enumerated() where index >= result.steps.count {
            result.steps.append(StepResult(index: index, summary: step.summary, location: step.location, status: .skipped,
                                           realMillis: 0, virtualMillis: await session.elapsedMillis))
        }
        result.virtualMillis = await session.elapsedMillis
        result.outputErrors = await session.outputErrors
        await Self.tearDown(session)
        result.realMillis = Self.millis(since: started)
        result = result.cleaned(await session.scrubber)
        for observer in options.observers { await observer.scenarioFinished(result) }
        return result
    }

    /// The step with its real-time cap; nil when it passed.
    func runCapped(_ step: Step, in session: ScenarioSession) async -> StepError? {
        var cap = options.stepTimeoutSeconds
        if case .wait(let millis, _) = step.action, options.serverURL != nil { cap += Double(millis) / 1000 }
        let outcome: StepError?? = await RealTimeCap.run(seconds: cap) {
            do throws(StepError) {
                try await session.execute(step)
                return nil
            } catch {
                return error
            }
        }
        guard let outcome else {
            let busy = await session.busyPhones()
            return StepError(expected: "the step to finish within \(Self.seconds(cap)) s of real time",
                             actual: "still running\(busy.isEmpty ? "" : "; busy: \(busy.joined(separator: ", "))")")
        }
        return outcome
    }

    /// Real seconds a scenario's teardown may take. A step abandoned by its timeout can still hold a connection
    /// that the server's graceful stop waits for; the run must end all the same.
    static let teardownSeconds = 10.0

    static func tearDown(_ session: ScenarioSession) async {
        let stopped: Bool? = await RealTimeCap.run(seconds: teardownSeconds) {
            await session.stop()
            return true
        }
        if stopped == nil { try? FileManager.default.removeItem(at: session.folder) }
    }

    /// `0.01`, `2.5`, `30`: the cap as given, without a misleading `0`.
    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))" : "\(value)"
    }

    func failure(_ error: StepError, step: Step, index: Int, session: ScenarioSession) async -> StepFailure {
        let device = step.device ?? scenario(session).devices.first?.name
        var screen: [String] = []
        var timeline: [String] = []
        if let device, let phone = await session.phone(device) {
            screen = await session.screenLines(of: phone)
            timeline = await session.timeline(device)
        }
        return StepFailure(stepIndex: index, step: step.summary, location: step.location,
                           expected: await session.scrub(error.expected), actual: await session.scrub(error.actual),
                           device: device, screen: screen, timeline: timeline)
    }

    func scenario(_ session: ScenarioSession) -> Scenario { session.scenario }

    func event(_ session: ScenarioSession, _ scenario: Scenario, index: Int, step: Step?, result: StepResult?) async -> StepEvent {
        let phones = await session.phonesForOutput()
        var event = StepEvent(scenario: scenario.name, index: index, step: step ?? Step(action: .wait(millis: 0, text: "0s"), caption: nil, location: SourceLocation(file: scenario.file, line: 1, column: 1)),
                              screens: phones.screens, phones: phones.states,
                              virtualMillis: await session.elapsedMillis, nowMillis: session.clock.nowMillis, result: result)
        if options.liveConsole { await session.refreshConsoleForDemo() }
        event.console = await session.lastConsoleState()
        let scrubber = await session.scrubber
        event.scenario = scrubber.clean(scenario.name)
        event.summary = scrubber.clean(event.step.summary)
        event.caption = event.step.caption.map(scrubber.clean)
        event.stepCount = scenario.steps.count
        return event
    }

    static func millis(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }
}

extension ScenarioSession {
    func noteOutputError(_ message: String) { outputErrors.append(message) }

    /// Phones that keep a step from finishing, for the timeout message.
    func busyPhones() async -> [String] {
        var out: [String] = []
        for phone in simulation.phones where !(await phone.isIdle) {
            let state = await phone.state
            out.append("\(phone.name) (\(state.inFlight.map { "request in flight since +\(DurationText.clock($0.startedAt - startMillis))" } ?? "socket \(state.socket)"))")
        }
        return out
    }
}
