import Foundation

/// A loopback port nobody listens on: bound by the OS, then closed, so a connection to it is refused at once.
/// `unreachable` sends phones there, which is an honest "connection refused" (no proxy can refuse a connection
/// on a port it listens on).
enum RefusedPort {
    static func make() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return 9 }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(fd, raw, length) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        guard bound else { return 9 }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
