/// The quality of a phone's link, independent of airplane mode (the radio). Realised by a fault-injecting proxy;
/// `online` bypasses it.
public enum NetworkProfile: String, Sendable, CaseIterable, Codable {
    case online
    /// Connection refused at once.
    case unreachable
    /// Never answers: the phone's own timeout (on the simulation clock) ends each request.
    case blackhole
    /// The connection drops mid-response.
    case reset
    /// Chrome DevTools' "Slow 3G": 2,000 ms latency, 50 kB/s, as delays on the simulation clock.
    case slow3g = "slow-3g"
    /// Connections dropped at random, from a seed.
    case lossy
    /// Every request answers 200 text/html (a Wi-Fi sign-in page).
    case captivePortal = "captive-portal"
    /// 500, 502 and 503 in turn.
    case server5xx = "server-5xx"
    /// A 200 whose body is cut short.
    case truncated

    public static let names = allCases.map(\.rawValue)

    /// The next profile in a fixed order, for a key that cycles them.
    public var next: NetworkProfile {
        let all = Self.allCases
        let index = all.firstIndex(of: self) ?? all.startIndex
        return all[(index + 1) % all.count]
    }
}
