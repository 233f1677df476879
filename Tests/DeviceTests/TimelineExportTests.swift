import Foundation
import XCTest
@testable import Device

final class TimelineExportTests: XCTestCase {
    func testEveryEntryIsWrittenWithItsUTCTimeAndTheFileIsPrivate() throws {
        var state = DeviceState(name: "phone-1", deviceID: "d", serverURL: "http://127.0.0.1:8065", app: .mattermostMobile)
        state.timeline.append(.radio, "airplane mode on", at: 1_700_000_000_000)
        state.timeline.append(.decision, "socket closed at authentication", at: 1_700_000_003_000)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mmsim-timeline-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = try TimelineExport.save([state], to: folder, at: 1_700_000_005_000)
        XCTAssertEqual(files.map(\.lastPathComponent), ["2023-11-14-221325-phone-1.txt"])
        let text = try String(contentsOf: files[0], encoding: .utf8)
        XCTAssertTrue(text.contains("2023-11-14 22:13:20 radio    airplane mode on"), text)
        XCTAssertTrue(text.contains("2023-11-14 22:13:23 decision socket closed at authentication"), text)
        XCTAssertTrue(text.hasPrefix("# mmsim timeline of phone-1 (mattermost-mobile app"))
        let mode = try FileManager.default.attributesOfItem(atPath: folder.path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o700)
    }
}
