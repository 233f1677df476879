import ArgumentParser
import Fleet
import Foundation
import MattermostModel
import Scenario

extension FleetReport {
    /// The summary on stdout and the JSON where `--json` says; with JSON on stdout, the summary goes to stderr.
    /// Exit 1 when the report did not pass.
    func publish(json: String?) throws {
        if json == "-" { RunUsage.stderr(text(), newline: false) } else { print(text(), terminator: "") }
        if let json {
            do throws(OutputFile.Failure) {
                if json == "-" {
                    try OutputFile.writeStandardOutput(self.json() + Data("\n".utf8))
                } else {
                    try OutputFile.write(self.json(), to: json)
                }
            } catch {
                throw RunUsage.error("\(error)")
            }
        }
        if !passed { throw ExitCode(1) }
    }
}
