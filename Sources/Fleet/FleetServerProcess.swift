import Device
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The embedded server of a fleet run in a child process (`mmsim serve --fleet-users N`), so that each process
/// holds one end of every WebSocket: 10,000 phones fit in a 20,000 open-file limit.
///
/// The child's stdin is a pipe only this process writes to. The child exits when it reads end of file, which
/// the kernel delivers however this process ends (a crash or SIGKILL too), so a child never outlives its run.
/// Through the same pipe, `trim` asks the child for its settled resident memory and `cpu` for its CPU time.
public final class FleetServerProcess: @unchecked Sendable {
    // @unchecked: `process` and the pipes are set in init and only read after; `reader` is used by one caller at
    // a time (start, then `memory()` calls that FleetPhases makes one after another).
    public let pid: Int32
    public let baseURL: String
    private let process: Process
    private let input: FileHandle
    private let reader: LineReader
    private let ending = Mutex(Ending())

    private struct Ending {
        var stopping = false
        var told = false
    }

    /// The line the child prints once its users exist and it listens.
    static let readyPrefix = "mmsim server listening on "

    /// Starts `executable serve --port 0 --fleet-users N` and returns once it listens with its users created.
    public static func start(executable: URL, users: Int) async throws -> FleetServerProcess {
        // The child can die at any moment (killed, crashed): a request to it must fail, not kill this process.
        signal(SIGPIPE, SIG_IGN)
        let process = Process()
        process.executableURL = executable
        process.arguments = ["serve", "--port", "0", "--fleet-users", "\(users)", "--log-level", "warning"]
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.standardError
        do {
            try process.run()
        } catch {
            throw FleetError.setup("cannot start the server process \(executable.path): \(error.localizedDescription)")
        }
        let reader = LineReader(fd: stdout.fileHandleForReading.fileDescriptor)
        let input = stdin.fileHandleForWriting
        let line = await reader.nextLine()
        guard let line, line.hasPrefix(readyPrefix),
              let url = line.dropFirst(readyPrefix.count).split(separator: " ").first else {
            await stop(process, input: input)
            throw FleetError.setup("the server process did not start (\(line ?? "exit status \(process.terminationStatus)"))")
        }
        return FleetServerProcess(process: process, input: input, reader: reader, url: String(url))
    }

    private init(process: Process, input: FileHandle, reader: LineReader, url: String) {
        self.process = process
        self.pid = process.processIdentifier
        self.input = input
        self.reader = reader
        self.baseURL = url
    }

    /// The child's resident memory after it handed freed heap back (malloc_trim), and its peak; nil once gone.
    public func memory() async -> ProcessResources.Memory? {
        guard (try? input.write(contentsOf: Data("trim\n".utf8))) != nil else { return nil }
        let parts = await reader.nextLine()?.split(separator: " ") ?? []
        guard parts.count == 3, parts[0] == "memory", let resident = Int(parts[1]), let peak = Int(parts[2]) else { return nil }
        return ProcessResources.Memory(resident: resident, peak: peak)
    }

    /// The child's CPU time so far (user and system, every thread), in seconds; nil once gone.
    public func cpuSeconds() async -> Double? {
        guard (try? input.write(contentsOf: Data("cpu\n".utf8))) != nil else { return nil }
        let parts = await reader.nextLine()?.split(separator: " ") ?? []
        guard parts.count == 2, parts[0] == "cpu", let seconds = Double(parts[1]) else { return nil }
        return seconds
    }

    /// `handler` hears once, with how it ended, if the child ends before `stop()` (killed, crashed): the run
    /// cannot go on without its server.
    public func whenEndedEarly(_ handler: @escaping @Sendable (String) -> Void) {
        process.terminationHandler = { [weak self] process in self?.tell(handler, process) }
        if !process.isRunning { tell(handler, process) }
    }

    private func tell(_ handler: @Sendable (String) -> Void, _ process: Process) {
        let first = ending.withLock { e -> Bool in
            guard !e.stopping, !e.told else { return false }
            e.told = true
            return true
        }
        guard first else { return }
        handler(process.terminationReason == .uncaughtSignal ? "killed by signal \(process.terminationStatus)"
                : "exit status \(process.terminationStatus)")
    }

    /// End of file on its stdin: it closes its WebSockets and exits. SIGKILL if it has not after 10 s.
    public func stop() async {
        ending.withLock { $0.stopping = true }
        await Self.stop(process, input: input)
    }

    private static func stop(_ process: Process, input: FileHandle) async {
        try? input.close()
        for attempt in 0..<1_000 where process.isRunning {
            if attempt == 500 { kill(process.processIdentifier, SIGKILL) }
            try? await Task.sleep(for: .milliseconds(20))
        }
        process.waitUntilExit()
    }
}

/// Lines from a pipe, read on a Dispatch thread so that no task of the cooperative pool blocks on `read`.
final class LineReader: @unchecked Sendable {
    // @unchecked: `buffer` is only touched inside `nextLine`, whose callers never overlap.
    private let fd: Int32
    private var buffer: [UInt8] = []

    init(fd: Int32) { self.fd = fd }

    /// The next line without its newline; nil at end of file.
    func nextLine() async -> String? {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: self.readLineBlocking()) }
        }
    }

    func readLineBlocking() -> String? {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return nil }
            buffer.append(contentsOf: chunk[..<count])
        }
    }
}
