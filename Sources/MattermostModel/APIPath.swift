/// The API v4 paths mmsim serves and calls.
public enum APIPath {
    public static let base = "/api/v4"
    public static let login = "/api/v4/users/login"
    public static let logout = "/api/v4/users/logout"
    public static let me = "/api/v4/users/me"
    public static let users = "/api/v4/users"
    public static let revokeAllInSystem = "/api/v4/users/sessions/revoke/all"
    public static let ping = "/api/v4/system/ping"
    public static let myTeams = "/api/v4/users/me/teams"
    public static let posts = "/api/v4/posts"
    public static let websocket = "/api/v4/websocket"

    public static func user(_ id: String) -> String { "/api/v4/users/\(id)" }
    public static func sessions(_ userID: String) -> String { "/api/v4/users/\(userID)/sessions" }
    public static func revokeSession(_ userID: String) -> String { "/api/v4/users/\(userID)/sessions/revoke" }
    public static func revokeAllOfUser(_ userID: String) -> String { "/api/v4/users/\(userID)/sessions/revoke/all" }
    public static func active(_ userID: String) -> String { "/api/v4/users/\(userID)/active" }
    public static func password(_ userID: String) -> String { "/api/v4/users/\(userID)/password" }
    public static func myChannels(team teamID: String) -> String { "/api/v4/users/me/teams/\(teamID)/channels" }
    public static func channelPosts(_ channelID: String) -> String { "/api/v4/channels/\(channelID)/posts" }

    /// The session token travels in this response header after a login.
    public static let tokenHeader = "Token"
    public static let authCookie = "MMAUTHTOKEN"
}
