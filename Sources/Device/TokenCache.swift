import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where a phone keeps its session token: a file per server (`TokenCache`) or, for fleet phones, memory
/// (`MemoryKeychain`). The phone picks one when it is made.
protocol Keychain: Sendable {
    func read(serverURL: String) -> TokenCache.ReadResult
    func write(_ entry: TokenCache.Entry) throws
    func wipe(serverURL: String)
    func isEmpty(serverURL: String) -> Bool
}

/// The phone's keychain: one small file per server URL, 0600 inside a 0700 folder, replaced atomically
/// (temp file, fsync, rename, fsync of the folder) so that a crash leaves the old or the new file, never half.
public struct TokenCache: Keychain {
    public struct Entry: Codable, Sendable, Equatable {
        public var serverURL: String
        public var token: String
        public var userID: String

        public init(serverURL: String, token: String, userID: String) {
            self.serverURL = serverURL
            self.token = token
            self.userID = userID
        }

        enum CodingKeys: String, CodingKey {
            case token
            case serverURL = "server_url", userID = "user_id"
        }
    }

    public enum ReadResult: Sendable, Equatable {
        case empty
        case found(Entry)
        /// Unreadable or corrupt: treated as no token, with this reason as a warning.
        case corrupt(String)
    }

    public let folder: URL

    public init(folder: URL) {
        self.folder = folder
    }

    public func fileURL(for serverURL: String) -> URL {
        folder.appendingPathComponent("token-\(StableHash.hex(serverURL)).json")
    }

    /// A token file is a few hundred bytes; anything much larger was not written by mmsim.
    static let maxFileBytes = 64 * 1024

    public func read(serverURL: String) -> ReadResult {
        let url = fileURL(for: serverURL)
        let data: Data
        switch Self.readSmallFile(url.path) {
        case .missing: return .empty
        case .refused(let reason): return .corrupt("token cache file \(reason)")
        case .read(let bytes): data = bytes
        }
        guard let entry = try? JSONDecoder().decode(Entry.self, from: data), !entry.token.isEmpty,
              entry.serverURL == serverURL else {
            return .corrupt("token cache file is corrupt (\(data.count) bytes)")
        }
        return .found(entry)
    }

    public func write(_ entry: Entry) throws {
        try AtomicFile.ensurePrivateFolder(folder)
        let data = try JSONEncoder().encode(entry)
        let url = fileURL(for: entry.serverURL)
        AtomicFile.removeAbandonedTemps(of: url)
        try AtomicFile.write(data, to: url)
    }

    public func wipe(serverURL: String) {
        let url = fileURL(for: serverURL)
        try? FileManager.default.removeItem(at: url)
        AtomicFile.syncFolder(folder)
    }

    public func isEmpty(serverURL: String) -> Bool {
        if case .found = read(serverURL: serverURL) { return false }
        return !FileManager.default.fileExists(atPath: fileURL(for: serverURL).path)
    }
}

extension TokenCache {
    enum SmallFile {
        case missing
        case read(Data)
        case refused(String)
    }

    /// Only a regular file of ours, read with a bound: a symbolic link planted in its place, a FIFO (whose open
    /// or read would block for ever), a device such as /dev/zero (endless) or a huge file is refused, not read.
    static func readSmallFile(_ path: String) -> SmallFile {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            switch errno {
            case ENOENT: return .missing
            case ELOOP: return .refused("is a symbolic link")
            case let code: return .refused("is unreadable (\(String(cString: strerror(code))))")
            }
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return .refused("is not a regular file") }
        guard info.st_size <= maxFileBytes else { return .refused("is too large (\(info.st_size) bytes)") }
        // Left readable by others (a copy, a restore): private again before its secret is used.
        if info.st_mode & 0o077 != 0 { fchmod(fd, 0o600) }
        var bytes = [UInt8](repeating: 0, count: maxFileBytes + 1)
        var count = 0
        while count < bytes.count {
            let got = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress.map { $0 + count }, $0.count - count) }
            if got < 0, errno == EINTR { continue }
            guard got >= 0 else { return .refused("is unreadable (\(String(cString: strerror(errno))))") }
            if got == 0 { break }
            count += got
        }
        // It grew while being read: not a file mmsim wrote.
        guard count <= maxFileBytes else { return .refused("is too large (over \(maxFileBytes) bytes)") }
        return .read(Data(bytes[..<count]))
    }
}

/// FNV-1a: a stable file name for a server URL (not a secret, just a key).
enum StableHash {
    static func hex(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
