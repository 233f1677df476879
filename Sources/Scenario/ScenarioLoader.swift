import Foundation

/// Paths → scenario files → parsed scenarios. Every file is read and checked before anything runs, and every
/// problem is reported, not just the first file's.
public enum ScenarioLoader {
    public struct Outcome: Sendable {
        public var scenarios: [Scenario] = []
        public var errors: [ScenarioError] = []
    }

    /// A folder means every `*.yaml` / `*.yml` in it (not recursive), sorted by name.
    public static func files(_ paths: [String]) -> (files: [String], errors: [ScenarioError]) {
        var files: [String] = []
        var errors: [ScenarioError] = []
        for path in paths {
            if let problem = PathKind.problem(path) {
                errors.append(ScenarioError(location: SourceLocation(file: path, line: 0, column: 0), message: problem))
                continue
            }
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            if isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                let yaml = names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
                if yaml.isEmpty {
                    errors.append(ScenarioError(location: SourceLocation(file: path, line: 0, column: 0), message: "no *.yaml or *.yml files in this folder"))
                }
                let base = path.hasSuffix("/") ? String(path.dropLast()) : path
                files += yaml.map { "\(base)/\($0)" }
            } else {
                files.append(path)
            }
        }
        return (files, errors)
    }

    public static func load(_ paths: [String], substitution: Substitution, embedded: Bool,
                            allowLongWaits: Bool) -> Outcome {
        var outcome = Outcome()
        let (files, errors) = files(paths)
        outcome.errors = errors
        for file in files {
            let text: String
            switch PathKind.readText(file) {
            case .success(let read): text = read
            case .failure(let error):
                outcome.errors.append(ScenarioError(location: SourceLocation(file: file, line: 0, column: 0), message: error.message))
                continue
            }
            do throws(ScenarioError) {
                let scenario = try ScenarioParser.parse(text, file: file, substitution: substitution)
                try ScenarioValidation.check(scenario, embedded: embedded, allowLongWaits: allowLongWaits)
                outcome.scenarios.append(scenario)
            } catch {
                outcome.errors.append(error)
            }
        }
        return outcome
    }

    /// `--include-tags a,b`: a scenario needs one of them; `--exclude-tags`: none of them.
    public static func filter(_ scenarios: [Scenario], include: [String], exclude: [String]) -> [Scenario] {
        scenarios.filter { scenario in
            (include.isEmpty || scenario.tags.contains(where: include.contains))
                && !scenario.tags.contains(where: exclude.contains)
        }
    }
}
