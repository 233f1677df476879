import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A server bound to a loopback address answers only requests whose `Host` is an IP address or a name no outsider
/// controls. Otherwise any web page could point a name of its own at 127.0.0.1 (DNS rebinding); its scripts would
/// then reach this server as their own origin, the WebSocket origin check included, and with the seeded admin
/// password revoke every session. A rebinding page always sends its own name, so an IP literal is safe to serve:
/// that is how clients reach a loopback server from elsewhere on the machine (the Android emulator's 10.0.2.2,
/// `[0:0:0:0:0:0:0:1]`). Mattermost has no such check (it is reached by name, with SiteURL); mmsim's server is a
/// tester's local tool with a published admin password, so it does better. A server bound elsewhere
/// (`--host 0.0.0.0`) is meant to be reached by other names and is not checked.
public enum LoopbackHost {
    /// Names that only this machine resolves: `localhost` and its subdomains (RFC 6761), Docker Desktop's names
    /// for the host.
    static let localNames: Set<String> = ["localhost", "host.docker.internal", "gateway.docker.internal"]

    /// Whether a server listening on `bind` needs the check.
    public static func applies(toBind bind: String) -> Bool {
        let host = bind.lowercased()
        return host == "localhost" || (ipAddress(host).map(isLoopbackAddress) ?? false)
    }

    /// `authority` is the request's `Host` (port optional); none at all (HTTP/1.0) is no browser's and passes.
    static func allows(_ authority: String?) -> Bool {
        guard let authority else { return true }
        var host = hostPart(of: authority).lowercased()
        if host.hasSuffix(".") { host.removeLast() }
        return localNames.contains(host) || host.hasSuffix(".localhost") || ipAddress(host) != nil
    }

    /// `host[:port]` → host; `[v6]:port` and a bare IPv6 address (as some clients write it) → the address.
    static func hostPart(of authority: String) -> String {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            return String(authority[authority.index(after: authority.startIndex)..<close])
        }
        let colons = authority.filter { $0 == ":" }.count
        if colons == 1, let colon = authority.firstIndex(of: ":") { return String(authority[..<colon]) }
        if colons > 1, ipAddress(authority) == nil, let colon = authority.lastIndex(of: ":"),
           ipAddress(String(authority[..<colon])) != nil {
            return String(authority[..<colon])
        }
        return authority
    }

    /// The address an IPv4 dotted quad or an IPv6 literal (brackets off) spells, as inet_pton reads it.
    static func ipAddress(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if text.contains("."), !text.contains(":"), inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: v4) { Array($0) }
        }
        var v6 = in6_addr()
        if text.contains(":"), inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: v6) { Array($0) } }
        return nil
    }

    static func isLoopbackAddress(_ bytes: [UInt8]) -> Bool {
        bytes.count == 4 ? bytes[0] == 127 : bytes == [UInt8](repeating: 0, count: 15) + [1]
    }

    /// Why a request must be refused, or nil: with `checkHost` (a server on a loopback address) a `Host` that no
    /// outsider's DNS controls; wherever the server listens, no change asked by a page of another site.
    public static func refusal(method: String, authority: String?, origins: [String], checkHost: Bool) -> AppError? {
        if checkHost, let authority, !allows(authority) { return hostRefusal(authority) }
        return allowsChange(method: method, origins: origins, authority: authority) ? nil : crossSiteRefusal
    }

    /// Whether a WebSocket upgrade may go on: the same `Host` rule, and Mattermost's origin rule for sockets.
    public static func allowsUpgrade(authority: String?, origins: [String], checkHost: Bool) -> Bool {
        (!checkHost || allows(authority)) && WebSocketOrigin.allows(origins: origins, authority: authority)
    }

    /// A page on another site may send a server requests (a form, `fetch` in no-cors mode) without reading the
    /// answers: ten wrong logins lock a seeded account, a logout or revoke needs no answer. Browsers name the page
    /// in `Origin` on every such request; a request that changes something must come from the server's own pages
    /// (the Origin's host[:port] is `Host`, WebSocketOrigin's rule) or from no page at all (curl, a client library).
    static func allowsChange(method: String, origins: [String], authority: String?) -> Bool {
        ["GET", "HEAD", "OPTIONS"].contains(method.uppercased()) || WebSocketOrigin.allows(origins: origins, authority: authority)
    }

    static var crossSiteRefusal: AppError {
        AppError(id: "mmsim.origin.cross_site",
                 message: "This server takes changes only from its own pages or from clients that are not web pages.",
                 detailedError: "the request's Origin is another site", statusCode: 403)
    }

    static func hostRefusal(_ authority: String) -> AppError {
        AppError(id: "mmsim.host.not_loopback",
                 message: "This server listens on a loopback address and answers only to IP addresses and localhost names.",
                 detailedError: "Host '\(authority.prefix(100))' is a name this machine does not own (a page elsewhere may be rebinding its DNS name to this machine); use 127.0.0.1 or localhost.",
                 statusCode: 403)
    }
}
