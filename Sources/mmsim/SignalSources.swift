import Dispatch
import Foundation

/// Dispatch signal sources that are live when `install` returns. On Linux, registering the first source for a
/// signal installs dispatch's own handler, which forwards it to a signalfd; registration is asynchronous, so
/// wait for it. Never SIG_IGN: before registration that would drop a signal, after it it would replace
/// dispatch's handler. Until registration the default action stands, so an early signal still ends the process.
enum SignalSources {
    /// The signals that end a command: Ctrl-C, `kill`, and a closed terminal or ssh session.
    static let ending: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    static func install(
        _ numbers: [Int32], handler: @escaping @Sendable (Int32) -> Void
    ) -> [any DispatchSourceSignal] {
        numbers.map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            let registered = DispatchSemaphore(value: 0)
            source.setRegistrationHandler { registered.signal() }
            source.setEventHandler { handler(number) }
            source.resume()
            registered.wait()
            return source
        }
    }

    /// The command ended by itself: the signals get their default action again. Dispatch installs its handler
    /// once per process, so a later `install` for the same signal would not catch it.
    static func cancel(_ sources: [any DispatchSourceSignal]) {
        for source in sources { source.cancel() }
        for number in ending { signal(number, SIG_DFL) }
    }
}
