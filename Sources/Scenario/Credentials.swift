import EmbeddedServer
import Foundation

/// Who signs in with which password. Embedded mode knows the seeded accounts (and `user-N`, created on demand);
/// against a real server every password comes from the file's `credentials:` (via `${KEY}`) or a device entry.
struct Credentials: Sendable {
    let scenario: Scenario
    let embedded: Bool

    static func isOnDemandUser(_ name: String) -> Bool {
        guard name.hasPrefix("user-"), let n = Int(name.dropFirst(5)) else { return false }
        return n >= 1 && String(n) == name.dropFirst(5)
    }

    func password(for user: String) -> String? {
        if let p = scenario.credentials[user] { return p }
        if let p = scenario.devices.first(where: { $0.user == user && $0.password != nil })?.password { return p }
        guard embedded else { return nil }
        if let seeded = SeedAccounts.all.first(where: { $0.username == user }) { return seeded.password }
        return Self.isOnDemandUser(user) ? SeedAccounts.userPassword : nil
    }

    /// The user that reads the server for `assertPost`: its own `as`, else the file's first `as:` user, else the admin.
    var defaultReader: String {
        scenario.steps.lazy.compactMap(\.consoleUser).first ?? SeedAccounts.adminUsername
    }

    /// Users whose password the run will need, with where they are first needed.
    func requiredUsers() -> [(user: String, location: SourceLocation)] {
        var out = scenario.devices.map { ($0.user, $0.location) }
        for step in scenario.steps {
            if let user = step.consoleUser {
                out.append((user, step.location))
                continue
            }
            switch step.action {
            case .login(_, let user?, nil):
                out.append((user, step.location))
            case .assertPost(_, _, _, let reader):
                out.append((reader ?? defaultReader, step.location))
            default: continue
            }
        }
        return out
    }
}

/// Checks that depend on how the file will run (embedded or `--server`), done before any scenario runs.
public enum ScenarioValidation {
    public static let longWaitMillis: Int64 = 10 * 60_000

    public static func check(_ scenario: Scenario, embedded: Bool, allowLongWaits: Bool) throws(ScenarioError) {
        let credentials = Credentials(scenario: scenario, embedded: embedded)
        for (user, location) in credentials.requiredUsers() where credentials.password(for: user) == nil {
            let how = embedded ? "it is not a seeded account" : "mmsim does not know passwords on a real server"
            throw ScenarioError(location: location, message: "no password for '\(user)' (\(how)); add it under credentials:, e.g. \(user): ${\(envName(user))}")
        }
        guard !embedded, !allowLongWaits else { return }
        for step in scenario.steps {
            if case .wait(let millis, let text) = step.action, millis > longWaitMillis {
                throw ScenarioError(location: step.location,
                                    message: "wait: \(text) is real time against a server (more than 10m); pass --allow-long-waits to run it")
            }
        }
    }

    static func envName(_ user: String) -> String {
        user.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }.map(String.init).joined() + "_PASSWORD"
    }
}
