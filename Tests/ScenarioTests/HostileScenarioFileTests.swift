import Foundation
import MMSimTestSupport
import XCTest
@testable import Scenario

/// Scenario files written to break the reader: each gets "file:line:column: error: …" and exit 2, quickly.
final class HostileScenarioFileTests: XCTestCase {
    let folder = Repo.temporaryFolder()
    /// The documented limit of a scenario file.
    static let oneMiB = 1 << 20

    override func tearDown() {
        try? FileManager.default.removeItem(at: folder)
    }

    private func write(_ name: String, _ data: Data) throws -> String {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent(name).path
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    private func refused(_ path: String, _ message: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let out = try BuiltBinary.run(["run", "--check", path], timeoutSeconds: 30)
        XCTAssertFalse(out.timedOut, "\(path) hung", file: file, line: line)
        XCTAssertEqual(out.status, 2, out.stderr, file: file, line: line)
        XCTAssertTrue(out.stderr.contains(message), out.stderr, file: file, line: line)
    }

    /// The virtual clock's milliseconds overflowed: `mmsim run` died of SIGILL in the middle of the run.
    func testWaitsAddingUpPastAYearAreRefusedWhereTheyCrossIt() throws {
        let error = parseError(withSteps("  - wait: 8000h\n  - wait: 760h\n  - wait: 1ms"))
        XCTAssertEqual(error?.location, SourceLocation(file: "bad.yaml", line: 7, column: 5))
        XCTAssertEqual(error?.message, "wait: 1ms takes the scenario's waits past 8760h (a year) of simulated time, the most a scenario may span")
        XCTAssertNoThrow(try parse(withSteps("  - wait: 8000h\n  - wait: 760h")))

        let steps = String(repeating: "  - wait: 999999999h\n", count: 3_000)
        let path = try write("overflow.yaml", Data(withSteps(steps).utf8))
        let out = try BuiltBinary.run(["run", path], timeoutSeconds: 60)
        XCTAssertEqual(out.status, 2, out.stderr)
        XCTAssertTrue(out.stderr.contains("\(path):5:5: error: wait: 999999999h takes the scenario's waits past 8760h"), out.stderr)
    }

    /// A 100 MB file took minutes and gigabytes to parse.
    func testAFileOverOneMiBIsRefusedBeforeParsing() throws {
        let line = Data("  - wait: 1s\n".utf8)
        var big = Data(withSteps("").utf8)
        while big.count <= Self.oneMiB { big.append(line) }
        let path = try write("big.yaml", big)
        let started = ContinuousClock.now
        try refused(path, "\(path): error: the file is too large (\(big.count) bytes); scenario and env files may be at most 1 MiB")
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(5))
        let nearLimit = try write("near-limit.yaml", Data(withSteps("  - wait: 1s\n").utf8)
                                  + Data(repeating: 0x20, count: Self.oneMiB - 200))
        let out = try BuiltBinary.run(["run", "--check", nearLimit], timeoutSeconds: 30)
        XCTAssertEqual(out.status, 0, "a file just under 1 MiB is read: \(out.stderr)")
    }

    /// libyaml's reader error gave line 1 and a raw dump of the text; the NUL is on line 2, column 8.
    func testAControlCharacterIsPositioned() {
        let error = parseError("name: x\ntags: [a\u{0}]\ndevices: {}\nsteps: []\n")
        XCTAssertEqual(error?.location, SourceLocation(file: "bad.yaml", line: 2, column: 9))
        XCTAssertEqual(error?.message, "invalid YAML: control characters are not allowed (U+0000)")
    }

    func testFolderEntriesThatAreLoopsOrFolders() throws {
        let loop = folder.appendingPathComponent("loop-a.yaml").path
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: loop, withDestinationPath: "loop-b.yaml")
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("loop-b.yaml").path,
                                                   withDestinationPath: "loop-a.yaml")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("inner.yaml"), withIntermediateDirectories: true)
        let out = try BuiltBinary.run(["run", "--check", folder.path], timeoutSeconds: 30)
        XCTAssertEqual(out.status, 2, out.stderr)
        XCTAssertTrue(out.stderr.contains("\(loop): error: a loop of symbolic links"), out.stderr)
        XCTAssertTrue(out.stderr.contains("inner.yaml: error: a folder, not a scenario file"), out.stderr)
    }

    /// Guards: aliases that would expand to 10^9 nodes, and nesting 100,000 deep, end at once with exit 2.
    func testAliasBombsAndDeepNestingEndAtOnce() throws {
        var laughs = "name: x\ndevices: { phone: { user: user-1 } }\nsteps:\n  - &a [x, x, x, x, x, x, x, x, x, x]\n"
        for (name, previous) in zip("bcdefghi", "abcdefgh") {
            laughs += "  - &\(name) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]\n"
        }
        try refused(try write("laughs.yaml", Data(laughs.utf8)), "laughs.yaml:4:5: error: a step: expected a mapping, found a list")
        let deep = "name: x\ndevices: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        try refused(try write("deep.yaml", Data(deep.utf8)), "deep.yaml:2:11: error: invalid YAML: nested more than 1000 levels deep\n")
    }
}
