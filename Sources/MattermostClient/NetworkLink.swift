import MattermostModel

/// What a phone needs from the thing that shapes its link: where to send requests under a profile, and which of
/// its requests are held on the simulation clock, so that a driver knows it may move time instead of waiting.
public protocol NetworkLink: Sendable {
    /// The base URL a phone uses under `profile`; `online` is the server's own URL.
    func baseURL(route: String, profile: NetworkProfile) -> String
    func setProfile(_ profile: NetworkProfile, route: String)
    /// How many of this route's requests or socket frames the link holds (delayed or swallowed).
    func heldCount(route: String) -> Int
    /// The earliest moment (simulation clock) at which held work of this route resumes.
    func nextDeadline(route: String) -> Int64?
    /// Resumes held work whose deadline has passed (a virtual-clock driver calls this after moving time).
    func wakeDue()
    /// The phone gave up: release what the link holds for its requests and/or its WebSocket (and close that socket).
    func abandon(route: String, requests: Bool, sockets: Bool)
    /// Called whenever the link starts holding something of this route.
    func onHold(route: String, _ callback: @escaping @Sendable () -> Void)
}
