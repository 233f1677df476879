import Foundation
import XCTest
@testable import Fleet

/// `mmsim fleet merge`: reports of separate processes as one, of the same shape.
final class FleetMergeTests: XCTestCase {
    /// A shard's report as `mmsim fleet --shard I/N --json` writes it, with made-up figures.
    func shardReport(_ index: Int, of count: Int, devices total: Int, missed: Int = 0, wall: Double = 1,
                     reconnectMillis: [UInt64]) throws -> FleetReport {
        let shard = try FleetShard(index: index, count: count, totalDevices: total)
        let phones = shard.devices
        func phase(_ name: String, latency: [UInt64]) -> FleetPhaseReport {
            FleetPhaseReport(name: name, phones: phones, loggedIn: name == "login" ? phones : 0,
                             revocationsDetected: name == "reconnect" ? phones - missed : 0,
                             latency: FleetLatency(nanoseconds: latency.map { $0 * 1_000_000 }),
                             requests: name == "revoke" ? 1 + 2 * phones : phones * 4, wallSeconds: wall / 4,
                             peakRSSBytes: 1000 * index)
        }
        return FleetReport(devices: phones, server: "http://127.0.0.1:8065", concurrency: 64, seed: 1, openFilesLimit: 20_000 - index,
                           setupSeconds: 0.1 * Double(index),
                           phases: [phase("login", latency: reconnectMillis.map { $0 * 2 }), phase("offline", latency: []),
                                    phase("revoke", latency: []), phase("reconnect", latency: reconnectMillis)],
                           wallSeconds: wall, peakRSSBytes: 1000 * index, rssPerIdlePhoneBytes: 100 * index,
                           rssPerOfflinePhoneBytes: 50, sqlitePerIdlePhoneBytes: 0, cpuSeconds: 0.5, cpuMillisPerPhone: 0.5 * 1000 / Double(phones),
                           revocationsDetected: phones - missed, missed: missed, wrongLogouts: 0,
                           problems: (0..<missed).map { "phone-\(shard.firstPhone + $0): still logged in after reconnecting" },
                           serverMemory: nil, shard: shard, revoke: "users")
    }

    func testMergedTotalsAreTheSumsAndPercentilesComeFromTheMergedHistogram() throws {
        let a = try shardReport(1, of: 3, devices: 30, wall: 2, reconnectMillis: Array(1...10))
        let b = try shardReport(2, of: 3, devices: 30, missed: 2, wall: 1.5, reconnectMillis: Array(11...18))
        let c = try shardReport(3, of: 3, devices: 30, wall: 3, reconnectMillis: Array(19...28))
        let merged = try FleetMerge.merge([("c.json", c), ("a.json", a), ("b.json", b)])
        XCTAssertEqual(merged.devices, 30)
        XCTAssertEqual(merged.revocationsDetected, 28)
        XCTAssertEqual(merged.missed, 2)
        XCTAssertFalse(merged.passed)
        XCTAssertEqual(merged.phases.map(\.name), ["login", "offline", "revoke", "reconnect"])
        XCTAssertEqual(merged.phases.map(\.phones), [30, 30, 30, 30])
        XCTAssertEqual(merged.phases[2].requests, a.phases[2].requests + b.phases[2].requests + c.phases[2].requests)
        let reconnect = try XCTUnwrap(merged.phases[3].latency)
        XCTAssertEqual(reconnect, FleetLatency(nanoseconds: (1...28).map { UInt64($0) * 1_000_000 }))
        XCTAssertEqual(reconnect.max, 28)
        XCTAssertEqual(merged.wallSeconds, 3, "side by side: as long as the slowest")
        XCTAssertEqual(merged.cpuSeconds, 1.5)
        XCTAssertEqual(merged.concurrency, 192)
        XCTAssertEqual(merged.openFilesLimit, 19_997)
        XCTAssertEqual(merged.rssPerIdlePhoneBytes, 200, "the mean over all phones")
        XCTAssertNil(merged.shard)
        XCTAssertEqual(merged.shards?.map(\.shard), ["1/3", "2/3", "3/3"])
        XCTAssertEqual(merged.worstShard, "shard 2/3 (b.json): missed 2, wrong 0, 1.50 s")
        XCTAssertEqual(merged.problems.first, "shard 2/3 (b.json): phone-11: still logged in after reconnecting")
        XCTAssertEqual(merged.revoke, "users")
        XCTAssertTrue(merged.text().contains("merge of 3 reports: 30 phones"), merged.text())

        let decoded = try JSONDecoder().decode(FleetReport.self, from: merged.json())
        XCTAssertEqual(decoded, merged, "the same shape as one fleet's report, so a merge merges again")
        let again = try FleetMerge.merge([("merged.json", decoded)])
        XCTAssertEqual(again.devices, 30)
    }

    func testWithoutProblemsTheWorstIsTheSlowest() throws {
        let merged = try FleetMerge.merge([
            ("a.json", try shardReport(1, of: 2, devices: 4, wall: 2, reconnectMillis: [1, 2])),
            ("b.json", try shardReport(2, of: 2, devices: 4, wall: 5, reconnectMillis: [3, 4])),
        ])
        XCTAssertTrue(merged.passed, merged.text())
        XCTAssertEqual(merged.worstShard, "shard 2/2 (b.json): missed 0, wrong 0, 5.00 s")
    }

    func testShardsMustAllBeThereOnceAndBelongTogether() throws {
        let one = try shardReport(1, of: 3, devices: 30, reconnectMillis: [1])
        let two = try shardReport(2, of: 3, devices: 30, reconnectMillis: [1])
        let three = try shardReport(3, of: 3, devices: 30, reconnectMillis: [1])
        func error(_ inputs: [(String, FleetReport)]) -> String {
            do {
                _ = try FleetMerge.merge(inputs.map { (source: $0.0, report: $0.1) })
                return "no error"
            } catch {
                return error.description
            }
        }
        XCTAssertEqual(error([("a.json", one), ("c.json", three)]),
                       "error: missing shard 2/3: their phones would go uncounted")
        XCTAssertEqual(error([("a.json", one), ("b.json", two), ("c.json", three), ("d.json", two)]),
                       "d.json: error: shard 2/3 is also in b.json")
        var unsharded = two
        unsharded.shard = nil
        XCTAssertEqual(error([("a.json", one), ("b.json", unsharded)]),
                       "b.json: error: not a shard (no --shard), while a.json is one")
        let otherRun = try shardReport(2, of: 3, devices: 60, reconnectMillis: [1])
        XCTAssertEqual(error([("a.json", one), ("b.json", otherRun), ("c.json", three)]),
                       "b.json: error: shard 2/3 of 60 phones does not belong with shard 1/3 of 30 phones (a.json)")
        XCTAssertEqual(error([]), "error: no reports to merge")
    }

    func testUnreadableAndMalformedFilesSayWhichAndWhat() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mmsim-merge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        func write(_ name: String, _ text: String) throws -> String {
            let url = folder.appendingPathComponent(name)
            try text.write(to: url, atomically: true, encoding: .utf8)
            return url.path
        }
        func error(_ path: String) -> String {
            do {
                _ = try FleetMerge.load(path)
                return "no error"
            } catch {
                return error.description
            }
        }
        let missing = folder.appendingPathComponent("none.json").path
        XCTAssertEqual(error(missing), "\(missing): error: cannot read the file")
        let garbage = try write("garbage.json", "not json")
        XCTAssertTrue(error(garbage).hasPrefix("\(garbage): error: not a fleet report (mmsim fleet --json): "), error(garbage))
        var report = try JSONSerialization.jsonObject(with: try shardReport(1, of: 1, devices: 2, reconnectMillis: [1]).json()) as? [String: Any]
        report?["devices"] = nil
        let noDevices = try write("nodevices.json", String(decoding: try JSONSerialization.data(withJSONObject: report ?? [:]), as: UTF8.self))
        XCTAssertEqual(error(noDevices), "\(noDevices): error: not a fleet report (mmsim fleet --json): missing 'devices' at the top")
    }

    /// A hostile or hand-edited report is refused with its file and field named: never a crash, never a merge
    /// whose sums overflow or whose JSON cannot be written.
    func testHostileReportsAreRefusedNotCrashedOn() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mmsim-merge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let good = try JSONSerialization.jsonObject(with: try shardReport(1, of: 3, devices: 30, reconnectMillis: [1, 2]).json())
        func error(_ name: String, _ edit: (inout [String: Any]) -> Void) throws -> String {
            var report = try XCTUnwrap(good as? [String: Any])
            edit(&report)
            let url = folder.appendingPathComponent(name)
            try JSONSerialization.data(withJSONObject: report).write(to: url)
            do {
                _ = try FleetMerge.load(url.path)
                return "no error"
            } catch {
                return error.description.replacingOccurrences(of: folder.path + "/", with: "")
            }
        }
        let prefix = "error: not a fleet report (mmsim fleet --json): "
        XCTAssertEqual(try error("zero.json") { $0["shard"] = ["index": 1, "count": 0, "totalDevices": 0, "firstPhone": 1, "lastPhone": 10] },
                       "zero.json: \(prefix)at shard.index: --shard I/N needs N of at least 1, got 0")
        XCTAssertEqual(try error("five.json") { $0["shard"] = ["index": 5, "count": 3, "totalDevices": 30, "firstPhone": 41, "lastPhone": 50] },
                       "five.json: \(prefix)at shard.index: --shard 5/3: I must be from 1 to 3")
        XCTAssertEqual(try error("slice.json") { $0["shard"] = ["index": 1, "count": 3, "totalDevices": 30, "firstPhone": 1, "lastPhone": 30] },
                       "slice.json: \(prefix)at shard.firstPhone: shard 1/3 of 30 phones runs phones 1–10, not 1–30")
        XCTAssertEqual(try error("overflow.json") { report in
            var phases = report["phases"] as? [[String: Any]] ?? []
            var latency = phases[3]["latency"] as? [String: Any] ?? [:]
            latency["histogram"] = ["scheme": FleetHistogram.scheme, "buckets": [[64, Int.max], [64, 1]]]
            phases[3]["latency"] = latency
            report["phases"] = phases
        }, "overflow.json: \(prefix)at phases[3].latency.histogram.buckets: buckets must be [fromMicros, count] pairs at bucket "
           + "starts of the scheme, counts above 0 and 1099511627776 at most in all")
        XCTAssertEqual(try error("cpu.json") { $0["cpuSeconds"] = 1e308 }, "cpu.json: \(prefix)'cpuSeconds' is 1e+308, expected 0…1e9")
        XCTAssertEqual(try error("devices.json") { $0["devices"] = Int.max },
                       "devices.json: \(prefix)'devices' is \(Int.max), expected 0…1099511627776")
        XCTAssertEqual(try error("requests.json") { report in
            var phases = report["phases"] as? [[String: Any]] ?? []
            phases[0]["requests"] = -1
            report["phases"] = phases
        }, "requests.json: \(prefix)'phases[0].requests' is -1, expected 0…1099511627776")
        XCTAssertEqual(try error("count.json") { report in
            var phases = report["phases"] as? [[String: Any]] ?? []
            var latency = phases[3]["latency"] as? [String: Any] ?? [:]
            latency["count"] = -1
            phases[3]["latency"] = latency
            report["phases"] = phases
        }, "count.json: \(prefix)'phases[3].latency.count' is -1, but its histogram holds 2")
        let negative = try error("negative.json") { report in
            var phases = report["phases"] as? [[String: Any]] ?? []
            var latency = phases[3]["latency"] as? [String: Any] ?? [:]
            latency["histogram"] = ["scheme": FleetHistogram.scheme, "buckets": [[-64, 1]]]
            phases[3]["latency"] = latency
            report["phases"] = phases
        }
        XCTAssertTrue(negative.hasPrefix("negative.json: \(prefix)"), negative)
        XCTAssertFalse(negative.contains("cut short"), "valid JSON is not called cut short: \(negative)")
        XCTAssertEqual(try error("fine.json") { _ in }, "no error")

        let cut = folder.appendingPathComponent("cut.json")
        try shardReport(1, of: 1, devices: 2, reconnectMillis: [1]).json().prefix(300).write(to: cut)
        XCTAssertThrowsError(try FleetMerge.load(cut.path)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(cut.path): error: not a fleet report (mmsim fleet --json): not valid JSON (cut short?): "),
                          "\(error)")
        }
        XCTAssertThrowsError(try FleetMerge.load(folder.path)) { error in
            XCTAssertEqual("\(error)", "\(folder.path): error: is a directory: give the report files (e.g. \(folder.path)/shard-*.json)")
        }
    }

    func testTheSameFileTwiceIsRefused() throws {
        let report = try shardReport(1, of: 1, devices: 2, reconnectMillis: [1])
        var plain = report
        plain.shard = nil
        XCTAssertThrowsError(try FleetMerge.merge([("/tmp/a.json", plain), ("/tmp/b.json", plain), ("/tmp/./a.json", plain)])) { error in
            XCTAssertEqual("\(error)", "/tmp/./a.json: error: given twice (also as /tmp/a.json): its phones would count twice")
        }
        XCTAssertEqual(try FleetMerge.merge([("/tmp/a.json", plain), ("/tmp/b.json", plain)]).devices, 4,
                       "two runs' reports with the same figures are two runs")
    }
}
