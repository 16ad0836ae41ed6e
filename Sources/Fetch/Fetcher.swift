import Crypto
import Foundation
import Logging
import PipelineModel
import Workspace

/// What one source's fetch did.
public struct FetchResult: Sendable, Hashable {
    public var source: String
    public var outcome: FetchOutcome
    /// The first request's URL (no credentials).
    public var url: String
    /// The new delivery file, or for an unchanged answer the latest one it matched.
    public var file: String?
    public var bytes: Int?
    public var requests: Int
    /// Earlier deliveries moved to `superseded/` (`keep: latest`).
    public var superseded: [String]
}

/// What `lagesbild fetch` did: a result per source that succeeded, and the failures.
public struct FetchReport: Sendable {
    public var results: [FetchResult] = []
    public var failures: [FetchError] = []

    /// The failure the command ends with: a refused credential first, then an unexpected answer, a file
    /// that cannot be written, and last an unavailable server (which does not block `run`).
    public var worstFailure: FetchError? {
        let order: [FetchError.Kind] = [.refused, .unexpectedAnswer, .cannotWrite, .unavailable]
        return failures.min { order.firstIndex(of: $0.kind)! < order.firstIndex(of: $1.kind)! }
    }
}

/// Downloads the deliveries of the sources that have a `fetch:` section, one source after another, under
/// the workspace lock, and records every fetch in the workspace's `fetches` table.
///
/// Each source's answer (all its pages) is checked and written as one new dated file in the source's
/// folder, or not at all: a 304 to the conditional request, or an answer identical to the latest
/// delivery, writes nothing. See `Pipelines/README.md`, "fetch".
public struct Fetcher: Sendable {
    public var pipeline: Pipeline
    /// The workspace folder (its database records the fetches).
    public var workspaceDirectory: String
    /// The pipeline's output folder, which the workspace links (see `Generations.prepare`).
    public var outputDirectory: String
    /// Where credentials come from.
    public var environment: [String: String]
    /// The User-Agent of sources that set none.
    public var userAgent: String
    public var logger: Logger

    public init(
        pipeline: Pipeline, workspaceDirectory: String, outputDirectory: String,
        environment: [String: String] = ProcessInfo.processInfo.environment, userAgent: String, logger: Logger
    ) {
        self.pipeline = pipeline
        self.workspaceDirectory = workspaceDirectory
        self.outputDirectory = outputDirectory
        self.environment = environment
        self.userAgent = userAgent
        self.logger = logger
    }

    /// The default User-Agent for a tool version.
    public static func defaultUserAgent(version: String) -> String {
        "Lagesbild/\(version) (+kommunens kontaktadress)"
    }

    /// Fetches every source with a `fetch:` section, or only `sourceID`. Throws only when the workspace
    /// cannot be locked or opened; each source's failure is in the report.
    public func run(source sourceID: String? = nil) async throws -> FetchReport {
        let sources = pipeline.sources.filter { $0.fetch != nil && (sourceID == nil || $0.id == sourceID) }
        var report = FetchReport()
        guard !sources.isEmpty else { return report }
        let lock = try WorkspaceLock.acquire(directory: workspaceDirectory)
        defer { lock.release() }
        try Generations(directory: workspaceDirectory).prepare(outputDirectory: outputDirectory)
        let workspace = try Workspace(directory: workspaceDirectory, create: true)
        for source in sources {
            do {
                report.results.append(try await fetch(source, workspace: workspace))
            } catch let error as FetchError {
                logger.error("fetch failed", metadata: ["source_id": "\(source.id)", "reason": "\(error.message)"])
                report.failures.append(error)
            }
        }
        return report
    }

    /// Fetches one source and records the fetch, whatever its outcome.
    func fetch(_ source: SourceSpec, workspace: Workspace) async throws -> FetchResult {
        guard let spec = source.fetch else {
            throw FetchError(.unexpectedAnswer, source: source.id, "no fetch: section")
        }
        let started = Date()
        var session: FetchSession
        do {
            let plan = try RequestPlan(
                spec: spec, sourceID: source.id, userAgent: userAgent, environment: environment)
            let earlier = try workspace.latestFetch(source: source.id)
            let hourAgo = started.addingTimeInterval(-3600)
            session = FetchSession(
                source: source.id, spec: spec, plan: plan,
                pacer: RequestPacer(
                    minInterval: spec.minIntervalSeconds, maxPerHour: spec.maxPerHour,
                    earlierRequests: try workspace.fetchRequests(source: source.id, since: hourAgo),
                    last: earlier.flatMap { FetchRecord.date($0.fetchedAt) }),
                transport: HTTPTransport(timeoutSeconds: spec.timeoutSeconds, followRedirects: !plan.hasCredential),
                logger: logger)
        } catch let error as FetchError {
            try workspace.recordFetch(
                FetchRecord(
                    sourceID: source.id, url: spec.url, startedAt: FetchRecord.timestamp(started),
                    fetchedAt: FetchRecord.timestamp(Date()), status: .failed, requests: 0, message: error.message))
            throw error
        }
        DeliveryWriter.removeLeftovers(spec: spec)
        let url = RequestPlan.redacted(session.plan.url)
        var record = FetchRecord(
            sourceID: source.id, url: url, startedAt: FetchRecord.timestamp(started), fetchedAt: "", status: .failed,
            requests: 0)
        let downloaded: Result<Download, any Error>
        do {
            downloaded = .success(
                try await download(source: source.id, spec: spec, session: &session, workspace: workspace))
        } catch {
            downloaded = .failure(error)
        }
        await session.transport.shutdown()
        record.httpStatus = session.lastStatus
        record.requests = session.requests
        record.fetchedAt = FetchRecord.timestamp(Date())
        switch downloaded {
        case .success(let result):
            record.status = result.outcome
            record.file = result.file
            record.bytes = result.bytes
            record.sha256 = result.sha256
            record.etag = result.etag
            record.lastModified = result.lastModified
            record.message =
                result.superseded.isEmpty ? nil : "moved aside: \(result.superseded.joined(separator: ", "))"
            try workspace.recordFetch(record)
            switch result.outcome {
            case .delivered:
                logger.info(
                    "fetched a new delivery",
                    metadata: [
                        "source_id": "\(source.id)", "file": "\(result.file ?? "")", "bytes": "\(result.bytes ?? 0)",
                        "requests": "\(session.requests)",
                    ])
            default:
                logger.info(
                    "nothing new to fetch",
                    metadata: [
                        "source_id": "\(source.id)", "outcome": "\(result.outcome.rawValue)",
                        "file": "\(result.file ?? "")",
                    ])
            }
            return FetchResult(
                source: source.id, outcome: result.outcome, url: url, file: result.file, bytes: result.bytes,
                requests: session.requests, superseded: result.superseded)
        case .failure(let error):
            record.message = (error as? FetchError)?.message ?? "\(error)"
            try workspace.recordFetch(record)
            throw error
        }
    }

    /// What a download found.
    struct Download {
        var outcome: FetchOutcome
        var file: String?
        var bytes: Int?
        var sha256: String?
        var etag: String?
        var lastModified: String?
        var superseded: [String] = []
    }

    /// Requests every page, checks and merges them, and writes the delivery when it is new.
    func download(
        source: String, spec: FetchSpec, session: inout FetchSession, workspace: Workspace
    ) async throws -> Download {
        // The latest delivery, when its file is still there: its validators make the request conditional,
        // and its SHA-256 tells an identical answer.
        let previous = try workspace.latestSuccessfulFetch(source: source).flatMap { record in
            record.file.map { FileManager.default.fileExists(atPath: $0) } == true ? record : nil
        }
        var conditional: [(name: String, value: String)] = []
        if let previous, previous.url == RequestPlan.redacted(session.plan.url) {
            if let etag = previous.etag { conditional.append(("If-None-Match", etag)) }
            if let date = previous.lastModified { conditional.append(("If-Modified-Since", date)) }
        }
        let first = try await session.send(session.plan.url, extraHeaders: conditional)
        if first.status == 304 {
            guard let previous, !conditional.isEmpty else {
                throw FetchError(.unavailable, source: source, "304 Not Modified to a request that was not conditional")
            }
            return Download(
                outcome: .notModified, file: previous.file, bytes: previous.bytes, sha256: previous.sha256,
                etag: first.header("ETag") ?? previous.etag,
                lastModified: first.header("Last-Modified") ?? previous.lastModified)
        }
        let document = try await merge(first: first, source: source, spec: spec, session: &session)
        let sha256 = SHA256.hash(data: document).map { String(format: "%02x", $0) }.joined()
        let etag = first.header("ETag")
        let lastModified = first.header("Last-Modified")
        if let previous, previous.sha256 == sha256 {
            return Download(
                outcome: .unchanged, file: previous.file, bytes: document.count, sha256: sha256, etag: etag,
                lastModified: lastModified)
        }
        let path = try DeliveryWriter.write(document, spec: spec, at: Date(), source: source)
        let superseded =
            spec.keep == .latest
            ? DeliveryWriter.supersede(except: path, spec: spec, source: source, logger: logger) : []
        return Download(
            outcome: .delivered, file: path, bytes: document.count, sha256: sha256, etag: etag,
            lastModified: lastModified, superseded: superseded)
    }

    /// The delivery's content: the answer itself, or for paged answers one JSON document — the first page
    /// with its items array holding every page's items, and without the next link or page token.
    func merge(first: HTTPAnswer, source: String, spec: FetchSpec, session: inout FetchSession) async throws -> Data {
        let firstURL = RequestPlan.redacted(session.plan.url)
        let parsed = try AnswerCheck.check(first, expect: spec.expect, source: source, url: firstURL)
        let itemsPath: JSONPath
        let continuation: JSONPath
        switch spec.paging {
        case .none: return first.body
        case .nextLink(let next, let items):
            itemsPath = JSONPath(items)
            continuation = JSONPath(next)
        case .pageToken(let token, _, _, let items):
            itemsPath = JSONPath(items)
            continuation = JSONPath(token)
        }
        guard let document = parsed, document is [String: Any] else {
            throw FetchError(
                .unexpectedAnswer, source: source, "\(firstURL) answered JSON that is not an object; paging needs one")
        }
        var items = try Self.items(at: itemsPath, in: document, source: source, url: firstURL)
        var page = document
        var url = session.plan.url
        var seen: Set<String> = [url.absoluteString]
        while let next = Self.continuation(at: continuation, in: page) {
            let nextURL: URL
            switch spec.paging {
            case .nextLink:
                guard let resolved = URL(string: next, relativeTo: url)?.absoluteURL else {
                    throw FetchError(.unexpectedAnswer, source: source, "the next link '\(next)' is not a URL")
                }
                guard RequestPlan.sameOrigin(session.plan.url, resolved) else {
                    throw FetchError(
                        .unexpectedAnswer, source: source,
                        "the next link \(RequestPlan.redacted(resolved)) leads to another server; not followed")
                }
                nextURL = resolved
            case .pageToken(_, let parameter, _, _):
                nextURL = RequestPlan.setting(parameter, to: next, in: session.plan.url)
            case .none:
                return first.body
            }
            guard seen.insert(nextURL.absoluteString).inserted, seen.count <= 10_000 else {
                throw FetchError(
                    .unexpectedAnswer, source: source,
                    "the pages lead back to \(RequestPlan.redacted(nextURL)); stopped")
            }
            let answer = try await session.send(nextURL, extraHeaders: [])
            let shown = RequestPlan.redacted(nextURL)
            guard answer.status != 304 else {
                throw FetchError(
                    .unavailable, source: source, "\(shown) answered 304 to a request that was not conditional")
            }
            guard let parsedPage = try AnswerCheck.check(answer, expect: .json, source: source, url: shown) else {
                throw FetchError(.unexpectedAnswer, source: source, "\(shown) answered no JSON")
            }
            items += try Self.items(at: itemsPath, in: parsedPage, source: source, url: shown)
            page = parsedPage
            url = nextURL
        }
        let merged = continuation.setting(nil, in: itemsPath.setting(items, in: document))
        do {
            return try JSONSerialization.data(withJSONObject: merged, options: [.sortedKeys, .withoutEscapingSlashes])
        } catch {
            throw FetchError(
                .unexpectedAnswer, source: source, "the pages cannot be joined into one document: \(error)")
        }
    }

    /// The items array of a page.
    static func items(at path: JSONPath, in page: Any, source: String, url: String) throws -> [Any] {
        guard let items = path.value(in: page) as? [Any] else {
            throw FetchError(
                .unexpectedAnswer, source: source, "\(url) answered JSON without an array at '\(path)' (items)")
        }
        return items
    }

    /// The next link or page token of a page; nil (the last page) when missing, null or empty.
    static func continuation(at path: JSONPath, in page: Any) -> String? {
        guard let text = path.value(in: page) as? String, !text.isEmpty else { return nil }
        return text
    }
}
