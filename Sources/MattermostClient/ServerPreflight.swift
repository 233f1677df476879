import NIOCore

/// A server given with `--server`, checked before anything runs on it: that it is there and answers as
/// Mattermost. Found later, a wrong URL or an untrusted certificate reads as phones or checks that failed.
public enum ServerPreflight {
    /// Long enough for a loaded server, short enough that a URL going nowhere is said soon.
    public static let timeout = TimeAmount.seconds(15)

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case unreachable(url: String, why: String)
        case notMattermost(url: String, ClientError)

        public var description: String {
            switch self {
            case let .unreachable(url, why): return "\(url) is not reachable (\(why)): is --server right?"
            case let .notMattermost(url, error):
                return "\(url) does not answer as a Mattermost server (GET /api/v4/system/ping: \(error)): is --server right?"
            }
        }
    }

    /// GET /api/v4/system/ping, with this trust; the API for further checks when it answers.
    @discardableResult
    public static func ping(_ url: String, trust: ClientTrust = .system) async throws(Failure) -> MattermostAPI {
        let api = MattermostAPI(baseURL: url, trust: trust, timeout: timeout)
        do throws(ClientError) {
            try await api.ping()
        } catch .network(let reason) {
            let prefix = "not reachable: "
            throw .unreachable(url: url, why: reason.hasPrefix(prefix) ? String(reason.dropFirst(prefix.count)) : reason)
        } catch {
            throw .notMattermost(url: url, error)
        }
        return api
    }
}
