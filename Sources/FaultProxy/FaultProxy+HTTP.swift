import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import MattermostClient
import MattermostModel
import NIOCore
import NIOHTTP1

/// The HTTP side: each request of a phone's route meets that phone's profile on its way to the server and back.
extension FaultProxy {
    static let maxBodyBytes = 8 << 20
    /// Headers that belong to one hop, never forwarded.
    static let hopByHop: Set<String> = ["connection", "keep-alive", "proxy-connection", "proxy-authenticate",
                                        "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade",
                                        "host", "content-length"]

    func forward(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let route = context.parameters.get("name") ?? ""
        let prefix = "/phone/\(route)"
        let path = String(request.uri.path.dropFirst(prefix.count))
        let query = request.uri.query.map { "?\($0)" } ?? ""
        let body = try await request.body.collect(upTo: Self.maxBodyBytes)
        if self.profile(route) == .slow3g {
            let deadline = clock.nowMillis + NetworkProfile.slow3gLatencyMillis + Self.transferMillis(body.readableBytes)
            guard await holds.hold(route: route, kind: .request, until: deadline) else { return Self.dropped() }
        }
        // Read after the latency: a link that went bad while the request was on its way takes it down too.
        let profile = self.profile(route)
        switch profile {
        case .unreachable:
            return Self.dropped()
        case .blackhole:
            _ = await holds.hold(route: route, kind: .request, until: nil)
            return Self.dropped()
        case .captivePortal:
            return Self.html(.ok, "<html><head><title>Sign in to Wi-Fi</title></head><body>Accept the terms to continue</body></html>")
        case .server5xx:
            let code = nextServerError()
            return Self.html(.init(code: code), "<html><body><h1>\(code)</h1>Bad gateway</body></html>")
        case .lossy:
            if lose() { return Self.dropped() }
        case .online, .slow3g, .reset, .truncated:
            break
        }
        let (status, headers, answer) = try await upstreamCall(request, path: path + query, body: body)
        if self.profile(route) == .slow3g {
            let deadline = clock.nowMillis + Self.transferMillis(answer.readableBytes)
            guard await holds.hold(route: route, kind: .request, until: deadline) else { return Self.dropped() }
        }
        switch profile {
        case .reset:
            return Self.cut(status, headers, answer, dropAfter: answer.readableBytes / 2)
        case .truncated:
            var half = answer
            let short = half.readSlice(length: answer.readableBytes / 2) ?? ByteBuffer()
            return Response(status: status, headers: headers, body: .init(byteBuffer: short))
        default:
            return Response(status: status, headers: headers, body: .init(byteBuffer: answer))
        }
    }

    func upstreamCall(_ request: Request, path: String, body: ByteBuffer) async throws -> (HTTPResponse.Status, HTTPFields, ByteBuffer) {
        var outgoing = HTTPClientRequest(url: upstream + path)
        outgoing.method = HTTPMethod(rawValue: request.method.rawValue)
        for field in request.headers where !Self.hopByHop.contains(field.name.canonicalName) {
            outgoing.headers.add(name: field.name.rawName, value: field.value)
        }
        if body.readableBytes > 0 { outgoing.body = .bytes(body) }
        do {
            let response = try await trust.httpClient.execute(outgoing, timeout: .seconds(60))
            let bytes = try await response.body.collect(upTo: Self.maxBodyBytes)
            var fields = HTTPFields()
            for (name, value) in response.headers where !Self.hopByHop.contains(name.lowercased()) {
                if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
            }
            return (HTTPResponse.Status(code: Int(response.status.code)), fields, bytes)
        } catch {
            // The server itself is down: say so as a gateway would.
            return (.badGateway, [.contentType: "text/plain"], ByteBuffer(string: "upstream unreachable"))
        }
    }

    /// The proxy's own refusal, shaped as the server's AppError.
    static func refusal(_ error: AppError) -> Response {
        let body = (try? JSONEncoder().encode(error)) ?? Data()
        return Response(status: .init(code: error.statusCode), headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func html(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The connection closes before any answer is complete.
    static func dropped() -> Response {
        cut(.ok, [:], ByteBuffer(string: "{}"), dropAfter: 0)
    }

    /// Announces the whole body, sends `dropAfter` bytes of it, then drops the connection.
    static func cut(_ status: HTTPResponse.Status, _ headers: HTTPFields, _ body: ByteBuffer, dropAfter: Int) -> Response {
        var headers = headers
        headers[.contentLength] = String(body.readableBytes)
        let part = body.getSlice(at: body.readerIndex, length: min(dropAfter, body.readableBytes)) ?? ByteBuffer()
        return Response(status: status, headers: headers, body: ResponseBody { writer in
            if part.readableBytes > 0 { try await writer.write(part) }
            throw ConnectionDropped()
        })
    }

    struct ConnectionDropped: Error {}
}
