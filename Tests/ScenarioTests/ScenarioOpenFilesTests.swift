import Foundation
import MMSimTestSupport
import XCTest
@testable import Scenario

/// A scenario with more phones than the soft open-files limit holds: the limit is raised before the run.
final class ScenarioOpenFilesTests: XCTestCase {
    func testManyDevicesUnderALowSoftLimitRunInsteadOfCrashing() throws {
        let folder = Repo.temporaryFolder()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let count = 150
        var yaml = "name: many phones\ndevices:\n"
        for index in 1...count { yaml += "  p\(index): { user: user-\(index) }\n" }
        yaml += "steps:\n"
        for index in 1...count { yaml += "  - launch: p\(index)\n  - login: p\(index)\n" }
        yaml += "  - wait: 1m\n"
        let file = folder.appendingPathComponent("many.yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)

        // Only the soft limit: any user may raise it again up to the hard one.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ulimit -Sn 200 && exec \"$0\" run --jobs 1 \"$1\"", try BuiltBinary.requireBuilt().path, file.path]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .exit, "died of signal \(process.terminationStatus)")
        XCTAssertEqual(process.terminationStatus, 0, String(stderr.suffix(2_000)))
    }

    func testThePhonesAtOnceAreThoseOfTheLargestScenarios() throws {
        func scenario(_ devices: Int) throws -> Scenario {
            let list = (1...devices).map { "  p\($0): { user: user-\($0) }\n" }.joined()
            return try parse("name: s\ndevices:\n\(list)steps:\n  - launch: p1\n")
        }
        let scenarios = try [3, 10, 1, 7].map(scenario)
        XCTAssertEqual(ScenarioOpenFiles.phonesAtOnce(scenarios, jobs: 1), 10)
        XCTAssertEqual(ScenarioOpenFiles.phonesAtOnce(scenarios, jobs: 2), 17)
        XCTAssertEqual(ScenarioOpenFiles.phonesAtOnce(scenarios, jobs: 8), 21)
    }
}
