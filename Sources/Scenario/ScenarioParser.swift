import Device
import MattermostModel
import Yams

/// YAML text → `Scenario`, strictly: every problem is a `ScenarioError` with file:line:column.
public enum ScenarioParser {
    public static let screens = ["login", "server", "channels", "channel", "off"]

    public static func parse(_ text: String, file: String, substitution: Substitution = Substitution()) throws(ScenarioError) -> Scenario {
        let reader = YAMLReader(file: file, substitution: substitution)
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw reader.error(nil, "the file is empty; expected a mapping with name, devices and steps")
            }
            root = node
        } catch let error as ScenarioError {
            throw error
        } catch let error as YamlError {
            throw yamlError(error, file: file)
        } catch {
            throw reader.error(nil, "not readable as YAML: \(error)")
        }
        return try ScenarioBuilder(reader: reader).scenario(root)
    }

    /// 1-based line and column of the character at `offset`.
    static func position(ofCharacter offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1, column = 1
        for character in text.prefix(offset) {
            if character.isNewline {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }

    static func yamlError(_ error: YamlError, file: String) -> ScenarioError {
        func at(_ mark: Mark, _ problem: String, _ context: YamlError.Context?) -> ScenarioError {
            // libyaml's own wording names its C setter ("…, set with yaml_set_max_nest_level()").
            if problem.hasPrefix("Maximum nesting level reached") {
                return ScenarioError(location: SourceLocation(file: file, line: mark.line, column: mark.column),
                                     message: "invalid YAML: nested more than 1000 levels deep")
            }
            let extra = context.map { " (\($0.text) at \($0.mark.line):\($0.mark.column))" } ?? ""
            return ScenarioError(location: SourceLocation(file: file, line: mark.line, column: mark.column),
                                 message: "invalid YAML: \(problem)\(extra)")
        }
        switch error {
        case .reader(let problem, let offset, let value, let yaml):
            // libyaml's reader names no line: count it from the offset (in characters) of the bad one.
            let (line, column) = offset.map { position(ofCharacter: $0, in: yaml) } ?? (1, 1)
            let code = String(UInt32(bitPattern: value), radix: 16, uppercase: true)
            return ScenarioError(location: SourceLocation(file: file, line: line, column: column),
                                 message: "invalid YAML: \(problem) (U+\(String(repeating: "0", count: max(0, 4 - code.count)))\(code))")
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            return at(mark, problem, context)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return at(context.mark, "duplicate key \(duplicates.joined(separator: ", "))", nil)
        default:
            return ScenarioError(location: SourceLocation(file: file, line: 1, column: 1), message: "invalid YAML: \(error)")
        }
    }
}

/// Builds the typed scenario from the node tree; checks references (devices, screens) as it goes.
struct ScenarioBuilder {
    let reader: YAMLReader
    var file: String { reader.file }

    func scenario(_ root: Node) throws(ScenarioError) -> Scenario {
        let top = try reader.fields(root, "the scenario", required: ["name", "devices", "steps"],
                                    optional: ["tags", "credentials"])
        let name = try reader.nonEmptyString(top["name"] ?? root, "name")
        var tags: [String] = []
        if let node = top["tags"] {
            for tag in try reader.sequence(node, "tags") { tags.append(try reader.nonEmptyString(tag, "a tag")) }
        }
        var credentials: [String: String] = [:]
        if let node = top["credentials"] {
            for (key, value) in try reader.mapping(node, "credentials") {
                credentials[try reader.rawScalar(key, "a credentials user")] = try reader.string(value, "a password")
            }
        }
        let devicesNode = top["devices"] ?? root
        var devices: [DeviceSpec] = []
        for (key, value) in try reader.mapping(devicesNode, "devices") {
            let deviceName = try reader.rawScalar(key, "a device name")
            guard !devices.contains(where: { $0.name == deviceName }) else {
                throw reader.error(key, "device '\(deviceName)' is defined twice")
            }
            devices.append(try device(deviceName, value))
        }
        guard !devices.isEmpty else { throw reader.error(devicesNode, "devices: expected at least one device") }
        let stepsNode = top["steps"] ?? root
        let stepNodes = try reader.sequence(stepsNode, "steps")
        guard !stepNodes.isEmpty else { throw reader.error(stepsNode, "steps: expected at least one step") }
        let names = devices.map(\.name)
        var steps: [Step] = []
        for node in stepNodes { steps.append(try StepBuilder(reader: reader, devices: names).step(node)) }
        try Self.checkSimulatedSpan(steps)
        return Scenario(file: file, name: name, tags: tags, devices: devices, credentials: credentials, steps: steps)
    }

    /// The most simulated time a scenario's waits may add up to. Far beyond any session length, and far below
    /// what the clock's milliseconds can hold: a sum past Int64 would trap (the run died of waits of 999999999h).
    static let maxSimulatedMillis: Int64 = 8_760 * 3_600_000

    static func checkSimulatedSpan(_ steps: [Step]) throws(ScenarioError) {
        var total: Int64 = 0
        for step in steps {
            guard case .wait(let millis, let text) = step.action else { continue }
            total += millis  // each wait is below 10^16 ms and the total is checked at every step: no overflow
            guard total <= maxSimulatedMillis else {
                throw ScenarioError(location: step.location, message: "wait: \(text) takes the scenario's waits past "
                                    + "\(DurationText.text(maxSimulatedMillis)) (a year) of simulated time, the most a scenario may span")
            }
        }
    }

    func device(_ name: String, _ node: Node) throws(ScenarioError) -> DeviceSpec {
        let what = "device '\(name)'"
        let f = try reader.fields(node, what, required: ["user"], optional: ["password", "revokePolicy", "network", "app"])
        var policy = RevokePolicy.keepOutbox
        if let p = f["revokePolicy"] {
            let text = try reader.string(p, "revokePolicy")
            guard let parsed = RevokePolicy(rawValue: text) else {
                throw reader.error(p, "revokePolicy: expected keep-outbox or wipe, found '\(text)'")
            }
            policy = parsed
        }
        var network: NetworkProfile?
        if let n = f["network"] { network = try Self.profile(n, reader, "network") }
        var app: AppModel?
        if let a = f["app"] {
            let text = try reader.string(a, "app")
            guard let parsed = AppModel(rawValue: text) else {
                throw reader.error(a, "app: expected \(AppModel.names), found '\(text)'")
            }
            app = parsed
        }
        return DeviceSpec(name: name, user: try reader.nonEmptyString(f["user"] ?? node, "user"),
                          password: try f["password"].map { n throws(ScenarioError) in try reader.string(n, "password") },
                          revokePolicy: policy, network: network, app: app, location: reader.location(node))
    }

    static func profile(_ node: Node, _ reader: YAMLReader, _ what: String) throws(ScenarioError) -> NetworkProfile {
        let text = try reader.string(node, what)
        guard let profile = NetworkProfile(rawValue: text) else {
            throw reader.error(node, "\(what): expected one of \(NetworkProfile.names.joined(separator: ", ")), found '\(text)'")
        }
        return profile
    }
}
