import XCTest
@testable import Scenario

final class ParserTests: XCTestCase {
    func testDemoFileParses() throws {
        let text = try String(contentsOfFile: Repo.demo("MM-T941.yaml"), encoding: .utf8)
        let scenario = try parse(text, file: "demo/MM-T941.yaml")
        XCTAssertEqual(scenario.devices, [DeviceSpec(name: "phone", user: "user-1", password: "SampleUser@1", revokePolicy: .keepOutbox,
                                                     location: scenario.devices[0].location)])
        XCTAssertEqual(scenario.tags, ["mm-t941", "system-console", "user-management"])
        XCTAssertEqual(scenario.steps.count, 14)
        XCTAssertEqual(scenario.steps[0].action, .launch(device: "phone"))
        XCTAssertEqual(scenario.steps[4].action, .airplane(device: "phone", on: true))
        XCTAssertEqual(scenario.steps[6].action, .revokeAllSessions(as: "sysadmin"))
        XCTAssertEqual(scenario.steps[7].action, .wait(millis: 180_000, text: "3m"))
        XCTAssertNotNil(scenario.steps[7].caption)
    }

    func testEveryStepKindParses() throws {
        let scenario = try parse("""
            name: all
            devices:
              phone: { user: user-1 }
              other: { user: user-4, password: x, revokePolicy: wipe }
            credentials:
              boss: secret
            steps:
              - launch: phone
              - login: { device: other, user: user-2, password: pw }
              - logout: { device: phone }
              - power: { device: phone, on: false }
              - post: { device: phone, channel: Town Square, text: hi }
              - revokeUserSessions: { as: boss, user: user-2 }
              - revokeSession: { as: boss, device: other }
              - deactivateUser: { as: boss, user: user-3 }
              - assertVisible: { device: phone, text: a }
              - assertNotVisible: { device: phone, text: b }
              - assertOutbox: { device: phone, count: 2 }
              - assertPost: { channel: town-square, text: hi, by: user-1 }
              - snapshot: { device: phone, name: after-post, caption: inside }
            """)
        XCTAssertEqual(scenario.devices[1].revokePolicy, .wipe)
        XCTAssertEqual(scenario.credentials, ["boss": "secret"])
        XCTAssertEqual(scenario.steps[1].action, .login(device: "other", user: "user-2", password: "pw"))
        XCTAssertEqual(scenario.steps[6].action, .revokeSession(as: "boss", device: "other"))
        XCTAssertEqual(scenario.steps[10].action, .assertOutbox(device: "phone", count: 2))
        XCTAssertEqual(scenario.steps[11].action, .assertPost(channel: "town-square", text: "hi", by: "user-1", as: nil))
        XCTAssertEqual(scenario.steps[12].caption, "inside")
    }

    /// YAML 1.1 would read the key `on` as a boolean; the node API keeps it a string.
    func testOnKeyStaysAKey() throws {
        let scenario = try parse(withSteps("  - airplane: { device: phone, on: true }\n  - airplane:\n      device: phone\n      on: false"))
        XCTAssertEqual(scenario.steps.map(\.action), [.airplane(device: "phone", on: true), .airplane(device: "phone", on: false)])
        let error = parseError(withSteps("  - airplane: { device: phone, on: yes }"))
        XCTAssertEqual(error?.message, "airplane.on: expected true or false, found 'yes'")
    }

    func testUnknownStepIsAnErrorWithPosition() {
        let error = parseError(withSteps("  - launch: phone\n  - flyAway: phone"))
        XCTAssertEqual(error?.location, SourceLocation(file: "bad.yaml", line: 6, column: 5))
        XCTAssertTrue(error?.message.hasPrefix("unknown step 'flyAway'; expected one of: launch, login") ?? false, "\(String(describing: error))")
        XCTAssertTrue(error?.description.hasPrefix("bad.yaml:6:5: error: unknown step") ?? false)
    }

    func testResetPasswordStepParsesStrictly() throws {
        let scenario = try parse(withSteps("  - resetPassword: { as: sysadmin, user: user-1, password: \"${NEW_PW}\" }"),
                                 values: ["NEW_PW": "Reset-Passw0rd"])
        XCTAssertEqual(scenario.steps[0].action, .resetPassword(as: "sysadmin", user: "user-1", password: "Reset-Passw0rd"))
        XCTAssertEqual(scenario.steps[0].summary, "resetPassword: {as: sysadmin, user: user-1}", "no password in summaries")
        XCTAssertNil(scenario.steps[0].device)

        let missing = parseError(withSteps("  - launch: phone\n  - resetPassword: { as: sysadmin, user: user-1 }"))
        XCTAssertEqual(missing?.location.line, 6)
        XCTAssertEqual(missing?.message, "resetPassword is missing the field 'password'")
        let empty = parseError(withSteps("  - resetPassword: { as: sysadmin, user: user-1, password: \"\" }"))
        XCTAssertEqual(empty?.location.line, 5)
        let extra = parseError(withSteps("  - resetPassword: { as: sysadmin, user: user-1, password: x, unlock: true }"))
        XCTAssertTrue(extra?.message.hasPrefix("unknown field 'unlock' in resetPassword") ?? false, "\(String(describing: extra))")
    }

    func testUnknownFieldIsAnError() {
        let error = parseError(withSteps("  - airplane: { device: phone, on: true, mode: full }"))
        XCTAssertEqual(error?.location.line, 5)
        XCTAssertEqual(error?.location.column, 42)
        XCTAssertEqual(error?.message, "unknown field 'mode' in airplane; expected one of: device, on, caption")
        let top = parseError("name: x\ndevices: { phone: { user: u } }\nsteps: [ { launch: phone } ]\ntimeout: 3")
        XCTAssertEqual(top?.location.line, 4)
        XCTAssertTrue(top?.message.contains("unknown field 'timeout'") ?? false)
        let device = parseError("name: x\ndevices: { phone: { user: u, pasword: p } }\nsteps: [ { launch: phone } ]")
        XCTAssertTrue(device?.message.contains("unknown field 'pasword' in device 'phone'") ?? false)
    }

    func testBareNumberWaitIsAnError() {
        let error = parseError(withSteps("  - wait: 3"))
        XCTAssertEqual(error?.location, SourceLocation(file: "bad.yaml", line: 5, column: 11))
        XCTAssertTrue(error?.message.contains("a bare number is ambiguous") ?? false, "\(String(describing: error))")
        XCTAssertNotNil(parseError(withSteps("  - wait: 3 minutes")))
        XCTAssertNotNil(parseError(withSteps("  - wait: 30s3m")))
    }

    func testDurations() {
        XCTAssertEqual(DurationText.millis("500ms"), 500)
        XCTAssertEqual(DurationText.millis("30s"), 30_000)
        XCTAssertEqual(DurationText.millis("3m"), 180_000)
        XCTAssertEqual(DurationText.millis("1h30m"), 5_400_000)
        XCTAssertEqual(DurationText.millis("2m30s"), 150_000)
        XCTAssertNil(DurationText.millis("3"))
        XCTAssertNil(DurationText.millis("m"))
        XCTAssertNil(DurationText.millis(""))
        XCTAssertNil(DurationText.millis("1s1s"))
        XCTAssertEqual(DurationText.text(5_400_000), "1h30m")
    }

    func testMissingAndUnknownDevices() {
        let missing = parseError("name: x\nsteps: [ { launch: phone } ]")
        XCTAssertEqual(missing?.message, "the scenario is missing the field 'devices'")
        let unknown = parseError(withSteps("  - launch: tablet"))
        XCTAssertEqual(unknown?.location, SourceLocation(file: "bad.yaml", line: 5, column: 13))
        XCTAssertEqual(unknown?.message, "unknown device 'tablet'; devices in this file: phone")
        let noUser = parseError("name: x\ndevices: { phone: { password: p } }\nsteps: [ { launch: phone } ]")
        XCTAssertEqual(noUser?.message, "device 'phone' is missing the field 'user'")
    }

    func testYAMLSyntaxErrorHasPosition() {
        let error = parseError("name: x\ndevices:\n  phone: { user: u\nsteps: []\n")
        XCTAssertEqual(error?.location.file, "bad.yaml")
        XCTAssertGreaterThan(error?.location.line ?? 0, 1)
        XCTAssertTrue(error?.message.hasPrefix("invalid YAML") ?? false)
        XCTAssertEqual(parseError("")?.message, "the file is empty; expected a mapping with name, devices and steps")
    }

    func testTwoStepsInOneItemIsAnError() {
        let error = parseError(withSteps("  - launch: phone\n    login: phone"))
        XCTAssertTrue(error?.message.hasPrefix("one step per list item") ?? false)
    }

    func testSubstitutionAfterParsing() throws {
        let yaml = """
            name: "run ${RUN}"
            devices:
              phone: { user: "${USER_NAME}", password: "${PASS}" }
            steps:
              - post: { device: phone, channel: Town Square, text: "costs $$5 ${PASS}" }
            """
        // A value that looks like YAML stays a string: substitution is never into the text.
        let scenario = try parse(yaml, values: ["RUN": "7", "USER_NAME": "user-1", "PASS": "a: {b: c}"])
        XCTAssertEqual(scenario.name, "run 7")
        XCTAssertEqual(scenario.devices[0].password, "a: {b: c}")
        XCTAssertEqual(scenario.steps[0].action, .post(device: "phone", channel: "Town Square", text: "costs $5 a: {b: c}"))

        let unset = parseError(yaml, values: ["RUN": "7", "USER_NAME": "u"])
        XCTAssertEqual(unset?.location, SourceLocation(file: "bad.yaml", line: 3, column: 44))
        XCTAssertTrue(unset?.message.contains("${PASS} is not set") ?? false, "\(String(describing: unset))")
    }

    func testEnvFileAndAssignments() throws {
        let values = try Substitution.parseEnvFile("# secrets\nexport ADMIN_PASSWORD='s3cret'\nURL=http://x\n\n", file: "e.env")
        XCTAssertEqual(values, ["ADMIN_PASSWORD": "s3cret", "URL": "http://x"])
        XCTAssertThrowsError(try Substitution.parseEnvFile("not an assignment", file: "e.env"))
        // dotenv's rules: a bare value loses its surrounding spaces and a ` #` comment; a quoted one is kept as written.
        let forms = try Substitution.parseEnvFile("""
            A= v \nB = "  spaced # kept "  # comment\nC='x' \nD=p#ss # note\nE=""\nF=value\t#note #x
            """, file: "e.env")
        XCTAssertEqual(forms, ["A": "v", "B": "  spaced # kept ", "C": "x", "D": "p#ss", "E": "", "F": "value"])
        // An unclosed quote or text after the closing one is an error at its line, not a value keeping the quote.
        for (text, message) in [("OK=1\nX=\"abc", "never closed"), ("OK=1\nX=\"abc\" # c\nY='a'b", "after the closing")] {
            XCTAssertThrowsError(try Substitution.parseEnvFile(text, file: "e.env")) { error in
                XCTAssertTrue("\(error)".contains(message), "\(error)")
                XCTAssertEqual((error as? ScenarioError)?.location.line, text.hasSuffix("'a'b") ? 3 : 2)
            }
        }
        XCTAssertNil(Substitution.parseAssignment("=x"))
        XCTAssertEqual(Substitution.merged(cli: ["A": "cli"], envFile: ["A": "file", "B": "file"], environment: ["A": "env", "C": "env"]).values,
                       ["A": "cli", "B": "file", "C": "env"])
    }

    func testServerModeNeedsCredentialsAndRefusesLongWaits() throws {
        let scenario = try parse(withSteps("  - revokeAllSessions: { as: admin }\n  - wait: 1h"))
        XCTAssertThrowsError(try ScenarioValidation.check(scenario, embedded: false, allowLongWaits: false)) { error in
            XCTAssertTrue("\(error)".contains("no password for 'admin'"), "\(error)")
        }
        let withCredentials = try parse(withSteps("  - revokeAllSessions: { as: admin }\n  - wait: 1h") + "\ncredentials: { admin: x }")
        XCTAssertThrowsError(try ScenarioValidation.check(withCredentials, embedded: false, allowLongWaits: false)) { error in
            XCTAssertTrue("\(error)".contains("test.yaml:6:5: error: wait: 1h is real time"), "\(error)")
        }
        XCTAssertNoThrow(try ScenarioValidation.check(withCredentials, embedded: false, allowLongWaits: true))
        let embedded = try parse(withSteps("  - revokeAllSessions: { as: sysadmin }\n  - wait: 1h"))
        XCTAssertNoThrow(try ScenarioValidation.check(embedded, embedded: true, allowLongWaits: false))
    }

    func testTagFilter() throws {
        let a = try parse("name: a\ntags: [x, slow]\ndevices: { p: { user: u } }\nsteps: [ { launch: p } ]")
        let b = try parse("name: b\ntags: [y]\ndevices: { p: { user: u } }\nsteps: [ { launch: p } ]")
        XCTAssertEqual(ScenarioLoader.filter([a, b], include: ["x", "y"], exclude: ["slow"]).map(\.name), ["b"])
        XCTAssertEqual(ScenarioLoader.filter([a, b], include: [], exclude: []).map(\.name), ["a", "b"])
    }
}
