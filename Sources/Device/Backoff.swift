/// The real app's WebSocket retry schedule: 3 s for the first 7 failures, then 3 s × failures, at most 5 minutes.
public enum Backoff {
    public static let baseMillis: Int64 = 3_000
    public static let capMillis: Int64 = 5 * 60_000

    public static func delayMillis(afterFailures failures: Int) -> Int64 {
        guard failures > 7 else { return baseMillis }
        return min(baseMillis * Int64(failures), capMillis)
    }
}

/// Intervals of the simulated app, on the simulation clock.
public enum Intervals {
    public static let pingMillis: Int64 = 30_000
    public static let requestTimeoutMillis: Int64 = 30_000
    public static let restoredBannerMillis: Int64 = 3_000
    /// The real app's banners that close by themselves (use_connection_banner.ts `CLOSE_TIMEOUT_DURATION_MS`).
    public static let mobileBannerMillis: Int64 = 2_000
    /// The app closes its sockets this long after going to the background (websocket_manager.ts `WAIT_TO_CLOSE`).
    public static let backgroundCloseMillis: Int64 = 15_000
    /// How often writes the disk refused are tried again.
    public static let diskRetryMillis: Int64 = 5_000
}
