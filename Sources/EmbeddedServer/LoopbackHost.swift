import HTTPTypes
import Hummingbird
import MattermostModel

/// `LoopbackHost`'s checks on every route of a server bound to a loopback address: a loopback `Host`, and no
/// change asked by a page of another site.
struct LoopbackHostMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        if let authority = request.head.authority, !LoopbackHost.allows(authority) {
            throw LoopbackHost.refusal(authority)
        }
        guard LoopbackHost.allowsChange(method: request.method.rawValue, origins: request.headers[values: .origin],
                                        authority: request.head.authority) else {
            throw LoopbackHost.crossSiteRefusal
        }
        return try await next(request, context)
    }
}
