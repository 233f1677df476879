import Foundation
import Synchronization

/// Runs work with a real-time limit. On timeout the work is abandoned, not awaited: a phone stuck waiting
/// for a reply would otherwise hang the whole run, and the runner tears the scenario down right after.
enum RealTimeCap {
    /// Resumes a continuation exactly once, whichever of work and timer ends first.
    final class Once<T: Sendable>: Sendable {
        let continuation: CheckedContinuation<T?, Never>
        let done = Mutex(false)
        init(_ continuation: CheckedContinuation<T?, Never>) { self.continuation = continuation }
        func finish(_ value: T?) {
            let first = done.withLock { done in
                defer { done = true }
                return !done
            }
            if first { continuation.resume(returning: value) }
        }
    }

    static func run<T: Sendable>(seconds: Double, _ work: @escaping @Sendable () async -> T) async -> T? {
        await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
            let once = Once(continuation)
            let timer = Task {
                try? await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
                if !Task.isCancelled { once.finish(nil) }
            }
            Task {
                let value = await work()
                timer.cancel()
                once.finish(value)
            }
        }
    }
}
