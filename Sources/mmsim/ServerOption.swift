import Foundation
import MattermostClient

/// `--server URL` and `--ca-file PEM`, checked the same way by every command that can talk to a real Mattermost.
enum ServerOption {
    /// What is wrong with `text` as a server URL, or nil: an http(s) URL with a host and no user name or password
    /// (Mattermost signs in through its API, never through the URL, and a password there would be shown on screen and
    /// in every report). The message never repeats such a URL.
    static func problem(_ text: String) -> String? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
              ["http", "https"].contains(scheme), url.host != nil else {
            return "--server expects an http:// or https:// URL, e.g. https://mattermost.example.com"
                + (text.contains("@") ? "" : ", got '\(text)'")
        }
        if url.user != nil || url.password != nil {
            return "--server must not carry a user name or password (user:password@host): give the URL alone; "
                + "the System Console signs in as $MMSIM_ADMIN_USER with $MMSIM_ADMIN_PASSWORD (or asks)"
        }
        return nil
    }

    /// The system roots, plus the CAs of `caFile` when given.
    static func trust(caFile: String?) throws(ClientTrust.LoadError) -> ClientTrust {
        guard let caFile else { return .system }
        return try ClientTrust.load(caFile: caFile)
    }
}
