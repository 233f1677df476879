import MattermostModel

/// Every way a call can fail, told apart so that callers never guess. Only `unauthorized` means
/// "this session is gone"; everything else leaves a phone logged in.
public enum ClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// HTTP 401: the session was revoked, expired or never existed (or the credentials were wrong, on login).
    case unauthorized(AppError?)
    /// HTTP 403: authenticated but not allowed.
    case forbidden(AppError?)
    /// Any other 4xx.
    case rejected(status: Int, AppError?)
    /// HTTP 5xx.
    case server(status: Int)
    /// Refused, reset, timed out, no route, no network (airplane mode).
    case network(String)
    /// A 2xx whose body is not what the API promises (a captive portal's HTML, a truncated body).
    case malformed(String)

    public var description: String {
        switch self {
        case .unauthorized(let error): return "401 \(error?.id ?? "unauthorized")"
        case .forbidden(let error): return "403 \(error?.id ?? "forbidden")"
        case .rejected(let status, let error): return "\(status) \(error?.id ?? "rejected")"
        case .server(let status): return "\(status) server error"
        case .network(let reason): return "network: \(reason)"
        case .malformed(let reason): return "malformed response: \(reason)"
        }
    }

    /// The HTTP status, where the server answered at all.
    public var status: Int? {
        switch self {
        case .unauthorized: return 401
        case .forbidden: return 403
        case .rejected(let status, _), .server(let status): return status
        case .network, .malformed: return nil
        }
    }

    public var appError: AppError? {
        switch self {
        case .unauthorized(let error), .forbidden(let error), .rejected(_, let error): return error
        default: return nil
        }
    }
}
