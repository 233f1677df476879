import Device
import Foundation
import MattermostModel
import Scenario
import TerminalUI

/// `mmsim demo`'s screen: TerminalUI's pure render of the phones (plus a console and timeline pane) drawn
/// with ANSI escapes, and the step's caption below. It sleeps between steps; the virtual clock stands still meanwhile.
actor RunDemoPlayer: RunObserver {
    let pace: Double
    let keys: RunDemoKeys
    let color: Bool
    /// The frame on screen, redrawn when Space changes the key hint.
    var last: (event: StepEvent, heading: String, caption: String?)?

    init(pace: Double, keys: RunDemoKeys, color: Bool) {
        self.pace = pace
        self.keys = keys
        self.color = color
    }

    var shouldStop: Bool { keys.quit }

    func scenarioStarted(_ scenario: Scenario, screens: StepEvent) async {
        show("\u{1B}[?25l")  // hide the cursor while playing
        draw(screens, heading: screens.scenario, caption: "\(screens.stepCount) steps · \(keyHint)")
        await hold(pace)
    }

    var keyHint: String {
        keys.stepMode ? "Space, Enter or → next step · q quits" : "Space pauses · q quits"
    }

    /// The last screen stays until a key, so the audience sees where the story ends.
    func holdLastScreen() async {
        guard keys.hasTerminal, !keys.quit, let last else { return }
        draw(last.event, heading: last.heading, caption: (last.caption.map { $0 + "  " } ?? "") + "— the end: any key closes")
        keys.discardUnread()
        _ = await keys.nextPress()
    }

    func stepStarting(_ event: StepEvent) async {
        guard let caption = event.caption else { return }
        draw(event, heading: "step \(event.index + 1): \(event.summary)", caption: caption)
        if !keys.stepMode { await hold(pace * 0.5) }
    }

    func stepFinished(_ event: StepEvent) async {
        let mark = event.result?.status == .failed ? "  ✗ FAILED" : (event.step.keyword.hasPrefix("assert") ? "  ✓" : "")
        draw(event, heading: "step \(event.index + 1): \(event.summary)\(mark)", caption: event.caption)
        // In step mode a key press moves on from each captioned step; the others just show.
        if keys.stepMode, event.caption == nil, event.result?.status != .failed { return }
        await hold(event.caption == nil ? pace * 0.5 : pace)
    }

    func finish() {
        show("\u{1B}[?25h\n")
    }

    /// Sleeps for `seconds`, longer while paused; returns early on `q`. In step mode, waits for a key instead.
    func hold(_ seconds: Double) async {
        if keys.stepMode, keys.hasTerminal {
            while true {
                let press = await keys.nextPress()
                if press == .next || press == .quit { return }
                if case .pane = press { redraw() }
            }
        }
        // The pace itself is time: it runs in 100 ms ticks, which also stop while paused.
        var left = seconds
        var shown = (keys.paused, keys.pane)
        while (left > 0 || keys.paused), !keys.quit {
            try? await Task.sleep(for: .milliseconds(100))
            if !keys.paused { left -= 0.1 }
            if (keys.paused, keys.pane) != shown {
                shown = (keys.paused, keys.pane)
                redraw()
            }
        }
    }

    /// Writes to the screen; a reader that went away (`mmsim demo | head`) ends the demo instead of the process.
    func show(_ text: String) {
        if !StandardStream.output.write(text) { keys.apply(.quit) }
    }

    /// The frame on screen again (paused, another pane).
    func redraw() {
        guard let last else { return }
        draw(last.event, heading: last.heading, caption: last.caption)
    }

    func draw(_ event: StepEvent, heading: String, caption: String?) {
        last = (event, heading, caption)
        let (columns, rows) = RunTerminalSize.current()
        let bar = [KeyHint("Space", keys.stepMode ? "Next" : "Pause"), KeyHint("1 2 3", "Panes"), KeyHint("q", "Quit")]
        // The bar names the keys; the status line says where the story is.
        let status = keys.paused ? "paused · Space resumes" : "\(event.scenario) · +\(DurationText.clock(event.virtualMillis))"
        let out = StepFrame.text(event, heading: heading, caption: caption, width: columns, height: rows - 2,
                                 color: color, status: status, keys: bar, pane: keys.pane)
        show(out)
    }
}

enum RunTerminalSize {
    static func current() -> (columns: Int, rows: Int) {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col >= 40, size.ws_row >= 16 {
            return (Int(size.ws_col), Int(size.ws_row))
        }
        return (120, 36)
    }
}
