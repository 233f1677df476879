import Synchronization

/// The token cache of a `.memory` phone (fleet runs): `TokenCache`'s entries without the file. A fleet phone's
/// store is already in memory; writing its token atomically to disk (temp file, two fsyncs, a rename) was ~6%
/// of the phones' CPU and a folder per phone, for a file nothing reads back.
final class MemoryKeychain: Keychain {
    private let entries = Mutex<[String: TokenCache.Entry]>([:])

    func read(serverURL: String) -> TokenCache.ReadResult {
        entries.withLock { $0[serverURL] }.map(TokenCache.ReadResult.found) ?? .empty
    }
    func write(_ entry: TokenCache.Entry) { entries.withLock { $0[entry.serverURL] = entry } }
    func wipe(serverURL: String) { _ = entries.withLock { $0.removeValue(forKey: serverURL) } }
    func isEmpty(serverURL: String) -> Bool { entries.withLock { $0[serverURL] == nil } }
}
