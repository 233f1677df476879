import Foundation

/// What one phase of a fleet run did. `latency` is per phone: login = submit → live (logged in, WebSocket
/// open); reconnect = airplane-off → login screen, the detection latency. Offline and revoke have none.
public struct FleetPhaseReport: Sendable, Codable, Equatable {
    public var name: String
    public var phones: Int
    /// Phones logged in with the WebSocket open at the end of the phase.
    public var loggedIn: Int
    /// Phones showing "session revoked" at the end of the phase.
    public var revocationsDetected: Int
    public var latency: FleetLatency?
    /// HTTP requests sent during the phase (phones, and the admin's in `revoke`).
    public var requests: Int
    public var wallSeconds: Double
    public var peakRSSBytes: Int
}

/// The child server process's memory: resident (heap trimmed) with every phone idle, and its peak.
public struct FleetServerMemory: Sendable, Codable, Equatable {
    public var residentIdleBytes: Int
    public var peakBytes: Int
    /// (resident with every phone idle − before the logins) / devices: sessions, WebSocket ends, users' rows.
    public var perIdlePhoneBytes: Int
}

public struct FleetReport: Sendable, Codable, Equatable {
    public var devices: Int
    public var server: String
    public var concurrency: Int
    public var seed: UInt64
    public var openFilesLimit: Int
    public var setupSeconds: Double
    public var phases: [FleetPhaseReport]
    public var wallSeconds: Double
    public var peakRSSBytes: Int
    /// (resident after the login phase settles − before it) / devices, heap trimmed both times.
    public var rssPerIdlePhoneBytes: Int
    /// The same after the offline phase: WebSocket closed, its tasks ended. The difference is the socket's share.
    public var rssPerOfflinePhoneBytes: Int
    /// The part of it in SQLite's heap (the phone's local store, and the server's session row when embedded).
    public var sqlitePerIdlePhoneBytes: Int
    /// CPU seconds of this process (every thread) over the phases, and per phone: the phones' own cost when the
    /// server runs in a child process.
    public var cpuSeconds: Double = 0
    public var cpuMillisPerPhone: Double = 0
    public var revocationsDetected: Int
    public var missed: Int
    public var wrongLogouts: Int
    /// The first few phones that went wrong, and how.
    public var problems: [String]
    /// The embedded server's own figures when it runs in a process of its own (the figures above are then the
    /// phones' alone); nil when it shares this process or is a real server.
    public var serverMemory: FleetServerMemory?
    /// `--shard I/N`: which slice of the phones this report counts.
    public var shard: FleetShard? = nil
    /// `--revoke`: all, users or at=TIME.
    public var revoke: String? = nil
    /// CPU seconds of the embedded server's own process over the phases; nil when it shares this process (its
    /// CPU is then in `cpuSeconds`) or is a real server.
    public var serverCPUSeconds: Double? = nil
    /// A merge (`mmsim fleet merge`): one line per report merged, and the worst of them.
    public var shards: [FleetShardSummary]? = nil
    public var worstShard: String? = nil

    /// Every phone found its revocation alone, and nothing else went wrong (the admin's calls, a late revoke).
    public var passed: Bool { missed == 0 && wrongLogouts == 0 && revocationsDetected == devices && problems.isEmpty }

    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return (try? encoder.encode(self)) ?? Data("{}".utf8)
    }

    /// The human summary: one row per phase, then the totals and the verdict.
    public func text() -> String {
        func ms(_ value: Double?) -> String { value.map { String(format: "%.1f", $0) } ?? "-" }
        func mib(_ bytes: Int) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
        let slice = shard.map { "shard \($0.label) (phones \($0.firstPhone)–\($0.lastPhone) of \($0.totalDevices)): " } ?? ""
        let merged = shards.map { "merge of \($0.count) reports: " } ?? ""
        let revoked = revoke.map { ", revoke \($0)" } ?? ""
        var lines = ["mmsim fleet: \(merged)\(slice)\(devices) phones on \(server), concurrency \(concurrency), seed \(seed)\(revoked)", ""]
        let header = ["phase", "phones", "logged in", "detected", "p50 ms", "p95 ms", "p99 ms", "max ms", "requests", "wall s", "peak RSS"]
        var rows = [header]
        for phase in phases {
            rows.append([phase.name, "\(phase.phones)", "\(phase.loggedIn)", "\(phase.revocationsDetected)",
                         ms(phase.latency?.p50), ms(phase.latency?.p95), ms(phase.latency?.p99), ms(phase.latency?.max),
                         "\(phase.requests)", String(format: "%.2f", phase.wallSeconds), mib(phase.peakRSSBytes)])
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            lines.append(row.enumerated().map { column, cell in
                column == 0 ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }.joined(separator: "  "))
        }
        lines.append("")
        lines.append("latency: login = submit → live; reconnect = airplane off → login screen (detection)")
        let perPhone = String(format: "%.1f KiB (SQLite %.1f KiB; %.1f KiB once offline)", Double(rssPerIdlePhoneBytes) / 1024,
                              Double(sqlitePerIdlePhoneBytes) / 1024, Double(rssPerOfflinePhoneBytes) / 1024)
        lines.append(String(format: "setup %.2f s, phases %.2f s", setupSeconds, wallSeconds)
                     + "; peak RSS \(mib(peakRSSBytes)); RSS per idle phone \(perPhone); open files limit \(openFilesLimit)")
        if let server = serverMemory {
            let perPhone = String(format: "%.1f KiB", Double(server.perIdlePhoneBytes) / 1024)
            lines.append("server process: RSS \(mib(server.residentIdleBytes)) with every phone idle (\(perPhone) per phone), "
                         + "peak \(mib(server.peakBytes))")
        }
        let whose = shards.map { "the \($0.count) fleet processes" } ?? "this process"
        var cpuLine = String(format: "CPU of %@ over the phases: %.2f s (%.2f ms per phone)", whose, cpuSeconds, cpuMillisPerPhone)
        if let serverCPUSeconds, devices > 0 {
            cpuLine += String(format: "; server process %.2f s (%.2f ms per phone); together %.2f ms per phone", serverCPUSeconds,
                              serverCPUSeconds * 1000 / Double(devices), (cpuSeconds + serverCPUSeconds) * 1000 / Double(devices))
        }
        lines.append(cpuLine)
        if let shards {
            lines.append("")
            lines.append(contentsOf: FleetShardSummary.table(shards))
            if let worstShard { lines.append("worst: \(worstShard)") }
            lines.append("")
        }
        lines.append("revocations detected: \(revocationsDetected)/\(devices), missed \(missed), wrong logouts \(wrongLogouts)")
        lines.append(contentsOf: problems.map { "  \($0)" })
        lines.append(passed ? "PASS" : "FAIL")
        return lines.joined(separator: "\n") + "\n"
    }
}
