import Yams

/// Strict, positioned reading of a Yams node tree. The node API (not `Yams.load`) keeps every scalar a string,
/// so YAML 1.1 cannot turn the key `on` into a boolean, and every node carries its line and column.
struct YAMLReader {
    let file: String
    let substitution: Substitution

    func location(_ node: Node?) -> SourceLocation {
        guard let mark = node?.mark else { return SourceLocation(file: file, line: 1, column: 1) }
        return SourceLocation(file: file, line: mark.line, column: mark.column)
    }

    func error(_ node: Node?, _ message: String) -> ScenarioError {
        ScenarioError(location: location(node), message: message)
    }

    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let s): return "'\(s.string)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    func mapping(_ node: Node, _ what: String) throws(ScenarioError) -> Node.Mapping {
        guard case .mapping(let m) = node else { throw error(node, "\(what): expected a mapping, found \(Self.describe(node))") }
        return m
    }

    func sequence(_ node: Node, _ what: String) throws(ScenarioError) -> [Node] {
        guard case .sequence(let s) = node else { throw error(node, "\(what): expected a list, found \(Self.describe(node))") }
        return Array(s)
    }

    /// The raw scalar, before substitution (keys, and values whose text must be exact).
    func rawScalar(_ node: Node, _ what: String) throws(ScenarioError) -> String {
        guard case .scalar(let s) = node else { throw error(node, "\(what): expected text, found \(Self.describe(node))") }
        return s.string
    }

    /// A string value with `${KEY}` substituted.
    func string(_ node: Node, _ what: String) throws(ScenarioError) -> String {
        let raw = try rawScalar(node, what)
        do throws(Substitution.Failure) {
            return try substitution.apply(raw)
        } catch {
            switch error {
            case .unset(let key):
                throw self.error(node, "\(what): ${\(key)} is not set (pass -e \(key)=…, --env-file, or set it in the environment)")
            case .malformed(let text):
                throw self.error(node, "\(what): malformed substitution \(text); expected ${NAME} (or $$ for a literal $)")
            }
        }
    }

    func nonEmptyString(_ node: Node, _ what: String) throws(ScenarioError) -> String {
        let value = try string(node, what)
        guard !value.isEmpty else { throw error(node, "\(what): expected a non-empty value") }
        return value
    }

    /// Only `true` and `false`: `yes`, `on`, `1` are YAML 1.1 guesses a test should not depend on.
    func bool(_ node: Node, _ what: String) throws(ScenarioError) -> Bool {
        switch try string(node, what) {
        case "true": return true
        case "false": return false
        case let other: throw error(node, "\(what): expected true or false, found '\(other)'")
        }
    }

    func int(_ node: Node, _ what: String) throws(ScenarioError) -> Int {
        let text = try string(node, what)
        guard let value = Int(text), value >= 0 else { throw error(node, "\(what): expected a whole number ≥ 0, found '\(text)'") }
        return value
    }

    /// The fields of a mapping by name. Unknown, duplicate and missing fields are errors, never ignored.
    func fields(_ node: Node, _ what: String, required: [String], optional: [String] = []) throws(ScenarioError) -> [String: Node] {
        let m = try mapping(node, what)
        var result: [String: Node] = [:]
        let allowed = required + optional
        for (keyNode, value) in m {
            let key = try rawScalar(keyNode, "\(what) key")
            guard allowed.contains(key) else {
                throw error(keyNode, "unknown field '\(key)' in \(what); expected one of: \(allowed.joined(separator: ", "))")
            }
            guard result[key] == nil else { throw error(keyNode, "field '\(key)' appears twice in \(what)") }
            result[key] = value
        }
        for key in required where result[key] == nil {
            throw error(node, "\(what) is missing the field '\(key)'")
        }
        return result
    }
}
