import TerminalUI
import Device
import EmbeddedServer
import Foundation
import MattermostClient
import MattermostModel

/// One scenario's world: a server (embedded, or the `--server` URL), its clock, the phones, and one
/// System Console per `as:` user. Steps run here one at a time.
actor ScenarioSession {
    let scenario: Scenario
    let options: RunOptions
    let world: SimulatedWorld
    /// Where this scenario's `--snapshots` go (nil: none are written).
    let snapshotFolder: URL?
    let credentials: Credentials
    let startMillis: Int64
    var scrubber: Scrubber
    var consoles: [String: SystemConsole] = [:]
    /// The console the last console step used: what a demo shows in its System Console pane.
    var lastConsoleUser: String?
    var readerTokens: [String: String] = [:]
    /// Snapshot files that could not be written: the run ends with exit 2, not a pass.
    var outputErrors: [String] = []

    nonisolated var clock: SimClock { world.clock }
    nonisolated var simulation: Simulation { world.simulation }
    nonisolated var api: MattermostAPI { world.api }
    nonisolated var folder: URL { world.folder }

    static func start(_ scenario: Scenario, options: RunOptions, snapshotFolder: URL?) async throws -> ScenarioSession {
        // The simulation's own console is unused: each `as:` user gets one (see `console(for:)`).
        let setup = SimulatedWorld.Setup(serverURL: options.serverURL, bcryptCost: options.bcryptCost, trust: options.trust,
                                         proxySeed: needsProxy(scenario, options) ? options.networkSeed : nil,
                                         scratch: options.runFolder ?? FileManager.default.temporaryDirectory,
                                         folderPrefix: "mmsim-run", admin: (SeedAccounts.adminUsername, nil), autoSignIn: false)
        let world = try await SimulatedWorld.start(setup) { url, folder in
            // By position, never by the name in the file: a device called `..` or `../x` must not name a folder.
            scenario.devices.enumerated().map { index, spec in
                let dir = folder.appendingPathComponent("device-\(index + 1)")
                return PhoneConfiguration(name: spec.name, deviceID: PhoneConfiguration.stableDeviceID(name: spec.name, dataDirectory: dir),
                                          serverURL: url, dataDirectory: dir, revokePolicy: spec.revokePolicy,
                                          app: spec.app ?? options.defaultApp, durableStore: false)
            }
        }
        for spec in scenario.devices {
            await world.simulation.phone(named: spec.name)?.setNetwork(spec.network ?? options.defaultNetwork)
        }
        let session = ScenarioSession(scenario: scenario, options: options, world: world, snapshotFolder: snapshotFolder)
        if let server = world.server {
            do {
                try await session.createOnDemandUsers(server)
            } catch {
                await session.stop()
                throw error
            }
        }
        return session
    }

    init(scenario: Scenario, options: RunOptions, world: SimulatedWorld, snapshotFolder: URL?) {
        self.scenario = scenario
        self.options = options
        self.world = world
        self.snapshotFolder = snapshotFolder
        self.credentials = Credentials(scenario: scenario, embedded: world.server != nil)
        self.startMillis = world.clock.nowMillis
        self.scrubber = Self.scrubber(for: scenario, embedded: world.server != nil)
    }

    /// Every password the scenario names or implies; tokens the runner obtains are added as they come.
    static func scrubber(for scenario: Scenario, embedded: Bool) -> Scrubber {
        let credentials = Credentials(scenario: scenario, embedded: embedded)
        var scrubber = Scrubber(scenario.credentials.values)
        for device in scenario.devices { scrubber.add(device.password) }
        for step in scenario.steps { scrubber.add(step.secret) }
        for user in credentials.requiredUsers() { scrubber.add(credentials.password(for: user.user)) }
        return scrubber
    }

    static func needsProxy(_ scenario: Scenario, _ options: RunOptions) -> Bool {
        if options.defaultNetwork != .online || scenario.devices.contains(where: { ($0.network ?? .online) != .online }) {
            return true
        }
        return scenario.steps.contains { step in
            if case .network = step.action { return true }
            return false
        }
    }

    /// `user-4` and beyond exist only once asked for.
    func createOnDemandUsers(_ server: EmbeddedServer) async throws {
        var names = Set(scenario.devices.map(\.user))
        for step in scenario.steps {
            switch step.action {
            case .login(_, let u?, _), .revokeUserSessions(_, let u), .deactivateUser(_, let u), .resetPassword(_, let u, _),
                 .assertPost(_, _, let u, _):
                names.insert(u)
            default: continue
            }
        }
        for name in names.sorted() where Credentials.isOnDemandUser(name) && !SeedAccounts.all.contains(where: { $0.username == name }) {
            _ = try await server.ensureUser(username: name)
        }
    }

    func stop() async {
        let tokens = Array(readerTokens.values)
        let consoles = Array(self.consoles.values)
        await world.stop { [api] in
            for token in tokens { try? await api.logout(token: token) }
            for console in consoles { await console.signOut() }
        }
    }

    var elapsedMillis: Int64 { clock.nowMillis - startMillis }

    func phone(_ name: String) -> Phone? { simulation.phone(named: name) }

    /// Every phone as the outputs show it (step snapshots, demo, recording): its scrubbed state, and its screen
    /// drawn from that state. Each phone is scrubbed once.
    func phonesForOutput() async -> (screens: [(device: String, lines: [String])], states: [DeviceState]) {
        var screens: [(String, [String])] = []
        var states: [DeviceState] = []
        for phone in simulation.phones {
            let state = scrubbed(await phone.state)
            states.append(state)
            screens.append((scrubber.clean(phone.name), screenLines(state)))
        }
        return (screens, states)
    }

    /// A phone's screen as an output shows it (failure, snapshot): see `screenLines(_:)`.
    func screenLines(of phone: Phone) async -> [String] {
        screenLines(scrubbed(await phone.state))
    }

    /// Drawn from the scrubbed state, because a secret the screen wraps across two lines is in neither line whole;
    /// then each line scrubbed and escaped.
    private func screenLines(_ scrubbed: DeviceState) -> [String] {
        PhoneScreen.lines(scrubbed, nowMillis: clock.nowMillis).map(scrubber.clean)
    }

    private func drawable(_ text: String) -> String {
        scrubber.scrub(text).split(separator: "\n", omittingEmptySubsequences: false).map { OutputText.escape(String($0)) }
            .joined(separator: "\n")
    }

    /// `state` with every text a scenario could have put a secret in scrubbed; the password field keeps its length.
    /// Line breaks are kept for the screen to wrap at; other control characters are shown (`\e`), as in reports.
    func scrubbed(_ state: DeviceState) -> DeviceState {
        var state = state
        state.loginForm.username = drawable(state.loginForm.username)
        state.loginForm.password = String(repeating: "•", count: state.loginForm.password.count)
        for (channel, posts) in state.posts {
            state.posts[channel] = posts.map { post in
                var post = post
                post.message = drawable(post.message)
                return post
            }
        }
        for index in state.outbox.indices { state.outbox[index].message = drawable(state.outbox[index].message) }
        if case .loginFailed(let message) = state.banner { state.banner = .loginFailed(drawable(message)) }
        state.timeline.redact(drawable)
        return state
    }

    /// The last lines of a phone's timeline, stamped with time since the scenario started.
    func timeline(_ device: String, count: Int = 10) async -> [String] {
        guard let phone = phone(device) else { return [] }
        return await phone.state.timeline.last(count).map { entry in
            scrubber.clean("+\(DurationText.clock(entry.at - startMillis)) \(entry.kind.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(entry.text)")
        }
    }

    /// A System Console signed in as `user`, one per user for the whole scenario.
    func console(for user: String) async throws(StepError) -> SystemConsole {
        lastConsoleUser = user
        if let existing = consoles[user] { return existing }
        guard let password = credentials.password(for: user) else {
            throw StepError(expected: "a password for '\(user)'", actual: "none in credentials:")
        }
        let console = SystemConsole(api: api, clock: clock, username: user, password: password, autoSignIn: true)
        guard await console.signIn() else {
            throw StepError(expected: "the System Console to sign in as \(user)", actual: scrubber.scrub(await console.state.status))
        }
        consoles[user] = console
        return console
    }

    /// The console of the scenario's first `as:` user, signed in before its first console step and refreshed.
    func refreshConsoleForDemo() async {
        if lastConsoleUser == nil, let admin = scenario.steps.lazy.compactMap(\.consoleUser).first {
            _ = try? await console(for: admin)
        }
        guard let user = lastConsoleUser, let console = consoles[user] else { return }
        await console.refresh()
    }

    /// The state of the console the scenario used last (nil before any console step), its log scrubbed.
    func lastConsoleState() async -> SystemConsole.State? {
        guard let user = lastConsoleUser, let console = consoles[user] else { return nil }
        var state = await console.state
        state.status = scrubber.clean(state.status)
        for index in state.log.indices { state.log[index].text = scrubber.clean(state.log[index].text) }
        return state
    }

    /// A token for reading posts as `user` (assertPost). Signs in again if a revocation ended it.
    func readerToken(_ user: String, fresh: Bool = false) async throws(StepError) -> String {
        if !fresh, let token = readerTokens[user] { return token }
        guard let password = credentials.password(for: user) else {
            throw StepError(expected: "a password for '\(user)'", actual: "none in credentials:")
        }
        do throws(ClientError) {
            let token = try await api.login(loginID: user, password: password, deviceID: nil).token
            scrubber.add(token)
            readerTokens[user] = token
            return token
        } catch {
            throw StepError(expected: "to sign in as \(user) to read posts", actual: scrubber.scrub("\(error)"))
        }
    }

    func scrub(_ text: String) -> String { scrubber.scrub(text) }
}

/// A step that did not do what it should: the expected and actual halves of the report.
struct StepError: Error, Sendable {
    var expected: String
    var actual: String
}
