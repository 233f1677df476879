import Foundation
import MMSimTestSupport
import XCTest

/// docs/fleet-at-scale.md owns its Kubernetes manifest and its GNU parallel recipe; both are checked as written:
/// the manifest against Kubernetes' schema (kubernetes-validate, offline), the recipe run on this machine.
final class FleetAtScaleDocTests: XCTestCase {
    static let doc = BuiltBinary.root.appendingPathComponent("docs/fleet-at-scale.md")

    /// The fenced block right after `<!-- fleet-at-scale: NAME -->`.
    func block(_ name: String) throws -> String {
        let text = try String(contentsOf: Self.doc, encoding: .utf8)
        let marker = "<!-- fleet-at-scale: \(name) -->\n```"
        let start = try XCTUnwrap(text.range(of: marker), "no block '\(name)' in \(Self.doc.path)")
        let afterFence = try XCTUnwrap(text[start.upperBound...].firstIndex(of: "\n"))
        let body = text[text.index(after: afterFence)...]
        let end = try XCTUnwrap(body.range(of: "```"))
        return String(body[..<end.lowerBound])
    }

    func run(_ executable: String, _ arguments: [String], in directory: URL? = nil,
             environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let directory { process.currentDirectoryURL = directory }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    func folder() -> URL {
        let url = BuiltBinary.temporaryFolder("fleet-doc")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testKubernetesManifestIsAValidIndexedJobOfConsistentShards() throws {
        guard try run("python3", ["-c", "import kubernetes_validate"]).status == 0 else {
            throw MissingTool.error("the manifest check needs kubernetes-validate: python3 -m pip install kubernetes-validate")
        }
        let manifest = try block("kubernetes manifest")
        let dir = folder()
        let file = dir.appendingPathComponent("fleet-job.yaml")
        try manifest.write(to: file, atomically: true, encoding: .utf8)
        let checked = try run("python3", ["-m", "kubernetes_validate", "--strict", file.path])
        XCTAssertEqual(checked.status, 0, checked.output)
        XCTAssertTrue(checked.output.contains("passed for resource job/mmsim-fleet"), checked.output)

        // The validator is not a rubber stamp: a misspelt field fails it.
        let typo = dir.appendingPathComponent("typo.yaml")
        try manifest.replacingOccurrences(of: "backoffLimit:", with: "backofLimit:").write(to: typo, atomically: true, encoding: .utf8)
        XCTAssertNotEqual(try run("python3", ["-m", "kubernetes_validate", "--strict", typo.path]).status, 0)

        // What the schema cannot tell: one shard per index, and the same N everywhere.
        func number(after key: String) -> Int? {
            manifest.split(separator: "\n").lazy.compactMap { line -> Int? in
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                return trimmed.hasPrefix(key) ? Int(trimmed.dropFirst(key.count).trimmingCharacters(in: .whitespaces)) : nil
            }.first
        }
        XCTAssertTrue(manifest.contains("completionMode: Indexed"))
        let completions = try XCTUnwrap(number(after: "completions:"))
        XCTAssertEqual(number(after: "parallelism:"), completions)
        XCTAssertTrue(manifest.contains("--shard \"$((JOB_COMPLETION_INDEX + 1))/\(completions)\""), manifest)
    }

    func testParallelRecipeRunsAsWrittenAgainstALocalServer() throws {
        guard try run("parallel", ["--version"]).status == 0 else {
            throw MissingTool.error("the recipe check needs GNU parallel: apt-get install parallel")
        }
        let recipe = try block("parallel recipe")
        let url = try serveEphemeral(users: 6)

        let dir = folder()
        try ":\n".write(to: dir.appendingPathComponent("hosts.txt"), atomically: true, encoding: .utf8)
        try (1...6).map { "user-\($0),SampleUser@1\n" }.joined()
            .write(to: dir.appendingPathComponent("users.csv"), atomically: true, encoding: .utf8)
        let path = BuiltBinary.url.deletingLastPathComponent().path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "")
        let result = try run("bash", ["-euo", "pipefail", "-c", recipe], in: dir, environment: [
            "MM_URL": url, "DEVICES": "6", "SHARDS": "3", "PATH": path,
            "MMSIM_ADMIN_USER": "sysadmin", "MMSIM_ADMIN_PASSWORD": "Sys@dmin-sample1",
        ])
        XCTAssertEqual(result.status, 0, result.output)
        let merged = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("merged.json"))) as? [String: Any]
        XCTAssertEqual(merged?["devices"] as? Int, 6)
        XCTAssertEqual(merged?["revocationsDetected"] as? Int, 6)
        XCTAssertEqual((merged?["shards"] as? [Any])?.count, 3)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("users.csv").path),
                      "--cleanup removes files from remote hosts only")
    }
}
