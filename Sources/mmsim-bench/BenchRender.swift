import Device
import Dispatch
import Foundation
import MattermostModel
import TerminalUI

/// `TerminalUI.render` at 120×40 on the README's screen (a phone just logged out by the revocation, a full
/// timeline, the console with its log), in a loop: median and p99 per frame.
enum BenchRender {
    static func run(frames: Int) {
        let state = sample()
        let size = Size(width: 120, height: 40)
        var checksum = 0
        for _ in 0..<200 { checksum &+= render(state, size).size.width }  // warm caches
        var samples: [UInt64] = []
        samples.reserveCapacity(frames)
        for _ in 0..<max(1, frames) {
            let start = DispatchTime.now().uptimeNanoseconds
            checksum &+= render(state, size).size.height
            samples.append(DispatchTime.now().uptimeNanoseconds - start)
        }
        samples.sort()
        func us(_ q: Double) -> Double { Double(samples[min(samples.count - 1, Int(q * Double(samples.count)))]) / 1000 }
        print(String(format: "frames=%d median_us=%.1f p99_us=%.1f checksum=%d", samples.count, us(0.5), us(0.99), checksum & 0xff))
    }

    static func sample() -> AppState {
        var phone = DeviceState(name: "phone-1", deviceID: "bench", serverURL: "http://127.0.0.1:8065")
        phone.phase = .loggedOut
        phone.screen = .login
        phone.connection = .loggedOut
        phone.banner = .sessionRevoked
        phone.loginForm.username = "user-1"
        let start: Int64 = 1_767_258_000_000
        let lines = ["power on: cold start", "request: POST /api/v4/users/login → 200",
                     "decision: logged in as user-1 → token cached → fetch teams, channels, posts",
                     "request: GET /api/v4/users/me/teams → 200", "socket: WebSocket authenticated (hello)",
                     "radio: airplane mode on", "radio: airplane mode off",
                     "decision: network back → revalidate the session first (GET /users/me)",
                     "request: GET /api/v4/users/me → 401 api.context.session_expired.app_error",
                     "decision: GET /users/me answered 401: session revoked or expired → token cache wiped → login screen"]
        for (offset, line) in (lines + lines + lines).enumerated() {
            phone.timeline.append(.decision, line, at: start + Int64(offset) * 1000)
        }
        let users = ["sysadmin", "user-1", "user-2", "user-3"].enumerated().map {
            ConsoleView.Row(userID: "id\($0.offset)", username: $0.element, sessionCount: $0.offset == 0 ? 1 : 0)
        }
        let console = ConsoleView(username: "sysadmin", signedIn: true, users: users, status: "Revoke All Sessions: done",
                                  log: [.init(at: start, text: "signed in as sysadmin"), .init(at: start + 5000, text: "Revoke All Sessions: done")])
        var app = AppState(phones: [phone], console: console, serverURL: "http://127.0.0.1:8065")
        app.nowMillis = start + 300_000
        return app
    }
}
