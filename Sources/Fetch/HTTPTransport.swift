import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// An HTTP answer with its whole body.
struct HTTPAnswer: Sendable {
    var status: Int
    var reason: String
    var headers: [(name: String, value: String)]
    var body: Data

    /// The first value of the header `name` (any case).
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// A request that got no complete answer: worth trying again.
enum TransportFailure: Error, Sendable {
    /// No answer, or no more of it, within the timeout.
    case timeout
    /// The connection could not be made or broke off (a body shorter than its Content-Length, say).
    case broken(String)
    /// The body is larger than ``HTTPTransport/maximumBodyBytes``.
    case tooLarge
}

/// GET requests through AsyncHTTPClient, with a fetch's timeouts and redirect rule.
struct HTTPTransport: Sendable {
    /// The largest body read; a larger one fails the fetch.
    static let maximumBodyBytes = 512 * 1024 * 1024

    let client: HTTPClient
    let timeout: TimeAmount

    /// A client for one source: `timeoutSeconds` bounds each request and any silence while it arrives;
    /// redirects are followed (at most 5) only when no credential is sent, so a token never goes elsewhere.
    init(timeoutSeconds: Double, followRedirects: Bool) {
        timeout = .nanoseconds(Int64(timeoutSeconds * 1_000_000_000))
        let configuration = HTTPClient.Configuration(
            redirectConfiguration: followRedirects ? .follow(max: 5, allowCycles: false) : .disallow,
            timeout: HTTPClient.Configuration.Timeout(connect: timeout, read: timeout),
            decompression: .enabled(limit: .ratio(100)))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Sends a GET request and reads the whole answer.
    func get(_ url: URL, headers: [(name: String, value: String)], logger: Logger) async throws -> HTTPAnswer {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .GET
        for header in headers { request.headers.add(name: header.name, value: header.value) }
        do {
            let response = try await client.execute(request, timeout: timeout, logger: logger)
            let body = try await response.body.collect(upTo: Self.maximumBodyBytes)
            return HTTPAnswer(
                status: Int(response.status.code), reason: response.status.reasonPhrase,
                headers: response.headers.map { ($0.name, $0.value) }, body: Data(body.readableBytesView))
        } catch let error as HTTPClientError
            where [.deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout].contains(error)
        {
            throw TransportFailure.timeout
        } catch is NIOTooManyBytesError {
            throw TransportFailure.tooLarge
        } catch {
            throw TransportFailure.broken(String(describing: error))
        }
    }

    /// Closes the client's connections.
    func shutdown() async {
        try? await client.shutdown()
    }
}
