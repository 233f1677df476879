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
    case done
}
