import Device
import Foundation
import MattermostModel
import Scenario
import TerminalUI

/// `mmsim demo`'s screen: TerminalUI's pure render of the phones (plus a console and timeline pane) drawn
/// with ANSI escapes, and the step's caption below. It waits between steps (`DemoPace`); the virtual clock stands
/// still meanwhile.
actor RunDemoPlayer: RunObserver {
    var pace: DemoPace
    let keys: RunDemoKeys
    let color: Bool
    /// The frame on screen, redrawn when Space changes the key hint.
    var last: (event: StepEvent, heading: String, caption: String?)?

    private let began = ContinuousClock.now

    init(pace: Double, keys: RunDemoKeys, color: Bool) {
        self.pace = DemoPace(seconds: pace)
        self.keys = keys
        self.color = color
    }

    var shouldStop: Bool { keys.quit }

    func scenarioStarted(_ scenario: Scenario, screens: StepEvent) async {
        show("\u{1B}[?25l")  // hide the cursor while playing
        draw(screens, heading: screens.scenario, caption: "\(screens.stepCount) steps · \(keyHint)")
        if byKey { await waitForNext() } else { await hold(until: now() + pace.seconds) }
    }

    var keyHint: String {
        keys.stepMode ? "Space, Enter or → next step · q quits" : "Space pauses · → skips ahead · q quits"
    }

    /// The last screen stays until a key, so the audience sees where the story ends.
    func holdLastScreen() async {
        guard keys.hasTerminal, !keys.quit, let last else { return }
        draw(last.event, heading: last.heading, caption: (last.caption.map { $0 + "  " } ?? "") + "— the end: any key closes")
        keys.discardUnread()
        _ = await keys.nextPress()
    }

    func stepStarting(_ event: StepEvent) async {
        let captionAlone = pace.stepStarts(at: now(), captioned: event.caption != nil)
        guard let caption = event.caption else { return }
        draw(event, heading: "step \(event.index + 1): \(event.summary)", caption: caption)
        if !byKey { await hold(until: captionAlone) }
    }

    func stepFinished(_ event: StepEvent) async {
        let mark = event.result?.status == .failed ? "  ✗ FAILED" : (event.step.keyword.hasPrefix("assert") ? "  ✓" : "")
        draw(event, heading: "step \(event.index + 1): \(event.summary)\(mark)", caption: event.caption)
        if byKey {
            // A key press moves on from each captioned step (and a failure); the others just show.
            if event.caption != nil || event.result?.status == .failed { await waitForNext() }
            return
        }
        await hold(until: pace.resultShows(from: now(), captioned: event.caption != nil))
    }

    func finish() {
        show("\u{1B}[?25h\n")
    }

    /// Step mode with a terminal to press keys in; without one (a pipe, CI) the demo plays on the timer.
    private var byKey: Bool { keys.stepMode && keys.hasTerminal }

    /// Seconds since the demo began, on the monotonic clock.
    private func now() -> Double {
        let elapsed = (ContinuousClock.now - began).components
        return Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
    }

    /// Step mode: the presenter's key moves on; 1 2 3 switch panes meanwhile.
    private func waitForNext() async {
        while true {
            let press = await keys.nextPress()
            if press == .next || press == .quit { return }
            if case .pane = press { redraw() }
        }
    }

    /// Keeps the screen until `deadline`, and longer by as long as the audience pauses; `q` ends it, and Enter, → or
    /// `n` cut it short (the step's time with it). Waits on the keys themselves; only the deadline is time.
    private func hold(until deadline: Double) async {
        var deadline = deadline
        while !keys.quit {
            let pausedAt = keys.paused ? now() : nil
            if pausedAt == nil, now() >= deadline { return }
            let press = await keys.nextPress(until: pausedAt == nil ? began + .seconds(deadline) : nil)
            if let pausedAt {
                deadline += now() - pausedAt
                pace.paused(for: now() - pausedAt)
            }
            switch press {
            case nil, .quit?: return
            case .next?:
                pace.skip(at: now())
                return
            case .pause?, .pane?: redraw()
            case .other?: break
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
