import Foundation
import MattermostModel
import Synchronization

/// A one-line progress bar on stderr, redrawn ten times a second from counters the phones bump.
/// The command creates it only when stderr is a terminal, so pipes and CI logs stay clean.
public final class FleetProgress: Sendable {
    private struct Phase: Sendable {
        var name = ""
        var total = 0
    }

    private let phase = Mutex(Phase())
    private let done = Atomic<Int>(0)
    private let ticker = Mutex<Task<Void, Never>?>(nil)

    public init() {}

    func begin(_ name: String, total: Int) {
        phase.withLock { $0 = Phase(name: name, total: total) }
        done.store(0, ordering: .relaxed)
        draw()
        ticker.withLock { task in
            guard task == nil else { return }
            task = Task { [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(100))
                    self?.draw()
                }
            }
        }
    }

    func tick() { done.add(1, ordering: .relaxed) }

    func draw() {
        let current = phase.withLock { $0 }
        let count = done.load(ordering: .relaxed)
        let width = 30
        let filled = current.total == 0 ? width : min(width, count * width / current.total)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let line = "\r\u{1B}[K\(current.name.padding(toLength: 9, withPad: " ", startingAt: 0)) [\(bar)] \(count)/\(current.total)"
        StandardStream.error.write(line)
    }

    /// Stops redrawing and clears the line.
    public func finish() {
        ticker.withLock { task in
            task?.cancel()
            task = nil
        }
        StandardStream.error.write("\r\u{1B}[K")
    }
}
