/// A server bound to a loopback address answers only requests whose `Host` is a loopback name. Otherwise any web
/// page could point a name of its own at 127.0.0.1 (DNS rebinding); its scripts would then reach this server as
/// their own origin, the WebSocket origin check included, and with the seeded admin password revoke every
/// session. Mattermost has no such check (it is reached by name, with SiteURL); mmsim's server is a tester's local
/// tool with a published admin password, so it does better. A server bound elsewhere (`--host 0.0.0.0`) is meant to
/// be reached by other names and is not checked.
public enum LoopbackHost {
    /// Whether a server listening on `bind` needs the check.
    public static func applies(toBind bind: String) -> Bool { isLoopback(bind) }

    /// `authority` is the request's `Host` (port optional); none at all (HTTP/1.0) is no browser's and passes.
    public static func allows(_ authority: String?) -> Bool {
        guard let authority else { return true }
        return isLoopback(hostPart(of: authority))
    }

    public static func isLoopback(_ name: String) -> Bool {
        var host = name.lowercased()
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.hasSuffix(".") { host.removeLast() }
        if host == "localhost" || host.hasSuffix(".localhost") || host == "::1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.first == "127"
            && octets.allSatisfy { !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCII) && UInt8($0) != nil }
    }

    /// `host[:port]` → host; `[v6]:port` → `[v6]`.
    public static func hostPart(of authority: String) -> String {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            return String(authority[...close])
        }
        let parts = authority.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count == 2 ? String(parts[0]) : authority
    }

    /// A page on another site may send this server requests (a form, `fetch` in no-cors mode) without reading the
    /// answers: ten wrong logins lock a seeded account, a logout or revoke needs no answer. Browsers name the page
    /// in `Origin` on every such request; a request that changes something must come from this server's own pages
    /// (the Origin's host[:port] is `Host`, WebSocketOrigin's rule) or from no page at all (curl, a client library).
    public static func allowsChange(method: String, origins: [String], authority: String?) -> Bool {
        ["GET", "HEAD", "OPTIONS"].contains(method.uppercased()) || WebSocketOrigin.allows(origins: origins, authority: authority)
    }

    public static var crossSiteRefusal: AppError {
        AppError(id: "mmsim.origin.cross_site",
                 message: "This server takes changes only from its own pages or from clients that are not web pages.",
                 detailedError: "the request's Origin is another site", statusCode: 403)
    }

    public static func refusal(_ authority: String) -> AppError {
        AppError(id: "mmsim.host.not_loopback",
                 message: "This server listens on a loopback address and answers only to localhost or 127.0.0.1.",
                 detailedError: "Host '\(authority.prefix(100))' is not a loopback name (a page elsewhere may be rebinding its DNS name to this machine).",
                 statusCode: 403)
    }
}
