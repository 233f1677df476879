import Foundation
import NIOSSL

/// https for the embedded server: a PEM certificate chain (leaf first) and its PEM private key.
public struct ServerTLS: Sendable, Equatable {
    public var certificateFile: String
    public var privateKeyFile: String

    public init(certificateFile: String, privateKeyFile: String) {
        self.certificateFile = certificateFile
        self.privateKeyFile = privateKeyFile
    }

    /// Reads both files now, so that a bad one stops the start with a plain reason instead of failing each handshake.
    func serverConfiguration() throws(EmbeddedServerError) -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMBytes(Array(try read(certificateFile, "--tls-cert")))
        } catch let error as EmbeddedServerError {
            throw error
        } catch {
            throw .startFailed("--tls-cert \(certificateFile) holds no PEM certificate")
        }
        do {
            key = try NIOSSLPrivateKey(bytes: Array(try read(privateKeyFile, "--tls-key")), format: .pem)
        } catch let error as EmbeddedServerError {
            throw error
        } catch {
            throw .startFailed("--tls-key \(privateKeyFile) holds no PEM private key")
        }
        guard !chain.isEmpty else { throw .startFailed("--tls-cert \(certificateFile) holds no PEM certificate") }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) },
                                                                     privateKey: .privateKey(key))
        // On stop, an idle pooled client connection never answers close_notify (it is not reading): without this,
        // every stop would wait NIOSSL's default 5 s for it.
        configuration.shutdownTimeout = .milliseconds(200)
        // Building a context checks that the key belongs to the certificate.
        do {
            _ = try NIOSSLContext(configuration: configuration)
        } catch {
            throw .startFailed("--tls-key \(privateKeyFile) does not match --tls-cert \(certificateFile)")
        }
        return configuration
    }

    private func read(_ path: String, _ flag: String) throws(EmbeddedServerError) -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .startFailed("\(flag) \(path) cannot be read")
        }
    }
}
