import Foundation
import MattermostModel

// Helpers for bench/run.sh, kept out of the mmsim binary: `servers` (the embedded server next to a bare
// Hummingbird route, in one build and one process) and `render` (frame time of the TUI's pure render).
let arguments = CommandLine.arguments.dropFirst()
switch arguments.first {
case "servers":
    try await BenchServers.run()
case "floor":
    let numbers = arguments.dropFirst().compactMap { Int($0) }
    try await BenchFloor.run(phones: numbers.first ?? 10000, concurrency: numbers.dropFirst().first ?? 64,
                             gets: numbers.dropFirst(2).first ?? 4)
case "floor-server":
    try await BenchFloor.serve()
case "render":
    BenchRender.run(frames: arguments.dropFirst().first.flatMap { Int($0) } ?? 5000)
default:
    StandardStream.error.write("usage: mmsim-bench servers | render [FRAMES] | floor [PHONES [CONCURRENCY [GETS]]]\n")
    exit(2)
}
