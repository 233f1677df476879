import MattermostClient

/// Before any phone starts on a server given with `--server`: that it answers as Mattermost and that the admin
/// can sign in. Found only at the revoke phase, after every phone has logged in, a wrong URL or password would
/// cost the whole run and be reported as phones that missed the revocation.
struct FleetPreflight: Sendable {
    let url: String
    let admin: FleetCredential

    func check() async throws(FleetError) {
        let api: MattermostAPI
        do throws(ServerPreflight.Failure) { api = try await ServerPreflight.ping(url) } catch { throw .setup("\(error)") }
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
