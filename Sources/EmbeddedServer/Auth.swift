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
        // On UTF-8 bytes: this runs on every authenticated request (Character-level splitting, lowercasing and
        // Unicode whitespace checks showed as ~4% of /users/me). Tokens and schemes are ASCII.
        var value = authorization.utf8[...]
        trimASCIIWhitespace(&value)
        guard let space = value.firstIndex(of: UInt8(ascii: " ")) else { return nil }
        let scheme = value[..<space]
        var token = value[value.index(after: space)...]
        trimASCIIWhitespace(&token)
        guard equalsIgnoringASCIICase(scheme, "bearer") || equalsIgnoringASCIICase(scheme, "token"),
              !token.isEmpty, let text = String(token) else { return nil }
        return (text, .header)
    }

    private static func trimASCIIWhitespace(_ bytes: inout Substring.UTF8View) {
        func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        while let first = bytes.first, isSpace(first) { bytes.removeFirst() }
        while let last = bytes.last, isSpace(last) { bytes.removeLast() }
    }

    /// `lowercase` must be lowercase ASCII letters.
    private static func equalsIgnoringASCIICase(_ bytes: Substring.UTF8View, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        var index = 0
        for byte in bytes {
            guard byte | 0x20 == lowercase.utf8Start[index] else { return false }
            index += 1
        }
        return true
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
