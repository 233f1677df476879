import Foundation

/// One account of a fleet run against a real server.
public struct FleetCredential: Sendable, Equatable {
    public var username: String
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }
}

/// A bad line in the credentials file, reported as `file:line: error: …` like the scenario parser does.
public struct FleetCredentialsError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String

    public var description: String { line > 0 ? "\(file):\(line): error: \(message)" : "\(file): error: \(message)" }
}

/// `username,password` per line. Split at the first comma only, because passwords may contain commas; the
/// password is taken verbatim (spaces count). Blank lines and `#` comments are skipped, and so is a first line
/// `username,password` (a header). Duplicates are refused: two phones of one user are rarely what was meant.
public enum FleetCredentials {
    public static func load(path: String) throws(FleetCredentialsError) -> [FleetCredential] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FleetCredentialsError(file: path, line: 0, message: "cannot read the credentials file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw FleetCredentialsError(file: path, line: 0, message: "the credentials file is not UTF-8")
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws(FleetCredentialsError) -> [FleetCredential] {
        var result: [FleetCredential] = []
        var firstLine: [String: Int] = [:]
        // `\r\n` is one Character in Swift: split on newlines, not on "\n".
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let number = index + 1
            func fail(_ message: String) -> FleetCredentialsError {
                FleetCredentialsError(file: file, line: number, message: message)
            }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if result.isEmpty, firstLine.isEmpty, trimmed.lowercased() == "username,password" { continue }
            guard let comma = line.firstIndex(of: ",") else {
                throw fail("expected 'username,password', found no comma")
            }
            let username = line[..<comma].trimmingCharacters(in: .whitespaces)
            let password = String(line[line.index(after: comma)...])
            guard !username.isEmpty else { throw fail("the username is empty") }
            guard !username.hasPrefix("\"") else { throw fail("quoted fields are not supported; write the username as is") }
            guard !username.contains(where: \.isWhitespace) else { throw fail("the username '\(username)' contains a space") }
            guard !password.isEmpty else { throw fail("the password of '\(username)' is empty") }
            if let first = firstLine[username.lowercased()] {
                throw fail("duplicate username '\(username)' (first on line \(first))")
            }
            firstLine[username.lowercased()] = number
            result.append(FleetCredential(username: username, password: password))
        }
        guard !result.isEmpty else { throw FleetCredentialsError(file: file, line: 0, message: "no credentials in the file") }
        return result
    }
}
