/// The app's global keys, once: this table drives the key handler's dispatch, the key bar, the F1 help, the
/// command's `--help` text, and the README's key table is checked against it by a test.
public enum GlobalAction: Sendable, Equatable, CaseIterable {
    case help, airplane, power, nextPhone, revokeAll, clock, network, background, appModel, quit
}

public struct KeyBinding: Sendable, Equatable {
    public var function: Int
    /// The letter that does the same on the channel list or a dark phone (never while text is typed).
    public var letter: Character
    public var action: GlobalAction
    /// Its label in the key bar.
    public var bar: String
    public var help: String

    /// "F5", "F10".
    public var functionName: String { "F\(function)" }
}

public enum KeyMap {
    public static let bindings: [KeyBinding] = [
        KeyBinding(function: 1, letter: "?", action: .help, bar: "Help", help: "this help"),
        KeyBinding(function: 2, letter: "a", action: .airplane, bar: "Plane", help: "airplane mode on/off (focused phone)"),
        KeyBinding(function: 3, letter: "p", action: .power, bar: "Power", help: "power off/on"),
        KeyBinding(function: 4, letter: "n", action: .nextPhone, bar: "Phone", help: "next phone"),
        KeyBinding(function: 5, letter: "r", action: .revokeAll, bar: "Revoke", help: "Revoke All Sessions (asks first; Tab, Enter)"),
        KeyBinding(function: 6, letter: "t", action: .clock, bar: "+1min", help: "clock +1 minute"),
        KeyBinding(function: 7, letter: "f", action: .network, bar: "Net", help: "next network profile (focused phone)"),
        KeyBinding(function: 8, letter: "h", action: .background, bar: "Bg", help: "app to the background / foreground"),
        KeyBinding(function: 9, letter: "m", action: .appModel, bar: "App", help: "app model: reference / mattermost-mobile"),
        KeyBinding(function: 10, letter: "q", action: .quit, bar: "Quit", help: "quit (also Ctrl-C)"),
    ]

    public static func binding(function number: Int) -> KeyBinding? { bindings.first { $0.function == number } }

    public static func binding(letter: Character) -> KeyBinding? {
        let lower = Character(letter.lowercased())
        return bindings.first { $0.letter == lower }
    }

    /// One line for a command's `--help`: "F1 help, F2 airplane mode on/off (focused phone), …".
    public static var summary: String {
        bindings.map { "\($0.functionName) (\($0.letter)) \($0.help)" }.joined(separator: ", ")
    }
}
