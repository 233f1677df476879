import Foundation

public struct PhoneConfiguration: Sendable {
    public var name: String
    /// Stable per phone: sent at login, so that a new login replaces this device's old session.
    public var deviceID: String
    public var serverURL: String
    /// This phone's own folder: token cache and local store live here.
    public var dataDirectory: URL
    public var revokePolicy: RevokePolicy
    /// false: the local store skips fsync (fleet runs). The token cache is always written atomically.
    public var durableStore: Bool

    public init(name: String, deviceID: String, serverURL: String, dataDirectory: URL,
                revokePolicy: RevokePolicy = .keepOutbox, durableStore: Bool = true) {
        self.name = name
        self.deviceID = deviceID
        self.serverURL = serverURL
        self.dataDirectory = dataDirectory
        self.revokePolicy = revokePolicy
        self.durableStore = durableStore
    }

    /// A device id that stays the same for a phone name and data folder across runs.
    public static func stableDeviceID(name: String, dataDirectory: URL) -> String {
        "mmsim-\(StableHash.hex(dataDirectory.standardizedFileURL.path + "#" + name))"
    }
}
