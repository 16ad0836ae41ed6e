import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A request the test server received.
struct ReceivedRequest: Sendable {
    /// Path and query, as sent.
    var uri: String
    /// Headers, names in lower case.
    var headers: [String: String]

    var path: String { String(uri.split(separator: "?", maxSplits: 1).first ?? "") }
}

/// A scripted answer, written byte for byte: any status, headers, a body, a delay before it, and a
/// Content-Length that may claim more than is sent (the connection is then closed mid-body).
struct Reply: Sendable {
    var status = 200
    var reason = "OK"
    var headers: [(String, String)] = [("Content-Type", "application/json; charset=utf-8")]
    var body = ""
    /// Seconds before the answer is written.
    var delay = 0.0
    /// The Content-Length sent, when not the body's length.
    var contentLength: Int?

    static func json(_ body: String, headers: [(String, String)] = []) -> Reply {
        Reply(headers: [("Content-Type", "application/json; charset=utf-8")] + headers, body: body)
    }

    static func status(_ status: Int, _ reason: String, headers: [(String, String)] = []) -> Reply {
        Reply(status: status, reason: reason, headers: headers, body: "")
    }
}

/// Answers requests: the request and how many earlier requests had the same path.
typealias Responder = @Sendable (ReceivedRequest, Int) -> Reply

/// A real HTTP/1.1 server on 127.0.0.1 with an ephemeral port (SwiftNIO), for the fetch tests: it
/// answers with ``Reply`` values and records every request.
final class TestServer: Sendable {
    private let channel: any Channel
    let state: ServerState
    let port: Int

    var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(channel: any Channel, state: ServerState) {
        self.channel = channel
        self.state = state
        port = channel.localAddress?.port ?? 0
    }

    static func start(_ responder: @escaping Responder) async throws -> TestServer {
        let state = ServerState(responder: responder)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(HTTPRequestDecoder()))
                    try channel.pipeline.syncOperations.addHandler(ReplyHandler(state: state))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return TestServer(channel: channel, state: state)
    }

    /// The requests received so far.
    var requests: [ReceivedRequest] { state.requests }

    func stop() async {
        try? await channel.close()
    }
}

/// The server's script and its record of requests.
final class ServerState: @unchecked Sendable {
    private let lock = NSLock()
    private let responder: Responder
    private var received: [ReceivedRequest] = []

    init(responder: @escaping Responder) { self.responder = responder }

    var requests: [ReceivedRequest] { lock.withLock { received } }

    func reply(to request: ReceivedRequest) -> Reply {
        let earlier = lock.withLock {
            let count = received.filter { $0.path == request.path }.count
            received.append(request)
            return count
        }
        return responder(request, earlier)
    }
}

/// Writes the scripted answer to each request, then closes the connection.
private final class ReplyHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart

    let state: ServerState
    var head: HTTPRequestHead?

    init(state: ServerState) { self.state = state }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): self.head = head
        case .body: break
        case .end:
            guard let head else { return }
            var headers: [String: String] = [:]
            for (name, value) in head.headers { headers[name.lowercased()] = value }
            let reply = state.reply(to: ReceivedRequest(uri: head.uri, headers: headers))
            var text = "HTTP/1.1 \(reply.status) \(reply.reason)\r\n"
            for (name, value) in reply.headers { text += "\(name): \(value)\r\n" }
            text += "Content-Length: \(reply.contentLength ?? reply.body.utf8.count)\r\nConnection: close\r\n\r\n"
            text += reply.body
            let buffer = context.channel.allocator.buffer(string: text)
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(in: .milliseconds(Int64(reply.delay * 1000))) {
                let context = bound.value
                context.writeAndFlush(NIOAny(buffer)).whenComplete { _ in context.close(promise: nil) }
            }
        }
    }
}
