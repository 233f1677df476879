import Device
#if canImport(Glibc)
import Glibc
#endif

/// Everything that wakes the UI, in one ordered stream.
public enum AppEvent: Sendable {
    case phone(Int, DeviceState)
    case console(ConsoleView)
    case status(String)
    /// A typing command reached the phone (see `AppState.pendingEdits`).
    case typed(phone: Int)
    case input
    case signal(Int32)
    case tick
    case redraw
}

/// The interactive loop: events in, state through `handle`, commands out to the wiring, frames to the terminal.
/// Every ncurses call happens on this actor.
public actor TerminalApp {
    /// Runs a command; what it returns, if anything, is its outcome for the status line (a save that failed, say).
    public typealias Executor = @Sendable (Command) async -> String?
    private var state: AppState
    private let execute: Executor
    private let clock: @Sendable () -> (now: Int64, offset: Int64)
    private let events: AsyncStream<AppEvent>
    private let sink: AsyncStream<AppEvent>.Continuation
    /// One ordered queue per phone (typing must arrive in order), one for the console and the clock.
    private var queues: [AsyncStream<Command>.Continuation] = []
    private var hits: [Hit] = []

    public init(state: AppState, clock: @escaping @Sendable () -> (now: Int64, offset: Int64), execute: @escaping Executor) {
        self.state = state
        self.clock = clock
        self.execute = execute
        (events, sink) = AsyncStream.makeStream(of: AppEvent.self)
    }

    /// For the wiring's observers: safe from any thread, keeps order.
    public nonisolated func post(_ event: AppEvent) { sink.yield(event) }

    /// Runs on `terminal` (ncurses in the app, an in-memory screen in tests) until the user quits or a
    /// SIGTERM/SIGINT/SIGHUP arrives; the terminal is given back on return. `inputStarted`: the terminal has the
    /// keys and those signals from now on.
    public func run(on terminal: some TerminalBackend, forceASCII: Bool, inputStarted: @Sendable () -> Void = {}) async {
        state.ascii = forceASCII || !terminal.unicode
        state.color = terminal.color
        let sink = self.sink
        terminal.startInput(onInput: { sink.yield(.input) }, onSignal: { sink.yield(.signal($0)) })
        inputStarted()
        let workers = startWorkers()
        let ticker = startTicker()
        defer {
            ticker.cancel()
            for queue in queues { queue.finish() }
            for worker in workers { worker.cancel() }
            terminal.close()
        }
        draw(terminal)
        for await event in events {
            switch event {
            case .phone(let index, let phone):
                for command in state.update(phone: index, to: phone) { dispatch(command) }
            case .console(let console):
                state.console = console
                state.consoleCursor = min(state.consoleCursor, console.users.count)
            case .status(let text): state.status = text
            case .typed(let index): state.typingApplied(phone: index)
            case .input:
                for input in terminal.readInput() { apply(input, terminal) }
                terminal.rearmInput()
            case .signal(let number):
                if number == SIGWINCH { terminal.refreshSize() } else { state.quitRequested = true }
            case .tick, .redraw: break
            }
            if state.quitRequested { return }
            draw(terminal)
        }
    }

    private func apply(_ input: TerminalInput, _ terminal: some TerminalBackend) {
        let key: Key
        switch input {
        case .resize:
            terminal.refreshSize()
            return
        case .key(let pressed):
            // Below the minimum size only the size message shows: no key may act unseen, but quitting.
            let tooSmall = terminal.size.width < Layout.minimum.width || terminal.size.height < Layout.minimum.height
            if tooSmall, pressed != .controlC, pressed != .function(10) { return }
            key = pressed
        case .click(let x, let y):
            guard let action = hits.last(where: { $0.rect.contains(x: x, y: y) })?.action else { return }
            key = .click(action)
        }
        let (next, commands) = handle(state, key)
        state = next
        for command in commands { dispatch(command) }
    }

    private func dispatch(_ command: Command) {
        if command == .quit { return }
        let queue = command.phone.map { $0 + 1 } ?? 0
        guard queues.indices.contains(queue) else { return }
        queues[queue].yield(command)
    }

    private func draw(_ terminal: some TerminalBackend) {
        let time = clock()
        state.nowMillis = time.now
        state.clockOffsetMillis = time.offset
        let frame = renderFrame(state, terminal.size)
        hits = frame.hits
        terminal.paint(frame.grid)
    }

    private func startWorkers() -> [Task<Void, Never>] {
        var tasks: [Task<Void, Never>] = []
        queues = []
        for _ in 0...state.phones.count {
            let (stream, continuation) = AsyncStream.makeStream(of: Command.self)
            queues.append(continuation)
            let execute = self.execute, sink = self.sink
            tasks.append(Task {
                for await command in stream {
                    if let outcome = await execute(command) { sink.yield(.status(outcome)) }
                    if command.isTyping, let phone = command.phone { sink.yield(.typed(phone: phone)) }
                    sink.yield(.redraw)
                }
            })
        }
        return tasks
    }

    /// Wakes at each minute of the simulation clock, so the status-bar clock moves with no polling.
    private func startTicker() -> Task<Void, Never> {
        let clock = self.clock, sink = self.sink
        return Task {
            while !Task.isCancelled {
                let now = clock().now
                let wait = 60_000 - ((now % 60_000) + 60_000) % 60_000 + 5
                try? await Task.sleep(for: .milliseconds(wait))
                sink.yield(.tick)
            }
        }
    }
}
