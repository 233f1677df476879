import Hummingbird
import MattermostModel

/// The public system routes: ping, the client config and license (api4/system.go getClientConfig,
/// api4/license.go getClientLicense). None needs a session, and none ever answers 401: the mobile app calls them
/// first on entry, and a revoked token simply gets the limited config.
extension API {
    func registerSystemRoutes(on router: Router<APIRequestContext>) {
        // Reachability only: no session needed, and no session is touched.
        router.get(RouterPath(APIPath.ping)) { _, _ in try HTTP.statusOK }
        // A plain GET on the socket path (no upgrade headers) gets an AppError, not a bare 404.
        router.get(RouterPath(APIPath.websocket)) { _, _ -> Response in
            throw AppError(id: "api.web_socket.connect.upgrade.app_error",
                           message: "Failed to upgrade websocket connection.", statusCode: 400)
        }
        router.get(RouterPath(APIPath.clientConfigRoute)) { request, context in
            // Only the old format exists: no `format` is 501, another one 400.
            switch request.uri.queryParameters.get("format") {
            case nil, "":
                throw AppError(id: "api.config.client.old_format.app_error",
                               message: "New format for the client configuration is not supported yet. Please specify format=old in the query string.",
                               statusCode: 501)
            case "old":
                return try HTTP.json(clientConfig(request, full: context.caller != nil))
            default:
                throw APIErrors.invalidURLParam("format")
            }
        }
        router.get(RouterPath(APIPath.clientLicenseRoute)) { _, _ in
            try HTTP.json(ClientLicense(["IsLicensed": "false"]))
        }
    }

    /// `LimitedClientConfigWithComputed` for anonymous callers, `ClientConfigWithComputed` for a session
    /// (config/client.go GenerateLimitedClientConfig / GenerateClientConfig): the fields clients read
    /// (mattermost-mobile `app/actions/remote/systems.ts`, `app/utils/config.ts`), with a stock server's defaults.
    /// `SiteURL` and `EnableReliableWebSockets` are in the full config only, as there; `SiteURL` is the address the
    /// request came to (mmsim has no configured one).
    func clientConfig(_ request: Request, full: Bool) -> ClientConfig {
        let scheme = config.tls == nil ? "http" : "https"
        let host = request.head.authority ?? "\(config.host):\(config.port)"
        var values = [
            "Version": ServerVersion.version,
            "BuildNumber": ServerVersion.buildNumber,
            "BuildDate": "",
            "BuildHash": ServerVersion.buildNumber,
            "BuildHashEnterprise": "none",
            "BuildEnterpriseReady": "false",
            "SiteName": "Mattermost",
            "WebsocketURL": "",
            "DiagnosticId": diagnosticID,
            "TelemetryId": diagnosticID,
            "DiagnosticsEnabled": "false",
            "FeatureFlagCollapsedThreads": "true",
            "EnableSignInWithEmail": "true",
            "EnableSignInWithUsername": "true",
            "EnableSignUpWithEmail": "true",
            "EnableUserCreation": "true",
            "EnableOpenServer": "false",
            "EnableMultifactorAuthentication": "false",
            "PasswordMinimumLength": "\(Self.passwordMinimumLength)",
            "NoAccounts": "false",
        ]
        if full {
            values.merge([
                "SiteURL": "\(scheme)://\(host)",
                "EnableReliableWebSockets": "true",
                "CollapsedThreads": "always_on",
                "ExperimentalPrimaryTeam": "",
                "DataRetentionEnableMessageDeletion": "false",
                "LockTeammateNameDisplay": "false",
                "TeammateNameDisplay": "username",
                "ExtendSessionLengthWithActivity": "\(config.extendSessionLengthWithActivity)",
                "EnableUserDeactivation": "\(config.enableUserDeactivation)",
                "SessionLengthMobileInHours": "\(config.sessionLengthMobileHours)",
            ]) { _, new in new }
        }
        return ClientConfig(values)
    }
}
