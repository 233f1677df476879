import AsyncHTTPClient
import Dispatch
import Device
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import MattermostClient
import NIOCore
import NIOHTTP1

/// The floor under `mmsim fleet`: the same exchanges per phone (a login POST, four GETs, a WebSocket that says
/// hello and is closed by the phone, and one more GET on reconnect) with the same libraries and client set-up,
/// against a server process that does no work at all. What both processes spend here, no phone model and no
/// Mattermost logic could spend less of.
enum BenchFloor {
    static let user = ByteBuffer(string: #"{"id":"u7bqg6dnm3ffzetrdqbgnkw9hr","create_at":1764500000000,"update_at":1764500000000,"delete_at":0,"username":"user-1","auth_data":"","auth_service":"","email":"user-1@example.com","nickname":"","first_name":"Sample","last_name":"User","position":"","roles":"system_user","locale":"en","timezone":{"automaticTimezone":"","manualTimezone":"","useAutomaticTimezone":"true"},"disable_welcome_email":false}"#)
    static let hello = #"{"event":"hello","data":{"connection_id":"c5n3dq7ztbfqtnkzrtcnu3p1ey","server_version":"10.11.0"},"broadcast":{"omit_users":null,"user_id":"u7bqg6dnm3ffzetrdqbgnkw9hr","channel_id":"","team_id":""},"seq":0}"#

    /// The do-nothing server: prints `port=N` and runs until its stdin closes.
    static func serve() async throws {
        let router = Router()
        router.post("/api/v4/users/login") { request, _ in
            _ = try await request.body.collect(upTo: 4096)
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            if let token = HTTPField.Name("Token") { headers[token] = "mzq8fh1ihbr3dcdbh4bq3h7wxe" }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: user))
        }
        router.get("/api/v4/users/me") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: user))
        }
        let webSocketRouter = Router(context: BasicWebSocketRequestContext.self)
        webSocketRouter.ws("/api/v4/websocket") { inbound, outbound, _ in
            try? await outbound.write(.text(hello))
            do {
                for try await _ in inbound.messages(maxSize: 1 << 16) {}
            } catch {}
        }
        var quiet = Logger(label: "mmsim.bench.floor")
        quiet.logLevel = .error
        let app = Application(router: router, server: .http1WebSocketUpgrade(webSocketRouter: webSocketRouter),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in
                                  StandardStream.output.write("port=\(channel.localAddress?.port ?? 0)\n")
                              }, logger: quiet)
        let server = Task { try await app.runService() }
        _ = FileHandle.standardInput.readDataToEndOfFile()
        server.cancel()
    }

    /// Runs `phones` phones, `concurrency` at a time, against a `floor-server` child; prints CPU per phone.
    /// `gets`: the GETs after login (the fleet phone's teams, channels and two channels' posts).
    static func run(phones: Int, concurrency: Int, gets: Int = 4) async throws {
        let child = Process()
        // This very binary, however it was started (a relative path, from $PATH).
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        child.arguments = ["floor-server"]
        let toChild = Pipe(), fromChild = Pipe()
        child.standardInput = toChild
        child.standardOutput = fromChild
        try child.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = fromChild.fileHandleForReading.availableData
            if chunk.isEmpty { throw Failure("floor-server ended before listening") }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("port="), let port = Int(text.dropFirst(5)) else { throw Failure("floor-server said \(text)") }
        let base = "http://127.0.0.1:\(port)"
        let http = ClientTrust.system.dedicatedHTTPClient(connectionsPerHost: min(concurrency, 128))

        let start = DispatchTime.now().uptimeNanoseconds
        let cpu = (own: ProcessResources.cpuSeconds(), child: childCPUSeconds(child.processIdentifier))
        var sockets = [WebSocketConnection?](repeating: nil, count: phones)
        var closers: [ClosedSignal] = []
        // Login: POST, four GETs, the socket up to its hello.
        let opened = await forEach(phones, concurrency: concurrency) { _ in
            try await exchange(http, .POST, base + "/api/v4/users/login", body: #"{"login_id":"user-1","password":"x"}"#)
            for _ in 0..<gets { try await exchange(http, .GET, base + "/api/v4/users/me") }
            return try await openSocket(base)
        }
        for (index, socket) in opened.enumerated() {
            sockets[index] = socket?.0
            if let closed = socket?.1 { closers.append(closed) }
        }
        let loginWall = seconds(since: start)
        // Offline: every phone closes its socket and waits for the close to finish.
        for socket in sockets { socket?.close() }
        for closer in closers { await closer.wait() }
        // Reconnect: one GET each.
        let reconnected = await forEach(phones, concurrency: concurrency) { _ -> Bool in
            try await exchange(http, .GET, base + "/api/v4/users/me")
            return true
        }
        let wall = seconds(since: start)
        let own = ProcessResources.cpuSeconds() - cpu.own
        let server = childCPUSeconds(child.processIdentifier) - cpu.child
        // A floor with phones that failed (the server gone, a refused connection) would be a figure of nothing.
        let failed = opened.filter { $0 == nil }.count + reconnected.filter { $0 == nil }.count
        guard failed == 0 else {
            try? await http.shutdown()
            throw Failure("\(failed) of \(phones * 2) phone phases failed: no figure")
        }
        try await http.shutdown()
        toChild.fileHandleForWriting.closeFile()
        child.waitUntilExit()
        let perPhone = { (s: Double) in String(format: "%.3f", s * 1000 / Double(phones)) }
        print("floor: \(phones) phones, concurrency \(concurrency): \(gets + 2) HTTP exchanges + 1 WebSocket (upgrade, hello, close) each")
        print(String(format: "wall %.2f s (login %.2f s); ", wall, loginWall)
              + "CPU per phone: client \(perPhone(own)) ms, server \(perPhone(server)) ms, together \(perPhone(own + server)) ms")
        print(String(format: "wall_s=%.2f ", wall)
              + "client_ms=\(perPhone(own)) server_ms=\(perPhone(server)) together_ms=\(perPhone(own + server))")
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    static func exchange(_ http: HTTPClient, _ method: HTTPMethod, _ url: String, body: String? = nil) async throws {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer mzq8fh1ihbr3dcdbh4bq3h7wxe")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await http.execute(request, timeout: .seconds(60))
        _ = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok else { throw Failure("\(method) \(url): \(response.status)") }
    }

    /// A signal the socket's `.closed` event sets.
    final class ClosedSignal: Sendable {
        private let stream: AsyncStream<Void>
        private let continuation: AsyncStream<Void>.Continuation
        init() { (stream, continuation) = AsyncStream.makeStream() }
        func fire() { continuation.finish() }
        func wait() async { for await _ in stream {} }
    }

    static func openSocket(_ base: String) async throws -> (WebSocketConnection, ClosedSignal) {
        let socket = WebSocketConnection(baseURL: base)
        let closed = ClosedSignal()
        let helloSeen = ClosedSignal()
        socket.start(token: "mzq8fh1ihbr3dcdbh4bq3h7wxe", tokenOnUpgrade: true) { event in
            switch event {
            case .frame: helloSeen.fire()
            case .closed: helloSeen.fire(); closed.fire()
            case .opened: break
            }
        }
        await helloSeen.wait()
        return (socket, closed)
    }

    static func forEach<T: Sendable>(_ count: Int, concurrency: Int,
                                     _ body: @escaping @Sendable (Int) async throws -> T) async -> [T?] {
        await withTaskGroup(of: (Int, T?).self) { group in
            var results = [T?](repeating: nil, count: count)
            var next = 0
            func add() {
                let index = next
                next += 1
                group.addTask {
                    do { return (index, try await body(index)) } catch { return (index, nil) }
                }
            }
            while next < min(count, concurrency) { add() }
            for await (index, result) in group {
                results[index] = result
                if next < count { add() }
            }
            return results
        }
    }

    static func seconds(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

    /// utime + stime of a child from /proc/PID/stat (fields 14 and 15, after the parenthesised name).
    static func childCPUSeconds(_ pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
