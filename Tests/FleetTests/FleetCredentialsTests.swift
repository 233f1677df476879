import XCTest
@testable import Fleet

final class FleetCredentialsTests: XCTestCase {
    func testParsesLinesHeaderCommentsAndCommasInPasswords() throws {
        let text = "username,password\r\n# QA accounts\nalice,Secret@1\n\n bob ,pa,ss word\n"
        let parsed = try FleetCredentials.parse(text, file: "users.csv")
        XCTAssertEqual(parsed, [FleetCredential(username: "alice", password: "Secret@1"),
                                FleetCredential(username: "bob", password: "pa,ss word")])
    }

    func testErrorsNameFileAndLine() {
        func error(_ text: String) -> String {
            do {
                _ = try FleetCredentials.parse(text, file: "users.csv")
                return "no error"
            } catch {
                return error.description
            }
        }
        XCTAssertEqual(error("alice,a\nbob"), "users.csv:2: error: expected 'username,password', found no comma")
        XCTAssertEqual(error("alice,a\n,pw"), "users.csv:2: error: the username is empty")
        XCTAssertEqual(error("alice,"), "users.csv:1: error: the password of 'alice' is empty")
        XCTAssertEqual(error("al ice,pw"), "users.csv:1: error: the username 'al ice' contains a space")
        XCTAssertEqual(error("\"alice\",pw"), "users.csv:1: error: quoted fields are not supported; write the username as is")
        XCTAssertEqual(error("alice,a\n\nAlice,b"), "users.csv:3: error: duplicate username 'Alice' (first on line 1)")
        XCTAssertEqual(error("# nothing\n"), "users.csv: error: no credentials in the file")
    }

    func testUnreadableFile() {
        XCTAssertThrowsError(try FleetCredentials.load(path: "/nonexistent/users.csv")) { error in
            XCTAssertEqual("\(error)", "/nonexistent/users.csv: error: cannot read the credentials file")
        }
    }
}
