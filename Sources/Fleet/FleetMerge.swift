import Foundation

/// One merged report, as a row of the merge's table.
public struct FleetShardSummary: Sendable, Codable, Equatable {
    /// The file it came from.
    public var source: String
    /// `I/N`, when it was a shard.
    public var shard: String?
    public var devices: Int
    public var revocationsDetected: Int
    public var missed: Int
    public var wrongLogouts: Int
    public var wallSeconds: Double
    public var passed: Bool

    var name: String { shard.map { "shard \($0) (\(source))" } ?? source }
    /// Phones that did not end as they should have.
    var failures: Int { missed + wrongLogouts }

    static func table(_ rows: [FleetShardSummary]) -> [String] {
        rows.map { row in
            String(format: "  %@: %d phones, detected %d, missed %d, wrong %d, %.2f s, %@", row.name, row.devices,
                   row.revocationsDetected, row.missed, row.wrongLogouts, row.wallSeconds, row.passed ? "PASS" : "FAIL")
        }
    }
}

/// A report that cannot be merged: which file, and what is wrong with it.
public struct FleetMergeError: Error, Equatable, CustomStringConvertible {
    public var file: String?
    public var message: String
    public var description: String { file.map { "\($0): error: \(message)" } ?? "error: \(message)" }
}

/// `mmsim fleet merge`: the reports of several fleet processes (shards, usually on several machines) as one
/// report of the same shape. Counts and CPU add up; latencies merge by their histograms (so percentiles are of
/// all phones together); wall time and peak memory are the largest (the processes ran side by side); per-phone
/// memory is the mean over all phones. The worst report is the one with most phones not detected, then the slowest.
public enum FleetMerge {
    public static func load(_ path: String) throws(FleetMergeError) -> FleetReport {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw FleetMergeError(file: path, message: "cannot read the file")
            }
            data = contents
        }
        do {
            return try JSONDecoder().decode(FleetReport.self, from: data)
        } catch let error as DecodingError {
            throw FleetMergeError(file: path, message: "not a fleet report (mmsim fleet --json): \(describe(error))")
        } catch {
            throw FleetMergeError(file: path, message: "not JSON: \(error.localizedDescription)")
        }
    }

    public static func merge(_ inputs: [(source: String, report: FleetReport)]) throws(FleetMergeError) -> FleetReport {
        guard var merged = inputs.first?.report else { throw FleetMergeError(message: "no reports to merge") }
        try checkShards(inputs)
        let names = merged.phases.map(\.name)
        for (source, report) in inputs where report.phases.map(\.name) != names {
            throw FleetMergeError(file: source, message: "its phases \(report.phases.map(\.name)) differ from \(names) in \(inputs[0].source)")
        }
        let reports = inputs.map(\.report)
        let devices = reports.reduce(0) { $0 + $1.devices }
        func sum(_ value: (FleetReport) -> Int) -> Int { reports.reduce(0) { $0 + value($1) } }
        func perPhone(_ value: (FleetReport) -> Int) -> Int {
            devices == 0 ? 0 : reports.reduce(0) { $0 + value($1) * $1.devices } / devices
        }
        func same(_ value: (FleetReport) -> String?) -> String? {
            let values = Set(reports.map(value))
            return values.count == 1 ? values.first ?? nil : values.compactMap { $0 }.sorted().joined(separator: ", ")
        }

        merged.devices = devices
        merged.server = same { $0.server } ?? ""
        merged.revoke = same { $0.revoke }
        merged.concurrency = sum(\.concurrency)
        merged.openFilesLimit = reports.map(\.openFilesLimit).min() ?? 0
        merged.setupSeconds = reports.map(\.setupSeconds).max() ?? 0
        merged.phases = names.indices.map { index in mergePhase(reports.map { $0.phases[index] }) }
        merged.wallSeconds = reports.map(\.wallSeconds).max() ?? 0
        merged.peakRSSBytes = reports.map(\.peakRSSBytes).max() ?? 0
        merged.rssPerIdlePhoneBytes = perPhone(\.rssPerIdlePhoneBytes)
        merged.rssPerOfflinePhoneBytes = perPhone(\.rssPerOfflinePhoneBytes)
        merged.sqlitePerIdlePhoneBytes = perPhone(\.sqlitePerIdlePhoneBytes)
        merged.cpuSeconds = reports.reduce(0) { $0 + $1.cpuSeconds }
        merged.cpuMillisPerPhone = devices == 0 ? 0 : merged.cpuSeconds * 1000 / Double(devices)
        let serverCPU = reports.compactMap(\.serverCPUSeconds)
        merged.serverCPUSeconds = serverCPU.count == reports.count ? serverCPU.reduce(0, +) : nil
        merged.revocationsDetected = sum(\.revocationsDetected)
        merged.missed = sum(\.missed)
        merged.wrongLogouts = sum(\.wrongLogouts)
        let summaries = inputs.map { source, report in
            FleetShardSummary(source: source, shard: report.shard?.label, devices: report.devices,
                              revocationsDetected: report.revocationsDetected, missed: report.missed,
                              wrongLogouts: report.wrongLogouts, wallSeconds: report.wallSeconds, passed: report.passed)
        }
        let problems = zip(summaries, reports).flatMap { summary, report in report.problems.map { "\(summary.name): \($0)" } }
        let shown = Array(problems.prefix(10))
        merged.problems = shown + (problems.count > shown.count ? ["… and \(problems.count - shown.count) more"] : [])
        let memories = reports.compactMap(\.serverMemory)
        merged.serverMemory = memories.count == reports.count && devices > 0 ? FleetServerMemory(
            residentIdleBytes: memories.reduce(0) { $0 + $1.residentIdleBytes },
            peakBytes: memories.reduce(0) { $0 + $1.peakBytes },
            perIdlePhoneBytes: zip(memories, reports).reduce(0) { $0 + $1.0.perIdlePhoneBytes * $1.1.devices } / devices) : nil
        merged.shard = nil
        merged.shards = summaries.sorted { ($0.shard.flatMap(shardIndex) ?? 0, $0.source) < ($1.shard.flatMap(shardIndex) ?? 0, $1.source) }
        let worst = summaries.max { ($0.failures, $0.wallSeconds) < ($1.failures, $1.wallSeconds) }
        merged.worstShard = worst.map { String(format: "%@: missed %d, wrong %d, %.2f s", $0.name, $0.missed, $0.wrongLogouts, $0.wallSeconds) }
        return merged
    }

    static func mergePhase(_ phases: [FleetPhaseReport]) -> FleetPhaseReport {
        var merged = phases[0]
        merged.phones = phases.reduce(0) { $0 + $1.phones }
        merged.loggedIn = phases.reduce(0) { $0 + $1.loggedIn }
        merged.revocationsDetected = phases.reduce(0) { $0 + $1.revocationsDetected }
        merged.latency = phases.dropFirst().reduce(phases[0].latency) { FleetLatency.merged($0, $1.latency) }
        merged.requests = phases.reduce(0) { $0 + $1.requests }
        merged.wallSeconds = phases.map(\.wallSeconds).max() ?? 0
        merged.peakRSSBytes = phases.map(\.peakRSSBytes).max() ?? 0
        return merged
    }

    /// Shards of one run: one N, one total, every shard 1…N exactly once. Unsharded reports merge as they are.
    static func checkShards(_ inputs: [(source: String, report: FleetReport)]) throws(FleetMergeError) {
        let sharded = inputs.filter { $0.report.shard != nil }
        guard !sharded.isEmpty else { return }
        if let plain = inputs.first(where: { $0.report.shard == nil }) {
            throw FleetMergeError(file: plain.source, message: "not a shard (no --shard), while \(sharded[0].source) is one")
        }
        guard let first = inputs[0].report.shard else { return }
        var seen: [Int: String] = [:]
        for (source, report) in inputs {
            guard let shard = report.shard else { continue }
            guard shard.count == first.count, shard.totalDevices == first.totalDevices else {
                throw FleetMergeError(file: source, message: "shard \(shard.label) of \(shard.totalDevices) phones does not belong "
                                      + "with shard \(first.label) of \(first.totalDevices) phones (\(inputs[0].source))")
            }
            guard report.devices == shard.devices else {
                throw FleetMergeError(file: source, message: "shard \(shard.label) counts \(report.devices) phones, its slice has \(shard.devices)")
            }
            if let other = seen[shard.index] {
                throw FleetMergeError(file: source, message: "shard \(shard.label) is also in \(other)")
            }
            seen[shard.index] = source
        }
        let missing = (1...first.count).filter { seen[$0] == nil }
        guard missing.isEmpty else {
            let list = missing.map { "\($0)/\(first.count)" }.joined(separator: ", ")
            throw FleetMergeError(file: nil, message: "missing shard\(missing.count == 1 ? "" : "s") \(list): their phones would go uncounted")
        }
    }

    static func shardIndex(_ label: String) -> Int? { label.split(separator: "/").first.flatMap { Int($0) } }

    /// A decoding error in a line: what is wrong, and where in the report.
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return keys.isEmpty ? "at the top" : "at \(keys.hasPrefix(".") ? String(keys.dropFirst()) : keys)"
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing '\(key.stringValue)' \(path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return "wrong type \(path(context))"
        case .dataCorrupted(let context): return "\(context.debugDescription) \(path(context))"
        @unknown default: return "\(error)"
        }
    }
}
