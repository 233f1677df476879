import Device
import Foundation
import MattermostModel
@testable import TerminalUI

/// Hand-built states: the renderer is pure, so no server or terminal is needed here.
enum Fixtures {
    /// 2024-05-14 14:05:00 UTC.
    static let now: Int64 = 1_715_695_500_000
    static let server = "http://127.0.0.1:8065"
    static let user1 = User(id: "u1", createAt: 0, username: "user-1", email: "user-1@sample.mattermost.com", roles: "system_user")
    static let admin = User(id: "ad", createAt: 0, username: "sysadmin", email: "sysadmin@sample.mattermost.com", roles: "system_admin system_user")
    static let team = Team(id: "t1", createAt: 0, displayName: "QA", name: "qa")
    static let townSquare = Channel(id: "c1", createAt: 0, teamID: "t1", displayName: "Town Square", name: "town-square")
    static let offTopic = Channel(id: "c2", createAt: 0, teamID: "t1", displayName: "Off-Topic", name: "off-topic")

    static func phone(_ name: String = "phone-1") -> DeviceState {
        var phone = DeviceState(name: name, deviceID: "mmsim-test", serverURL: server)
        phone.phase = .loggedOut
        phone.screen = .login
        phone.connection = .loggedOut
        phone.timeline.append(.power, "powered on", at: now - 60_000)
        phone.timeline.append(.decision, "no token in the cache → login screen", at: now - 59_000)
        return phone
    }

    static func loggedIn(_ name: String = "phone-1") -> DeviceState {
        var phone = phone(name)
        phone.screen = .channels
        phone.connection = .live
        phone.phase = .session(user1)
        phone.team = team
        phone.channels = [townSquare, offTopic]
        phone.posts["c1"] = [Post(id: "p1", createAt: now - 120_000, userID: "u1", channelID: "c1", message: "hello from user-1")]
        phone.timeline.append(.request, "POST /api/v4/users/login → 200", at: now - 30_000)
        phone.timeline.append(.socket, "WebSocket open", at: now - 29_000)
        return phone
    }

    static var console: ConsoleView {
        ConsoleView(username: "sysadmin", signedIn: true,
                    users: [.init(userID: "ad", username: "sysadmin", sessionCount: 1), .init(userID: "u1", username: "user-1", sessionCount: 1)],
                    log: [.init(at: now - 61_000, text: "signed in as sysadmin")])
    }

    /// OutboxItem has no public initialiser; it is Codable, so build it the way the store reads it.
    static func outbox(_ id: String, _ message: String, _ state: String) -> OutboxItem {
        let json = """
            {"pendingPostID":"\(id)","channelID":"c1","message":"\(message)","authorID":"u1","createAt":\(now),"state":"\(state)"}
            """
        do {
            return try JSONDecoder().decode(OutboxItem.self, from: Data(json.utf8))
        } catch {
            fatalError("fixture: \(error)")
        }
    }

    static func app(_ phones: [DeviceState] = [phone()]) -> AppState {
        var state = AppState(phones: phones, console: console, serverURL: server)
        state.nowMillis = now
        return state
    }
}
