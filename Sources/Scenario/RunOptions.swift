import Device
import Foundation
import MattermostClient
import MattermostModel

public struct RunOptions: Sendable {
    /// nil: an embedded server in-process on 127.0.0.1:0 with a virtual clock.
    public var serverURL: String?
    public var snapshotsDirectory: URL?
    /// Where each scenario's phone folders go (nil: the temporary folder); `mmsim run` removes it on a signal.
    public var runFolder: URL?
    /// Real seconds a step may take (beyond a real-time wait) before it fails instead of hanging.
    public var stepTimeoutSeconds: Double = 30
    /// Bcrypt cost of the embedded server: low, so that logins in a scenario cost microseconds, not 50 ms.
    public var bcryptCost: UInt8 = 4
    /// Each phone's network profile unless its device entry says otherwise (`--network`).
    public var defaultNetwork: NetworkProfile = .online
    /// Seeds `lossy`, so that a run replays.
    public var networkSeed: UInt64 = 1
    /// Each phone's app model unless its device entry says otherwise (`--app`).
    public var defaultApp: AppModel = .reference
    /// Every step event carries the System Console as the admin sees it now (signed in from the first step,
    /// refreshed): what `mmsim demo` shows, so the audience sees user-1 holding a session before the revoke.
    public var liveConsole = false
    /// The CAs trusted for an https `serverURL` (`--ca-file`), by the phones, the consoles and the fault proxy.
    public var trust: ClientTrust = .system
    /// Observers see every step; with `jobs` above 1 the events of scenarios running at once interleave.
    public var observers: [any RunObserver] = []
    /// How many scenarios run at once, each in its own world; results come back in the order given all the same.
    public var jobs = 1

    public init(serverURL: String? = nil, snapshotsDirectory: URL? = nil, stepTimeoutSeconds: Double = 30,
                observers: [any RunObserver] = []) {
        self.serverURL = serverURL
        self.snapshotsDirectory = snapshotsDirectory
        self.stepTimeoutSeconds = stepTimeoutSeconds
        self.observers = observers
    }
}

/// What a step did to the phones, for recorders and the demo player.
public struct StepEvent: Sendable {
    /// The scenario's name, the step's summary and caption: cleaned (secrets, control characters) for output.
    public var scenario: String
    public var summary: String = ""
    public var caption: String?
    public var stepCount = 0
    public var index: Int
    public var step: Step
    /// Scrubbed `PhoneScreen` lines per phone, in the file's device order.
    public var screens: [(device: String, lines: [String])]
    public var phones: [DeviceState]
    public var virtualMillis: Int64
    /// The simulation clock itself (ms since the epoch), for clocks drawn on screen.
    public var nowMillis: Int64 = 0
    public var result: StepResult?
    /// The System Console the scenario used last (users, session counts, its log); nil before any console step.
    public var console: SystemConsole.State?
}

/// Hooks around each step. The demo player sleeps in them (the virtual clock stands still meanwhile).
public protocol RunObserver: Sendable {
    func scenarioStarted(_ scenario: Scenario, screens: StepEvent) async
    func stepStarting(_ event: StepEvent) async
    func stepFinished(_ event: StepEvent) async
    func scenarioFinished(_ result: ScenarioResult) async
    /// true: stop running further steps (the demo's `q`).
    var shouldStop: Bool { get async }
}

extension RunObserver {
    public func scenarioStarted(_ scenario: Scenario, screens: StepEvent) async {}
    public func stepStarting(_ event: StepEvent) async {}
    public func stepFinished(_ event: StepEvent) async {}
    public func scenarioFinished(_ result: ScenarioResult) async {}
    public var shouldStop: Bool { get async { false } }
}
