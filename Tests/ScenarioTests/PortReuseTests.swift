import Foundation
import MMSimTestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// With 8065 taken, `mmsim --data DIR` comes back on the port it had last time, so the phones' token cache
/// and outbox (keyed by the server URL) still belong to the server after a restart.
final class PortReuseTests: XCTestCase {
    func testRestartReusesTheFoldersLastPort() throws {
        let binary = try BuiltBinary.requireBuilt()
        guard let blocker = holdTheDefaultPort() else { return XCTFail("port 8065 stayed taken by another listener for 30 s") }
        defer { close(blocker) }
        let data = BuiltBinary.temporaryFolder("port-reuse")
        defer { try? FileManager.default.removeItem(at: data) }
        try FileManager.default.removeItem(at: data)  // a new data folder, made by mmsim

        var ports: [String] = []
        for _ in 1...2 {
            let tmux = try Tmux.launch("\(binary.path) --data \(data.path)")
            defer { tmux.kill() }
            try tmux.wait(for: "port 8065 was taken: using ", timeout: 60)
            let screen = tmux.capture()
            let port = screen.components(separatedBy: "port 8065 was taken: using ").last?.prefix { $0.isNumber } ?? ""
            XCTAssertFalse(port.isEmpty, screen)
            ports.append(String(port))
            // The app's data folder is private, as serve's and --ephemeral's are.
            let attributes = { (path: String) in (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int }
            XCTAssertEqual(attributes(data.path), 0o700)
            XCTAssertEqual(attributes(data.appendingPathComponent("mmsim.sqlite").path), 0o600)
            tmux.kill()
            XCTAssertTrue(waitUntilUnlocked(data), "the first app let go of its data folder")
        }
        XCTAssertEqual(ports.count, 2)
        XCTAssertEqual(ports.first, ports.last, "the second start took the folder's last port again")
    }

    /// A FIFO where the last port is kept blocked the start for good (it was read whole, waiting for a writer).
    func testAFIFOInPlaceOfTheLastPortDoesNotHangTheStart() throws {
        let binary = try BuiltBinary.requireBuilt()
        guard let blocker = holdTheDefaultPort() else { return XCTFail("port 8065 stayed taken by another listener for 30 s") }
        defer { close(blocker) }
        let data = BuiltBinary.temporaryFolder("port-fifo")
        defer { try? FileManager.default.removeItem(at: data) }
        XCTAssertEqual(mkfifo(data.appendingPathComponent("server-port").path, 0o600), 0)
        let tmux = try Tmux.launch("\(binary.path) --data \(data.path)")
        defer { tmux.kill() }
        try tmux.wait(for: "port 8065 was taken: using ", timeout: 60)
    }

    /// 8065 held by the test itself (another process holding it now might let go mid-test); nil when another
    /// listener keeps it for 30 s. The retry waits out an earlier test's server that is still closing.
    func holdTheDefaultPort() -> Int32? {
        let deadline = Date().addingTimeInterval(30)
        while true {
            if let held = occupy(port: 8065) { return held }
            guard Date() < deadline else { return nil }
            Thread.sleep(forTimeInterval: 0.2)
        }
    }

    /// A listening socket on 127.0.0.1:port, or nil when the port is already taken.
    func occupy(port: UInt16) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        // Connections of an earlier server on this port may sit in TIME_WAIT; only a listener should stop us.
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 1) == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    /// The app holds an flock on DIR/mmsim.lock while it runs; the kernel drops it when the process dies.
    func waitUntilUnlocked(_ folder: URL) -> Bool {
        let fd = open(folder.appendingPathComponent("mmsim.lock").path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        // A blocking flock returns when the app lets go; on a thread, so that a wait past the deadline fails the test.
        let acquired = DispatchSemaphore(value: 0)
        Thread {
            if flock(fd, LOCK_EX) == 0 { flock(fd, LOCK_UN) }
            acquired.signal()
        }.start()
        guard acquired.wait(timeout: .now() + 30) == .success else { return false }
        close(fd)
        return true
    }
}
