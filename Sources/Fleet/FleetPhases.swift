import Device
import Dispatch
import Foundation
import MattermostClient
import Synchronization

/// Set when the fleet's server process ended before the run did: every wait gives up, no phase waits again.
final class ServerGone: Sendable {
    private let text = Mutex<String?>(nil)
    var reason: String? { text.withLock { $0 } }
    func set(_ reason: String) { text.withLock { $0 = $0 ?? reason } }
}

/// The four phases of MM-T941 over every phone, each timed, counted and measured.
struct FleetPhases: Sendable {
    let options: FleetOptions
    let simulation: Simulation
    let api: MattermostAPI
    let admin: FleetCredential
    let server: FleetServer
    let accounts: [FleetCredential]
    let probes: [FleetProbe]
    let order: [Int]
    let serverGone = ServerGone()

    init(options: FleetOptions, simulation: Simulation, api: MattermostAPI, admin: FleetCredential, server: FleetServer,
         accounts: [FleetCredential]) {
        self.options = options
        self.simulation = simulation
        self.api = api
        self.admin = admin
        self.server = server
        self.accounts = accounts
        probes = simulation.phones.indices.map(FleetProbe.init(index:))
        var random = SeededRandom(seed: options.seed)
        order = Array(simulation.phones.indices).shuffled(using: &random)
        if case .child(let process) = server {
            let (gone, probes) = (serverGone, probes)
            process.whenEndedEarly { reason in
                gone.set(reason)
                for probe in probes { probe.expire() }
            }
        }
    }

    func run(serverLabel: String, setupSeconds: Double, openFilesLimit: Int) async -> FleetReport {
        let start = DispatchTime.now().uptimeNanoseconds
        let cpuStart = ProcessResources.cpuSeconds()
        let serverCPUStart = await server.cpuSeconds()
        var phases: [FleetPhaseReport] = []
        var problems: [String] = []

        let devices = max(1, probes.count)
        let (before, sqliteBefore) = (ProcessResources.settledResident(), ProcessResources.sqliteHeap())
        let serverBefore = await server.memory()
        phases.append(await login())
        let (after, sqliteAfter) = (ProcessResources.settledResident(), ProcessResources.sqliteHeap())
        let serverAfter = await server.memory()
        let perPhone = max(0, after - before) / devices
        let sqlitePerPhone = max(0, sqliteAfter - sqliteBefore) / devices
        var serverFigures: FleetServerMemory?
        if let serverBefore, let serverAfter {
            serverFigures = FleetServerMemory(residentIdleBytes: serverAfter.resident, peakBytes: serverAfter.peak,
                                              perIdlePhoneBytes: max(0, serverAfter.resident - serverBefore.resident) / devices)
        }

        phases.append(await offline())
        // Sockets closed, tasks ended: what is left is the phone itself (actor, state, store, probe).
        let offlinePerPhone = max(0, ProcessResources.settledResident() - before) / devices
        let (revokeReport, revokeProblems) = await revoke()
        phases.append(revokeReport)
        problems.append(contentsOf: revokeProblems)
        let reconnectStart = DispatchTime.now().uptimeNanoseconds
        phases.append(await reconnect())

        var detected = 0, missed = 0, wrong = 0
        for probe in probes {
            let r = probe.snapshot
            let name = simulation.phones[probe.index].name
            if let at = r.loggedOutAt {
                if r.logoutCause == .revoked, at >= reconnectStart {
                    detected += 1
                } else {
                    wrong += 1
                    let when = at < reconnectStart ? "before reconnecting" : "on reconnect"
                    problems.append("\(name): logged out \(when), banner: \(r.logoutBanner?.text ?? "none")")
                }
            } else {
                missed += 1
                problems.append((r.wasLive ? "\(name): still logged in after reconnecting" : "\(name): never logged in")
                                + (r.banner.map { ", banner: \($0.text)" } ?? ""))
            }
        }
        let shown = Array(problems.prefix(10))
        let more = problems.count > shown.count ? ["… and \(problems.count - shown.count) more"] : []
        let cpu = ProcessResources.cpuSeconds() - cpuStart
        let serverCPUEnd = await server.cpuSeconds()
        let serverCPU = serverCPUStart.flatMap { start in serverCPUEnd.map { $0 - start } }
        return FleetReport(devices: probes.count, server: serverLabel, concurrency: options.concurrency, seed: options.seed,
                           openFilesLimit: openFilesLimit, setupSeconds: setupSeconds, phases: phases,
                           wallSeconds: Self.seconds(since: start), peakRSSBytes: ProcessResources.memory().peak,
                           rssPerIdlePhoneBytes: perPhone, rssPerOfflinePhoneBytes: offlinePerPhone, sqlitePerIdlePhoneBytes: sqlitePerPhone,
                           cpuSeconds: cpu, cpuMillisPerPhone: cpu * 1000 / Double(devices), revocationsDetected: detected, missed: missed,
                           wrongLogouts: wrong, problems: shown + more,
                           serverMemory: await serverMemory(idle: serverFigures), shard: options.shard, revoke: options.revoke.label, serverCPUSeconds: serverCPU)
    }

    /// The idle figures, with the peak as of the end of the run.
    func serverMemory(idle: FleetServerMemory?) async -> FleetServerMemory? {
        guard var figures = idle else { return nil }
        if let end = await server.memory() { figures.peakBytes = max(figures.peakBytes, end.peak) }
        return figures
    }

    // MARK: Phases

    /// Power on, type the credentials, wait for "live": logged in with the WebSocket open.
    func login() async -> FleetPhaseReport {
        await phase("login", waitingFor: .live) { phone, probe, index in
            await phone.observe { state in probe.see(state) }
            await phone.powerOn()
            await phone.login(username: accounts[index].username, password: accounts[index].password)
        }
    }

    /// Airplane mode on every phone: sockets close, nothing is sent.
    func offline() async -> FleetPhaseReport {
        await phase("offline", waitingFor: nil) { phone, _, _ in await phone.send(.setAirplane(true)) }
    }

    /// The admin signs in and revokes (`--revoke`: all sessions, as System Console › Users does, or each of this
    /// run's users, or all at an agreed instant), then minutes pass on the clock.
    func revoke() async -> (FleetPhaseReport, [String]) {
        let start = DispatchTime.now().uptimeNanoseconds
        options.progress?.begin("revoke", total: 1)
        var seen = Set<String>()
        let usernames = accounts.map { $0.username.lowercased() }.filter { seen.insert($0).inserted }
        let outcome = await FleetRevocation(api: api, admin: admin, mode: options.revoke, usernames: usernames,
                                            concurrency: options.concurrency).run()
        options.progress?.tick()
        await simulation.advance(byMillis: options.offlineMillis)
        return (report("revoke", start: start, requestsBefore: requestCount(), extraRequests: outcome.requests, latencies: []),
                outcome.problems)
    }

    /// Radio back on; each phone must find out alone and leave its session: the reference app with its own
    /// GET /users/me; the real app's rules only on a REST call, here the session check of going to the background.
    func reconnect() async -> FleetPhaseReport {
        let app = options.app
        return await phase("reconnect", waitingFor: .loggedOut) { phone, _, _ in
            await phone.send(.setAirplane(false))
            if !app.rules.revalidatesOnForeground { await phone.send(.background) }
        }
    }

    // MARK: Running a phase

    func phase(_ name: String, waitingFor milestone: FleetProbe.Milestone?,
               _ act: @escaping @Sendable (Phone, FleetProbe, Int) async -> Void) async -> FleetPhaseReport {
        let start = DispatchTime.now().uptimeNanoseconds
        let requestsBefore = requestCount()
        let eligible = milestone == .loggedOut ? order.filter { self.probes[$0].snapshot.wasLive } : order
        options.progress?.begin(name, total: eligible.count)
        if serverGone.reason == nil { for probe in probes { probe.rearm() } }
        let probes = self.probes
        let timeout = options.phaseTimeoutSeconds
        let watchdog = Task {
            try? await Task.sleep(for: .seconds(timeout))
            guard !Task.isCancelled else { return }
            for probe in probes { probe.expire() }
        }
        let phones = simulation.phones
        let progress = options.progress
        await Self.forEach(eligible, concurrency: milestone == nil ? max(options.concurrency, 256) : options.concurrency) { index in
            await act(phones[index], probes[index], index)
            if let milestone { _ = await probes[index].wait(for: milestone) }
            progress?.tick()
        }
        watchdog.cancel()
        return report(name, start: start, requestsBefore: requestsBefore, extraRequests: 0,
                      latencies: milestone.map { latencies(of: eligible, for: $0) } ?? [])
    }

    /// Login: submit → live. Reconnect: airplane off → login screen (the detection latency). Both are stamped
    /// by the probe inside the phone, so time a phone spent queued behind `--concurrency` is not counted.
    func latencies(of indices: [Int], for milestone: FleetProbe.Milestone) -> [UInt64] {
        indices.compactMap { index in
            let r = probes[index].snapshot
            let (from, to): (UInt64?, UInt64?) = milestone == .live ? (r.submittedAt, r.liveAt) : (r.airplaneOffAt, r.loggedOutAt)
            guard let from, let to, to >= from else { return nil }
            return to - from
        }
    }

    func report(_ name: String, start: UInt64, requestsBefore: Int, extraRequests: Int, latencies: [UInt64]) -> FleetPhaseReport {
        var loggedIn = 0, detected = 0
        for probe in probes {
            let r = probe.snapshot
            if r.wasLive, r.loggedOutAt == nil, !r.airplane { loggedIn += 1 }
            if r.loggedOutAt != nil, r.logoutCause == .revoked { detected += 1 }
        }
        return FleetPhaseReport(name: name, phones: probes.count, loggedIn: loggedIn, revocationsDetected: detected,
                                latency: FleetLatency(nanoseconds: latencies),
                                requests: requestCount() - requestsBefore + extraRequests,
                                wallSeconds: Self.seconds(since: start), peakRSSBytes: ProcessResources.memory().peak)
    }

    func requestCount() -> Int { probes.reduce(0) { $0 + $1.snapshot.requests } }

    static func seconds(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

    /// At most `concurrency` bodies at once, started in `items` order.
    static func forEach(_ items: [Int], concurrency: Int, _ body: @escaping @Sendable (Int) async -> Void) async {
        await withTaskGroup(of: Void.self) { group in
            var iterator = items.makeIterator()
            for _ in 0..<max(1, concurrency) {
                guard let item = iterator.next() else { break }
                group.addTask { await body(item) }
            }
            while await group.next() != nil {
                if let item = iterator.next() { group.addTask { await body(item) } }
            }
        }
    }
}
