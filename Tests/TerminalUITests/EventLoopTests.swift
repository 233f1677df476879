import Device
import Synchronization
import XCTest
@testable import TerminalUI

/// An in-memory screen for the app's loop: keys go in, every painted frame comes out on a stream.
final class TestTerminal: TerminalBackend, @unchecked Sendable {
    // @unchecked: `pending` is behind a Mutex; the rest is touched only by the TerminalApp actor.
    let size: Size
    let unicode = true
    let color = false
    let frames: AsyncStream<String>
    private let framesSink: AsyncStream<String>.Continuation
    private let pending = Mutex<[TerminalInput]>([])
    private let wake = Mutex<(@Sendable () -> Void)?>(nil)

    init(size: Size = Size(width: 120, height: 40)) {
        self.size = size
        (frames, framesSink) = AsyncStream.makeStream(of: String.self)
    }

    func press(_ keys: Key...) {
        pending.withLock { $0 += keys.map(TerminalInput.key) }
        wake.withLock { $0 }?()
    }

    func paint(_ grid: Grid) { framesSink.yield(grid.text) }
    func readInput() -> [TerminalInput] { pending.withLock { inputs in defer { inputs = [] }; return inputs } }
    func refreshSize() {}
    func startInput(onInput: @escaping @Sendable () -> Void, onSignal: @escaping @Sendable (Int32) -> Void) {
        wake.withLock { $0 = onInput }
    }
    func rearmInput() {}
    func close() { framesSink.finish() }
}

extension AsyncStream<String>.Iterator {
    /// The first frame from now on that shows `text`, or the last one painted if none does before the stream ends.
    mutating func frame(showing text: String) async -> String {
        var shown = ""
        while let frame = await next() {
            shown = frame
            if frame.contains(text) { break }
        }
        return shown
    }
}

/// The app's event loop end to end without a terminal: keys in, commands to the wiring, frames out.
final class EventLoopTests: XCTestCase {
    func testAKeyReachesTheWiringAndTheScreenAndF10EndsTheLoop() async throws {
        let terminal = TestTerminal()
        let (commands, sink) = AsyncStream.makeStream(of: Command.self)
        let app = TerminalApp(state: Fixtures.app([Fixtures.loggedIn()]), clock: { (Fixtures.now, 0) }) { command in
            sink.yield(command)
            return nil
        }
        let loop = Task { await app.run(on: terminal, forceASCII: false) }
        var frames = terminal.frames.makeAsyncIterator()
        let first = await frames.next()
        XCTAssertTrue(first?.contains("phone-1") ?? false, first ?? "no frame")

        terminal.press(.function(2))
        var received = commands.makeAsyncIterator()
        let command = await received.next()
        XCTAssertEqual(command, .setAirplane(phone: 0, on: true))
        let shown = await frames.frame(showing: "phone-1: airplane mode on")
        XCTAssertTrue(shown.contains("phone-1: airplane mode on"), shown)

        terminal.press(.function(10))
        await loop.value  // returns: the loop ended and closed the terminal
        sink.finish()
    }

    /// Below the minimum size only the size message shows: a key must not act unseen (F5, Tab, Enter would
    /// revoke every session); F10 still quits.
    func testKeysDoNothingWhileTheTerminalIsTooSmall() async throws {
        let terminal = TestTerminal(size: Size(width: 79, height: 24))
        let executed = Mutex<[Command]>([])
        let app = TerminalApp(state: Fixtures.app([Fixtures.loggedIn()]), clock: { (Fixtures.now, 0) }) { command in
            executed.withLock { $0.append(command) }
            return nil
        }
        let loop = Task { await app.run(on: terminal, forceASCII: false) }
        var frames = terminal.frames.makeAsyncIterator()
        let first = await frames.next() ?? ""
        XCTAssertTrue(first.contains("at least 80x24"), first)
        terminal.press(.function(5), .tab, .enter, .function(2), .character("a"))
        terminal.press(.function(10))
        await loop.value
        XCTAssertEqual(executed.withLock { $0 }, [], "nothing acted while the screen could not show it")
    }

    /// The wiring's outcome (a save that failed) reaches the status line; the key's own guess does not stay.
    func testTheOutcomeOfACommandReplacesTheStatusLine() async throws {
        let terminal = TestTerminal()
        var state = Fixtures.app([Fixtures.loggedIn()])
        state.timelineFolder = "/nowhere/timelines"
        state.focus = .channelList
        let app = TerminalApp(state: state, clock: { (Fixtures.now, 0) }) { command in
            command == .saveTimelines ? "timelines NOT saved to /nowhere/timelines: Permission denied" : nil
        }
        let loop = Task { await app.run(on: terminal, forceASCII: false) }
        var frames = terminal.frames.makeAsyncIterator()
        _ = await frames.next()
        terminal.press(.character("w"))
        let shown = await frames.frame(showing: "NOT saved")
        XCTAssertTrue(shown.contains("timelines NOT saved to /nowhere/timelines: Permission denied"), shown)
        terminal.press(.function(10))
        await loop.value
    }
}
