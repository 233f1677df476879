import HTTPTypes
import Hummingbird

/// The web System Console at Mattermost's own paths. The pages are static and served from the binary (no Node,
/// no CDN: it works offline); everything they show or change goes through the REST API with the session cookie,
/// exactly as Mattermost's web app does, so the API's own permission checks apply.
enum WebConsole {
    static let loginPath = "/login"
    static let usersPath = "/admin_console/user_management/users"
    static let scriptPath = "/static/mmsim-console.js"
    static let stylePath = "/static/mmsim-console.css"

    /// Scripts and styles only from our own files; fetch and WebSocket only to this origin; no framing.
    static let securityHeaders: HTTPFields = [
        HTTPField.Name("Content-Security-Policy")!:
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        HTTPField.Name("Referrer-Policy")!: "no-referrer",
        .cacheControl: "no-store",
    ]

    static func asset(_ text: String, type: String) -> Response {
        var headers = securityHeaders
        headers[.contentType] = type
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

extension API {
    func registerWebConsoleRoutes<Context: RequestContext>(on router: Router<Context>) {
        // Mattermost's root sends a signed-in admin on to the console, anyone else to /login (the page decides).
        router.get("/") { _, _ in Response.redirect(to: WebConsole.usersPath, type: .found) }
        router.get("/admin_console") { _, _ in Response.redirect(to: WebConsole.usersPath, type: .found) }
        router.get(RouterPath(WebConsole.loginPath)) { _, _ in
            WebConsole.asset(WebConsolePages.login, type: "text/html; charset=utf-8")
        }
        router.get(RouterPath(WebConsole.usersPath)) { _, _ in
            WebConsole.asset(WebConsolePages.users, type: "text/html; charset=utf-8")
        }
        router.get(RouterPath(WebConsole.scriptPath)) { _, _ in
            WebConsole.asset(WebConsoleScript.source, type: "text/javascript; charset=utf-8")
        }
        router.get(RouterPath(WebConsole.stylePath)) { _, _ in
            WebConsole.asset(WebConsoleStyle.source, type: "text/css; charset=utf-8")
        }
    }
}
