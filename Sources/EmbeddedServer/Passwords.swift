import Crypto
import Foundation
import HummingbirdBcrypt
import Synchronization

/// Salted bcrypt, as Mattermost stores passwords.
enum Passwords {
    /// Cost-10 hashes of the two published sample passwords, computed once (`$2b$10$`), so a default
    /// first start does not spend ~100 ms per account hashing. Other costs hash at seed time.
    static let precomputedCost: UInt8 = 10
    static let precomputed: [String: String] = [
        SeedAccounts.adminPassword: "$2b$10$6lZTX0mxXf2DXs7lzo9pE.g00QRjkrkx54pxKEWGwqIg/7GSHB96m",
        SeedAccounts.userPassword: "$2b$10$crAIktymi826L4yn5QGBxup5F/1/z0l3a2WIQU/zEzpG89f51UBKe",
    ]

    static func hash(_ password: String, cost: UInt8) -> String {
        if cost == precomputedCost, let hash = precomputed[password] { return hash }
        guard cost == throwawayCost else { return Bcrypt.hash(password, cost: cost) }
        // Throwaway servers (a scenario's, a fleet's) seed the same few passwords each time: one hash per password
        // for the whole process, instead of a bcrypt run per account per server (a sixth of a short scenario's CPU).
        let digest = Data(SHA256.hash(data: Data(password.utf8)))
        if let known = throwawayHashes.withLock({ $0[digest] }) { return known }
        let hash = Bcrypt.hash(password, cost: cost)
        throwawayHashes.withLock { $0[digest] = $0[digest] ?? hash }
        return hash
    }

    /// bcrypt reads at most 72 bytes and this implementation stops at a NUL, so either would let a different
    /// password match ("abc\0x" as "abc"; 72 bytes plus anything as the 72). Mattermost's Go bcrypt refuses
    /// more than 72 bytes and compares NULs as bytes; a password it could never have stored never verifies here.
    static let maximumBytes = 72

    static func isVerifiable(_ password: String) -> Bool {
        password.utf8.count <= maximumBytes && !password.utf8.contains(0)
    }

    static func verify(_ password: String, hash: String) -> Bool {
        guard isVerifiable(password) else {
            _ = Bcrypt.verify("", hash: hash.isEmpty ? dummyHash : hash)  // the same cost as a real check
            return false
        }
        guard hash.hasPrefix(throwawayPrefix) else { return Bcrypt.verify(password, hash: hash) }
        let digest = Data(SHA256.hash(data: Data(password.utf8)))
        if lastThrowaway.withLock({ $0?.hash == hash && $0?.passwordDigest == digest }) { return true }
        let verified = Bcrypt.verify(password, hash: hash)
        if verified { lastThrowaway.withLock { $0 = (hash, digest) } }
        return verified
    }

    /// Cost 4 marks a throwaway server's run-scoped users (`ensureUsers`: thousands of accounts, one hash of the
    /// one sample password). Remembering the last pair that verified spares a fleet ~1 ms of bcrypt per login;
    /// hashes of Mattermost's cost are verified in full every time. Only a digest of the password is kept.
    static let throwawayCost: UInt8 = 4
    static let throwawayPrefix = "$2b$04$"
    /// Keyed by a digest of the password, never the password itself.
    private static let throwawayHashes = Mutex<[Data: String]>([:])
    private static let lastThrowaway = Mutex<(hash: String, passwordDigest: Data)?>(nil)

    /// A login for an unknown name still pays for one verification, so timing does not reveal which names exist.
    static let dummyHash = precomputed[SeedAccounts.userPassword] ?? ""
}
