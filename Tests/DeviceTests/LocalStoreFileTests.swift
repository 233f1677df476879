import Foundation
import XCTest
@testable import Device

/// The phone's SQLite file on disk: private, and never written through a link planted in its place.
final class LocalStoreFileTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("mmsim-ls-\(UUID().uuidString)")
        try AtomicFile.ensurePrivateFolder(folder)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func mode(_ path: String) throws -> Int? {
        try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    }

    func testTheStoreIs0600() throws {
        let path = folder.appendingPathComponent("store.sqlite").path
        let store = try LocalStore(path: path)
        try store.apply(.outboxRemove(pendingPostID: "none"), server: "http://a")
        XCTAssertEqual(try mode(path), 0o600)

        let older = folder.appendingPathComponent("older.sqlite").path
        _ = try LocalStore(path: older)
        XCTAssertEqual(chmod(older, 0o644), 0)
        _ = try LocalStore(path: older)
        XCTAssertEqual(try mode(older), 0o600, "a store left readable by others is made private again")
    }

    func testALinkPlantedInPlaceOfTheStoreIsRefused() throws {
        let target = folder.appendingPathComponent("elsewhere.sqlite")
        let victim = try LocalStore(path: target.path)
        try victim.apply(.outboxRemove(pendingPostID: "none"), server: "http://a")
        let before = try Data(contentsOf: target)
        let path = folder.appendingPathComponent("store.sqlite").path
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target.path)
        XCTAssertThrowsError(try LocalStore(path: path)) { error in
            XCTAssertEqual("\(error)", "the local store store.sqlite is a symbolic link")
        }
        XCTAssertEqual(try Data(contentsOf: target), before)
    }
}
