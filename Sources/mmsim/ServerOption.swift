import Foundation
import MattermostClient

/// `--server URL` and `--ca-file PEM`, checked the same way by every command that can talk to a real Mattermost.
enum ServerOption {
    /// An http(s) URL with a host.
    static func isValid(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased() else { return false }
        return ["http", "https"].contains(scheme) && url.host != nil
    }

    /// The system roots, plus the CAs of `caFile` when given.
    static func trust(caFile: String?) throws(ClientTrust.LoadError) -> ClientTrust {
        guard let caFile else { return .system }
        return try ClientTrust.load(caFile: caFile)
    }
}
