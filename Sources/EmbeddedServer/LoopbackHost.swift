import Hummingbird
import MattermostModel

/// `LoopbackHost`'s check on every route of a server bound to a loopback address.
struct LoopbackHostMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        if let authority = request.head.authority, !LoopbackHost.allows(authority) {
            throw LoopbackHost.refusal(authority)
        }
        return try await next(request, context)
    }
}
