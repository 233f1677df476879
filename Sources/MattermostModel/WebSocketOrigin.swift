/// Browsers send the site's cookies with a WebSocket upgrade from any page, and a socket is not bound by CORS:
/// without this check a page on another origin could open the socket as the admin logged in to the web System
/// Console and read every event. Mattermost (app/server.go `OriginChecker`, no `AllowCorsFrom` or `SiteURL`)
/// lets an upgrade without `Origin` through and refuses `null`; else the origin's host[:port] must equal the
/// `Host` header, ignoring ASCII case.
/// The difference: a refusal is Hummingbird's answer to a declined upgrade (400, no body, closed), not gorilla's
/// 403. The rule itself is Mattermost's, so that a client of ours whose Origin a real server would refuse (one
/// without the port, as HummingbirdWSClient sends) fails here first.
public enum WebSocketOrigin {
    /// `origins`: every `Origin` line of the upgrade; `authority`: its `Host`.
    public static func allows(origins: [String], authority: String?) -> Bool {
        // Every Origin line must pass: a second one must not hide a foreign origin behind an allowed one.
        origins.allSatisfy { origin in
            guard let authority, let host = host(ofOrigin: origin) else { return false }
            return host.lowercased() == authority.lowercased()
        }
    }

    /// Go's `url.Parse(origin).Host`: what follows `scheme://` up to a path, query or fragment, without user
    /// info, port included as written. nil without a scheme (`null`, a bare name).
    public static func host(ofOrigin origin: String) -> String? {
        guard let separator = origin.range(of: "://") else { return nil }
        let rest = origin[separator.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host = rest.split(separator: "@", omittingEmptySubsequences: false).last ?? rest
        return host.isEmpty ? nil : String(host)
    }
}
