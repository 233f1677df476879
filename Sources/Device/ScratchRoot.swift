import Foundation

/// Where the folders of run-scoped phones go (a scenario run's, a soak's, a fleet's): $TMPDIR when it is set; else
/// /dev/shm when writable, else the temp dir. Their data ends with the run and needs no disk; on a disk, each token
/// write's fsync would hold one of the few threads that every phone and server of the process share.
public enum ScratchRoot {
    public static var url: URL {
        if let chosen = ProcessInfo.processInfo.environment["TMPDIR"], !chosen.isEmpty { return URL(fileURLWithPath: chosen) }
        let shm = URL(fileURLWithPath: "/dev/shm")
        return FileManager.default.isWritableFile(atPath: shm.path) ? shm : FileManager.default.temporaryDirectory
    }
}
