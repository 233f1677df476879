import Foundation
import HTTPTypes
import Hummingbird
import MattermostModel

/// Small shared pieces of request reading and response writing.
enum HTTP {
    static let encoder = JSONEncoder()
    static let decoder = JSONDecoder()
    static let tokenHeader = HTTPField.Name(APIPath.tokenHeader)!

    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        let data = try encoder.encode(value)
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static var statusOK: Response {
        get throws { try json(StatusOK()) }
    }

    /// Reads the body without trusting its size, then decodes it; every failure is a 4xx AppError.
    static func decodeBody<T: Decodable>(_ type: T.Type, from request: Request, limit: Int,
                                         param: String) async throws -> T {
        var bytes = [UInt8]()
        do {
            for try await chunk in request.body {
                guard bytes.count + chunk.readableBytes <= limit else { throw APIErrors.tooLarge(limit: limit) }
                bytes.append(contentsOf: chunk.readableBytesView)
            }
        } catch let error as AppError {
            throw error
        } catch {
            // The body broke off or did not parse (a bad chunk size, say): the client's fault, not a 500.
            throw APIErrors.invalidBodyParam(param, detail: "unreadable body")
        }
        guard !bytes.isEmpty else { throw APIErrors.invalidBodyParam(param, detail: "empty body") }
        do {
            return try decoder.decode(T.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw APIErrors.invalidBodyParam(name(of: error) ?? param, detail: summary(of: error))
        } catch {
            throw APIErrors.invalidBodyParam(param)
        }
    }

    /// The JSON key a decoding error is about, so the message names it like Mattermost does.
    private static func name(of error: DecodingError) -> String? {
        switch error {
        case .keyNotFound(let key, _): return key.stringValue
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return context.codingPath.last?.stringValue
        default: return nil
        }
    }

    private static func summary(of error: DecodingError) -> String {
        switch error {
        case .dataCorrupted: return "malformed JSON"
        case .keyNotFound(let key, _): return "missing \(key.stringValue)"
        case .typeMismatch(let type, _): return "wrong type, expected \(type)"
        case .valueNotFound: return "null value"
        @unknown default: return "undecodable body"
        }
    }

    /// A path id: `me` stands for the caller where allowed; anything not shaped like an id is a 400.
    static func id(_ name: String, in context: some RequestContext, me: String? = nil) throws -> String {
        guard let value = context.parameters.get(name) else { throw APIErrors.invalidURLParam(name) }
        if let me, value == "me" { return me }
        guard MattermostID.isValid(value) else { throw APIErrors.invalidURLParam(name) }
        return value
    }
}
