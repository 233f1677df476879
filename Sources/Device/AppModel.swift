import MattermostModel

/// Which app a phone runs: mmsim's reference client, or the real Mattermost mobile app's rules as read from its
/// source (mattermost/mattermost-mobile; see docs/mattermost-mobile-model.md for file, function and commit).
public enum AppModel: String, Sendable, Codable, CaseIterable {
    case reference
    case mattermostMobile = "mattermost-mobile"

    public var rules: AppRules {
        switch self {
        case .reference: return .reference
        case .mattermostMobile: return .mattermostMobile
        }
    }

    /// For a phone's frame title.
    public var shortName: String {
        switch self {
        case .reference: return "ref"
        case .mattermostMobile: return "mm-app"
        }
    }

    public var next: AppModel {
        let all = Self.allCases
        let index = all.firstIndex(of: self) ?? 0
        return all[(index + 1) % all.count]
    }

    /// "reference | mattermost-mobile", for messages.
    public static var names: String { allCases.map(\.rawValue).joined(separator: " | ") }
}

/// A model's rules, as values the reducer consults instead of asking which model it runs.
public struct AppRules: Sendable, Equatable {
    public enum Reconnect: Sendable, Equatable {
        /// `GET /users/me` before anything else, on every reconnect (reference).
        case revalidateFirst
        /// The WebSocket first; REST runs on the first connect of the process, on every reopen without reliable
        /// websockets, or when `hello` brings a new connection id (websocket_manager.ts, actions/websocket/index.ts).
        case socketFirst
    }

    public enum LogoutOn401: Sendable, Equatable {
        /// Only `GET /users/me` may end the session; another 401 triggers that check.
        case confirmedByMe
        /// Any 401 from a fetch whose URL does not contain `/login` (session.ts `forceLogoutIfNecessary`).
        case anyFetch
    }

    public enum Unsent: Sendable, Equatable {
        /// A persisted outbox sent automatically once live; kept sealed to its author by `keepOutbox`.
        case outbox
        /// Sent at once; on any failure marked failed, retried only by "Try Again" (post.ts `createPost`).
        case failedWithManualRetry
    }

    public var model: AppModel
    public var reconnect: Reconnect
    public var logoutOn401: LogoutOn401
    /// Where a phone lands when its session ends.
    public var loggedOutScreen: Screen
    public var unsent: Unsent
    /// Whether `RevokePolicy.keepOutbox` applies; the real app always wipes (local/session `terminateSession`).
    public var honoursKeepOutbox: Bool
    /// `GET /users/me/sessions` when the app goes inactive (session_manager.ts `onAppStateChange`).
    public var checksSessionWhenInactive: Bool
    /// Opening a channel fetches its posts (channel.ts `switchToChannelById`).
    public var fetchesOnOpenChannel: Bool
    /// Coming to the foreground revalidates the session over REST.
    public var revalidatesOnForeground: Bool
    /// A socket that opens resets the failure count (websocket/index.ts `onOpen`), so one closed at the
    /// challenge retries every 3 s for ever.
    public var socketOpenResetsFailures: Bool
    /// The token also rides on the upgrade request (`Authorization`), as the mobile app sends it; needed for a
    /// reliable-websocket resume (api4/websocket.go `connectWebSocket`).
    public var tokenOnSocketUpgrade: Bool

    public static let reference = AppRules(
        model: .reference, reconnect: .revalidateFirst, logoutOn401: .confirmedByMe, loggedOutScreen: .login,
        unsent: .outbox, honoursKeepOutbox: true, checksSessionWhenInactive: false, fetchesOnOpenChannel: false,
        revalidatesOnForeground: true, socketOpenResetsFailures: false, tokenOnSocketUpgrade: false)

    public static let mattermostMobile = AppRules(
        model: .mattermostMobile, reconnect: .socketFirst, logoutOn401: .anyFetch, loggedOutScreen: .server,
        unsent: .failedWithManualRetry, honoursKeepOutbox: false, checksSessionWhenInactive: true,
        fetchesOnOpenChannel: true, revalidatesOnForeground: false, socketOpenResetsFailures: true,
        tokenOnSocketUpgrade: true)
}

/// The mobile app's reliable-websocket rule (app/utils/config.ts `hasReliableWebsocket`): server version ≥ 6.5, or
/// `EnableReliableWebSockets == "true"`, both from `GET /config/client?format=old`.
public enum ReliableWebSocket {
    public static func supported(config: JSONValue) -> Bool {
        if let version = config["Version"]?.stringValue, isAtLeast(version, major: 6, minor: 5) { return true }
        return config["EnableReliableWebSockets"]?.stringValue == "true"
    }

    static func isAtLeast(_ version: String, major: Int, minor: Int) -> Bool {
        let parts = version.split(separator: ".").map { Int($0) ?? 0 }
        guard let first = parts.first else { return false }
        let second = parts.count > 1 ? parts[1] : 0
        return first > major || (first == major && second >= minor)
    }
}
