import Foundation
import HTTPTypes
import Hummingbird
import MattermostModel

/// Where a request's token came from; cookie auth has the extra CSRF rule.
enum TokenSource: Sendable { case cookie, header }

/// The authenticated caller of a request.
struct Caller: Sendable {
    var session: StoredSession
    var user: StoredUser

    var userID: String { user.id }
    var isSystemAdmin: Bool { user.isSystemAdmin }

    /// "Self, or a system admin" — the rule of the session routes.
    func requireSelfOrAdmin(_ userID: String) throws {
        guard userID == self.userID || isSystemAdmin else { throw APIErrors.forbidden }
    }

    func requireAdmin() throws {
        guard isSystemAdmin else { throw APIErrors.forbidden }
    }
}

enum AuthToken {
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!
    static let requestedWithHeader = HTTPField.Name("X-Requested-With")!

    /// Mattermost's order: cookie `MMAUTHTOKEN`, then `Authorization: Bearer …` (any case), then `Token …`.
    static func find(in headers: HTTPFields) -> (token: String, source: TokenSource)? {
        // Most clients send no cookie: skip parsing then (it showed on the /users/me profile).
        if headers[.cookie] != nil, let cookie = Cookies(from: headers[values: .cookie])[APIPath.authCookie],
           !cookie.value.isEmpty {
            return (cookie.value, .cookie)
        }
        guard let authorization = headers[.authorization] else { return nil }
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2 else { return nil }
        let scheme = parts[0].lowercased()
        // Trimmed without Foundation's CharacterSet, which bridged through NSString on every request.
        var token = parts[1]
        while token.first?.isWhitespace == true { token.removeFirst() }
        while token.last?.isWhitespace == true { token.removeLast() }
        guard scheme == "bearer" || scheme == "token", !token.isEmpty else { return nil }
        return (String(token), .header)
    }

    /// Cookies ride along on cross-site requests, so a cookie-authenticated write must prove it came from
    /// our own client: the session's CSRF token, or (Mattermost's legacy allowance) `X-Requested-With: XMLHttpRequest`.
    static func passesCSRF(_ request: Request, session: StoredSession) -> Bool {
        if request.method == .get || request.method == .head { return true }
        if let sent = request.headers[csrfHeader], let expected = session.props["csrf"], !expected.isEmpty,
           TokenHash.constantTimeEqual(sent, expected) {
            return true
        }
        return request.headers[requestedWithHeader] == "XMLHttpRequest"
    }
}
