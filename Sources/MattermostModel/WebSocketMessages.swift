import Foundation

/// What the phone sends on the socket: `{"seq":1,"action":"authentication_challenge","data":{"token":"…"}}`.
public struct WebSocketRequest: Codable, Sendable {
    public var seq: Int64
    public var action: String
    public var data: [String: JSONValue]?

    public init(seq: Int64, action: String, data: [String: JSONValue]? = nil) {
        self.seq = seq
        self.action = action
        self.data = data
    }

    enum CodingKeys: String, CodingKey { case seq, action, data }

    /// As Go's json.Unmarshal fills Mattermost's WebSocketRequest: a field missing or null is its zero value (the
    /// server then answers FAIL `no_action` or `bad_seq`); only a wrong type fails the frame.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        seq = try c.decodeIfPresent(Int64.self, forKey: .seq) ?? 0
        action = try c.decodeIfPresent(String.self, forKey: .action) ?? ""
        data = try c.decodeIfPresent([String: JSONValue].self, forKey: .data)
    }

    public static let authenticationChallenge = "authentication_challenge"
    public static let ping = "ping"
    public static let userTyping = "user_typing"
}

public struct WebSocketBroadcast: Codable, Hashable, Sendable {
    public var userID: String
    public var channelID: String
    public var teamID: String
    public var omitUsers: [String: Bool]?

    public init(userID: String = "", channelID: String = "", teamID: String = "") {
        self.userID = userID
        self.channelID = channelID
        self.teamID = teamID
    }

    enum CodingKeys: String, CodingKey {
        case userID = "user_id", channelID = "channel_id", teamID = "team_id", omitUsers = "omit_users"
    }
}

/// An event the server pushes: `hello`, `posted`, …
public struct WebSocketEvent: Codable, Sendable {
    public var event: String
    public var data: [String: JSONValue]
    public var broadcast: WebSocketBroadcast
    public var seq: Int64

    public init(event: String, data: [String: JSONValue], broadcast: WebSocketBroadcast, seq: Int64) {
        self.event = event
        self.data = data
        self.broadcast = broadcast
        self.seq = seq
    }

    public static let hello = "hello"
    public static let posted = "posted"
    public static let typing = "typing"
}

/// The answer to a request: `{"status":"OK","seq_reply":1}` or with an `error`.
public struct WebSocketReply: Codable, Sendable {
    public var status: String
    public var seqReply: Int64
    public var data: [String: JSONValue]?
    public var error: AppError?

    public init(status: String, seqReply: Int64, data: [String: JSONValue]? = nil, error: AppError? = nil) {
        self.status = status
        self.seqReply = seqReply
        self.data = data
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case status, data, error
        case seqReply = "seq_reply"
    }
}

/// A frame from the server is either an event or a reply; tell them apart by their keys.
public enum WebSocketFrame: Sendable {
    case event(WebSocketEvent)
    case reply(WebSocketReply)

    private struct Probe: Decodable { var event: String?; var seq_reply: Int64? }

    public static func decode(_ text: String) -> WebSocketFrame? {
        let data = Array(text.utf8)
        let decoder = JSONDecoder()
        guard let probe = try? decoder.decode(Probe.self, from: Data(data)) else { return nil }
        if probe.event != nil, let event = try? decoder.decode(WebSocketEvent.self, from: Data(data)) {
            return .event(event)
        }
        if probe.seq_reply != nil, let reply = try? decoder.decode(WebSocketReply.self, from: Data(data)) {
            return .reply(reply)
        }
        return nil
    }
}
