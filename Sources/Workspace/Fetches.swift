import Foundation
import GRDB

/// How a fetch of a source ended, as recorded in `fetches.status`.
public enum FetchOutcome: String, Sendable, Hashable, Codable {
    /// A new delivery file was written.
    case delivered
    /// The server answered 304 Not Modified to the conditional request: no new file.
    case notModified = "not-modified"
    /// The answer is identical (same SHA-256) to the latest fetched delivery: no new file.
    case unchanged
    /// The fetch failed; no file was left behind.
    case failed
}

/// One row of `fetches`: one `lagesbild fetch` of one source.
public struct FetchRecord: Sendable, Hashable, Codable {
    public var id: Int64?
    public var sourceID: String
    /// The first request's URL, without credentials.
    public var url: String
    /// When the fetch started and ended (ISO 8601 with fractional seconds, UTC).
    public var startedAt: String
    public var fetchedAt: String
    public var status: FetchOutcome
    /// The last HTTP status received, if any.
    public var httpStatus: Int?
    /// How many HTTP requests the fetch made (pages and retries), for `max_per_hour`.
    public var requests: Int
    /// The validators of the first page's answer, sent back as If-None-Match and If-Modified-Since.
    public var etag: String?
    public var lastModified: String?
    /// The delivery file (absolute path) written, or that an unchanged answer matched.
    public var file: String?
    public var bytes: Int?
    public var sha256: String?
    /// Why a fetch failed, or what it found.
    public var message: String?

    public init(
        sourceID: String, url: String, startedAt: String, fetchedAt: String, status: FetchOutcome,
        httpStatus: Int? = nil, requests: Int, etag: String? = nil, lastModified: String? = nil, file: String? = nil,
        bytes: Int? = nil, sha256: String? = nil, message: String? = nil
    ) {
        self.sourceID = sourceID
        self.url = url
        self.startedAt = startedAt
        self.fetchedAt = fetchedAt
        self.status = status
        self.httpStatus = httpStatus
        self.requests = requests
        self.etag = etag
        self.lastModified = lastModified
        self.file = file
        self.bytes = bytes
        self.sha256 = sha256
        self.message = message
    }

    init(row: Row) {
        id = row["id"]
        sourceID = row["source_id"]
        url = row["url"]
        startedAt = row["started_at"]
        fetchedAt = row["fetched_at"]
        status = FetchOutcome(rawValue: row["status"]) ?? .failed
        httpStatus = row["http_status"]
        requests = row["requests"]
        etag = row["etag"]
        lastModified = row["last_modified"]
        file = row["file"]
        bytes = row["bytes"]
        sha256 = row["sha256"]
        message = row["message"]
    }

    /// The time format of `started_at` and `fetched_at`.
    public static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// A recorded timestamp as a date.
    public static func date(_ text: String) -> Date? {
        try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
    }
}

extension Workspace {
    /// Adds a fetch to `fetches`.
    public func recordFetch(_ record: FetchRecord) throws {
        try database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO fetches (source_id, url, started_at, fetched_at, status, http_status, requests, etag,
                        last_modified, file, bytes, sha256, message)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    record.sourceID, record.url, record.startedAt, record.fetchedAt, record.status.rawValue,
                    record.httpStatus, record.requests, record.etag, record.lastModified, record.file, record.bytes,
                    record.sha256, record.message,
                ])
        }
    }

    /// The fetches of `source` (every source when nil), oldest first.
    public func fetches(source: String? = nil) throws -> [FetchRecord] {
        try database.read { db in
            let rows =
                if let source {
                    try Row.fetchAll(
                        db, sql: "SELECT * FROM fetches WHERE source_id = ? ORDER BY id", arguments: [source])
                } else {
                    try Row.fetchAll(db, sql: "SELECT * FROM fetches ORDER BY id")
                }
            return rows.map(FetchRecord.init(row:))
        }
    }

    /// The latest fetch of `source` that wrote a delivery file or found the latest one unchanged.
    public func latestSuccessfulFetch(source: String) throws -> FetchRecord? {
        try database.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT * FROM fetches WHERE source_id = ? AND status IN ('delivered', 'unchanged', 'not-modified')
                        AND file IS NOT NULL
                    ORDER BY id DESC LIMIT 1
                    """,
                arguments: [source]
            ).map(FetchRecord.init(row:))
        }
    }

    /// The latest fetch of `source`, whatever its outcome.
    public func latestFetch(source: String) throws -> FetchRecord? {
        try database.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM fetches WHERE source_id = ? ORDER BY id DESC LIMIT 1", arguments: [source]
            ).map(FetchRecord.init(row:))
        }
    }

    /// How many requests the fetches of `source` that ended after `time` made.
    public func fetchRequests(source: String, since time: Date) throws -> Int {
        try database.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT fetched_at, requests FROM fetches WHERE source_id = ?", arguments: [source])
            return rows.reduce(0) { total, row in
                guard let date = FetchRecord.date(row["fetched_at"]), date > time else { return total }
                return total + (row["requests"] as Int)
            }
        }
    }
}
