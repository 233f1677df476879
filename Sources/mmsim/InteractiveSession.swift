import ArgumentParser
import Device
import EmbeddedServer
import FaultProxy
import Foundation
import Logging
import MattermostClient
import MattermostModel
import TerminalCurses
import TerminalUI

/// One run of the interactive app: the server (embedded or real), the simulation, and the UI wired to them.
struct InteractiveSession: Sendable {
    let server: EmbeddedServer?
    let proxy: FaultProxy
    let simulation: Simulation
    let app: TerminalApp
    /// Where the phones' timelines are kept: saved on `w` and, by itself, when the app quits.
    let timelines: Timelines
    /// Signs the console in, then keeps its list current until the session stops.
    let consoleWork: Task<Void, Never>

    static func start(options: InteractiveCommand, folder: URL, clock: SimClock) async throws -> InteractiveSession {
        let logger = Logger(label: "mmsim.ui")
        var note = ""
        var server: EmbeddedServer?
        // Already checked by validate(); loaded again here because a command's validate cannot keep state.
        let trust = try ServerOption.trust(caFile: options.caFile)
        let serverURL: String
        let admin: (username: String, password: String?)
        if let url = options.server {
            serverURL = url.hasSuffix("/") ? String(url.dropLast()) : url
            // A server that is not there (or not Mattermost) is said before anyone types its admin's password.
            do throws(ServerPreflight.Failure) { _ = try await ServerPreflight.ping(serverURL, trust: trust) } catch {
                StandardStream.error.write("mmsim: \(error)\n")
                throw ExitCode(2)
            }
            let environment = ProcessInfo.processInfo.environment
            let username = environment["MMSIM_ADMIN_USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "sysadmin"
            let password = environment["MMSIM_ADMIN_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
                ?? InteractivePrompt.password("Password of \(username) on \(serverURL) (for the System Console): ")
            admin = (username, password)
        } else {
            let started = try await startEmbedded(port: options.port, folder: folder, clock: clock)
            server = started.server
            note = started.note
            serverURL = started.server.baseURL
            admin = (SeedAccounts.adminUsername, SeedAccounts.adminPassword)
            for number in stride(from: 4, through: options.devices, by: 1) {
                _ = try await started.server.ensureUser(username: "user-\(number)")
            }
        }
        if trust.caFile != nil { note = "TLS trust: \(trust)" }
        logger.info("interactive app starting", metadata: ["server": "\(serverURL)", "devices": "\(options.devices)",
                                                           "trust": "\(trust)"])

        let phones = (1...options.devices).map { number in
            let name = "phone-\(number)"
            let dir = folder.appendingPathComponent("phones").appendingPathComponent(name)
            return PhoneConfiguration(name: name, deviceID: PhoneConfiguration.stableDeviceID(name: name, dataDirectory: dir),
                                      serverURL: serverURL, dataDirectory: dir, app: options.app)
        }
        // The fault proxy sits idle until a phone leaves the `online` profile (F7 or --network).
        let proxy = try await FaultProxy.start(upstream: serverURL, trust: trust, clock: clock)
        let simulation = Simulation(serverURL: serverURL, clock: clock, phones: phones, admin: admin,
                                    autoSignIn: server != nil, api: MattermostAPI(baseURL: serverURL, trust: trust),
                                    link: proxy)
        for (index, phone) in simulation.phones.enumerated() {
            await phone.setNetwork(options.networkProfile)
            await phone.powerOn()
            let prefill = index == 0 ? options.user ?? (options.devices > 1 ? "user-1" : nil) : "user-\(index + 1)"
            if let prefill, [.login, .server].contains(await phone.state.screen), await phone.state.loginForm.username.isEmpty {
                await phone.send(.typeUsername(prefill))
            }
        }

        var phoneStates: [DeviceState] = []
        for phone in simulation.phones { phoneStates.append(await phone.state) }
        var state = AppState(phones: phoneStates, console: ConsoleView(await simulation.console.state), serverURL: serverURL)
        state.embedded = server != nil
        state.serverNote = note
        state.utcOffsetSeconds = TimeZone.current.secondsFromGMT()
        if server == nil, admin.password == nil { state.status = "no admin password: the System Console cannot sign in" }

        let timelines = Timelines(folder: folder.appendingPathComponent(DataFolderLock.timelinesFolderName),
                                  temporary: options.ephemeral)
        state.timelineFolder = timelines.folder.path
        let app = TerminalApp(state: state, clock: { (clock.nowMillis, clock.offsetMillis) }) { command in
            await InteractiveExecutor.run(command, simulation: simulation, timelines: timelines)
        }
        for (index, phone) in simulation.phones.enumerated() {
            await phone.observe { app.post(.phone(index, $0)) }
        }
        await simulation.console.observe { app.post(.console(ConsoleView($0))) }
        let console = simulation.console
        let consoleWork = Task {
            await console.signIn()
            await console.keepFresh()
        }
        return InteractiveSession(server: server, proxy: proxy, simulation: simulation, app: app, timelines: timelines,
                                  consoleWork: consoleWork)
    }

    /// 127.0.0.1 on the asked port. If the default port is taken: the port this folder's server had last time,
    /// else any free one (the header says which). The phones key their token cache and outbox by the server's
    /// URL, so a port that changed from run to run would log them out without a 401 and orphan their outbox.
    static func startEmbedded(port: Int, folder: URL, clock: SimClock) async throws -> (server: EmbeddedServer, note: String) {
        let logger = Logger(label: "mmsim.server")
        func config(_ port: Int) -> ServerConfiguration {
            ServerConfiguration(host: "127.0.0.1", port: port, dataDirectory: folder, clock: clock)
        }
        do {
            let server: EmbeddedServer
            var note = ""
            do {
                server = try await EmbeddedServer.start(config(port), logger: logger)
            } catch EmbeddedServerError.portInUse where port == 8065 {
                let last = LastPort.read(folder).flatMap { $0 == 8065 ? nil : $0 }
                if let last, let reused = try? await EmbeddedServer.start(config(last), logger: logger) {
                    server = reused
                } else {
                    server = try await EmbeddedServer.start(config(0), logger: logger)
                }
                note = "port 8065 was taken: using \(server.port)"
            }
            LastPort.write(server.port, folder)
            return (server, note)
        } catch {
            // Whatever stops the start (port, folder, a damaged database) is the environment's: say it, exit 2.
            StandardStream.error.write("mmsim: \(error)\n")
            throw ExitCode(2)
        }
    }

    func run(color: Bool, ascii: Bool, onTerminalReady: @Sendable () -> Void) async {
        await app.run(on: CursesTerminal(wantColor: color), forceASCII: ascii, inputStarted: onTerminalReady)
    }

    func stop() async {
        consoleWork.cancel()
        await InteractiveExecutor.saveTimelines(simulation, to: timelines)
        await simulation.shutdown()
        await proxy.stop()
        await server?.stop()
    }
}

/// Where `w` and quitting save the timelines; `temporary` (--ephemeral): the folder goes when the app quits.
struct Timelines: Sendable {
    let folder: URL
    let temporary: Bool
}

/// Runs one UI command on the simulation.
enum InteractiveExecutor {
    /// Writes every phone's timeline; returns what happened, for the status line (and the log if it failed).
    @discardableResult
    static func saveTimelines(_ simulation: Simulation, to timelines: Timelines) async -> String {
        var states: [DeviceState] = []
        for phone in simulation.phones { states.append(await phone.state) }
        let path = timelines.folder.path
        do {
            try TimelineExport.save(states, to: timelines.folder, at: simulation.clock.nowMillis)
            return "timelines saved to \(path)"
                + (timelines.temporary ? " (a temporary folder, removed when mmsim quits: use --data to keep them)" : "")
        } catch {
            let reason = FileFailure.describe(error)
            Logger(label: "mmsim.ui").error("timelines not saved to \(path): \(reason)")
            return "timelines NOT saved to \(path): \(reason)"
        }
    }

    /// Returns the command's outcome for the status line, where the key alone could not know it.
    static func run(_ command: Command, simulation: Simulation, timelines: Timelines) async -> String? {
        func phone(_ index: Int) -> Phone? { simulation.phones.indices.contains(index) ? simulation.phones[index] : nil }
        switch command {
        case .setAirplane(let index, let on): await phone(index)?.send(.setAirplane(on))
        case .setPower(let index, let on):
            if on { await phone(index)?.powerOn() } else { await phone(index)?.powerOff() }
        case .setNetwork(let index, let profile): await phone(index)?.setNetwork(profile)
        case .typeUsername(let index, let text): await phone(index)?.send(.typeUsername(text))
        case .typePassword(let index, let text): await phone(index)?.send(.typePassword(text))
        case .focusField(let index, let field): await phone(index)?.send(.focus(field))
        case .submitLogin(let index): await phone(index)?.send(.submitLogin)
        case .openChannel(let index, let id): await phone(index)?.send(.openChannel(id))
        case .back(let index): await phone(index)?.send(.back)
        case .setBackground(let index, let on): await phone(index)?.send(on ? .background : .foreground)
        case .connectServer(let index): await phone(index)?.send(.connectServer)
        case .setApp(let index, let model): await phone(index)?.send(.setApp(model))
        case .logout(let index): await phone(index)?.send(.logout)
        case .saveTimelines: return await saveTimelines(simulation, to: timelines)
        case .compose(let index, let channelID, let text): await phone(index)?.compose(channelID: channelID, text: text)
        case .revokeAllSessions:
            await simulation.console.revokeAllSessions()
            // The phones' sessions are gone too; they find out by themselves (pings, requests).
        case .revokeSessions(let userID): await simulation.console.revokeSessions(ofUser: userID)
        case .resetPassword(let userID, let newPassword):
            await simulation.console.resetPassword(ofUser: userID, newPassword: newPassword)
        case .refreshConsole: await simulation.console.refresh()
        case .advanceClock(let millis): await simulation.advance(byMillis: millis)
        case .quit: break
        }
        return nil
    }
}
