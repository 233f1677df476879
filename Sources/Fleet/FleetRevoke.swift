import Foundation
import MattermostClient

/// How the admin revokes (`--revoke`). Shards need no channel between them: with `users` each revokes its own
/// phones' users; with `at` every shard revokes all at one wall-clock instant they were all given.
public enum FleetRevoke: Sendable, Equatable {
    /// System Console › Users › Revoke All Sessions (POST /users/sessions/revoke/all).
    case all
    /// Each user of this run's phones: GET /users/username/{username}, POST /users/{id}/sessions/revoke/all.
    case users
    /// Revoke All Sessions at this wall-clock instant. A shard whose call gets 401 counts as revoked: another
    /// shard's revoke-all came first and ended this admin's session with everyone else's.
    case at(Date)

    /// The latest `at=TIME` accepted, from now. Further is a slip (a local time written with `Z`, a wrong day):
    /// the phones would sit offline, waiting without a word, until then.
    public static let longestWait: TimeInterval = 24 * 3600

    /// `all`, `users` or `at=TIME`, TIME in RFC 3339 (`2026-11-30T18:00:00Z`, an offset or fractional seconds
    /// allowed); a TIME not after `now`, or more than `longestWait` after it, is refused.
    public static func parse(_ text: String, now: Date = Date()) throws(FleetRevokeError) -> FleetRevoke {
        switch text {
        case "all": return .all
        case "users": return .users
        default:
            guard text.hasPrefix("at=") else { throw .syntax(text) }
            let time = String(text.dropFirst(3))
            guard let date = parseRFC3339(time) else { throw .badTime(time) }
            guard date > now else { throw .past(time) }
            guard date.timeIntervalSince(now) <= longestWait else { throw .tooFar(time, hours: date.timeIntervalSince(now) / 3600) }
            return .at(date)
        }
    }

    static func parseRFC3339(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return plain.date(from: text) ?? fractional.date(from: text)
    }

    public var label: String {
        switch self {
        case .all: return "all"
        case .users: return "users"
        case .at(let date): return "at=\(ISO8601DateFormatter().string(from: date))"
        }
    }
}

public enum FleetRevokeError: Error, Equatable, CustomStringConvertible {
    case syntax(String)
    case badTime(String)
    case past(String)
    case tooFar(String, hours: Double)

    public var description: String {
        switch self {
        case .syntax(let text): return "--revoke expects all, users or at=TIME, got '\(text)'"
        case .badTime(let time): return "--revoke at=TIME expects an RFC 3339 time such as 2026-11-30T18:00:00Z, got '\(time)'"
        case .past(let time): return "--revoke at=\(time) is not in the future"
        case let .tooFar(time, hours):
            return String(format: "--revoke at=%@ is %.1f hours away, more than %.0f: is its offset right (Z is UTC)? "
                          + "Start the shards closer to it", time, hours, FleetRevoke.longestWait / 3600)
        }
    }
}

/// The admin's side of the revoke phase: what was sent, and what went wrong (none of it secret).
struct FleetRevocation: Sendable {
    let api: MattermostAPI
    let admin: FleetCredential
    let mode: FleetRevoke
    /// The users of this run's phones, each once.
    let usernames: [String]
    let concurrency: Int

    struct Outcome: Sendable {
        var requests = 0
        var problems: [String] = []
    }

    func run() async -> Outcome {
        let token: String
        do throws(ClientError) {
            token = try await api.login(loginID: admin.username, password: admin.password, deviceID: nil).token
        } catch {
            return Outcome(requests: 1, problems: ["admin \(admin.username): login failed: \(error)"])
        }
        var outcome = await revoke(token: token)
        outcome.requests += 1
        return outcome
    }

    /// The revocation itself, with the admin's session token.
    func revoke(token: String) async -> Outcome {
        var outcome = Outcome()
        switch mode {
        case .all:
            outcome.requests += 1
            do throws(ClientError) {
                try await api.revokeAllSessionsInSystem(token: token)
            } catch {
                outcome.problems.append("admin \(admin.username): Revoke All Sessions failed: \(error)")
            }
        case .at(let date):
            let wait = date.timeIntervalSinceNow
            if wait < 0 {
                // Another shard may have revoked while these phones were still online: not MM-T941 any more.
                outcome.problems.append(String(format: "revoke time %@ passed %.1f s before this run's phones were offline: "
                                               + "give a later --revoke at=TIME", FleetRevoke.at(date).label, -wait))
            } else {
                try? await Task.sleep(for: .seconds(wait))
            }
            outcome.requests += 1
            do throws(ClientError) {
                try await api.revokeAllSessionsInSystem(token: token)
            } catch .unauthorized {
                // Revoked already, by another shard's revoke-all: what this call was for has happened.
            } catch {
                outcome.problems.append("admin \(admin.username): Revoke All Sessions failed: \(error)")
            }
        case .users:
            let results = await Self.map(usernames, concurrency: concurrency) { username in
                await revokeUser(username, token: token)
            }
            for (requests, problem) in results {
                outcome.requests += requests
                if let problem { outcome.problems.append(problem) }
            }
        }
        return outcome
    }

    /// Requests sent, and the problem if any.
    func revokeUser(_ username: String, token: String) async -> (Int, String?) {
        let id: String
        do throws(ClientError) {
            id = try await api.user(username: username, token: token).id
        } catch {
            return (1, "admin \(admin.username): looking up user \(username) failed: \(error)")
        }
        do throws(ClientError) {
            try await api.revokeAllSessions(token: token, userID: id)
            return (2, nil)
        } catch {
            return (2, "admin \(admin.username): revoking the sessions of \(username) failed: \(error)")
        }
    }

    /// `body` over `items`, at most `concurrency` at once; results in `items` order.
    static func map<T: Sendable>(_ items: [String], concurrency: Int,
                                 _ body: @escaping @Sendable (String) async -> T) async -> [T] {
        await withTaskGroup(of: (Int, T).self) { group in
            var results: [T?] = Array(repeating: nil, count: items.count)
            var next = 0
            for _ in 0..<max(1, concurrency) where next < items.count {
                let index = next
                group.addTask { (index, await body(items[index])) }
                next += 1
            }
            while let (index, result) = await group.next() {
                results[index] = result
                if next < items.count {
                    let index = next
                    group.addTask { (index, await body(items[index])) }
                    next += 1
                }
            }
            return results.compactMap { $0 }
        }
    }
}
