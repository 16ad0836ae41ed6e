import Foundation
import Logging
import PipelineModel

/// Keeps a source's requests within the API's rules: at least `minInterval` seconds between two requests
/// (counted from the previous fetch's end too) and at most `maxPerHour` requests in the last hour
/// (counting the requests the fetches of the last hour recorded).
struct RequestPacer: Sendable {
    var minInterval: Double
    var maxPerHour: Int?
    /// Requests recorded by this source's fetches that ended in the last hour.
    var earlierRequests: Int
    /// When the last request was sent (or the last fetch ended).
    var last: Date?
    /// Requests sent by this fetch.
    var sent = 0

    /// Waits until the next request may be sent, or throws when the hourly limit is reached.
    mutating func waitForTurn(source: String) async throws {
        if let maxPerHour, earlierRequests + sent >= maxPerHour {
            throw FetchError(
                .unavailable, source: source,
                "max_per_hour (\(maxPerHour) requests) is reached; the next fetch may continue in an hour")
        }
        if let last {
            let wait = minInterval - Date().timeIntervalSince(last)
            if wait > 0 { try? await Task.sleep(for: .seconds(wait)) }
        }
        last = Date()
        sent += 1
    }
}

/// One source's requests: the plan, the pacer, retries with backoff and `Retry-After`, and what was sent.
struct FetchSession: Sendable {
    var source: String
    var spec: FetchSpec
    var plan: RequestPlan
    var pacer: RequestPacer
    var transport: HTTPTransport
    var logger: Logger
    /// Requests sent, retries included.
    var requests = 0
    /// The status of the last answer.
    var lastStatus: Int?

    /// Sends a GET request to `url` until it gets an answer to keep: 2xx or 304. A 429 waits as long as its
    /// `Retry-After` says (or the backoff), a 5xx, a timeout or a broken connection waits the backoff
    /// (`backoff_seconds`, doubled each time), both at most `max_wait_seconds` and `retries` times. A 401 or
    /// 403 fails at once (exit 77), as does another status (exit 69).
    mutating func send(_ url: URL, extraHeaders: [(name: String, value: String)]) async throws -> HTTPAnswer {
        let shown = RequestPlan.redacted(url)
        var attempt = 0
        while true {
            try await pacer.waitForTurn(source: source)
            requests += 1
            var problem = ""
            var wait = min(spec.backoffSeconds * pow(2, Double(attempt)), spec.maxWaitSeconds)
            do {
                let answer = try await transport.get(url, headers: plan.headers + extraHeaders, logger: logger)
                lastStatus = answer.status
                switch answer.status {
                case 200..<300, 304:
                    return answer
                case 401, 403:
                    let credential =
                        (spec.bearerTokenVariable ?? spec.basicAuthVariable).map { "the credential in $\($0)" }
                        ?? "no credential (set bearer_token_env or basic_auth_env)"
                    throw FetchError(
                        .refused, source: source,
                        "\(shown) answered \(answer.status) \(answer.reason): it refused \(credential)")
                case 429:
                    problem = "429 Too Many Requests"
                    if let asked = answer.header("Retry-After").flatMap(Self.retryAfter) {
                        guard asked <= spec.maxWaitSeconds else {
                            throw FetchError(
                                .unavailable, source: source,
                                "\(shown) answered 429 and asks to wait \(Int(asked.rounded())) s, more than "
                                    + "max_wait_seconds (\(Int(spec.maxWaitSeconds))); try again later")
                        }
                        wait = asked
                    }
                case 500..<600:
                    problem = "\(answer.status) \(answer.reason)"
                default:
                    throw FetchError(
                        .unavailable, source: source, "\(shown) answered \(answer.status) \(answer.reason)")
                }
            } catch let failure as TransportFailure {
                lastStatus = nil
                switch failure {
                case .timeout: problem = "no answer within \(spec.timeoutSeconds) s"
                case .broken(let reason): problem = "the connection failed or broke off (\(reason))"
                case .tooLarge:
                    throw FetchError(
                        .unexpectedAnswer, source: source,
                        "\(shown) answered more than \(HTTPTransport.maximumBodyBytes / 1_048_576) MB")
                }
            }
            guard attempt < spec.retries else {
                let tries = attempt + 1
                throw FetchError(
                    .unavailable, source: source, "\(shown): \(problem) (\(tries) attempt\(tries == 1 ? "" : "s"))")
            }
            attempt += 1
            logger.warning(
                "request failed, trying again",
                metadata: [
                    "source_id": "\(source)", "url": "\(shown)", "problem": "\(problem)",
                    "wait_seconds": "\(wait)", "attempt": "\(attempt + 1)",
                ])
            try? await Task.sleep(for: .seconds(wait))
        }
    }

    /// The seconds a `Retry-After` header asks for: a number of seconds, or an HTTP date.
    static func retryAfter(_ value: String) -> Double? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(text) { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: text) else { return nil }
        return max(0, date.timeIntervalSinceNow)
    }
}
