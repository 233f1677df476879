import Foundation
import Logging
import MattermostClient
import MattermostModel

/// The phones and the System Console of one run, on one clock, talking to one server URL.
/// Moves time: on a virtual clock one timer deadline at a time, waiting for every phone to settle in between.
public final class Simulation: Sendable {
    public let clock: SimClock
    public let serverURL: String
    public let phones: [Phone]
    public let console: SystemConsole

    public init(serverURL: String, clock: SimClock, phones: [PhoneConfiguration],
                admin: (username: String, password: String?), autoSignIn: Bool = true, api: MattermostAPI? = nil,
                link: (any NetworkLink)? = nil) {
        let api = api ?? MattermostAPI(baseURL: serverURL)
        self.clock = clock
        self.serverURL = serverURL
        self.phones = phones.map { Phone($0, clock: clock, api: api, link: link) }
        self.console = SystemConsole(api: api, clock: clock, username: admin.username, password: admin.password,
                                     autoSignIn: autoSignIn)
    }

    public func phone(named name: String) -> Phone? { phones.first { $0.name == name } }

    /// Waits until no phone has a request in flight or a timer due now.
    public func settle() async {
        while true {
            for phone in phones { await phone.waitUntilIdle() }
            var allIdle = true
            for phone in phones where !(await phone.isIdle) { allIdle = false }
            if allIdle { return }
        }
    }

    /// Lets simulated time run while a phone waits only on a slow link, so that an action ends as it would for a
    /// person watching: a login over slow-3g takes its seconds. Stops at blackholed work (only the phone's own
    /// timeout can end it, which needs a `wait`) and after `limitMillis`.
    /// On the wall clock (a real server) the link's delays are real: they are waited out, within the same limit.
    public func settleThroughDelays(limitMillis: Int64 = 60_000) async {
        let end = clock.nowMillis + limitMillis
        while true {
            await settle()
            guard let next = await earliest({ await $0.linkDeadline }), next <= end else { return }
            switch clock.mode {
            case .virtual: await advance(byMillis: max(0, next - clock.nowMillis))
            // The proxy wakes itself at the deadline; sleep past it, then settle what it released.
            case .wall: try? await Task.sleep(for: .milliseconds(max(1, next - clock.nowMillis + 1)))
            }
        }
    }

    /// The earliest of one deadline over all phones (nil: none has one).
    private func earliest(_ deadline: (Phone) async -> Int64?) async -> Int64? {
        var earliest: Int64?
        for phone in phones {
            if let next = await deadline(phone) { earliest = min(earliest ?? next, next) }
        }
        return earliest
    }

    /// A wait longer than this skips idle ping rounds: one ping per stride instead of one per 30 s.
    static let exactWaitMillis: Int64 = 10 * 60_000
    static let idleStrideMillis: Int64 = 60 * 60_000

    /// "Minutes pass." Virtual clock: jumps from deadline to deadline, so pings and retries happen in order
    /// and cost no real time. A long wait (hours, days) costs what happens in it, not its span: idle pings are
    /// skipped in strides of an hour (a revocation or an expiry is then seen within that hour), while retries,
    /// timeouts and the link's deadlines still fire on time. Wall clock: adds to the offset, and phones fire
    /// what is now due.
    public func advance(byMillis delta: Int64) async {
        let target = clock.nowMillis + delta
        let stride = delta > Self.exactWaitMillis ? Self.idleStrideMillis : 0
        switch clock.mode {
        case .virtual:
            while true {
                await settle()
                guard let next = await earliest({ await $0.nextDeadline }), next <= target else { break }
                let essential = await earliest({ await $0.nextEssentialDeadline }) ?? target
                clock.advance(toMillis: max(next, min(target, essential, next + stride)))
            }
            clock.advance(toMillis: target)
            await settle()
        case .wall:
            clock.advance(byMillis: delta)
            for phone in phones { await phone.clockMoved() }
        }
    }

    public func shutdown() async {
        for phone in phones { await phone.shutdown() }
        await console.signOut()
    }
}
