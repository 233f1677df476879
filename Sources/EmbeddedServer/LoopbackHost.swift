import HTTPTypes
import Hummingbird
import MattermostModel

/// `LoopbackHost`'s checks on every route: no change asked by a page of another site, wherever the server
/// listens; and, on a loopback address (`checkHost`), a `Host` that no outsider's DNS controls.
struct LoopbackHostMiddleware<Context: RequestContext>: RouterMiddleware {
    let checkHost: Bool

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        if let refusal = LoopbackHost.refusal(method: request.method.rawValue, authority: request.head.authority,
                                              origins: request.headers[values: .origin], checkHost: checkHost) {
            throw refusal
        }
        return try await next(request, context)
    }
}
