import AsyncHTTPClient
import Foundation
import NIOSSL
import Synchronization

/// Which certificate authorities mmsim's client side (phones, System Console, fault proxy upstream) trusts for
/// https and wss: the system's roots, plus the CAs of `--ca-file` if given. Added to, not instead of, the system
/// roots — as a phone with a user-installed CA still trusts the public ones — so one flag serves a private
/// Mattermost and a public one alike.
public struct ClientTrust: Sendable, Hashable, CustomStringConvertible {
    /// The PEM file the extra CAs came from; nil: the system roots only.
    public let caFile: String?
    let certificates: [NIOSSLCertificate]

    public static let system = ClientTrust(caFile: nil, certificates: [])

    public enum LoadError: Error, Equatable, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        case noCertificate(path: String)

        public var description: String {
            switch self {
            case .unreadable(let path, let reason): return "--ca-file \(path) cannot be read: \(reason)"
            case .noCertificate(let path): return "--ca-file \(path) holds no PEM certificate (-----BEGIN CERTIFICATE-----)"
            }
        }
    }

    /// Reads every certificate of a PEM file; a missing, unreadable or non-PEM file fails here, before anything
    /// starts, rather than as a handshake error later.
    public static func load(caFile path: String) throws(LoadError) -> ClientTrust {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "permission denied or not a file" : "no such file"
            throw .unreadable(path: path, reason: reason)
        }
        guard let certificates = try? NIOSSLCertificate.fromPEMBytes(Array(data)), !certificates.isEmpty else {
            throw .noCertificate(path: path)
        }
        return ClientTrust(caFile: path, certificates: certificates)
    }

    public var description: String { caFile.map { "system roots + \($0)" } ?? "system roots" }

    /// For every TLS client of mmsim: standard verification (chain and host name), extra roots added.
    public var tlsConfiguration: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        // Closing our side never waits long for the server's close_notify (NIOSSL's default is 5 s per connection):
        // HTTP bodies are length-delimited, so nothing is lost, and stopping a proxy or a phone stays quick.
        configuration.shutdownTimeout = .milliseconds(200)
        if !certificates.isEmpty { configuration.additionalTrustRoots = [.certificates(certificates)] }
        return configuration
    }

    /// One HTTP client per trust for the whole process (connection pools are per client); never shut down.
    public var httpClient: HTTPClient {
        if caFile == nil { return MattermostAPI.sharedHTTPClient }
        return Self.clients.withLock { clients in
            if let client = clients[self] { return client }
            let client = MattermostAPI.makeHTTPClient(tls: tlsConfiguration)
            clients[self] = client
            return client
        }
    }

    private static let clients = Mutex<[ClientTrust: HTTPClient]>([:])

    /// A client of its own for many callers at once (a fleet): one pooled connection per request in flight, so
    /// no request waits in the pool's queue — queued requests cost the pool more CPU than the connections do.
    /// The caller shuts it down.
    public func dedicatedHTTPClient(connectionsPerHost: Int) -> HTTPClient {
        MattermostAPI.makeHTTPClient(tls: tlsConfiguration, connectionsPerHost: max(1, connectionsPerHost))
    }
}

extension ClientTrust {
    /// A short reason for a TLS failure, so that the phone's timeline says "not trusted" rather than a BoringSSL
    /// dump; nil when `error` is not about TLS.
    static func describeFailure(_ error: any Error) -> String? {
        let text = String(describing: error)
        if text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("certificate verify failed") {
            return "TLS: certificate not trusted (a private CA needs --ca-file)"
        }
        if let extra = error as? NIOSSLExtraError, extra == .failedToValidateHostname {
            return "TLS: the certificate does not name this host"
        }
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
            return "TLS: handshake failed (\(text.prefix(80)))"
        }
        return nil
    }

    /// NIOSSL refuses an IP address as SNI, and the WebSocket client always sends the URL's host: wss needs a name.
    static func isIPLiteral(_ host: String) -> Bool {
        host.contains(":") || (!host.isEmpty && host.allSatisfy { $0.isNumber || $0 == "." })
    }
}
