import ArgumentParser
import Foundation
import Logging

/// `--log-level` and `--log-file`, on every command.
struct GlobalOptions: ParsableArguments {
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    @Option(help: "Write logs to this file (default: standard error for headless commands).")
    var logFile: String?

    /// Sets up swift-log once per process. Logs never go to a terminal that a UI owns: pass `fallbackFile`.
    func bootstrapLogging(fallbackFile: String? = nil) throws {
        let level = logLevel
        if let path = logFile ?? fallbackFile {
            let sink = try FileLogSink(path: path)
            LoggingSystem.bootstrap { label in
                var handler = FileLogHandler(label: label, sink: sink)
                handler.logLevel = level
                return handler
            }
        } else {
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
