@testable import Device
import Foundation
import XCTest
@testable import Fleet

/// `--shard I/N` and `--revoke`: deterministic, disjoint slices that cover every phone; clear refusals.
final class FleetShardTests: XCTestCase {
    func testSlicesAreContiguousDisjointAndCoverEveryPhone() throws {
        for (devices, count) in [(30, 3), (10, 3), (7, 7), (10_000, 16), (5, 1)] {
            let shards = try (1...count).map { try FleetShard(index: $0, count: count, totalDevices: devices) }
            XCTAssertEqual(shards.flatMap { Array($0.indices) }, Array(0..<devices), "\(devices) phones, \(count) shards")
            let sizes = shards.map(\.devices)
            XCTAssertLessThanOrEqual((sizes.max() ?? 0) - (sizes.min() ?? 0), 1)
        }
        let middle = try FleetShard.parse("2/3", totalDevices: 10)
        XCTAssertEqual([middle.firstPhone, middle.lastPhone], [4, 6])
        XCTAssertEqual(middle.label, "2/3")
    }

    /// A report's shard is decoded from a file: figures near Int.max give slices, not an overflow trap.
    func testHugeShardsSliceWithoutOverflow() throws {
        let huge = Int.max / 2
        let last = try FleetShard(index: huge, count: huge, totalDevices: huge)
        XCTAssertEqual([last.firstPhone, last.lastPhone], [huge, huge])
        let text = #"{"index": \#(huge), "count": \#(huge), "totalDevices": \#(huge), "firstPhone": \#(huge), "lastPhone": \#(huge)}"#
        XCTAssertEqual(try JSONDecoder().decode(FleetShard.self, from: Data(text.utf8)), last)
        let half = try FleetShard(index: 2, count: 2, totalDevices: Int.max)
        XCTAssertEqual([half.firstPhone, half.lastPhone], [Int.max / 2 + 1, Int.max])
    }

    func testBadShardsAreRefusedClearly() {
        func error(_ text: String, devices: Int = 10) -> String {
            do {
                _ = try FleetShard.parse(text, totalDevices: devices)
                return "no error"
            } catch {
                return error.description
            }
        }
        XCTAssertEqual(error("2"), "--shard expects I/N (shard I of N, e.g. 2/3), got '2'")
        XCTAssertEqual(error("a/3"), "--shard expects I/N (shard I of N, e.g. 2/3), got 'a/3'")
        XCTAssertEqual(error("1/2/3"), "--shard expects I/N (shard I of N, e.g. 2/3), got '1/2/3'")
        XCTAssertEqual(error("0/3"), "--shard 0/3: I must be from 1 to 3")
        XCTAssertEqual(error("4/3"), "--shard 4/3: I must be from 1 to 3")
        XCTAssertEqual(error("1/0"), "--shard I/N needs N of at least 1, got 0")
        XCTAssertEqual(error("1/4", devices: 3),
                       "--shard …/4 with 3 phones would leave shards without phones: use at most 3 shards")
    }

    func testRevokeModes() throws {
        let now = try XCTUnwrap(FleetRevoke.parseRFC3339("2026-11-30T17:00:00Z"))
        XCTAssertEqual(try FleetRevoke.parse("all", now: now), .all)
        XCTAssertEqual(try FleetRevoke.parse("users", now: now), .users)
        XCTAssertEqual(try FleetRevoke.parse("at=2026-11-30T18:00:00Z", now: now), .at(now.addingTimeInterval(3600)))
        XCTAssertEqual(try FleetRevoke.parse("at=2026-11-30T19:00:00.500+01:00", now: now), .at(now.addingTimeInterval(3600.5)))
        XCTAssertThrowsError(try FleetRevoke.parse("at=2026-11-30T16:59:59Z", now: now)) { error in
            XCTAssertEqual("\(error)", "--revoke at=2026-11-30T16:59:59Z is not in the future")
        }
        XCTAssertEqual(try FleetRevoke.parse("at=2026-12-01T17:00:00Z", now: now), .at(now.addingTimeInterval(24 * 3600)))
        XCTAssertThrowsError(try FleetRevoke.parse("at=2026-12-01T17:00:01Z", now: now)) { error in
            XCTAssertEqual("\(error)", "--revoke at=2026-12-01T17:00:01Z is 24.0 hours away, more than 24: is its offset right (Z is UTC)? "
                           + "Start the shards closer to it")
        }
        XCTAssertThrowsError(try FleetRevoke.parse("at=9999-12-31T23:59:59Z", now: now), "no waiting for ever")
        XCTAssertThrowsError(try FleetRevoke.parse("at=18:00", now: now)) { error in
            XCTAssertEqual("\(error)", "--revoke at=TIME expects an RFC 3339 time such as 2026-11-30T18:00:00Z, got '18:00'")
        }
        XCTAssertThrowsError(try FleetRevoke.parse("some", now: now)) { error in
            XCTAssertEqual("\(error)", "--revoke expects all, users or at=TIME, got 'some'")
        }
    }

    func testTooFewFilesForAShardAsksForMoreShards() {
        let shard = TooFewOpenFiles(devices: 30_000, needed: 30_256, limit: 20_000, perPhone: 1, sharded: true)
        XCTAssertTrue(shard.description.contains("use more shards (at most 19744 phones each)"), shard.description)
        let whole = TooFewOpenFiles(devices: 30_000, needed: 30_256, limit: 20_000, perPhone: 1)
        XCTAssertTrue(whole.description.contains("use --devices 19744 or fewer"), whole.description)
        let none = TooFewOpenFiles(devices: 1, needed: 257, limit: 200, perPhone: 1)
        XCTAssertTrue(none.description.contains("not even one phone fits beside the 256 files kept spare"), none.description)
        XCTAssertFalse(none.description.contains("--devices 1 or fewer"), none.description)
    }
}
