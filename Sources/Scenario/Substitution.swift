import Foundation

/// `${KEY}` values for scenario strings, from `-e`, `--env-file` and the process environment (in that priority).
/// Substitution happens on parsed string values, never on the YAML text, so a value cannot change the structure.
public struct Substitution: Sendable {
    public var values: [String: String]

    public init(values: [String: String] = [:]) { self.values = values }

    /// `-e` wins over the env file, which wins over the environment.
    public static func merged(cli: [String: String], envFile: [String: String],
                              environment: [String: String] = ProcessInfo.processInfo.environment) -> Substitution {
        Substitution(values: environment.merging(envFile) { $1 }.merging(cli) { $1 })
    }

    public enum Failure: Error, Equatable {
        case unset(String)
        case malformed(String)
    }

    /// Replaces every `${KEY}`; `$$` stands for a literal `$`.
    public func apply(_ text: String) throws(Failure) -> String {
        guard text.contains("$") else { return text }
        var out = ""
        var index = text.startIndex
        while index < text.endIndex {
            let c = text[index]
            let next = text.index(after: index)
            if c == "$", next < text.endIndex, text[next] == "$" {
                out.append("$")
                index = text.index(after: next)
            } else if c == "$", next < text.endIndex, text[next] == "{" {
                guard let close = text[next...].firstIndex(of: "}") else { throw .malformed(String(text[index...])) }
                let key = String(text[text.index(after: next)..<close])
                guard Self.isKey(key) else { throw .malformed("${\(key)}") }
                guard let value = values[key] else { throw .unset(key) }
                out += value
                index = text.index(after: close)
            } else {
                out.append(c)
                index = next
            }
        }
        return out
    }

    static func isKey(_ key: String) -> Bool {
        guard let first = key.first, first == "_" || (first.isASCII && first.isLetter) else { return false }
        return key.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
    }

    /// `KEY=VALUE` lines; `#` comments, blank lines, an optional `export ` and matching quotes are allowed.
    /// Windows line ends (CRLF) and a leading byte order mark are fine.
    public static func parseEnvFile(_ text: String, file: String) throws -> [String: String] {
        var values: [String: String] = [:]
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        // "\r\n" is one Character, and a newline: split on every kind of line end.
        for (number, raw) in body.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
            func fail(_ message: String) -> ScenarioError {
                ScenarioError(location: SourceLocation(file: file, line: number + 1, column: 1), message: message)
            }
            guard let eq = line.firstIndex(of: "=") else { throw fail("expected KEY=VALUE") }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces)
            guard isKey(key) else { throw fail("expected KEY=VALUE") }
            values[key] = try envValue(line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces), fail: fail)
        }
        return values
    }

    /// A value as dotenv files write it: 'single' or "double" quoted (taken as written, spaces and # included;
    /// a comment may follow), or bare (spaces around it dropped, a ` #` starts a comment). An unclosed quote or
    /// text after the closing one is an error, not a value that silently keeps the quote.
    static func envValue(_ text: String, fail: (String) -> ScenarioError) throws(ScenarioError) -> String {
        guard let quote = text.first, quote == "\"" || quote == "'" else {
            // The first `#` after a space or tab starts a comment.
            let characters = Array(text)
            guard let hash = characters.indices.first(where: { $0 > 0 && characters[$0] == "#" && characters[$0 - 1].isWhitespace })
            else { return text }
            return String(characters[..<hash]).trimmingCharacters(in: .whitespaces)
        }
        let inside = text.dropFirst()
        guard let close = inside.firstIndex(of: quote) else {
            throw fail("the value's \(quote) quote is never closed")
        }
        let after = inside[inside.index(after: close)...].trimmingCharacters(in: .whitespaces)
        guard after.isEmpty || after.hasPrefix("#") else {
            throw fail("text after the closing \(quote) quote (quote the whole value)")
        }
        return String(inside[..<close])
    }

    /// `KEY=VALUE` from `-e`.
    public static func parseAssignment(_ text: String) -> (String, String)? {
        guard let eq = text.firstIndex(of: "="), isKey(String(text[..<eq])) else { return nil }
        return (String(text[..<eq]), String(text[text.index(after: eq)...]))
    }
}
