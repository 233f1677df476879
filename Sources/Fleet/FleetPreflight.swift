import MattermostClient
import NIOCore

/// Before any phone starts on a server given with `--server`: that it answers as Mattermost and that the admin
/// can sign in. Found only at the revoke phase, after every phone has logged in, a wrong URL or password would
/// cost the whole run and be reported as phones that missed the revocation.
struct FleetPreflight: Sendable {
    let url: String
    let admin: FleetCredential
    /// Long enough for a loaded server, short enough that a URL going nowhere is said soon.
    static let timeout = TimeAmount.seconds(15)

    func check() async throws(FleetError) {
        let api = MattermostAPI(baseURL: url, http: ClientTrust.system.httpClient, timeout: Self.timeout)
        do throws(ClientError) {
            try await api.ping()
        } catch .network(let reason) {
            let why = reason.hasPrefix("not reachable: ") ? String(reason.dropFirst("not reachable: ".count)) : reason
            throw .setup("\(url) is not reachable (\(why)): is --server right?")
        } catch {
            throw .setup("\(url) does not answer as a Mattermost server (GET /api/v4/system/ping: \(error)): "
                         + "is --server right?")
        }
        let token: String
        do throws(ClientError) {
            token = try await api.login(loginID: admin.username, password: admin.password, deviceID: nil).token
        } catch {
            let why = error.appError.map { "\($0.message) (\(error))" } ?? "\(error)"
            throw .setup("the admin \(admin.username) cannot sign in at \(url): \(why); "
                         + "check $MMSIM_ADMIN_USER and $MMSIM_ADMIN_PASSWORD")
        }
        // The revoke phase signs in again when its time comes; this session is not left behind.
        do throws(ClientError) { try await api.logout(token: token) } catch {}
    }
}
