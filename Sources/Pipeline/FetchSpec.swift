import Foundation

/// How `lagesbild fetch` downloads a source's delivery from an API (`fetch:` in a source).
///
/// The answer is written as a new dated file into the folder of the source's `files` pattern, where
/// `lagesbild run` reads it like any delivery. Credentials never appear here: only the names of the
/// environment variables that hold them. See `Pipelines/README.md`, "fetch".
public struct FetchSpec: Sendable, Hashable {
    /// The URL with placeholders `{years}`, `{areas}` and `{codes}`, each replaced by its list, comma-joined
    /// and percent-encoded.
    public var url: String
    /// The years for `{years}`, in order.
    public var years: [Int] = []
    /// The area codes for `{areas}`.
    public var areas: [String] = []
    /// The codes (key figures, tables, crime types) for `{codes}`.
    public var codes: [String] = []
    /// Query parameters added to the URL (percent-encoded), in file order; placeholders are filled here too.
    public var query: [QueryParameter] = []
    /// How an answer continues on further pages.
    public var paging: FetchPaging = .none
    /// Extra request headers, in file order (never credentials).
    public var headers: [HeaderField] = []
    /// The environment variable holding a bearer token (`Authorization: Bearer …`).
    public var bearerTokenVariable: String?
    /// The environment variable holding `user:password` for basic authentication.
    public var basicAuthVariable: String?
    /// The User-Agent header; nil means `Lagesbild/<version> (+kommunens kontaktadress)`.
    public var userAgent: String?
    /// The fewest seconds between two requests to the API (the police ask for 10).
    public var minIntervalSeconds: Double = 1
    /// The most requests an hour (the police allow 60), counted over this source's recorded fetches too.
    public var maxPerHour: Int?
    /// Seconds a request may take, and the longest silence while an answer arrives.
    public var timeoutSeconds: Double = 60
    /// How often a failed request (timeout, broken connection, 5xx, 429) is tried again.
    public var retries: Int = 3
    /// The first wait before a retry after a 5xx or a network failure, doubled for each further one.
    public var backoffSeconds: Double = 2
    /// The longest wait a `Retry-After` (or the backoff) may ask for; a longer one fails the fetch.
    public var maxWaitSeconds: Double = 300
    /// What the answer must be.
    public var expect: ExpectedBody = .json
    /// The delivery file's name, with `{time}` for the fetch's local time (`2026-11-29T0200`).
    public var fileName: String
    /// The folder the delivery files are written to (absolute): the folder of the source's first pattern.
    public var folder: String
    /// Keep every fetched delivery (`all`), or move the earlier ones aside when a new one arrives (`latest`).
    public var keep: KeepPolicy = .latest

    public init(url: String, fileName: String, folder: String) {
        self.url = url
        self.fileName = fileName
        self.folder = folder
    }

    /// The folder earlier deliveries are moved to under `keep: latest`: not matched by the source's pattern.
    public var supersededFolder: String { (folder as NSString).appendingPathComponent("superseded") }

    /// A glob pattern matching every delivery file this fetch writes (absolute).
    public var deliveryPattern: String {
        (folder as NSString).appendingPathComponent(fileName.replacingOccurrences(of: "{time}", with: "*"))
    }
}

/// One query parameter of a fetch URL.
public struct QueryParameter: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// One request header of a fetch.
public struct HeaderField: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// How an API splits a long answer into pages.
public enum FetchPaging: Sendable, Hashable {
    /// One answer.
    case none
    /// Each page names the next page's URL at `next` (a JSON pointer `/next_page` or a dotted path
    /// `links.next`); the pages' `items` arrays are concatenated (Kolada: `next_page`, `values`).
    case nextLink(next: String, items: String)
    /// Each page carries a token at `token`; the next request sends it as the query parameter `parameter`,
    /// with `limit` items per page; the pages' `items` arrays are concatenated (SS 12000: `pageToken`, `data`).
    case pageToken(token: String, parameter: String, limit: Int?, items: String)

    /// The mode's name in the pipeline file.
    public var name: String {
        switch self {
        case .none: return "none"
        case .nextLink: return "next-link"
        case .pageToken: return "page-token"
        }
    }
}

/// What a fetched answer must look like; anything else (an HTML error page, say) is refused with exit 65.
public enum ExpectedBody: String, Sendable, Hashable, CaseIterable {
    /// A JSON document (Content-Type `…json…`, first byte `{` or `[`).
    case json
    /// Comma- or semicolon-separated text (not HTML).
    case csv
    /// An XML document (not HTML).
    case xml
}

/// What happens to earlier fetched deliveries when a new one arrives.
public enum KeepPolicy: String, Sendable, Hashable, CaseIterable {
    /// Each fetch holds the whole series: earlier fetched files move to `superseded/` and their rows are
    /// retired (as if listed under `delivery.withdrawn`), so nothing is counted twice.
    case latest
    /// Every fetched file stays a delivery (answers that do not overlap, such as new events only).
    case all
}
