/// The calls the real mobile app makes on entry and reconnect (entry/common.ts `entryRest`).
extension APIPath {
    public static let clientConfig = "/api/v4/config/client?format=old"
    public static let clientLicense = "/api/v4/license/client?format=old"
    public static let myPreferences = "/api/v4/users/me/preferences"
    public static let myTeamMembers = "/api/v4/users/me/teams/members"
    public static let mySessions = "/api/v4/users/me/sessions"
    public static let viewChannel = "/api/v4/channels/members/me/view"
    public static func myChannelMembers(team teamID: String) -> String { "/api/v4/users/me/teams/\(teamID)/channels/members" }
}
