import Foundation

// Helpers for bench/run.sh, kept out of the mmsim binary: `servers` (the embedded server next to a bare
// Hummingbird route, in one build and one process) and `render` (frame time of the TUI's pure render).
let arguments = CommandLine.arguments.dropFirst()
switch arguments.first {
case "servers":
    try await BenchServers.run()
case "render":
    BenchRender.run(frames: arguments.dropFirst().first.flatMap { Int($0) } ?? 5000)
default:
    FileHandle.standardError.write(Data("usage: mmsim-bench servers | render [FRAMES]\n".utf8))
    exit(2)
}
