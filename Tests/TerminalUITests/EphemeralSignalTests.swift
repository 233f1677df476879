import Foundation
import MMSimTestSupport
import XCTest

/// `mmsim --ephemeral` promises its folder goes on exit: also when a signal comes while the server starts, before
/// the terminal takes the signals.
final class EphemeralSignalTests: XCTestCase {
    func testSIGTERMWhileStartingLeavesNoFolder() throws {
        let binary = try BuiltBinary.requireBuilt()
        let temp = BuiltBinary.temporaryFolder("tui-ephemeral")
        defer { try? FileManager.default.removeItem(at: temp) }
        for round in 1...20 {
            let tmp = temp.appendingPathComponent("tmp-\(round)")
            try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
            let pidFile = temp.appendingPathComponent("pid-\(round)").path
            // The pane's shell marks mmsim's end with a file: waiting for it is waiting for the exit itself.
            let ended = temp.appendingPathComponent("ended-\(round)")
            try FileManager.default.createDirectory(at: ended, withIntermediateDirectories: true)
            let watch = FolderWatch(tmp), ending = FolderWatch(ended)
            let tmux = try Tmux.launch("sh -c 'echo $$ > \(pidFile); exec \(binary.path) --ephemeral --port 0'; "
                                       + "touch \(ended.path)/done", environment: ["TMPDIR": tmp.path])
            defer { tmux.kill() }
            XCTAssertTrue(watch.waitUntilNotEmpty(), "round \(round): the app made its folder")
            let text = try String(contentsOfFile: pidFile, encoding: .utf8)
            let pid = try XCTUnwrap(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
            kill(pid, SIGTERM)
            XCTAssertTrue(ending.waitUntilNotEmpty(timeoutSeconds: 20), "round \(round): mmsim still runs after SIGTERM")
            XCTAssertNotEqual(kill(pid, 0), 0, "round \(round): mmsim still runs after SIGTERM")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tmp.path), [],
                           "round \(round): the ephemeral folder is gone: "
                           + "\(FileManager.default.subpaths(atPath: tmp.path) ?? []) \(tmux.capture())")
        }
    }
}
