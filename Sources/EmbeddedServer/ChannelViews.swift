/// When each member last viewed each channel, and how many messages it had then (`channel_members.last_viewed_at`
/// and `msg_count` in Mattermost). Kept in memory: the mobile app reads them for unread badges only, and nothing
/// in MM-T941 depends on them surviving a restart.
actor ChannelViews {
    struct View: Sendable {
        var lastViewedAt: Int64
        var msgCount: Int64
    }

    private var views: [String: View] = [:]

    private static func key(_ userID: String, _ channelID: String) -> String { "\(userID)/\(channelID)" }

    func view(userID: String, channelID: String) -> View? { views[Self.key(userID, channelID)] }

    func record(userID: String, channelID: String, at time: Int64, msgCount: Int64) {
        views[Self.key(userID, channelID)] = View(lastViewedAt: time, msgCount: msgCount)
    }
}
