import Device
import Foundation
import TerminalUI

/// One screen of a scenario as the audience sees it: the app's own render of the phones, the System Console and
/// the timeline (TerminalUI), then the step's heading and caption. `mmsim demo` draws it live and `--record`
/// writes it into a cast, so a recording looks exactly like the demo.
public enum StepFrame {
    public static func text(_ event: StepEvent, heading: String, caption: String?, width: Int, height: Int,
                            color: Bool, status: String, keys: [KeyHint], pane: Pane = .phones) -> String {
        // Below the app's minimum the step and caption go into the status line rather than under the screen.
        let roomBelow = height - 2 >= Layout.minimum.height
        let size = Size(width: width, height: roomBelow ? height - 2 : height)
        var state = AppState(phones: event.phones,
                             // The scenario's own System Console: its users, session counts and log, as in `mmsim`.
                             console: event.console.map(ConsoleView.init) ?? ConsoleView(username: "sysadmin"),
                             serverURL: "scenario demo, virtual clock")
        state.nowMillis = event.nowMillis
        state.utcOffsetSeconds = TimeZone.current.secondsFromGMT()
        state.color = color
        state.status = roomBelow ? status : [heading, caption].compactMap { $0 }.joined(separator: " » ")
        state.keyBar = keys
        switch pane {
        case .phones: break
        case .console: state.focus = .console
        case .timeline: state.focus = .timeline
        }
        var out = "\u{1B}[H\u{1B}[2J" + ANSIPainter.paint(render(state, size), color: color)
        guard roomBelow else { return out }
        out += "\r\n" + ANSIPainter.bold(String(heading.prefix(width)))
        if let caption { out += "\r\n" + ANSIPainter.caption("» " + caption, color) }
        return out
    }
}
