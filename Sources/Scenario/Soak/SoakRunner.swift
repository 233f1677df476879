import Device
import Dispatch
import EmbeddedServer
import Foundation
import MattermostClient
import MattermostModel

/// What the soak knows must be true of one phone.
struct SoakPhoneModel {
    /// Seen logged in (not on the login screen) since its last login; a later login screen is a logout.
    var wasLoggedIn = false
    /// A login was submitted and not yet seen to succeed.
    var loginPending = false
    /// A revocation may have hit its session (it was revoked while a login was in flight): a logout is allowed.
    var mayLogout = false
    /// A revocation certainly hit its session: it must reach the login screen once it can talk to the server.
    var mustLogout = false
    var revokedAt: Int64 = 0
    /// When the phone was first seen able to notice (on, radio on, online, settled) without having noticed.
    var eligibleSince: Int64?
    var tokens: Set<String> = []
}

/// Random actions on N phones in virtual time, with invariants checked after every step.
public enum SoakRunner {
    static let graceMillis: Int64 = 60_000

    public static func run(_ options: SoakOptions) async throws -> SoakReport {
        let wallStart = DispatchTime.now().uptimeNanoseconds
        // Soak phones keep their SQLite store (power cycles must find what they saved): one more file each.
        // Soak phones keep their SQLite store (power cycles must find what they saved): one more file each.
        let perPhone = OpenFilesBudget.filesPerPhone(serverInProcess: true) + 1
        try OpenFilesBudget(phones: options.devices, perPhone: perPhone).reserve()
        let setup = SimulatedWorld.Setup(runUsers: options.devices, proxySeed: options.seed,
                                         scratch: options.scratch ?? ScratchRoot.url, folderPrefix: "mmsim-soak",
                                         admin: (SeedAccounts.adminUsername, SeedAccounts.adminPassword), autoSignIn: true)
        let world = try await SimulatedWorld.start(setup) { url, folder in
            (1...options.devices).map { index in
                let name = "phone-\(index)"
                let dir = folder.appendingPathComponent(name)
                return PhoneConfiguration(name: name, deviceID: PhoneConfiguration.stableDeviceID(name: name, dataDirectory: dir),
                                          serverURL: url, dataDirectory: dir, durableStore: false)
            }
        }
        var soak = Soak(options: options, world: world, usernames: SeedAccounts.runUsernames(options.devices))
        var report = await soak.run()
        report.wallSeconds = Double(DispatchTime.now().uptimeNanoseconds - wallStart) / 1e9
        await world.stop()
        return report
    }
}

struct Soak {
    let options: SoakOptions
    let world: SimulatedWorld
    let usernames: [String]
    var random: SeededRandom
    var models: [SoakPhoneModel]
    var report: SoakReport
    /// Composed text → index of the phone (and so the user) that wrote it.
    var composed: [String: Int] = [:]
    var userIDs: [String: String] = [:]
    var channelID = ""
    var tick = 0
    var startMillis: Int64 = 0

    init(options: SoakOptions, world: SimulatedWorld, usernames: [String]) {
        self.options = options
        self.world = world
        self.usernames = usernames
        random = SeededRandom(seed: options.seed)
        models = Array(repeating: SoakPhoneModel(), count: world.simulation.phones.count)
        report = SoakReport(devices: options.devices, minutes: options.minutes, seed: options.seed)
    }

    var simulation: Simulation { world.simulation }
    var clock: SimClock { world.clock }
    var api: MattermostAPI { world.api }
    var phones: [Phone] { simulation.phones }

    mutating func fail(_ text: String) {
        let line = "seed \(options.seed), tick \(tick), t=+\(elapsed(clock.nowMillis)): \(text)"
        report.failures.append(line)
        options.onFailure?(line)
    }

    /// A moment of the run as time since it started (`3m05.250s`).
    func elapsed(_ millis: Int64) -> String { DurationText.clock(millis - startMillis) }

    mutating func run() async -> SoakReport {
        startMillis = clock.nowMillis
        // The admin: user ids, and the Town Square channel.
        do throws(ClientError) {
            let token = try await api.login(loginID: SeedAccounts.adminUsername, password: SeedAccounts.adminPassword, deviceID: nil).token
            var page = 0
            while true {
                let users = try await api.users(token: token, page: page, perPage: 200)
                for user in users { userIDs[user.username] = user.id }
                if users.count < 200 { break }
                page += 1
            }
            let team = try await api.myTeams(token: token).first { $0.name == SeedAccounts.teamName }
            if let team {
                channelID = try await api.myChannels(token: token, teamID: team.id).first { $0.name == "town-square" }?.id ?? ""
            }
            try await api.logout(token: token)
        } catch {
            report.otherFailures += 1
            fail("setup: the admin cannot read users or channels: \(error)")
            return report
        }
        guard !channelID.isEmpty else {
            report.otherFailures += 1
            fail("setup: no Town Square")
            return report
        }
        _ = await simulation.console.signIn()

        // Everyone on and logged in.
        for (index, phone) in phones.enumerated() {
            await phone.powerOn()
            await login(index)
        }
        await simulation.settleThroughDelays()
        await check()

        let end = startMillis + Int64(options.minutes) * 60_000
        let perTick = 1 + options.devices / 20
        while clock.nowMillis < end {
            tick += 1
            let gap = Int64(random.next() % 20_001) + 10_000
            await world.pass(millis: min(gap, max(0, end - clock.nowMillis)))
            await check()
            guard clock.nowMillis < end else { break }
            for _ in 0..<perTick {
                await act()
                await simulation.settle()
                await check()
            }
            if tick % 5 == 0 { await checkTimelines() }
        }
        await finish()
        return report
    }

    // MARK: Actions

    mutating func pick(_ n: Int) -> Int { Int(random.next() % UInt64(n)) }

    mutating func login(_ index: Int) async {
        await phones[index].login(username: usernames[index], password: SeedAccounts.userPassword)
        models[index].loginPending = true
    }

    mutating func act() async {
        report.actions += 1
        let roll = pick(100)
        let index = pick(phones.count)
        let phone = phones[index]
        let state = await phone.state
        switch roll {
        case 0..<14:
            await phone.send(.setAirplane(!state.airplane))
        case 14..<22:
            if state.powered { await phone.powerOff() } else { await phone.powerOn() }
        case 22..<36:
            // Half the switches go back online, so that phones do not stay in a blackhole for the whole run.
            let profile = pick(2) == 0 ? .online : NetworkProfile.allCases[pick(NetworkProfile.allCases.count)]
            await phone.setNetwork(profile)
        case 36..<70:
            guard state.powered else { return await phone.powerOn() }
            let text = "soak \(options.seed)-\(report.actions) by \(phone.name) #\(composed.count + 1)"
            if await phone.compose(channelID: channelID, text: text) {
                composed[text] = index
                report.composed += 1
            }
        case 70..<93:
            // Someone on the login screen logs in again (the first such phone from a random start).
            var target: Int?
            for offset in 0..<phones.count {
                let i = (index + offset) % phones.count
                let s = offset == 0 ? state : await phones[i].state
                if s.powered, s.screen == .login, !(s.loginForm.submitting) { target = i; break }
            }
            if let target { await login(target) } else { await phone.send(.setAirplane(!state.airplane)) }
        case 93..<99:
            guard let userID = userIDs[usernames[index]] else { return }
            if await simulation.console.revokeSessions(ofUser: userID) {
                revoked([index])
            } else {
                report.otherFailures += 1
                fail("the admin could not revoke the sessions of \(usernames[index]): \(await simulation.console.state.status)")
            }
        default:
            if await simulation.console.revokeAllSessions() {
                revoked(Array(phones.indices))
            } else {
                // Revoke All ends the console's own session too; a failed refresh afterwards is not a failed revoke.
                let status = await simulation.console.state.status
                if status.contains("Revoke All Sessions: done") || status.contains("signed in") {
                    revoked(Array(phones.indices))
                } else {
                    report.otherFailures += 1
                    fail("the admin could not revoke all sessions: \(status)")
                }
            }
        }
    }

    mutating func revoked(_ indices: [Int]) {
        report.revocations += 1
        for i in indices {
            if models[i].wasLoggedIn {
                models[i].mustLogout = true
                models[i].mayLogout = true
                models[i].revokedAt = clock.nowMillis
                models[i].eligibleSince = nil
            } else if models[i].loginPending {
                models[i].mayLogout = true
            }
        }
    }

    // MARK: Invariants

    mutating func check() async {
        for (index, phone) in phones.enumerated() {
            let state = await phone.state
            var model = models[index]
            if let entry = await phone.cachedToken { model.tokens.insert(entry.token) }
            if state.powered, state.screen == .login {
                if model.wasLoggedIn {
                    if model.mustLogout || model.mayLogout {
                        report.detections += 1
                        if let since = model.eligibleSince, clock.nowMillis > since { report.lateDetections += 1 }
                    } else {
                        report.falseLogouts += 1
                        fail("\(phone.name): false logout, no revocation since its last login "
                             + "(banner: \(state.banner?.text ?? "none"), connection: \(state.connection.rawValue), "
                             + "network: \(state.network.rawValue))\(lastEntries(state))")
                    }
                    model.wasLoggedIn = false
                    model.mustLogout = false
                    model.mayLogout = false
                    model.eligibleSince = nil
                }
                if !state.loginForm.submitting, state.inFlight == nil { model.loginPending = false }
            } else if state.powered, state.isLoggedIn, state.screen != .login, state.screen != .off {
                if model.loginPending || !model.wasLoggedIn {
                    model.loginPending = false
                    model.wasLoggedIn = true
                    // A revocation before this session existed cannot have ended it.
                    model.mustLogout = false
                }
            }
            if model.mustLogout, state.powered, !state.airplane, await phone.network == .online, state.screen != .login {
                if let since = model.eligibleSince {
                    if clock.nowMillis - since > SoakRunner.graceMillis {
                        report.missedRevocations += 1
                        fail("\(phone.name): missed revocation at t=+\(elapsed(model.revokedAt)): powered on, "
                             + "radio on, online since t=+\(elapsed(since)) and still on \(state.screen.name) "
                             + "(connection: \(state.connection.rawValue), socket: \(state.socket))\(lastEntries(state))")
                        model.mustLogout = false
                        model.eligibleSince = nil
                    }
                } else {
                    model.eligibleSince = clock.nowMillis
                }
            } else if model.mustLogout {
                model.eligibleSince = nil
            }
            models[index] = model
        }
    }

    func lastEntries(_ state: DeviceState) -> String {
        let tail = state.timeline.entries.suffix(6).map { "[\(elapsed($0.at))] \($0.text)" }
        return tail.isEmpty ? "" : "; last timeline: " + tail.joined(separator: " | ")
    }

    mutating func checkTimelines() async {
        for (index, phone) in phones.enumerated() where !models[index].tokens.isEmpty {
            let entries = await phone.state.timeline.entries
            for token in models[index].tokens {
                if let leak = entries.first(where: { $0.text.contains(token) }) {
                    report.tokenLeaks += 1
                    fail("\(phone.name): a session token is in its timeline: \(leak.text.replacingOccurrences(of: token, with: "<token>"))")
                    models[index].tokens.remove(token)
                }
            }
        }
    }

    // MARK: The end

    mutating func finish() async {
        for phone in phones {
            await phone.setNetwork(.online)
            await phone.send(.setAirplane(false))
            await phone.powerOn()
        }
        await simulation.settleThroughDelays()
        await world.pass(millis: SoakRunner.graceMillis)
        await check()
        // Whoever must have noticed a revocation by now and has not: missed.
        for (index, phone) in phones.enumerated() where models[index].mustLogout {
            let state = await phone.state
            report.missedRevocations += 1
            fail("\(phone.name): missed revocation at t=+\(elapsed(models[index].revokedAt)): "
                 + "still on \(state.screen.name) after the end's settle\(lastEntries(state))")
            models[index].mustLogout = false
        }
        for (index, phone) in phones.enumerated() {
            let state = await phone.state
            if state.screen == .login, !state.loginForm.submitting { await login(index) }
        }
        await simulation.settleThroughDelays()
        await world.pass(millis: SoakRunner.graceMillis)
        await check()
        await checkTimelines()
        for phone in phones {
            let state = await phone.state
            if !state.isLoggedIn || state.screen == .login || state.connection != .live {
                report.otherFailures += 1
                fail("\(phone.name): not live at the end (screen \(state.screen.name), connection \(state.connection.rawValue), "
                     + "banner: \(state.banner?.text ?? "none"))\(lastEntries(state))")
            } else if !state.outbox.isEmpty {
                report.otherFailures += 1
                fail("\(phone.name): \(state.outbox.count) message(s) still in its outbox at the end "
                     + "(\(state.outbox.map(\.state.rawValue).joined(separator: ", ")))")
            }
        }

        // Every composed message on the server exactly once, by its author.
        do throws(ClientError) {
            let token = try await api.login(loginID: SeedAccounts.adminUsername, password: SeedAccounts.adminPassword, deviceID: nil).token
            // Every page: a channel lists 60 posts unless asked for more, and a soak writes hundreds.
            let all = try await api.allPosts(token: token, channelID: channelID)
            try? await api.logout(token: token)
            var seen: [String: [Post]] = [:]
            for post in all where post.message.hasPrefix("soak ") { seen[post.message, default: []].append(post) }
            for (text, index) in composed.sorted(by: { $0.key < $1.key }) {
                let posts = seen[text] ?? []
                let author = usernames[index]
                if posts.isEmpty {
                    report.lost += 1
                    fail("lost: \"\(text)\" (\(author)) is not on the server")
                } else if posts.count > 1 {
                    report.duplicated += 1
                    fail("duplicated: \"\(text)\" is on the server \(posts.count) times")
                }
                let wrong = posts.filter { $0.userID != userIDs[author] }
                if !wrong.isEmpty {
                    report.wrongAuthor += 1
                    let names = wrong.map { p in userIDs.first { $0.value == p.userID }?.key ?? p.userID }
                    fail("wrong author: \"\(text)\" written by \(author), posted as \(names.joined(separator: ", "))")
                }
            }
            for text in seen.keys where composed[text] == nil {
                report.otherFailures += 1
                fail("on the server but never composed: \"\(text)\"")
            }
        } catch {
            report.otherFailures += 1
            fail("the admin cannot read Town Square: \(error)")
        }
    }
}
