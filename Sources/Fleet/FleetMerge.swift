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
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                throw FleetMergeError(file: path, message: "is a directory: give the report files (e.g. \(path)/shard-*.json)")
            }
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw FleetMergeError(file: path, message: "cannot read the file")
            }
            data = contents
        }
        do {
            let report = try JSONDecoder().decode(FleetReport.self, from: data)
            if let problem = outOfRange(report) { throw FleetMergeError(file: path, message: "not a fleet report (mmsim fleet --json): \(problem)") }
            return report
        } catch let error as FleetMergeError {
            throw error
        } catch let error as DecodingError {
            // Valid JSON with a value no field can hold (a negative count) is not "cut short".
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty,
               (try? JSONSerialization.jsonObject(with: data)) != nil {
                throw FleetMergeError(file: path, message: "not a fleet report (mmsim fleet --json): \(context.debugDescription)")
            }
            throw FleetMergeError(file: path, message: "not a fleet report (mmsim fleet --json): \(describe(error))")
        } catch {
            throw FleetMergeError(file: path, message: "not JSON: \(error.localizedDescription)")
        }
    }

    public static func merge(_ inputs: [(source: String, report: FleetReport)]) throws(FleetMergeError) -> FleetReport {
        guard var merged = inputs.first?.report else { throw FleetMergeError(message: "no reports to merge") }
        try checkDistinct(inputs.map(\.source))
        try checkShards(inputs)
        let names = merged.phases.map(\.name)
        for (source, report) in inputs where report.phases.map(\.name) != names {
            throw FleetMergeError(file: source, message: "its phases \(report.phases.map(\.name)) differ from \(names) in \(inputs[0].source)")
        }
        let reports = inputs.map(\.report)
        let devices = reports.reduce(0) { $0 + $1.devices }
        func sum(_ value: (FleetReport) -> Int) -> Int { reports.reduce(0) { $0 + value($1) } }
        func perPhone(_ value: (FleetReport) -> Int) -> Int {
            devices == 0 ? 0 : Int(reports.reduce(0.0) { $0 + Double(value($1)) * Double($1.devices) } / Double(devices))
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
            perIdlePhoneBytes: Int(zip(memories, reports).reduce(0.0) { $0 + Double($1.0.perIdlePhoneBytes) * Double($1.1.devices) }
                                   / Double(devices))) : nil
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

    /// The same file twice would count its phones twice (shards are caught by their numbers, unsharded reports not).
    static func checkDistinct(_ sources: [String]) throws(FleetMergeError) {
        var seen: [String: String] = [:]
        for source in sources where source != "-" {
            let key = URL(fileURLWithPath: source).resolvingSymlinksInPath().standardizedFileURL.path
            if let other = seen[key] {
                throw FleetMergeError(file: source, message: "given twice (also as \(other)): its phones would count twice")
            }
            seen[key] = source
        }
    }

    /// Bounds that keep sums and means finite and in range, whatever the file says: a report's counts are
    /// 0…`FleetHistogram.maxReportCount`, its seconds 0…1e9. Nil when every figure is within them.
    static func outOfRange(_ report: FleetReport) -> String? {
        var counts: [(String, Int)] = [
            ("devices", report.devices), ("concurrency", report.concurrency), ("openFilesLimit", report.openFilesLimit),
            ("peakRSSBytes", report.peakRSSBytes), ("rssPerIdlePhoneBytes", report.rssPerIdlePhoneBytes),
            ("rssPerOfflinePhoneBytes", report.rssPerOfflinePhoneBytes), ("sqlitePerIdlePhoneBytes", report.sqlitePerIdlePhoneBytes),
            ("revocationsDetected", report.revocationsDetected), ("missed", report.missed), ("wrongLogouts", report.wrongLogouts),
        ]
        var seconds: [(String, Double)] = [("setupSeconds", report.setupSeconds), ("wallSeconds", report.wallSeconds),
                                           ("cpuSeconds", report.cpuSeconds), ("cpuMillisPerPhone", report.cpuMillisPerPhone)]
        if let cpu = report.serverCPUSeconds { seconds.append(("serverCPUSeconds", cpu)) }
        if let memory = report.serverMemory {
            counts += [("serverMemory.residentIdleBytes", memory.residentIdleBytes), ("serverMemory.peakBytes", memory.peakBytes),
                       ("serverMemory.perIdlePhoneBytes", memory.perIdlePhoneBytes)]
        }
        for (index, phase) in report.phases.enumerated() {
            let at = "phases[\(index)]."
            counts += [(at + "phones", phase.phones), (at + "loggedIn", phase.loggedIn),
                       (at + "revocationsDetected", phase.revocationsDetected), (at + "requests", phase.requests),
                       (at + "peakRSSBytes", phase.peakRSSBytes)]
            seconds.append((at + "wallSeconds", phase.wallSeconds))
            if let latency = phase.latency {
                seconds.append((at + "latency.max", latency.max / 1000))
                if latency.count != latency.histogram.count {
                    return "'\(at)latency.count' is \(latency.count), but its histogram holds \(latency.histogram.count)"
                }
            }
        }
        if let (name, value) = counts.first(where: { !(0...FleetHistogram.maxReportCount).contains($0.1) }) {
            return "'\(name)' is \(value), expected 0…\(FleetHistogram.maxReportCount)"
        }
        if let (name, value) = seconds.first(where: { !(0...1e9).contains($0.1) }) {
            return "'\(name)' is \(value), expected 0…1e9"
        }
        return nil
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
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            // JSONSerialization's own words say where; a report cut short ends in the middle of a value.
            return "not valid JSON (cut short?): \((context.underlyingError as NSError?)?.localizedDescription ?? context.debugDescription)"
        case .dataCorrupted(let context): return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
