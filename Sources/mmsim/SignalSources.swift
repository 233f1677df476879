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
        numbers.filter { !isIgnored($0) }.map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            let registered = DispatchSemaphore(value: 0)
            source.setRegistrationHandler { registered.signal() }
            source.setEventHandler { handler(number) }
            source.resume()
            registered.wait()
            return source
        }
    }

    /// A signal the parent set to be ignored (`trap '' INT`, a shell's background job) stays ignored, as POSIX
    /// asks of programs that catch signals.
    static func isIgnored(_ number: Int32) -> Bool {
        var current = sigaction()
        guard sigaction(number, nil, &current) == 0 else { return false }
        // Function pointers compare by address: SIG_IGN is the constant 1.
        let handler = current.__sigaction_handler.sa_handler.map { unsafeBitCast($0, to: Int.self) }
        return handler == 1
    }

    /// The command ended by itself: the signals get their default action again. Dispatch installs its handler
    /// once per process, so a later `install` for the same signal would not catch it.
    static func cancel(_ sources: [any DispatchSourceSignal]) {
        for source in sources { source.cancel() }
        for number in ending where !isIgnored(number) { signal(number, SIG_DFL) }
    }
}
