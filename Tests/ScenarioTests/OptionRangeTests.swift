import Foundation
import MMSimTestSupport
import XCTest

/// Every numeric option is range-checked: a value out of range (an overflow, inf, NaN) exits 2 naming the
/// option and its range, before anything runs; every accepted step timeout really times out.
final class OptionRangeTests: XCTestCase {
    func testOutOfRangeNumbersExitTwoNamingTheOptionAndRange() throws {
        let cases: [(arguments: [String], option: String, range: String)] = [
            (["run", "demo", "--step-timeout", "0.001"], "--step-timeout", "between 0.01 and 86400 seconds"),
            (["run", "demo", "--step-timeout", "inf"], "--step-timeout", "between 0.01 and 86400 seconds"),
            (["run", "demo", "--step-timeout", "1e300"], "--step-timeout", "between 0.01 and 86400 seconds"),
            (["run", "demo", "--step-timeout", "nan"], "--step-timeout", "between 0.01 and 86400 seconds"),
            (["serve", "--ephemeral", "--session-length-mobile-hours", "2562047788015"], "--session-length-mobile-hours",
             "between 1 and 876000"),
            (["serve", "--ephemeral", "--port", "70000"], "--port", "between 0 and 65535"),
            (["fleet", "--devices", "2", "--phase-timeout", "inf"], "--phase-timeout", "between 0.01 and 86400 seconds"),
            (["fleet", "--devices", "0"], "--devices", "between 1 and 100000"),
            (["fleet", "--devices", "2", "--concurrency=-1"], "--concurrency", "between 1 and 10000"),
            (["soak", "--minutes", "153722867280913"], "--minutes", "between 1 and 525600"),
            (["soak", "--devices", "0"], "--devices", "between 1 and 10000"),
            (["demo", "--pace=-1"], "--pace", "between 0.1 and 60 seconds"),
            (["crash-writer", "--dir", "/nonexistent", "--server", "x", "--rounds", "\(Int.max)"], "--rounds", "between 1 and"),
        ]
        for (arguments, option, range) in cases {
            let out = try BuiltBinary.run(arguments, timeoutSeconds: 30)
            XCTAssertEqual(out.status, 2, "\(arguments): \(out.stderr)")
            XCTAssertTrue(out.stderr.contains("\(option) must be \(range)"), "\(arguments): \(out.stderr)")
        }
    }

    /// The smallest accepted timeout, many times: each run ends (exit 1, the step timed out), none hangs.
    /// A step abandoned by its timeout could leave a connection the server's graceful stop waited for forever.
    func testSmallestStepTimeoutAlwaysEnds() throws {
        for attempt in 1...15 {
            let out = try BuiltBinary.run(["run", "demo/offline-messages.yaml", "demo/MM-T941.yaml", "--step-timeout", "0.01"],
                                          timeoutSeconds: 60)
            XCTAssertFalse(out.timedOut, "run \(attempt) hung")
            // A fast machine may finish a step within 10 ms: passing is fine, hanging is not.
            XCTAssertTrue([0, 1].contains(out.status), "run \(attempt): \(out.stdout)\(out.stderr)")
            if out.status == 1 {
                XCTAssertTrue(out.stdout.contains("the step to finish within 0.01 s of real time"), out.stdout)
            }
            if out.timedOut { return }
        }
    }
}
