import Foundation
import XCTest
@testable import TerminalUI

/// Compares a rendered screen with `Golden/<name>.txt`; `UPDATE_GOLDEN=1` rewrites the files in the source tree.
func assertGolden(_ state: AppState, _ size: Size, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
    let text = render(state, size).text + "\n"
    let sourceFolder = URL(fileURLWithPath: "\(file)").deletingLastPathComponent().appendingPathComponent("Golden")
    let sourceFile = sourceFolder.appendingPathComponent("\(name).txt")
    if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
        try? FileManager.default.createDirectory(at: sourceFolder, withIntermediateDirectories: true)
        XCTAssertNoThrow(try text.write(to: sourceFile, atomically: true, encoding: .utf8), file: file, line: line)
        return
    }
    // The copy in the test bundle, else the source tree (both hold the same files).
    let bundled = Bundle.module.url(forResource: name, withExtension: "txt", subdirectory: "Golden")
    guard let expected = try? String(contentsOf: bundled ?? sourceFile, encoding: .utf8) else {
        XCTFail("missing golden file \(name).txt; run with UPDATE_GOLDEN=1 to create it\n\(text)", file: file, line: line)
        return
    }
    if expected != text {
        XCTFail("screen differs from Golden/\(name).txt (UPDATE_GOLDEN=1 rewrites it)\n--- expected\n\(expected)\n--- actual\n\(text)",
                file: file, line: line)
    }
}
