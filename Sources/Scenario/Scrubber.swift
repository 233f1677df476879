import Foundation

/// Removes known secrets from any text that leaves the runner. The phones never expose their tokens, so the
/// secrets to scrub are the passwords a scenario uses (from the file, credentials, or the environment) and any
/// token the runner itself obtained (assertPost's reader session).
public struct Scrubber: Sendable {
    public private(set) var secrets: Set<String> = []

    public init(_ secrets: some Sequence<String> = []) {
        for secret in secrets { add(secret) }
    }

    /// Very short values are not scrubbed: replacing "a" everywhere would make reports unreadable.
    public mutating func add(_ secret: String?) {
        guard let secret, secret.count >= 4 else { return }
        secrets.insert(secret)
    }

    public func scrub(_ text: String) -> String {
        var out = text
        // Longest first, so that a secret containing another is replaced whole.
        for secret in secrets.sorted(by: { $0.count > $1.count }) where out.contains(secret) {
            out = out.replacingOccurrences(of: secret, with: "[redacted]")
        }
        return out
    }
}

