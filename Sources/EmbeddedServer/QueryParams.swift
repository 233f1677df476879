import Hummingbird

/// Query parameters read as Mattermost's `web/params.go` reads them: a bad value falls back to the default
/// instead of failing the request.
struct Paging: Sendable, Equatable {
    /// `PerPageDefault` and `PerPageMaximum` in params.go.
    static let defaultPerPage = 60
    static let maxPerPage = 200

    var page: Int
    var perPage: Int

    /// `page`: not an integer or negative → 0. `per_page`: not an integer or negative → 60, above 200 → 200.
    init(_ request: Request) {
        let query = request.uri.queryParameters
        let page = query.get("page").flatMap { Int($0) } ?? 0
        self.page = page < 0 ? 0 : page
        let perPage = query.get("per_page").flatMap { Int($0) } ?? -1
        self.perPage = perPage < 0 ? Self.defaultPerPage : min(perPage, Self.maxPerPage)
    }

    init(page: Int, perPage: Int) {
        self.page = page
        self.perPage = perPage
    }

    /// Rows to skip. A page far past the end (its offset beyond Int64) lists nothing rather than overflowing.
    var offset: Int64 {
        let (offset, overflow) = Int64(page).multipliedReportingOverflow(by: Int64(perPage))
        return overflow ? Int64.max : offset
    }
}

extension HTTP {
    /// `since` as `getPostsForChannel` reads it: absent → nil; not an Int64 → 400 `invalid_url_param`.
    static func since(in request: Request) throws -> Int64? {
        guard let raw = request.uri.queryParameters.get("since"), !raw.isEmpty else { return nil }
        guard let since = Int64(raw) else { throw APIErrors.invalidURLParam("since") }
        return since
    }
}
