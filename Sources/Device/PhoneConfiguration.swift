import Foundation

public struct PhoneConfiguration: Sendable {
    public var name: String
    /// Stable per phone: sent at login, so that a new login replaces this device's old session.
    public var deviceID: String
    public var serverURL: String
    /// This phone's own folder: token cache and local store live here.
    public var dataDirectory: URL
    public var revokePolicy: RevokePolicy
    /// Which app the phone runs (its reconnect, logout and unsent-message rules).
    public var app: AppModel
    /// Where the local store lives. The token cache is a file written atomically, or with `.memory` kept in
    /// memory too.
    public var storage: PhoneStorage
    /// false: the local store skips fsync (scenarios, tests) or is not on disk at all (fleet runs).
    public var durableStore: Bool { storage == .disk(durable: true) }

    public init(name: String, deviceID: String, serverURL: String, dataDirectory: URL,
                revokePolicy: RevokePolicy = .keepOutbox, app: AppModel = .reference, storage: PhoneStorage) {
        self.name = name
        self.app = app
        self.deviceID = deviceID
        self.serverURL = serverURL
        self.dataDirectory = dataDirectory
        self.revokePolicy = revokePolicy
        self.storage = storage
    }

    public init(name: String, deviceID: String, serverURL: String, dataDirectory: URL,
                revokePolicy: RevokePolicy = .keepOutbox, app: AppModel = .reference, durableStore: Bool = true) {
        self.init(name: name, deviceID: deviceID, serverURL: serverURL, dataDirectory: dataDirectory,
                  revokePolicy: revokePolicy, app: app, storage: .disk(durable: durableStore))
    }

    /// A device id that stays the same for a phone name and data folder across runs.
    public static func stableDeviceID(name: String, dataDirectory: URL) -> String {
        "mmsim-\(StableHash.hex(dataDirectory.standardizedFileURL.path + "#" + name))"
    }
}
