import Foundation
import XCTest
@testable import Fleet

/// The latency histogram: fixed buckets, so reports of separate processes merge by adding counts.
final class FleetHistogramTests: XCTestCase {
    func testPercentilesAreWithinABucketOfTheExactOnes() throws {
        let latency = try XCTUnwrap(FleetLatency(nanoseconds: (1...100).map { UInt64($0) * 1_000_000 }))
        XCTAssertEqual(latency.count, 100)
        XCTAssertEqual(latency.max, 100, "the maximum is exact")
        for (value, exact) in [(latency.p50, 50.0), (latency.p95, 95.0), (latency.p99, 99.0)] {
            XCTAssertEqual(value, exact, accuracy: exact / 64, "half a bucket (1/32 of the octave) at most")
        }
        XCTAssertLessThanOrEqual(latency.p50, latency.p95)
        XCTAssertLessThanOrEqual(latency.p99, latency.max)
        XCTAssertNil(FleetLatency(nanoseconds: []))
    }

    func testSmallValuesHaveMicrosecondBuckets() throws {
        let latency = try XCTUnwrap(FleetLatency(nanoseconds: [5_000, 7_000, 7_400, 40_000]))
        XCTAssertEqual(latency.histogram.buckets.map(\.from), [5, 7, 40])
        XCTAssertEqual(latency.histogram.buckets.map(\.count), [1, 2, 1])
        XCTAssertEqual(latency.p50, 0.007)
    }

    func testEveryBucketStartIsItsOwnStartAndWidthsAreAtMostAThirtySecond() {
        for value: UInt64 in [0, 1, 63, 64, 65, 127, 128, 1_000, 65_535, 1_000_000, 123_456_789] {
            let start = FleetHistogram.bucketStart(ofMicros: value)
            XCTAssertLessThanOrEqual(start, value)
            XCTAssertEqual(FleetHistogram.bucketStart(ofMicros: start), start)
            XCTAssertLessThan(value - start, FleetHistogram.bucketWidth(ofMicros: value))
            XCTAssertLessThanOrEqual(Double(FleetHistogram.bucketWidth(ofMicros: value)), max(1, Double(value) / 32))
        }
    }

    func testTheMergeOfTwoIsTheHistogramOfTheUnion() throws {
        var random = SystemRandomNumberGenerator()
        let a = (0..<500).map { _ in UInt64.random(in: 100_000...900_000_000, using: &random) }
        let b = (0..<300).map { _ in UInt64.random(in: 1_000...50_000_000, using: &random) }
        let merged = try XCTUnwrap(FleetLatency.merged(FleetLatency(nanoseconds: a), FleetLatency(nanoseconds: b)))
        let union = try XCTUnwrap(FleetLatency(nanoseconds: a + b))
        XCTAssertEqual(merged, union)
        XCTAssertEqual(merged.count, 800)
        XCTAssertEqual(FleetLatency.merged(nil, union), union)
        XCTAssertNil(FleetLatency.merged(nil, nil))
    }

    func testJSONRoundTripAndShape() throws {
        let latency = try XCTUnwrap(FleetLatency(nanoseconds: [3_000_000, 3_000_100, 90_000_000]))
        let data = try JSONEncoder().encode(latency)
        XCTAssertEqual(try JSONDecoder().decode(FleetLatency.self, from: data), latency)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let histogram = try XCTUnwrap(object["histogram"] as? [String: Any])
        XCTAssertEqual(histogram["scheme"] as? String, "log-linear-us-32")
        XCTAssertEqual(histogram["buckets"] as? [[Int]], [[2944, 2], [88064, 1]])
    }

    func testBadHistogramsAreRefused() {
        for text in [#"{"scheme": "hdr", "buckets": []}"#, #"{"scheme": "log-linear-us-32", "buckets": [[65, 1]]}"#,
                     #"{"scheme": "log-linear-us-32", "buckets": [[64, 0]]}"#, #"{"scheme": "log-linear-us-32", "buckets": [[64]]}"#] {
            XCTAssertThrowsError(try JSONDecoder().decode(FleetHistogram.self, from: Data(text.utf8)), text)
        }
    }
}
