import NIOHTTP1

extension MattermostAPI {
    /// A call whose answer is needed only as JSON: the real app's entry calls (config, license, preferences,
    /// memberships, sessions), whose fields the simulated phone barely reads.
    public func getJSON(_ path: String, token: String?) async throws(ClientError) -> JSONValue {
        try await call(.GET, path, token: token)
    }

    public func postJSON(_ path: String, body: JSONValue, token: String?) async throws(ClientError) -> JSONValue {
        try await call(.POST, path, token: token, body: body)
    }
}
