import Foundation

/// A phone's timeline as a text file a tester can keep or attach to a bug: one line per entry, UTC time of the
/// simulation clock, kind, text. The timeline never holds a token or a password, so neither does the file.
public enum TimelineExport {
    public static func text(_ state: DeviceState) -> String {
        var out = "# mmsim timeline of \(state.name) (\(state.app.rawValue) app, server \(state.serverURL))\n"
        for entry in state.timeline.entries {
            out += "\(stamp(entry.at)) \(entry.kind.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(entry.text)\n"
        }
        return out
    }

    /// Writes every phone's timeline into `folder` (made 0700 if missing) as `STAMP-PHONE.txt`; returns the files.
    @discardableResult
    public static func save(_ states: [DeviceState], to folder: URL, at millis: Int64) throws -> [URL] {
        try AtomicFile.ensurePrivateFolder(folder)
        let prefix = stamp(millis).replacingOccurrences(of: ":", with: "").replacingOccurrences(of: " ", with: "-")
        return try states.map { state in
            let safeName = String(state.name.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" })
            let file = folder.appendingPathComponent("\(prefix)-\(safeName).txt")
            try Data(text(state).utf8).write(to: file, options: .atomic)
            return file
        }
    }

    static func stamp(_ millis: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(millis) / 1000)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: date)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return "\(c.year ?? 0)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute)):\(two(c.second))"
    }
}
