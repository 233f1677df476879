import Scenario
import XCTest

/// `mmsim demo --pace S`: a captioned step takes S seconds from its caption to the next step, whatever it cost to run.
final class DemoPaceTests: XCTestCase {
    func testACaptionedStepTakesThePaceItsRunTimeIncluded() {
        var pace = DemoPace(seconds: 3)
        let captionAlone = pace.stepStarts(at: 10, captioned: true)
        XCTAssertEqual(captionAlone, 11, accuracy: 1e-9, "the caption alone for a third")
        // The step ran for 0.4 s after the caption: its result shows until the step's 3 s are up.
        XCTAssertEqual(pace.resultShows(from: 11.4, captioned: true), 13, accuracy: 1e-9)
    }

    func testAStepWithoutACaptionTakesHalfThePaceAndShowsNothingAlone() {
        var pace = DemoPace(seconds: 4)
        XCTAssertEqual(pace.stepStarts(at: 0, captioned: false), 0)
        XCTAssertEqual(pace.resultShows(from: 0.5, captioned: false), 2, accuracy: 1e-9)
    }

    func testASlowStepStillShowsItsResultForAThird() {
        var pace = DemoPace(seconds: 3)
        _ = pace.stepStarts(at: 0, captioned: true)
        XCTAssertEqual(pace.resultShows(from: 5, captioned: true), 6, accuracy: 1e-9)
    }

    func testAPauseKeepsTheStepsTimeAndASkipEndsIt() {
        var pace = DemoPace(seconds: 3)
        _ = pace.stepStarts(at: 0, captioned: true)
        pace.paused(for: 10)
        XCTAssertEqual(pace.resultShows(from: 11, captioned: true), 13, accuracy: 1e-9)
        pace.skip(at: 11.5)
        XCTAssertEqual(pace.resultShows(from: 11.5, captioned: true), 12.5, accuracy: 1e-9, "the result still shows a third")
        XCTAssertEqual(pace.resultShows(from: 11.5, captioned: false), 11.5, accuracy: 1e-9)
    }
}
