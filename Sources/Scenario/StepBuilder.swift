import MattermostModel
import Yams

/// One `- step: …` entry → `Step`. A step is a mapping with exactly one step key and an optional `caption`
/// (beside the key, or inside the step's own fields).
struct StepBuilder {
    let reader: YAMLReader
    let devices: [String]

    static let keywords = ["launch", "login", "logout", "airplane", "power", "network", "post", "background", "foreground",
                           "openChannel", "revokeAllSessions",
                           "revokeUserSessions", "revokeSession", "deactivateUser", "resetPassword", "wait", "assertScreen",
                           "assertVisible", "assertNotVisible", "assertTokenCache", "assertOutbox", "assertPost",
                           "snapshot"]

    func step(_ node: Node) throws(ScenarioError) -> Step {
        let m = try reader.mapping(node, "a step")
        var keyword: (String, Node, Node)?
        var caption: String?
        for (keyNode, value) in m {
            let key = try reader.rawScalar(keyNode, "a step key")
            if key == "caption" {
                guard caption == nil else { throw reader.error(keyNode, "caption appears twice") }
                caption = try reader.string(value, "caption")
            } else if Self.keywords.contains(key) {
                if let (first, _, _) = keyword {
                    throw reader.error(keyNode, "one step per list item: found '\(first)' and '\(key)'; start '\(key)' with its own '- '")
                }
                keyword = (key, keyNode, value)
            } else {
                throw reader.error(keyNode, "unknown step '\(key)'; expected one of: \(Self.keywords.joined(separator: ", "))")
            }
        }
        guard let (key, keyNode, value) = keyword else {
            throw reader.error(node, "a step needs one of: \(Self.keywords.joined(separator: ", "))")
        }
        var inner: String?
        let action = try self.action(key, keyNode: keyNode, value, caption: &inner)
        if let inner {
            guard caption == nil else { throw reader.error(value, "caption is given twice") }
            caption = inner
        }
        return Step(action: action, caption: caption, location: reader.location(keyNode))
    }

    func device(_ node: Node, _ what: String) throws(ScenarioError) -> String {
        let name = try reader.nonEmptyString(node, what)
        guard devices.contains(name) else {
            throw reader.error(node, "unknown device '\(name)'; devices in this file: \(devices.joined(separator: ", "))")
        }
        return name
    }

    /// Fields of a step, with `caption` allowed among them.
    func fields(_ key: String, _ node: Node, required: [String], optional: [String] = [],
                caption: inout String?) throws(ScenarioError) -> [String: Node] {
        var f = try reader.fields(node, key, required: required, optional: optional + ["caption"])
        if let c = f.removeValue(forKey: "caption") { caption = try reader.string(c, "caption") }
        return f
    }

    func action(_ key: String, keyNode: Node, _ value: Node, caption: inout String?) throws(ScenarioError) -> Step.Action {
        // Steps that take just a device accept `launch: phone` as well as `launch: {device: phone}`.
        func deviceOnly() throws(ScenarioError) -> String {
            if case .scalar = value { return try device(value, key) }
            let f = try fields(key, value, required: ["device"], caption: &caption)
            return try device(f["device"] ?? value, "\(key).device")
        }
        func need(_ f: [String: Node], _ name: String) -> Node { f[name] ?? value }
        switch key {
        case "launch": return .launch(device: try deviceOnly())
        case "background": return .background(device: try deviceOnly())
        case "foreground": return .foreground(device: try deviceOnly())
        case "openChannel":
            let f = try fields(key, value, required: ["device", "channel"], caption: &caption)
            return .openChannel(device: try device(need(f, "device"), "openChannel.device"),
                                channel: try reader.nonEmptyString(need(f, "channel"), "openChannel.channel"))
        case "logout": return .logout(device: try deviceOnly())
        case "login":
            if case .scalar = value { return .login(device: try device(value, key), user: nil, password: nil) }
            let f = try fields(key, value, required: ["device"], optional: ["user", "password"], caption: &caption)
            var user: String?
            var password: String?
            if let u = f["user"] { user = try reader.nonEmptyString(u, "login.user") }
            if let p = f["password"] { password = try reader.string(p, "login.password") }
            return .login(device: try device(need(f, "device"), "login.device"), user: user, password: password)
        case "airplane", "power":
            let f = try fields(key, value, required: ["device", "on"], caption: &caption)
            let d = try device(need(f, "device"), "\(key).device")
            let on = try reader.bool(need(f, "on"), "\(key).on")
            return key == "airplane" ? .airplane(device: d, on: on) : .power(device: d, on: on)
        case "network":
            let f = try fields(key, value, required: ["device", "profile"], caption: &caption)
            return .network(device: try device(need(f, "device"), "network.device"),
                            profile: try ScenarioBuilder.profile(need(f, "profile"), reader, "network.profile"))
        case "post":
            let f = try fields(key, value, required: ["device", "channel", "text"], caption: &caption)
            return .post(device: try device(need(f, "device"), "post.device"),
                         channel: try reader.nonEmptyString(need(f, "channel"), "post.channel"),
                         text: try reader.nonEmptyString(need(f, "text"), "post.text"))
        case "revokeAllSessions":
            let f = try fields(key, value, required: ["as"], caption: &caption)
            return .revokeAllSessions(as: try reader.nonEmptyString(need(f, "as"), "revokeAllSessions.as"))
        case "revokeUserSessions", "deactivateUser":
            let f = try fields(key, value, required: ["as", "user"], caption: &caption)
            let admin = try reader.nonEmptyString(need(f, "as"), "\(key).as")
            let user = try reader.nonEmptyString(need(f, "user"), "\(key).user")
            return key == "deactivateUser" ? .deactivateUser(as: admin, user: user) : .revokeUserSessions(as: admin, user: user)
        case "revokeSession":
            let f = try fields(key, value, required: ["as", "device"], caption: &caption)
            return .revokeSession(as: try reader.nonEmptyString(need(f, "as"), "revokeSession.as"),
                                  device: try device(need(f, "device"), "revokeSession.device"))
        case "resetPassword":
            let f = try fields(key, value, required: ["as", "user", "password"], caption: &caption)
            return .resetPassword(as: try reader.nonEmptyString(need(f, "as"), "resetPassword.as"),
                                  user: try reader.nonEmptyString(need(f, "user"), "resetPassword.user"),
                                  password: try reader.nonEmptyString(need(f, "password"), "resetPassword.password"))
        case "wait":
            let text = try reader.string(value, "wait")
            guard let millis = DurationText.millis(text) else {
                let hint = Int(text.trimmingCharacters(in: .whitespaces)) != nil
                    ? "a bare number is ambiguous; write it with a unit" : "expected a duration"
                throw reader.error(value, "wait: \(hint), e.g. 500ms, 30s, 3m or 1h30m (found '\(text)')")
            }
            return .wait(millis: millis, text: text)
        case "assertScreen":
            let f = try fields(key, value, required: ["device", "screen"], caption: &caption)
            let screen = try reader.string(need(f, "screen"), "assertScreen.screen")
            guard ScenarioParser.screens.contains(screen) else {
                throw reader.error(need(f, "screen"), "assertScreen.screen: expected one of \(ScenarioParser.screens.joined(separator: ", ")), found '\(screen)'")
            }
            return .assertScreen(device: try device(need(f, "device"), "assertScreen.device"), screen: screen)
        case "assertVisible", "assertNotVisible":
            let f = try fields(key, value, required: ["device", "text"], caption: &caption)
            let d = try device(need(f, "device"), "\(key).device")
            let text = try reader.nonEmptyString(need(f, "text"), "\(key).text")
            return key == "assertVisible" ? .assertVisible(device: d, text: text) : .assertNotVisible(device: d, text: text)
        case "assertTokenCache":
            let f = try fields(key, value, required: ["device", "empty"], caption: &caption)
            return .assertTokenCache(device: try device(need(f, "device"), "assertTokenCache.device"),
                                     empty: try reader.bool(need(f, "empty"), "assertTokenCache.empty"))
        case "assertOutbox":
            let f = try fields(key, value, required: ["device", "count"], caption: &caption)
            return .assertOutbox(device: try device(need(f, "device"), "assertOutbox.device"),
                                 count: try reader.int(need(f, "count"), "assertOutbox.count"))
        case "assertPost":
            let f = try fields(key, value, required: ["channel", "text", "by"], optional: ["as"], caption: &caption)
            var reader2: String?
            if let a = f["as"] { reader2 = try reader.nonEmptyString(a, "assertPost.as") }
            return .assertPost(channel: try reader.nonEmptyString(need(f, "channel"), "assertPost.channel"),
                               text: try reader.nonEmptyString(need(f, "text"), "assertPost.text"),
                               by: try reader.nonEmptyString(need(f, "by"), "assertPost.by"), as: reader2)
        case "snapshot":
            let f = try fields(key, value, required: ["device", "name"], caption: &caption)
            let name = try reader.nonEmptyString(need(f, "name"), "snapshot.name")
            guard name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }), !name.hasPrefix(".") else {
                throw reader.error(need(f, "name"), "snapshot.name: expected letters, digits, - _ . (it names a file)")
            }
            return .snapshot(device: try device(need(f, "device"), "snapshot.device"), name: name)
        default:
            throw reader.error(keyNode, "unknown step '\(key)'")
        }
    }
}
