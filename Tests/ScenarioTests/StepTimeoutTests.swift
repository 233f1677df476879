import Foundation
import XCTest
@testable import Scenario

/// A step's real-time cap always ends the run: the teardown after an abandoned step is capped too (a login
/// abandoned mid-flight could open a WebSocket after the phones shut down, and the server's graceful stop
/// waited for it forever).
final class StepTimeoutTests: XCTestCase {
    func testTinyTimeoutsNeverHangTheRun() async throws {
        let outcome = ScenarioLoader.load([Repo.demo("offline-messages.yaml")], substitution: Substitution(), embedded: true,
                                          allowLongWaits: false)
        XCTAssertEqual(outcome.errors, [])
        for attempt in 1...40 {
            let runner = ScenarioRunner(options: RunOptions(stepTimeoutSeconds: 0.001))
            // Far above the runner's own teardown cap: only a hang gets here.
            let result = await RealTimeCap.run(seconds: ScenarioRunner.teardownSeconds + 20) { await runner.run(outcome.scenarios) }
            let run = try XCTUnwrap(result, "attempt \(attempt) hung")
            XCTAssertEqual(run.failed, 1, "a 1 ms cap fails a step")
        }
    }
}
