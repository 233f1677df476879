@testable import EmbeddedServer
import XCTest

/// Throwaway servers (cost 4) hash each password once per process; Mattermost's cost salts every hash anew.
final class ThrowawayHashTests: XCTestCase {
    func testACost4PasswordIsHashedOncePerProcessAndStillVerifies() {
        let first = Passwords.hash("Throwaway-pass1", cost: Passwords.throwawayCost)
        let again = Passwords.hash("Throwaway-pass1", cost: Passwords.throwawayCost)
        XCTAssertEqual(first, again, "the second server of the process reuses the hash")
        XCTAssertTrue(first.hasPrefix(Passwords.throwawayPrefix))
        XCTAssertTrue(Passwords.verify("Throwaway-pass1", hash: first))
        XCTAssertFalse(Passwords.verify("Throwaway-pass2", hash: first))
        XCTAssertNotEqual(Passwords.hash("Throwaway-pass2", cost: Passwords.throwawayCost), first, "one hash per password")
    }

    func testOtherCostsAreSaltedEachTime() {
        XCTAssertNotEqual(Passwords.hash("Real-cost-pass1", cost: 5), Passwords.hash("Real-cost-pass1", cost: 5))
    }
}
