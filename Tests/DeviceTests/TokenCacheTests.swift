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
}
