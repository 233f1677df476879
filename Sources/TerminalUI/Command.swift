import Device
import MattermostModel

/// What the wiring must do on phones, the console or the clock after a key. Phones are addressed by index.
public enum Command: Sendable, Equatable {
    case setAirplane(phone: Int, on: Bool)
    case setPower(phone: Int, on: Bool)
    case setNetwork(phone: Int, NetworkProfile)
    case typeUsername(phone: Int, String)
    case typePassword(phone: Int, String)
    case focusField(phone: Int, LoginForm.Field)
    case submitLogin(phone: Int)
    case openChannel(phone: Int, channelID: String)
    case back(phone: Int)
    /// The app to the background (true) or back to the foreground.
    case setBackground(phone: Int, Bool)
    case connectServer(phone: Int)
    case logout(phone: Int)
    /// Write every phone's timeline to the data folder.
    case saveTimelines
    case setApp(phone: Int, AppModel)
    case compose(phone: Int, channelID: String, text: String)
    case revokeAllSessions
    case revokeSessions(userID: String)
    /// Reset password in the System Console; clears the user's login lockout (and ends their sessions).
    case resetPassword(userID: String, newPassword: String)
    case refreshConsole
    case advanceClock(millis: Int64)
    case quit

    /// The phone a command is for, so the wiring can run each phone's commands in order.
    public var phone: Int? {
        switch self {
        case .setAirplane(let p, _), .setPower(let p, _), .setNetwork(let p, _), .typeUsername(let p, _), .typePassword(let p, _),
             .focusField(let p, _), .submitLogin(let p), .openChannel(let p, _), .back(let p), .compose(let p, _, _),
             .setBackground(let p, _), .connectServer(let p), .setApp(let p, _), .logout(let p):
            return p
        default: return nil
        }
    }

    public var isTyping: Bool {
        switch self {
        case .typeUsername, .typePassword: return true
        default: return false
        }
    }
}

/// What a mouse click on a drawn thing means; render records one rectangle per clickable thing.
public enum HitAction: Sendable, Equatable {
    case focusPhone(Int)
    case field(phone: Int, Focus)
    case logIn(phone: Int)
    case connect(phone: Int)
    case airplane(phone: Int)
    case power(phone: Int)
    case channel(phone: Int, index: Int)
    case back(phone: Int)
    case revokeAll
    case revokeUser(index: Int)
    case resetPassword(index: Int)
    case pane(Pane)
    case key(Key)
    case confirm
    case cancel
}

public struct Hit: Sendable, Equatable {
    public var rect: Rect
    public var action: HitAction
}

/// A key as the UI understands it; the backend translates ncurses codes into these.
public indirect enum Key: Sendable, Equatable {
    case character(Character)
    case enter, tab, backTab, escape, backspace, delete
    case up, down, left, right, home, end, pageUp, pageDown
    case function(Int)
    case controlC
    case click(HitAction)
}
