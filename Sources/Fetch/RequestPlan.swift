import Foundation
import PipelineModel

/// The first request of a fetch, worked out from its `fetch:` section and the environment: the URL with
/// its placeholders and query filled in, and the headers (credentials from the environment only).
struct RequestPlan: Sendable {
    /// The URL of the first request.
    var url: URL
    /// The headers every request sends, credentials included.
    var headers: [(name: String, value: String)]
    /// True when a credential is sent: redirects are then not followed, so it never reaches another host.
    var hasCredential: Bool

    /// Characters left as they are in a filled-in list: unreserved ones and the comma that joins the items.
    static let listCharacters: CharacterSet = {
        var set = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<"\u{80}"))
        set.insert(charactersIn: "-._~,")
        return set
    }()

    /// Characters left as they are in a query name or value.
    static let queryCharacters: CharacterSet = {
        var set = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<"\u{80}"))
        set.insert(charactersIn: "-._~,[]")
        return set
    }()

    init(spec: FetchSpec, sourceID: String, userAgent: String, environment: [String: String]) throws {
        var text = Self.fill(spec.url, spec: spec, encoded: true)
        var parameters = spec.query.map { (name: $0.name, value: Self.fill($0.value, spec: spec, encoded: false)) }
        if case .pageToken(_, _, let limit?, _) = spec.paging {
            parameters.append((name: "limit", value: String(limit)))
        }
        if !parameters.isEmpty {
            let query = parameters.map { Self.encode($0.name) + "=" + Self.encode($0.value) }.joined(separator: "&")
            text += (text.contains("?") ? "&" : "?") + query
        }
        guard let url = URL(string: text) else {
            throw FetchError(.unexpectedAnswer, source: sourceID, "the URL \(text) is not valid once filled in")
        }
        self.url = url
        var headers: [(name: String, value: String)] = [("User-Agent", spec.userAgent ?? userAgent)]
        if !spec.headers.contains(where: { $0.name.lowercased() == "accept" }) {
            let accept: String
            switch spec.expect {
            case .json: accept = "application/json"
            case .csv: accept = "text/csv"
            case .xml: accept = "application/xml"
            }
            headers.append(("Accept", accept))
        }
        headers += spec.headers.map { ($0.name, $0.value) }
        hasCredential = spec.bearerTokenVariable != nil || spec.basicAuthVariable != nil
        if let variable = spec.bearerTokenVariable {
            let token = try Self.secret(variable, environment: environment, source: sourceID)
            headers.append(("Authorization", "Bearer \(token)"))
        }
        if let variable = spec.basicAuthVariable {
            let pair = try Self.secret(variable, environment: environment, source: sourceID)
            guard pair.contains(":") else {
                throw FetchError(
                    .refused, source: sourceID, "$\(variable) must hold user:password for basic authentication")
            }
            headers.append(("Authorization", "Basic \(Data(pair.utf8).base64EncodedString())"))
        }
        self.headers = headers
    }

    /// The value of a credential's environment variable, or a refusal naming it (never its value).
    static func secret(_ variable: String, environment: [String: String], source: String) throws -> String {
        guard let value = environment[variable], !value.isEmpty else {
            throw FetchError(
                .refused, source: source,
                "the environment variable \(variable) (the credential for this source) is not set or empty")
        }
        return value
    }

    /// `template` with `{years}`, `{areas}` and `{codes}` replaced by their lists, comma-joined, each item
    /// percent-encoded when `encoded` (in the URL; a query value is encoded whole afterwards).
    static func fill(_ template: String, spec: FetchSpec, encoded: Bool) -> String {
        func list(_ items: [String]) -> String {
            items.map { encoded ? $0.addingPercentEncoding(withAllowedCharacters: listCharacters) ?? $0 : $0 }
                .joined(separator: ",")
        }
        return
            template
            .replacingOccurrences(of: "{years}", with: list(spec.years.map(String.init)))
            .replacingOccurrences(of: "{areas}", with: list(spec.areas))
            .replacingOccurrences(of: "{codes}", with: list(spec.codes))
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: queryCharacters) ?? text
    }

    /// `url` with the query parameter `name` set to `value` (replacing an earlier one).
    static func setting(_ name: String, to value: String, in url: URL) -> URL {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return url }
        var items = (components.percentEncodedQueryItems ?? []).filter { $0.name != encode(name) }
        items.append(URLQueryItem(name: encode(name), value: encode(value)))
        components.percentEncodedQueryItems = items
        return components.url ?? url
    }

    /// `url` as recorded and logged: without user information (credentials never are in it, but a next link
    /// might carry some).
    static func redacted(_ url: URL) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else {
            return url.absoluteString
        }
        components.user = nil
        components.password = nil
        return components.string ?? url.absoluteString
    }

    /// True when `other` is on the same scheme, host and port as `url`.
    static func sameOrigin(_ url: URL, _ other: URL) -> Bool {
        url.scheme?.lowercased() == other.scheme?.lowercased() && url.host?.lowercased() == other.host?.lowercased()
            && url.port == other.port
    }
}
