/// The API v4 paths mmsim serves and calls. The server builds its route patterns with these same functions (an id
/// argument of `:user_id` gives the pattern), so each path is written once.
public enum APIPath {
    public static let base = "/api/v4"
    public static let login = "/api/v4/users/login"
    public static let logout = "/api/v4/users/logout"
    public static let me = user("me")
    public static let users = "/api/v4/users"
    public static let userSearch = "/api/v4/users/search"
    public static let revokeAllInSystem = "/api/v4/users/sessions/revoke/all"
    public static let ping = "/api/v4/system/ping"
    public static let myTeams = teams(ofUser: "me")
    public static let posts = "/api/v4/posts"
    public static let websocket = "/api/v4/websocket"
    /// The routes of the client config and license; clients call them with `?format=old`, the only format
    /// Mattermost serves (api4/system.go getClientConfig).
    public static let clientConfigRoute = "/api/v4/config/client"
    public static let clientLicenseRoute = "/api/v4/license/client"
    public static let clientConfig = clientConfigRoute + "?format=old"
    public static let clientLicense = clientLicenseRoute + "?format=old"
    public static let myPreferences = preferences("me")
    public static let mySessions = sessions("me")
    public static let myTeamMembers = teamMembers(ofUser: "me")
    public static let viewChannel = viewChannel(ofUser: "me")

    public static func user(_ id: String) -> String { "/api/v4/users/\(id)" }
    public static func user(username: String) -> String { "/api/v4/users/username/\(username)" }
    public static func sessions(_ userID: String) -> String { "/api/v4/users/\(userID)/sessions" }
    public static func revokeSession(_ userID: String) -> String { "/api/v4/users/\(userID)/sessions/revoke" }
    public static func revokeAllOfUser(_ userID: String) -> String { "/api/v4/users/\(userID)/sessions/revoke/all" }
    public static func active(_ userID: String) -> String { "/api/v4/users/\(userID)/active" }
    public static func password(_ userID: String) -> String { "/api/v4/users/\(userID)/password" }
    public static func preferences(_ userID: String) -> String { "/api/v4/users/\(userID)/preferences" }
    public static func teams(ofUser userID: String) -> String { "/api/v4/users/\(userID)/teams" }
    public static func teamMembers(ofUser userID: String) -> String { "/api/v4/users/\(userID)/teams/members" }
    public static func channels(ofUser userID: String, team teamID: String) -> String {
        "/api/v4/users/\(userID)/teams/\(teamID)/channels"
    }
    public static func channelMembers(ofUser userID: String, team teamID: String) -> String {
        "/api/v4/users/\(userID)/teams/\(teamID)/channels/members"
    }
    public static func myChannels(team teamID: String) -> String { channels(ofUser: "me", team: teamID) }
    public static func myChannelMembers(team teamID: String) -> String { channelMembers(ofUser: "me", team: teamID) }
    public static func channelPosts(_ channelID: String) -> String { "/api/v4/channels/\(channelID)/posts" }
    public static func viewChannel(ofUser userID: String) -> String { "/api/v4/channels/members/\(userID)/view" }

    /// The session token travels in this response header after a login.
    public static let tokenHeader = "Token"
    public static let authCookie = "MMAUTHTOKEN"
}
