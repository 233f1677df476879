import XCTest
@testable import Device
import MattermostModel

/// `MemoryStore` (fleet phones) must give the phone what `LocalStore` gives it: the same snapshot after the
/// same changes, server by server.
final class PhoneStoreTests: XCTestCase {
    let a = "http://a.example", b = "http://b.example"

    func changes() -> [(StoreChange, String)] {
        let user = User(id: "u1", createAt: 1, username: "alice", email: "alice@example.com", roles: "system_user")
        let team = Team(id: "t1", createAt: 1, displayName: "QA", name: "qa")
        let channels = [Channel(id: "c2", createAt: 1, teamID: "t1", displayName: "off-Topic", name: "off-topic"),
                        Channel(id: "c1", createAt: 1, teamID: "t1", displayName: "Town Square", name: "town-square")]
        let posts = (1...205).map { Post(id: "p\($0)", createAt: Int64($0), userID: "u1", channelID: "c1", message: "m\($0)") }
            + [Post(id: "q1", createAt: 7, userID: "u1", channelID: "c2", message: "hello")]
        func item(_ id: String, _ message: String) -> OutboxItem {
            OutboxItem(pendingPostID: id, channelID: "c1", message: message, authorID: "u1", createAt: 9, state: .pending)
        }
        return [(.lastUsername("alice"), a), (.account(user), a), (.team(team), a), (.channels(channels), a),
                (.posts(Array(posts.prefix(100))), a), (.posts(Array(posts.dropFirst(100))), a),
                (.outboxPut(item("o1", "first")), a), (.outboxPut(item("o2", "second")), a),
                (.outboxPut(item("o1", "first, edited")), a), (.outboxRemove(pendingPostID: "o2"), a),
                (.outboxPut(item("o3", "third")), a),
                (.account(user), b), (.lastUsername("bob"), b), (.outboxPut(item("x", "b's")), b),
                (.channels(Array(channels.prefix(1))), a)]
    }

    func assertSame(_ local: LocalStore, _ memory: MemoryStore, _ message: String, line: UInt = #line) throws {
        for server in [a, b, "http://never.example"] {
            XCTAssertEqual(memory.load(server: server), try local.load(server: server), "\(message) \(server)", line: line)
            XCTAssertEqual(memory.outboxCount(server: server), try local.outboxCount(server: server), line: line)
        }
    }

    func testSameSnapshotsAsLocalStore() throws {
        let local = try LocalStore(), memory = MemoryStore()
        for (change, server) in changes() {
            try local.apply(change, server: server)
            memory.apply(change, server: server)
            try assertSame(local, memory, "after \(change)")
        }
        XCTAssertEqual(memory.load(server: a).posts["c1"]?.count, LocalStore.postsKeptPerChannel)
        XCTAssertEqual(memory.load(server: a).outbox.map(\.pendingPostID), ["o1", "o3"])
    }

    func testWipeKeepsTheUsernameAndTheOutboxOnlyWhenAsked() throws {
        for keepOutbox in [true, false] {
            let local = try LocalStore(), memory = MemoryStore()
            for (change, server) in changes() + [(.wipeServer(keepOutbox: keepOutbox), a)] {
                try local.apply(change, server: server)
                memory.apply(change, server: server)
            }
            try assertSame(local, memory, "wipe keepOutbox \(keepOutbox)")
            XCTAssertEqual(memory.load(server: a).lastUsername, "alice")
            XCTAssertNil(memory.load(server: a).account)
            XCTAssertEqual(memory.outboxCount(server: a), keepOutbox ? 2 : 0)
            XCTAssertNotNil(memory.load(server: b).account, "another server's rows are left alone")
        }
    }

    func testAMemoryPhoneHasNoStoreFile() async {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mmsim-memstore-\(UUID().uuidString)")
        let config = PhoneConfiguration(name: "p", deviceID: "d", serverURL: a, dataDirectory: folder, storage: .memory)
        XCTAssertFalse(config.durableStore)
        let phone = Phone(config, clock: SimClock(mode: .virtual))
        // Powering on is when a disk phone makes its folder and opens its store.
        await phone.powerOn()
        await phone.powerOff()
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("store.sqlite").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.path), "no folder either")
    }
}
