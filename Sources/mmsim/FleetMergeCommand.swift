import ArgumentParser
import Fleet
import Foundation
import Scenario

struct FleetMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the --json reports of fleet shards into one: exit 0 every revocation detected, 1 not, 2 bad input.",
        discussion: """
            Counts, requests and CPU add up; latency percentiles come from the merged histograms; wall time and \\
            peak memory are the largest of the reports. Shards (--shard I/N) must all be there, each once. The \\
            report has the shape of one fleet's, plus `shards` (one line per report) and `worstShard` (most \\
            phones not detected, then the slowest).
            """
    )

    @Argument(help: ArgumentHelp("Reports written by `mmsim fleet --json`.", valueName: "report.json"))
    var reports: [String]

    @Option(help: ArgumentHelp("Write the merged report as JSON ('-' for stdout).", valueName: "file"))
    var json: String?

    func validate() throws {
        guard !reports.isEmpty else { throw ValidationError("give the reports to merge: mmsim fleet merge a.json b.json …") }
    }

    func run() throws {
        let merged: FleetReport
        do throws(FleetMergeError) {
            var inputs: [(source: String, report: FleetReport)] = []
            for path in reports { inputs.append((path, try FleetMerge.load(path))) }
            merged = try FleetMerge.merge(inputs)
        } catch {
            throw RunUsage.error("fleet merge: \(error)")
        }
        try merged.publish(json: json)
    }
}
