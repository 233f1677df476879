@testable import EmbeddedServer
import HTTPTypes
@testable import MattermostModel
import XCTest

/// The per-request helpers that were rewritten for speed keep their answers.
final class AuthTokenTests: XCTestCase {
    private func find(_ fields: [(HTTPField.Name, String)]) -> (String, TokenSource)? {
        var headers = HTTPFields()
        for (name, value) in fields { headers.append(HTTPField(name: name, value: value)) }
        return AuthToken.find(in: headers).map { ($0.token, $0.source) }
    }

    func testHeaderTokenIsTrimmed() {
        XCTAssertEqual(find([(.authorization, "Bearer   abc \t")])?.0, "abc")
        XCTAssertEqual(find([(.authorization, "token abc")])?.0, "abc")
        XCTAssertNil(find([(.authorization, "Bearer    ")]))
        XCTAssertNil(find([(.authorization, "Basic abc")]))
        XCTAssertNil(find([]))
        XCTAssertEqual(find([(.authorization, "BEARER abc")])?.0, "abc", "the scheme in any case")
        XCTAssertEqual(find([(.authorization, "Token\tx y")])?.0, nil, "a tab does not separate the scheme")
        XCTAssertNil(find([(.authorization, "Bearerabc")]))
        XCTAssertNil(find([(.authorization, "Bearers abc")]))
        XCTAssertNil(find([(.authorization, "bear abc")]))
    }

    func testCookieFirstOnlyWhenItCarriesTheToken() {
        let cookie = find([(.cookie, "MMUSERID=u; MMAUTHTOKEN=fromcookie"), (.authorization, "Bearer fromheader")])
        XCTAssertEqual(cookie?.0, "fromcookie")
        XCTAssertEqual(cookie?.1, .cookie)
        let header = find([(.cookie, "MMUSERID=u"), (.authorization, "Bearer fromheader")])
        XCTAssertEqual(header?.0, "fromheader")
        XCTAssertEqual(header?.1, .header)
    }

    func testNewIDsAreValidAndDistinct() {
        let ids = (0..<1_000).map { _ in MattermostID.new() }
        XCTAssertTrue(ids.allSatisfy(MattermostID.isValid))
        XCTAssertEqual(Set(ids).count, ids.count)
        XCTAssertEqual(MattermostID.encode([UInt8](repeating: 0, count: 16)), String(repeating: "y", count: 26))
    }
}
