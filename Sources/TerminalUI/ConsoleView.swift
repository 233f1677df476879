import Device

/// What the System Console pane shows, copied from `SystemConsole.State` (whose initialiser is not public,
/// and whose shape the UI should not depend on more than this).
public struct ConsoleView: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var userID: String
        public var username: String
        public var sessionCount: Int
        public init(userID: String, username: String, sessionCount: Int) {
            self.userID = userID
            self.username = username
            self.sessionCount = sessionCount
        }
    }

    public struct LogLine: Sendable, Equatable {
        public var at: Int64
        public var text: String
        public init(at: Int64, text: String) {
            self.at = at
            self.text = text
        }
    }

    public var username: String
    public var signedIn: Bool
    public var users: [Row]
    public var status: String
    public var log: [LogLine]

    public init(username: String, signedIn: Bool = false, users: [Row] = [], status: String = "", log: [LogLine] = []) {
        self.username = username
        self.signedIn = signedIn
        self.users = users
        self.status = status
        self.log = log
    }

    public init(_ state: SystemConsole.State) {
        self.init(username: state.username, signedIn: state.signedIn,
                  users: state.users.map { Row(userID: $0.user.id, username: $0.user.username, sessionCount: $0.sessionCount) },
                  status: state.status, log: state.log.map { LogLine(at: $0.at, text: $0.text) })
    }
}
