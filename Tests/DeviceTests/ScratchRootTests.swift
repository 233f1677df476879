import Device
import Foundation
import XCTest

/// Run-scoped phone folders: $TMPDIR when set, else tmpfs when there is one.
final class ScratchRootTests: XCTestCase {
    func testTMPDIRWinsElseSharedMemory() throws {
        let saved = ProcessInfo.processInfo.environment["TMPDIR"]
        defer { if let saved { setenv("TMPDIR", saved, 1) } else { unsetenv("TMPDIR") } }
        setenv("TMPDIR", "/some/chosen/tmp", 1)
        XCTAssertEqual(ScratchRoot.url.path, "/some/chosen/tmp")
        unsetenv("TMPDIR")
        let expected = FileManager.default.isWritableFile(atPath: "/dev/shm") ? "/dev/shm" : FileManager.default.temporaryDirectory.path
        XCTAssertEqual(ScratchRoot.url.path, expected)
    }
}
