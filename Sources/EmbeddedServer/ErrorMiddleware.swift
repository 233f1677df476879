import HTTPTypes
import Hummingbird
import Logging
import MattermostModel

/// Turns whatever a route throws into Mattermost's AppError body, stamps a request id, and refuses
/// oversized bodies up front. Added first, so it also wraps the router's "not found".
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    static var requestIDHeader: HTTPField.Name { HTTPField.Name("X-Request-Id")! }
    /// Mattermost stamps every answer with its version (web/handlers.go); the mobile app watches it for upgrades.
    static var versionIDHeader: HTTPField.Name { HTTPField.Name("X-Version-Id")! }
    let maxBodyBytes: Int
    let logger: Logger

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        let requestID = MattermostID.new()
        var response: Response
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBodyBytes {
            response = render(APIErrors.tooLarge(limit: maxBodyBytes), requestID: requestID)
        } else {
            do {
                response = try await next(request, context)
            } catch let error as AppError {
                response = render(error, requestID: requestID)
            } catch let error as HTTPError {
                response = render(translate(error, path: request.uri.path), requestID: requestID)
            } catch {
                // Only server faults land here (a database error, say); bad input is an AppError above.
                logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
                response = render(APIErrors.internalError, requestID: requestID)
            }
        }
        response.headers[Self.requestIDHeader] = requestID
        response.headers[Self.versionIDHeader] = ServerVersion.versionID
        return response
    }

    private func translate(_ error: HTTPError, path: String) -> AppError {
        switch error.status.code {
        case 404: return APIErrors.notFound(path: path)
        case 405: return APIErrors.methodNotAllowed(path: path)
        case 413: return APIErrors.tooLarge(limit: maxBodyBytes)
        default:
            return AppError(id: ErrorID.invalidParam, message: error.body ?? error.status.reasonPhrase,
                            statusCode: error.status.code)
        }
    }

    private func render(_ error: AppError, requestID: String) -> Response {
        var error = error
        if error.requestID.isEmpty { error.requestID = requestID }
        let status = HTTPResponse.Status(code: error.statusCode)
        return (try? HTTP.json(error, status: status))
            ?? Response(status: status)
    }
}
