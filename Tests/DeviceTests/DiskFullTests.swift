import EmbeddedServer
import Foundation
import Logging
import MattermostModel
import Synchronization
import XCTest
@testable import Device

/// A disk that fills up under the phone's real keychain file and SQLite store: while `full`, every write is
/// refused with ENOSPC, as a full filesystem refuses it.
final class FillingDisk: Keychain, PhoneStore, Sendable {
    let keychain: TokenCache
    let store: LocalStore
    private let fullFlag = Mutex(false)

    init(folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        keychain = TokenCache(folder: folder.appendingPathComponent("keychain"))
        store = try LocalStore(path: folder.appendingPathComponent("store.sqlite").path, durable: false)
    }

    var full: Bool {
        get { fullFlag.withLock { $0 } }
        set { fullFlag.withLock { $0 = newValue } }
    }

    private func refuseWhenFull() throws {
        if full { throw POSIXError(.ENOSPC) }
    }

    func read(serverURL: String) -> TokenCache.ReadResult { keychain.read(serverURL: serverURL) }
    func write(_ entry: TokenCache.Entry) throws {
        try refuseWhenFull()
        try keychain.write(entry)
    }
    func wipe(serverURL: String) { keychain.wipe(serverURL: serverURL) }
    func isEmpty(serverURL: String) -> Bool { keychain.isEmpty(serverURL: serverURL) }
    func apply(_ change: StoreChange, server: String) throws {
        try refuseWhenFull()
        try store.apply(change, server: server)
    }
    func load(server: String) throws -> BootSnapshot { try store.load(server: server) }
    func outboxCount(server: String) throws -> Int { try store.outboxCount(server: server) }
}

/// The phone against the embedded server over loopback, on a disk that fills up.
final class DiskFullTests: XCTestCase {
    /// The phone logs a refused write at error level (as it should); the test checks the screen and timeline.
    static var quiet: Logger {
        var logger = Logger(label: "test.disk-phone")
        logger.logLevel = .critical
        return logger
    }

    /// A phone on a disk that fills up just before user-1 logs in.
    func loggedInOnAFullDisk() async throws -> (Harness, FillingDisk, Phone) {
        let harness = try await Harness.start()
        let disk = try FillingDisk(folder: harness.folder.appendingPathComponent("disk"))
        let phone = Phone(harness.diskConfiguration(), clock: harness.clock, api: nil, logger: Self.quiet, link: nil,
                          keychain: disk, store: disk)
        await phone.powerOn()
        disk.full = true
        await harness.loginAlone(phone)
        return (harness, disk, phone)
    }

    func testATokenTheDiskRefusedIsNeitherClaimedNorLostAndIsSavedOnceThereIsRoom() async throws {
        let (harness, disk, phone) = try await loggedInOnAFullDisk()
        defer { Task { await harness.stop() } }
        var state = await phone.state
        XCTAssertTrue(state.isLoggedIn, "a full disk is no reason to refuse the session")
        XCTAssertEqual(state.diskProblem, "token not saved: No space left on device")
        XCTAssertTrue(state.timeline.entries.contains { $0.text.contains("could not save the token (No space left on device) → kept in memory only") })
        XCTAssertFalse(state.timeline.entries.contains { $0.text.contains("token cached") }, "nothing claimed that did not happen")
        XCTAssertTrue(disk.isEmpty(serverURL: state.serverURL))

        // Writing a message while the disk is full: shown as not saved, kept in memory.
        let channel = try XCTUnwrap(state.channels.first)
        await phone.send(.setAirplane(true))
        await phone.compose(channelID: channel.id, text: "kept in memory")
        state = await phone.state
        XCTAssertEqual(state.visibleOutbox.count, 1)
        XCTAssertNotNil(state.diskProblem)

        // Room again: the next retry writes the token and the outbox, in order.
        disk.full = false
        harness.clock.advance(byMillis: Intervals.diskRetryMillis)
        await phone.fireDueTimers()
        await phone.waitUntilIdle()
        state = await phone.state
        XCTAssertNil(state.diskProblem)
        XCTAssertFalse(disk.isEmpty(serverURL: state.serverURL))
        XCTAssertEqual(try disk.outboxCount(server: state.serverURL), 1)
        XCTAssertTrue(state.timeline.entries.contains { $0.text == "saved to disk what was kept in memory" })
    }

    func testAWipeIsNotUndoneByARetryOfAnOldTokenWrite() async throws {
        let (harness, disk, phone) = try await loggedInOnAFullDisk()
        defer { Task { await harness.stop() } }
        await phone.send(.logout)
        disk.full = false
        harness.clock.advance(byMillis: Intervals.diskRetryMillis)
        await phone.fireDueTimers()
        await phone.waitUntilIdle()
        let state = await phone.state
        XCTAssertTrue(disk.isEmpty(serverURL: state.serverURL), "the logged-out token must not be written back")
    }
}

extension Harness {
    /// Logs in a phone that lives outside the simulation (its own disk or app model) and waits until it is idle.
    func loginAlone(_ phone: Phone, user: String = "user-1", password: String = SeedAccounts.userPassword) async {
        await phone.login(username: user, password: password)
        await phone.waitUntilIdle()
    }

    /// A phone outside the simulation, for a disk of the test's own.
    func diskConfiguration() -> PhoneConfiguration {
        PhoneConfiguration(name: "disk-phone", deviceID: "device-disk", serverURL: server.baseURL,
                           dataDirectory: folder.appendingPathComponent("disk-phone"))
    }
}
