import Device
import Foundation

/// How a fleet run is set up. Embedded when `serverURL` is nil: users `user-1`…`user-N` are created for the run.
public struct FleetOptions: Sendable {
    /// Phones over all shards; this run's are `phoneIndices`.
    public var devices: Int
    public var serverURL: String?
    /// Phone i (0-based, over all shards) logs in with `credentials[i % count]`; empty: as `user-(i+1)` with the
    /// sample password (the embedded server's run users, or `mmsim serve --users N`).
    public var credentials: [FleetCredential]
    /// Against a real server, from MMSIM_ADMIN_USER / MMSIM_ADMIN_PASSWORD; nil in embedded mode (sysadmin).
    public var admin: FleetCredential?
    /// At most this many logins or reconnects in flight at once.
    public var concurrency: Int
    /// Orders logins and reconnects (a seeded shuffle), so two runs with one seed do the same thing.
    public var seed: UInt64
    /// Real seconds a phase may take before the phones still waiting count as failed.
    public var phaseTimeoutSeconds: Double
    /// "Minutes pass" while the phones are offline: added to the clock, costs no real time.
    public var offlineMillis: Int64
    /// Where the phones' folders go; nil: `ScratchRoot`.
    public var dataRoot: URL?
    public var progress: FleetProgress?
    /// The app every phone runs. The real app's rules find a revocation only on a REST call, so its phones are
    /// also sent to the background after reconnecting (the inactive session check).
    public var app: AppModel = .reference
    /// Embedded mode: run the server as `EXECUTABLE serve --fleet-users N` in its own process (the command line
    /// passes mmsim itself), so that each process holds one end of each WebSocket. nil: in this process (tests).
    public var serverExecutable: URL?
    /// This run's slice of the phones; nil: all of them.
    public var shard: FleetShard?
    public var revoke: FleetRevoke = .all
    /// Called with the child server's pid once it listens; a throw aborts the run (tests of the cleanup path).
    public var onServerStarted: (@Sendable (Int32) throws -> Void)?

    public init(devices: Int, serverURL: String? = nil, credentials: [FleetCredential] = [], admin: FleetCredential? = nil,
                concurrency: Int = 64, seed: UInt64 = 1, phaseTimeoutSeconds: Double = 120, offlineMillis: Int64 = 180_000,
                dataRoot: URL? = nil, progress: FleetProgress? = nil, serverExecutable: URL? = nil) {
        self.devices = devices
        self.serverURL = serverURL
        self.credentials = credentials
        self.admin = admin
        self.concurrency = concurrency
        self.seed = seed
        self.phaseTimeoutSeconds = phaseTimeoutSeconds
        self.offlineMillis = offlineMillis
        self.dataRoot = dataRoot
        self.progress = progress
        self.serverExecutable = serverExecutable
    }

    /// 0-based global indices of the phones this run drives.
    public var phoneIndices: Range<Int> { shard?.indices ?? 0..<devices }

    var folderRoot: URL {
        dataRoot ?? ScratchRoot.url
    }
}
