import XCTest
@testable import Scenario

/// A small soak in virtual time: random actions, every invariant holds, and it is quick.
final class SoakTests: XCTestCase {
    func testSmallSoakHoldsEveryInvariant() async throws {
        let options = SoakOptions(devices: 10, minutes: 10, seed: 42)
        let report = try await SoakRunner.run(options)
        XCTAssertTrue(report.passed, report.text())
        XCTAssertEqual(report.falseLogouts, 0, report.text())
        XCTAssertEqual(report.missedRevocations, 0, report.text())
        XCTAssertEqual(report.lost, 0, report.text())
        XCTAssertEqual(report.duplicated, 0, report.text())
        XCTAssertEqual(report.wrongAuthor, 0, report.text())
        XCTAssertGreaterThan(report.actions, 10)
        XCTAssertGreaterThan(report.composed, 0)
        XCTAssertTrue(report.summary.hasPrefix("soak: 10 phones, 10 simulated minutes, seed 42: "), report.summary)
        XCTAssertTrue(report.summary.contains("0 false logouts, 0 missed revocations, 0 lost, 0 duplicated, 0 wrong author"),
                      report.summary)
    }

    /// More messages than one page of a channel (60): the final check reads every page.
    func testASoakOfMoreThanAPageOfMessagesLosesNone() async throws {
        let report = try await SoakRunner.run(SoakOptions(devices: 20, minutes: 60, seed: 1))
        XCTAssertGreaterThan(report.composed, 60, "more than a page of messages, or this tests nothing")
        XCTAssertEqual(report.lost, 0, report.text())
        XCTAssertTrue(report.passed, report.text())
    }
}
