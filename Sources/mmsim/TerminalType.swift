import TerminalUI
import Foundation
import Scenario

/// Whether `$TERM` names a terminal the app can draw on, checked before curses touches the terminal:
/// with an unknown name curses exits on its own (leaving an --ephemeral folder behind), and on `dumb`
/// it draws a blank screen that no key can leave.
enum TerminalType {
    /// nil when the app can run on `term`; else what to tell the user.
    static func problem(_ term: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        guard let term, !term.isEmpty else {
            return "TERM is not set: the interactive app needs a terminal type, e.g. TERM=xterm-256color"
        }
        if ["dumb", "unknown"].contains(term) {
            return "TERM=\(term) cannot move the cursor, which the interactive app needs; use a terminal such as xterm-256color, or `mmsim serve` / `mmsim run` for scripts"
        }
        guard terminfoExists(term, environment: environment) else {
            return "TERM=\(OutputText.escape(term)) is not a terminal type this system knows (no terminfo entry); try TERM=xterm-256color"
        }
        return nil
    }

    /// Where ncurses looks: $TERMINFO, ~/.terminfo, $TERMINFO_DIRS, then the system folders; an entry lives in
    /// a subfolder named by its first letter (Linux) or that letter's hex code (macOS).
    static func terminfoExists(_ term: String, environment: [String: String]) -> Bool {
        guard let first = term.unicodeScalars.first, !term.contains("/"), !term.hasPrefix(".") else { return false }
        var folders: [String] = []
        if let own = environment["TERMINFO"], !own.isEmpty { folders.append(own) }
        if let home = environment["HOME"], !home.isEmpty { folders.append(home + "/.terminfo") }
        let system = ["/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo", "/usr/lib/terminfo", "/usr/share/lib/terminfo"]
        for entry in (environment["TERMINFO_DIRS"] ?? "").split(separator: ":", omittingEmptySubsequences: false) {
            folders += entry.isEmpty ? system : [String(entry)]
        }
        folders += system
        let subfolders = [String(first), String(first.value, radix: 16)]
        return folders.contains { folder in
            subfolders.contains { FileManager.default.fileExists(atPath: "\(folder)/\($0)/\(term)") }
        }
    }
}
