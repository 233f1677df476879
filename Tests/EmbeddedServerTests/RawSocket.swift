import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A plain blocking TCP connection to 127.0.0.1, for sending bytes no HTTP client would send. Every read
/// gives up after `timeout`, so a server that never answers fails the test instead of hanging it.
final class RawSocket {
    private let fd: Int32

    init(port: Int, timeout: TimeInterval = 5) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var wait = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - floor(timeout)) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .ECONNREFUSED)
        }
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8]) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            sent += n
        }
    }

    func send(_ text: String) { send(Array(text.utf8)) }

    /// Bytes until `marker` has arrived (inclusive of what came with it), or the server closed, or the timeout.
    func read(until marker: String) -> [UInt8] {
        var all = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4_096)
        let wanted = Array(marker.utf8)
        while all.firstRange(of: wanted) == nil {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { break }
            all += buffer[..<n]
        }
        return all
    }

    /// Everything until the server closes; `closed` is false when the timeout (or `deadline`) came first.
    func readToEnd(deadline: ContinuousClock.Instant? = nil) -> (bytes: [UInt8], closed: Bool) {
        var all = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            if let deadline {
                let left = deadline - ContinuousClock.now
                guard left > .zero else { return (all, false) }
                let micros = max(1_000, Int(left.components.seconds) * 1_000_000 + Int(left.components.attoseconds / 1_000_000_000_000))
                var wait = timeval(tv_sec: micros / 1_000_000, tv_usec: micros % 1_000_000)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
            }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                all += buffer[..<n]
            } else {
                // 0: orderly close; ECONNRESET: closed too (the server dropped unread input).
                return (all, n == 0 || errno == ECONNRESET)
            }
        }
    }
}

/// One HTTP/1.1 response as raw bytes: status and body (Content-Length framing only).
struct RawResponse {
    var status: Int
    var body: Data
    /// Bytes after the first response: a second response would be a framing bug.
    var trailing: Int

    init?(_ bytes: [UInt8]) {
        let text = Data(bytes)
        guard let split = text.range(of: Data("\r\n\r\n".utf8)),
              let head = String(data: text[..<split.lowerBound], encoding: .utf8) else { return nil }
        let lines = head.components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { return nil }
        self.status = status
        let length = lines.dropFirst().compactMap { line -> Int? in
            let pair = line.split(separator: ":", maxSplits: 1)
            guard pair.count == 2, pair[0].lowercased() == "content-length" else { return nil }
            return Int(pair[1].trimmingCharacters(in: .whitespaces))
        }.first ?? 0
        let bodyStart = split.upperBound
        let end = min(text.endIndex, bodyStart + length)
        body = text[bodyStart..<end]
        trailing = text.endIndex - end
    }
}
