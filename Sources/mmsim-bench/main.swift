import Foundation
import MattermostModel

// Helpers for bench/run.sh, kept out of the mmsim binary: `servers` (the embedded server next to a bare
// Hummingbird route, in one build and one process) and `render` (frame time of the TUI's pure render).
let arguments = CommandLine.arguments.dropFirst()
let usage = "usage: mmsim-bench servers | render [FRAMES] | floor [PHONES [CONCURRENCY [GETS]]]\n"

/// Positive whole numbers, or usage and exit 2.
func counts(_ texts: ArraySlice<String>, atMost: Int) -> [Int] {
    let numbers = texts.map { Int($0) }
    guard texts.count <= atMost, numbers.allSatisfy({ ($0 ?? 0) > 0 }) else {
        StandardStream.error.write("mmsim-bench: expected positive whole numbers, got \(texts.joined(separator: " "))\n" + usage)
        exit(2)
    }
    return numbers.compactMap { $0 }
}

switch arguments.first {
case "servers":
    try await BenchServers.run()
case "floor":
    let numbers = counts(arguments.dropFirst(), atMost: 3)
    do {
        try await BenchFloor.run(phones: numbers.first ?? 10000, concurrency: numbers.dropFirst().first ?? 64,
                                 gets: numbers.dropFirst(2).first ?? 4)
    } catch {
        StandardStream.error.write("mmsim-bench floor: \(error)\n")
        exit(1)
    }
case "floor-server":
    try await BenchFloor.serve()
case "render":
    BenchRender.run(frames: counts(arguments.dropFirst(), atMost: 1).first ?? 5000)
default:
    StandardStream.error.write(usage)
    exit(2)
}
