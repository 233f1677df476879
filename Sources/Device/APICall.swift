import MattermostModel

/// A REST call the core asks the engine to make. Carries no token: the engine holds it.
public enum APICall: Sendable, Equatable {
    case login(username: String)
    case me
    case teams
    case channels(teamID: String)
    case posts(channelID: String, since: Int64?)
    case createPost(OutboxItem)
    case logout
    // The real app's entry and lifecycle calls, answered as JSON.
    case clientConfig
    case clientLicense
    case preferences
    case teamMembers
    case channelMembers(teamID: String)
    case mySessions
    case viewChannel(channelID: String)

    /// "GET /api/v4/users/me": what the timeline shows. Never a token or a password.
    public var summary: String {
        switch self {
        case .login: return "POST \(APIPath.login)"
        case .me: return "GET \(APIPath.me)"
        case .teams: return "GET \(APIPath.myTeams)"
        case .channels(let teamID): return "GET \(APIPath.myChannels(team: teamID))"
        case .posts(let channelID, let since):
            return "GET \(APIPath.channelPosts(channelID))" + (since.map { "?since=\($0)" } ?? "")
        case .createPost: return "POST \(APIPath.posts)"
        case .logout: return "POST \(APIPath.logout)"
        case .clientConfig: return "GET \(APIPath.clientConfig)"
        case .clientLicense: return "GET \(APIPath.clientLicense)"
        case .preferences: return "GET \(APIPath.myPreferences)"
        case .teamMembers: return "GET \(APIPath.myTeamMembers)"
        case .channelMembers(let teamID): return "GET \(APIPath.myChannelMembers(team: teamID))"
        case .mySessions: return "GET \(APIPath.mySessions)"
        case .viewChannel: return "POST \(APIPath.viewChannel)"
        }
    }

    /// The mobile app's `forceLogoutIfNecessary` runs after fetches only: not after creating a post or marking a
    /// channel read (post.ts `createPost`, channel.ts `markChannelAsRead`), and never for `/login`.
    var forcesLogoutOn401: Bool {
        switch self {
        case .login, .createPost, .viewChannel, .logout: return false
        default: return true
        }
    }
}

/// What a successful call gave back.
public enum APIResult: Sendable, Equatable {
    case loggedIn(User, token: String)
    case user(User)
    case teams([Team])
    case channels([Channel])
    case posts(PostList)
    case post(Post)
    case json(JSONValue)
    case done
}
