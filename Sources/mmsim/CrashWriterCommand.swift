import ArgumentParser
import Device
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Hidden: the victim of the crash-safety test (issue 6, item 3). Owns one phone's disk in `--dir`
/// (the token cache in `tokens/`, the GRDB store in `store.sqlite`) and writes to it in a loop until killed.
///
/// Round k: (1) token cache := version k, (2) outbox put item k, (3) outbox remove item k-2, so the outbox
/// holds at most two items. After each step returns, it writes "k step\n" to stdout with a raw write(2): once
/// that returns the line sits in the pipe's kernel buffer and survives a SIGKILL, so the reader knows the last
/// acknowledged step. On start it resumes: it reads the token version T and redoes round T (every step is
/// idempotent), then goes on with T+1 — as the app would retry what it was doing when it died.
struct CrashWriterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crash-writer",
        abstract: "Write the token cache and the outbox in a loop until killed (crash-safety test).",
        shouldDisplay: false
    )

    @Option(help: "The phone's data folder.")
    var dir: String

    @Option(help: "Server URL the token and the outbox rows belong to.")
    var server: String

    @Option(help: "Rounds to write before exiting.")
    var rounds = 1_000_000

    @Option(help: "Bytes of padding in each token, so the file is more than a few bytes.")
    var padding = 1_024

    @Flag(help: .hidden)  // Negative control: write the token file in place, in two halves, to prove the test sees tearing.
    var unsafeTokenWrite = false

    func validate() throws {
        try OptionRange.check(rounds, "--rounds", in: OptionRange.crashRounds)
        try OptionRange.check(padding, "--padding", in: OptionRange.crashPadding)
    }

    func run() throws {
        let folder = URL(fileURLWithPath: dir)
        try AtomicFile.ensurePrivateFolder(folder)
        let cache = TokenCache(folder: folder.appendingPathComponent("tokens"))
        let store = try LocalStore(path: folder.appendingPathComponent("store.sqlite").path, durable: true)

        var start = 1
        switch cache.read(serverURL: server) {
        case .empty: start = 1
        case .found(let entry):
            guard let version = CrashWriterFormat.version(ofToken: entry.token) else {
                throw ValidationError("token cache holds a token this command did not write")
            }
            start = version
        case .corrupt(let reason):
            throw ValidationError("token cache is corrupt at start: \(reason)")
        }
        say("ready \(start)\n")
        for k in start..<(start + rounds) {
            let entry = TokenCache.Entry(serverURL: server, token: CrashWriterFormat.token(k, padding: padding),
                                         userID: CrashWriterFormat.userID(k))
            if unsafeTokenWrite {
                try writeInPlace(JSONEncoder().encode(entry), to: cache.fileURL(for: server))
            } else {
                try cache.write(entry)
            }
            say("\(k) token\n")
            try store.apply(.outboxPut(CrashWriterFormat.item(k)), server: server)
            say("\(k) put\n")
            if k > 2 {
                try store.apply(.outboxRemove(pendingPostID: CrashWriterFormat.pendingPostID(k - 2)), server: server)
            }
            say("\(k) remove\n")
        }
    }

    private func writeInPlace(_ data: Data, to url: URL) throws {
        try AtomicFile.ensurePrivateFolder(url.deletingLastPathComponent())
        let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ValidationError("cannot open \(url.path)") }
        defer { close(fd) }
        data.withUnsafeBytes { buffer in
            let half = buffer.count / 2
            _ = Glibc.write(fd, buffer.baseAddress!, half)
            fsync(fd)
            _ = Glibc.write(fd, buffer.baseAddress! + half, buffer.count - half)
        }
        fsync(fd)
    }

    /// Unbuffered: the bytes are in the pipe when write(2) returns.
    private func say(_ line: String) {
        var bytes = Array(line.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { Glibc.write(1, $0.baseAddress! + offset, $0.count - offset) }
            if written <= 0 { return }
            offset += written
        }
    }
}

/// What the crash writer writes, so that a reader can tell a torn or mixed record from a whole one.
enum CrashWriterFormat {
    static func token(_ k: Int, padding: Int) -> String { "tok-\(k)-" + String(repeating: "x", count: padding) }
    static func userID(_ k: Int) -> String { "user-\(k)" }
    static func pendingPostID(_ k: Int) -> String { "p-\(k)" }
    static func message(_ k: Int) -> String { "m-\(k)" }

    static func version(ofToken token: String) -> Int? {
        let parts = token.split(separator: "-")
        guard parts.count >= 2, parts[0] == "tok" else { return nil }
        return Int(parts[1])
    }

    /// OutboxItem has no public memberwise initialiser; it is Codable, so build it from its JSON.
    static func item(_ k: Int) throws -> OutboxItem {
        let json: [String: Any] = [
            "pendingPostID": pendingPostID(k), "channelID": "crash-channel", "message": message(k),
            "authorID": userID(k), "createAt": k, "state": "pending",
        ]
        return try JSONDecoder().decode(OutboxItem.self, from: JSONSerialization.data(withJSONObject: json))
    }
}
