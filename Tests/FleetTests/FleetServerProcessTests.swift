import Foundation
import MMSimTestSupport
import Synchronization
import XCTest
@testable import Fleet
#if canImport(Glibc)
import Glibc
#endif

/// The fleet's server in a child process (`mmsim serve --fleet-users N`): it serves the run, reports its memory,
/// and is gone afterwards — after a failure too, and whenever its parent's end of the stdin pipe closes.
final class FleetServerProcessTests: XCTestCase {
    func builtBinary() throws -> URL { try BuiltBinary.requireBuilt() }

    func isGone(_ pid: Int32) -> Bool { kill(pid, 0) == -1 && errno == ESRCH }

    func testFleetWithAChildServerPassesAndLeavesNoProcess() async throws {
        let pid = Mutex<Int32?>(nil)
        var options = FleetOptions(devices: 6, concurrency: 3, seed: 3, phaseTimeoutSeconds: 60,
                                   serverExecutable: try builtBinary())
        options.onServerStarted = { started in pid.withLock { $0 = started } }
        let report = try await FleetRunner.run(options)
        XCTAssertTrue(report.passed, report.text())
        XCTAssertTrue(report.server.contains("own process"), report.server)
        let server = try XCTUnwrap(report.serverMemory)
        XCTAssertGreaterThan(server.residentIdleBytes, 0)
        XCTAssertGreaterThanOrEqual(server.peakBytes, server.residentIdleBytes)
        let serverCPU = try XCTUnwrap(report.serverCPUSeconds, "the child's CPU is measured apart")
        XCTAssertGreaterThan(serverCPU, 0, "six logins, sockets and revocations cost the server some CPU")
        XCTAssertTrue(report.text().contains("server process"), report.text())
        XCTAssertEqual(report.sqlitePerIdlePhoneBytes, 0, "no SQLite in the phones' process: stores in memory, server apart")
        let started = try XCTUnwrap(pid.withLock { $0 })
        XCTAssertTrue(isGone(started), "the child server outlived the run")
    }

    /// The server process killed once the phones start: the run ends at once with an error that says so,
    /// instead of waiting out every phase's deadline and blaming the phones.
    func testTheServerProcessDyingEndsTheRunWithAnError() async throws {
        var options = FleetOptions(devices: 20, concurrency: 4, phaseTimeoutSeconds: 600, serverExecutable: try builtBinary())
        options.onServerStarted = { started in kill(started, SIGKILL) }
        let start = Date()
        do {
            let report = try await FleetRunner.run(options)
            XCTFail("the run should have failed: \(report.text())")
        } catch {
            XCTAssertEqual("\(error)", "the server process ended during the run (killed by signal 9); no report")
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 300, "the run waited out the phases' deadlines")
    }

    func testAFailedRunStopsTheChildServer() async throws {
        struct Boom: Error {}
        let pid = Mutex<Int32?>(nil)
        var options = FleetOptions(devices: 2, serverExecutable: try builtBinary())
        options.onServerStarted = { started in
            pid.withLock { $0 = started }
            throw Boom()
        }
        do {
            _ = try await FleetRunner.run(options)
            XCTFail("the run should have failed")
        } catch is Boom {}
        let started = try XCTUnwrap(pid.withLock { $0 })
        XCTAssertTrue(isGone(started), "the child server outlived a failed run")
    }

    /// What happens when the parent dies however it dies: the kernel closes its end of the pipe.
    func testTheChildExitsAtEndOfItsStdin() throws {
        let process = Process()
        process.executableURL = try builtBinary()
        process.arguments = ["serve", "--port", "0", "--fleet-users", "2", "--log-level", "warning"]
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        let reader = LineReader(fd: stdout.fileHandleForReading.fileDescriptor)
        let ready = try XCTUnwrap(reader.readLineBlocking())
        XCTAssertTrue(ready.hasPrefix(FleetServerProcess.readyPrefix + "http://127.0.0.1:"), ready)
        try stdin.fileHandleForWriting.write(contentsOf: Data("trim\n".utf8))
        let memory = try XCTUnwrap(reader.readLineBlocking())
        XCTAssertTrue(memory.hasPrefix("memory "), memory)
        try stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .exit)
        XCTAssertEqual(process.terminationStatus, 0)
    }

    func testAnExecutableThatIsNotMmsimIsASetupError() async throws {
        do {
            _ = try await FleetServerProcess.start(executable: URL(fileURLWithPath: "/bin/true"), users: 1)
            XCTFail("/bin/true cannot be a server")
        } catch let error as FleetError {
            XCTAssertTrue(error.description.contains("did not start"), error.description)
        }
    }
}
