import EmbeddedServer
import Foundation
import MattermostModel
import XCTest

/// The REST calls the mobile app makes on entry and reconnect (mattermost-mobile app/actions/remote/entry/common.ts
/// entryRest) and when a channel opens (markChannelAsRead), answered as Mattermost's api4 handlers answer them.
final class EntryRoutesTests: ServerTestCase {
    func testClientConfigNeedsFormatOld() async throws {
        let server = try self.server
        let missing = try await server.get(APIPath.clientConfigRoute)
        XCTAssertEqual(missing.status, 501)
        XCTAssertEqual(try missing.appError().id, "api.config.client.old_format.app_error")
        let other = try await server.get(APIPath.clientConfigRoute + "?format=new")
        XCTAssertEqual(other.status, 400)
        XCTAssertEqual(try other.appError().id, ErrorID.invalidURLParam)
    }

    func testClientConfigWithoutOrWithADeadSessionIsTheLimitedOneNever401() async throws {
        let server = try self.server
        let anonymous = try await server.get(APIPath.clientConfig)
        XCTAssertEqual(anonymous.status, 200)
        XCTAssertEqual(anonymous.headers.first(name: "X-Version-Id"), ServerVersion.versionID, "as on every answer")
        let limited = try anonymous.decode(ClientConfig.self)
        XCTAssertEqual(limited.version, ServerVersion.version, "enough for the app's reliable-websocket test (≥ 6.5)")
        XCTAssertEqual(limited["SiteName"], "Mattermost")
        XCTAssertEqual(limited.diagnosticID?.count, 26)
        XCTAssertNil(limited["CollapsedThreads"], "only a session sees the full config")
        XCTAssertNil(limited.siteURL)

        let (token, _) = try await server.login("user-1")
        let full = try await server.get(APIPath.clientConfig, token: token).decode(ClientConfig.self)
        XCTAssertEqual(full["CollapsedThreads"], "always_on")
        XCTAssertTrue(full.enableReliableWebSockets)
        XCTAssertEqual(full.siteURL, server.base)
        XCTAssertEqual(full.version, ServerVersion.version)
        XCTAssertEqual(full.diagnosticID, limited.diagnosticID)

        let (admin, _) = try await server.login("sysadmin")
        _ = try await server.post(APIPath.revokeAllInSystem, token: admin)
        let revoked = try await server.get(APIPath.clientConfig, token: token)
        XCTAssertEqual(revoked.status, 200, "a revoked token gets the limited config, not a 401")
        XCTAssertNil(try revoked.decode(ClientConfig.self)["CollapsedThreads"])
        let license = try await server.get(APIPath.clientLicense, token: token)
        XCTAssertEqual(license.status, 200)
        XCTAssertEqual(String(decoding: license.body, as: UTF8.self), #"{"IsLicensed":"false"}"#)
    }

    func testPreferencesAndMembershipsAnswerWithMattermostsFields() async throws {
        let server = try self.server
        let (token, user) = try await server.login("user-1")
        let preferences = try await server.get(APIPath.myPreferences, token: token)
        XCTAssertEqual(preferences.status, 200)
        XCTAssertEqual(try preferences.decode([Preference].self), [])

        let teams = try await server.get(APIPath.myTeams, token: token).decode([Team].self)
        let teamMembers = try await server.get(APIPath.myTeamMembers, token: token)
        let members = try teamMembers.decode([TeamMember].self)
        XCTAssertEqual(members.map(\.teamID), teams.map(\.id))
        XCTAssertEqual(members.first?.userID, user.id)
        let raw = try XCTUnwrap(try JSONSerialization.jsonObject(with: teamMembers.body) as? [[String: Any]]).first
        for key in ["team_id", "user_id", "roles", "delete_at", "scheme_user", "scheme_admin", "scheme_guest"] {
            XCTAssertNotNil(raw?[key], key)
        }

        let team = try XCTUnwrap(teams.first)
        let channels = try await server.get(APIPath.myChannels(team: team.id), token: token).decode([MattermostModel.Channel].self)
        let channelMembers = try await server.get(APIPath.myChannelMembers(team: team.id), token: token)
        XCTAssertEqual(Set(try channelMembers.decode([ChannelMember].self).map(\.channelID)), Set(channels.map(\.id)))
        let first = try XCTUnwrap(try JSONSerialization.jsonObject(with: channelMembers.body) as? [[String: Any]]).first
        for key in ["channel_id", "user_id", "roles", "last_viewed_at", "msg_count", "mention_count", "notify_props"] {
            XCTAssertNotNil(first?[key], key)
        }
        let elsewhere = try await server.get(APIPath.myChannelMembers(team: MattermostID.new()), token: token)
        XCTAssertEqual(elsewhere.status, 403)
    }

    func testViewingAChannelMarksItAndExtendsTheSession() async throws {
        let server = try self.server
        let (token, user) = try await server.login("user-1")
        let channel = try await server.townSquare(token)
        _ = try await server.post(APIPath.posts, CreatePostRequest(channelID: channel.id, message: "one"), token: token)
        let before = try await server.get(APIPath.mySessions, token: token).decode([Session].self)
        server.clock.advance(byMillis: 8 * 3_600_000)

        let viewed = try await server.post(APIPath.viewChannel, ChannelViewRequest(channelID: channel.id), token: token)
        XCTAssertEqual(viewed.status, 200)
        let answer = try viewed.decode(ChannelViewResponse.self)
        XCTAssertEqual(answer.status, "OK")
        XCTAssertEqual(answer.lastViewedAtTimes, [channel.id: server.clock.nowMillis])
        let members = try await server.get(APIPath.myChannelMembers(team: channel.teamID), token: token)
            .decode([ChannelMember].self)
        let member = try XCTUnwrap(members.first { $0.channelID == channel.id })
        XCTAssertEqual(member.lastViewedAt, server.clock.nowMillis)
        XCTAssertEqual(member.msgCount, 1)
        let after = try await server.get(APIPath.sessions(user.id), token: token).decode([Session].self)
        XCTAssertEqual(after.first?.expiresAt, server.clock.nowMillis + 720 * 3_600_000, "viewChannel extends")
        XCTAssertNotEqual(after.first?.expiresAt, before.first?.expiresAt)

        let bad = try await server.post(APIPath.viewChannel, ["channel_id": "nope"], token: token)
        XCTAssertEqual(bad.status, 400)
        let notMine = try await server.post(APIPath.viewChannel, ChannelViewRequest(channelID: MattermostID.new()),
                                            token: token)
        XCTAssertEqual(try notMine.decode(ChannelViewResponse.self).lastViewedAtTimes, [:])
    }
}
