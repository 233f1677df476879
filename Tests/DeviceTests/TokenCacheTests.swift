import Foundation
import XCTest
@testable import Device

final class TokenCacheTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("mmsim-tc-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    func testWritesPrivatelyAndReadsBack() throws {
        let cache = TokenCache(folder: folder.appendingPathComponent("keychain"))
        try cache.write(.init(serverURL: "http://a", token: "tok", userID: "u"))
        XCTAssertEqual(cache.read(serverURL: "http://a"), .found(.init(serverURL: "http://a", token: "tok", userID: "u")))
        XCTAssertEqual(cache.read(serverURL: "http://b"), .empty)
        let fileMode = try FileManager.default.attributesOfItem(atPath: cache.fileURL(for: "http://a").path)[.posixPermissions] as? Int
        let folderMode = try FileManager.default.attributesOfItem(atPath: cache.folder.path)[.posixPermissions] as? Int
        XCTAssertEqual(fileMode, 0o600)
        XCTAssertEqual(folderMode, 0o700)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: cache.folder.path).filter { $0.contains(".tmp-") }
        XCTAssertEqual(leftovers, [])
    }

    func testAFileReadableByOthersIsMadePrivateWhenRead() throws {
        let cache = TokenCache(folder: folder)
        try cache.write(.init(serverURL: "http://a", token: "tok", userID: "u"))
        let path = cache.fileURL(for: "http://a").path
        XCTAssertEqual(chmod(path, 0o644), 0)
        XCTAssertEqual(cache.read(serverURL: "http://a"), .found(.init(serverURL: "http://a", token: "tok", userID: "u")))
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int, 0o600)
    }

    func testAbandonedTempFilesOfDeadWritersAreRemovedOnTheNextWrite() throws {
        let cache = TokenCache(folder: folder)
        try AtomicFile.ensurePrivateFolder(folder)
        let target = cache.fileURL(for: "http://a")
        let dead = target.path + ".tmp-999999999-1"          // no such process
        let live = target.path + ".tmp-\(getpid())-2"          // this process: never touched
        for path in [dead, live] { try Data("half".utf8).write(to: URL(fileURLWithPath: path)) }
        try cache.write(.init(serverURL: "http://a", token: "tok", userID: "u"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dead))
        XCTAssertTrue(FileManager.default.fileExists(atPath: live))
        XCTAssertEqual(cache.read(serverURL: "http://a"), .found(.init(serverURL: "http://a", token: "tok", userID: "u")))
    }

    func testCorruptFileReadsAsCorruptNotACrash() throws {
        let cache = TokenCache(folder: folder)
        try AtomicFile.ensurePrivateFolder(folder)
        try Data("{\"token\": 12".utf8).write(to: cache.fileURL(for: "http://a"))
        guard case .corrupt = cache.read(serverURL: "http://a") else { return XCTFail("expected corrupt") }
        cache.wipe(serverURL: "http://a")
        XCTAssertEqual(cache.read(serverURL: "http://a"), .empty)
        XCTAssertTrue(cache.isEmpty(serverURL: "http://a"))
    }

    /// Reads on another thread, bounded: a read that blocks (on a FIFO, say) fails the test instead of hanging it.
    private func boundedRead(_ cache: TokenCache, _ server: String) -> TokenCache.ReadResult? {
        let done = DispatchSemaphore(value: 0)
        let result = ReadBox()
        Thread.detachNewThread {
            result.value = cache.read(serverURL: server)
            done.signal()
        }
        guard done.wait(timeout: .now() + 5) == .success else { return nil }
        return result.value
    }

    private final class ReadBox: @unchecked Sendable {
        var value: TokenCache.ReadResult?
    }

    /// Whatever is planted in the cache file's place is refused and wiped, never followed or read in full.
    func testPlantedNodesAreRefusedNotFollowedOrRead() throws {
        let cache = TokenCache(folder: folder)
        try AtomicFile.ensurePrivateFolder(folder)
        let target = cache.fileURL(for: "http://a")
        let elsewhere = folder.appendingPathComponent("other-token.json")
        try JSONEncoder().encode(TokenCache.Entry(serverURL: "http://a", token: "planted", userID: "u")).write(to: elsewhere)
        let huge = folder.appendingPathComponent("huge")
        XCTAssertTrue(FileManager.default.createFile(atPath: huge.path, contents: nil))
        XCTAssertEqual(truncate(huge.path, 100 << 20), 0)

        let plants: [(String, () throws -> Void, String)] = [
            ("a symbolic link to a token", { try FileManager.default.createSymbolicLink(at: target, withDestinationURL: elsewhere) },
             "token cache file is a symbolic link"),
            ("a FIFO", { XCTAssertEqual(mkfifo(target.path, 0o600), 0) }, "token cache file is not a regular file"),
            ("a 100 MB file", { try FileManager.default.copyItem(at: huge, to: target) }, "token cache file is too large (104857600 bytes)"),
        ]
        for (what, plant, reason) in plants {
            try plant()
            XCTAssertEqual(boundedRead(cache, "http://a"), .corrupt(reason), what)
            cache.wipe(serverURL: "http://a")
            XCTAssertEqual(cache.read(serverURL: "http://a"), .empty, what)
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: elsewhere.path), "a link's target is not touched")
    }
}
