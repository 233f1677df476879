import Foundation
import MattermostModel

/// A write the disk refused, kept in memory and tried again in order.
enum UnsavedWrite: Sendable {
    case token(TokenCache.Entry)
    case store(StoreChange)

    /// What the timeline calls it.
    var what: String {
        switch self {
        case .token: return "token"
        case .store(.outboxPut), .store(.outboxRemove): return "outbox"
        case .store: return "local store"
        }
    }
}

/// Writes to the keychain and the local store never fail silently: a refused write (a full disk) stays in memory,
/// the core is told (the screen and the timeline say so) and a retry on the clock writes it later, in order.
extension Phone {
    func persist(_ write: UnsavedWrite) {
        if case .store(.wipeServer(let keepOutbox)) = write {
            // Nothing of the server may come back after the wipe: drop what waits (the outbox, by policy, stays).
            unsaved.removeAll { pending in
                guard case .store(let change) = pending else { return false }
                switch change {
                case .outboxPut, .outboxRemove: return !keepOutbox
                default: return true
                }
            }
        }
        unsaved.append(write)
        // While the disk refuses, new writes queue behind the first refusal; the retry timer flushes them.
        if state.diskProblem == nil { flushUnsaved() }
    }

    /// Writes what waits, in order, stopping at the first refusal.
    func flushUnsaved() {
        let hadUnsaved = !unsaved.isEmpty && state.diskProblem != nil
        while let next = unsaved.first {
            do {
                try write(next)
                unsaved.removeFirst()
            } catch {
                if state.diskProblem == nil { logger.error("\(next.what) not written: \(FileFailure.describe(error))") }
                dispatch(.diskWriteFailed(what: next.what, reason: FileFailure.describe(error)))
                return
            }
        }
        if hadUnsaved { dispatch(.diskWritesSaved) }
    }

    private func write(_ write: UnsavedWrite) throws {
        switch write {
        case .token(let entry): try tokenCache.write(entry)
        case .store(let change): try store?.apply(change, server: configuration.serverURL)
        }
    }
}
