import Foundation
import MMSimTestSupport
import XCTest
@testable import TerminalUI

/// The key map is the one owner of the global keys: the bar, the help and the README's table follow it.
final class KeyMapTests: XCTestCase {
    func testTheREADMEKeyTableListsEveryBindingWithItsLetter() throws {
        let readme = try String(contentsOf: BuiltBinary.root.appendingPathComponent("README.md"), encoding: .utf8)
        let rows = readme.split(separator: "\n").filter { $0.hasPrefix("| F") }
        for binding in KeyMap.bindings {
            let row = rows.first { $0.hasPrefix("| \(binding.functionName) ") || $0.hasPrefix("| \(binding.functionName),") }
            XCTAssertNotNil(row, "README has no row for \(binding.functionName)")
            XCTAssertTrue(row?.contains("`\(binding.letter)`") ?? false, "README's \(binding.functionName) row lacks `\(binding.letter)`")
        }
    }

    func testEveryBindingActsByItsFunctionKeyAndByItsLetterOnTheChannelList() {
        for binding in KeyMap.bindings where binding.action != .quit {
            var byKey = Fixtures.app([Fixtures.loggedIn(), Fixtures.loggedIn("phone-2")])
            byKey.focus = .channelList
            var byLetter = byKey
            (byKey, _) = handle(byKey, .function(binding.function))
            (byLetter, _) = handle(byLetter, .character(binding.letter))
            XCTAssertEqual(byKey.status, byLetter.status, binding.functionName)
            XCTAssertEqual(byKey.dialog, byLetter.dialog, binding.functionName)
        }
    }

    func testTheBarAndTheHelpShowEveryBinding() {
        var state = Fixtures.app([Fixtures.loggedIn()])
        let bar = render(state, Size(width: 120, height: 40)).text.split(separator: "\n").last.map(String.init) ?? ""
        state.dialog = .help
        let help = render(state, Size(width: 120, height: 40)).text
        for binding in KeyMap.bindings {
            XCTAssertTrue(bar.contains("\(binding.functionName)\(binding.bar)"), "bar lacks \(binding.functionName)")
            XCTAssertTrue(help.contains(binding.functionName), "help lacks \(binding.functionName)")
        }
    }
}
