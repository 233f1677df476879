/// What this server says it is, wherever Mattermost says it: the client config's `Version` and `BuildNumber`,
/// the `X-Version-Id` header, the WebSocket hello's `server_version` and the ping reply's `version`.
/// A current release: the mobile app treats a server from 6.5 on as having reliable WebSockets
/// (mattermost-mobile `app/utils/config.ts` hasReliableWebsocket) and warns below 9.11.0.
public enum ServerVersion {
    /// `model.CurrentVersion`.
    public static let version = "10.11.0"
    /// `model.BuildNumber`: not a Mattermost build, and saying so.
    public static let buildNumber = "mmsim"
    /// Mattermost puts a hash of the client config here; ours never changes while a server runs.
    static let configHash = "0"

    /// `"ver.build.confighash.licensed"`, as in `X-Version-Id` and hello's `server_version`.
    public static var versionID: String { "\(version).\(buildNumber).\(configHash).false" }
}
