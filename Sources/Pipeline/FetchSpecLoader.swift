import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension PipelineLoader {
    /// The keys of a source's `fetch:` mapping.
    static let fetchKeys: Set<String> = [
        "url", "years", "areas", "codes", "query", "paging", "next", "items", "token_field", "token_parameter",
        "limit",
        "headers", "bearer_token_env", "basic_auth_env", "user_agent", "min_interval_seconds", "max_per_hour",
        "timeout_seconds", "retries", "backoff_seconds", "max_wait_seconds", "expect", "file_name", "keep",
    ]

    /// Keys that would put a credential into the pipeline file; refused with a pointer to the `_env` keys.
    static let credentialKeys: Set<String> = [
        "bearer_token", "password", "api_key", "apikey", "basic_auth", "authorization", "secret", "credentials",
    ]

    /// Reads a source's `fetch:` section. `files` are the source's (absolute) patterns: the delivery files
    /// go to the folder of the first, and their name must match one of them.
    static func fetchSpec(_ node: ConfigNode, sourceID: String, files: [String]) throws -> FetchSpec {
        if case .mapping = node.node {
            for (key, value) in try node.freeMapping() where credentialKeys.contains(key.lowercased()) {
                throw value.error(
                    "a credential is never written in the pipeline file; put it in an environment variable and "
                        + "name that with bearer_token_env or basic_auth_env")
            }
        }
        let map = try node.mapping(allowedKeys: fetchKeys)
        let urlNode = try map.require("url")
        let url = try urlNode.string()
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            ["http", "https"].contains(scheme), components.host?.isEmpty == false
        else {
            throw urlNode.error("expected an http or https URL, e.g. https://api.kolada.se/v3/data/kpi/{codes}")
        }
        if components.user != nil || components.password != nil {
            throw urlNode.error("a credential is never written in the URL; use bearer_token_env or basic_auth_env")
        }
        if let items = components.queryItems {
            for item in items where looksLikeCredential(item.name) {
                throw urlNode.error(
                    "the query parameter '\(item.name)' looks like a credential; credentials come from the "
                        + "environment only (bearer_token_env, basic_auth_env)")
            }
        }
        let folder = ((files.first ?? "") as NSString).deletingLastPathComponent
        let fileNameNode = map["file_name"]
        let fileName = try fileNameNode?.string() ?? "\(sourceID)_{time}.json"
        guard fileName.contains("{time}"), !fileName.contains("/") else {
            throw (fileNameNode ?? node).error(
                "file_name is a file name with {time}, e.g. kolada_{time}.json (each fetch is a new dated file)")
        }
        var spec = FetchSpec(url: url, fileName: fileName, folder: folder)
        let sample = (folder as NSString).appendingPathComponent(
            fileName.replacingOccurrences(of: "{time}", with: "2026-11-29T0200"))
        guard files.contains(where: { fnmatch($0, sample, FNM_PATHNAME) == 0 }) else {
            throw (fileNameNode ?? node).error(
                "a fetched file such as \(sample) would not match the source's files pattern; choose a "
                    + "file_name that does, so that run reads it")
        }
        spec.years = try map["years"].map { try fetchYears($0) } ?? []
        spec.areas = try map["areas"]?.stringList() ?? []
        spec.codes = try map["codes"]?.stringList() ?? []
        for (placeholder, list) in [
            ("{years}", spec.years.map(String.init)), ("{areas}", spec.areas), ("{codes}", spec.codes),
        ]
        where url.contains(placeholder) && list.isEmpty {
            let key = String(placeholder.dropFirst().dropLast())
            throw urlNode.error("the URL uses \(placeholder) but '\(key)' lists nothing")
        }
        for (name, value) in try map["query"]?.freeMapping() ?? [] {
            if looksLikeCredential(name) {
                throw value.error(
                    "the query parameter '\(name)' looks like a credential; credentials come from the environment "
                        + "only (bearer_token_env, basic_auth_env)")
            }
            spec.query.append(QueryParameter(name: name, value: try value.string()))
        }
        for (name, value) in try map["headers"]?.freeMapping() ?? [] {
            let lower = name.lowercased()
            if ["authorization", "proxy-authorization", "cookie"].contains(lower) || looksLikeCredential(lower) {
                throw value.error(
                    "the header '\(name)' would carry a credential in the pipeline file; credentials come from "
                        + "the environment only (bearer_token_env, basic_auth_env)")
            }
            spec.headers.append(HeaderField(name: name, value: try value.string()))
        }
        spec.bearerTokenVariable = try map["bearer_token_env"].map { try environmentName($0) }
        spec.basicAuthVariable = try map["basic_auth_env"].map { try environmentName($0) }
        if spec.bearerTokenVariable != nil, let basic = map["basic_auth_env"] {
            throw basic.error("give either bearer_token_env or basic_auth_env, not both")
        }
        spec.userAgent = try map["user_agent"]?.string()
        spec.minIntervalSeconds = try nonNegative(map["min_interval_seconds"]) ?? spec.minIntervalSeconds
        spec.maxPerHour = try map["max_per_hour"].map { node in
            let count = try node.int()
            guard count > 0 else { throw node.error("max_per_hour must be positive") }
            return count
        }
        spec.timeoutSeconds = try nonNegative(map["timeout_seconds"]) ?? spec.timeoutSeconds
        guard spec.timeoutSeconds > 0 else { throw try map.require("timeout_seconds").error("must be positive") }
        spec.retries =
            try map["retries"].map { node in
                let count = try node.int()
                guard (0...10).contains(count) else { throw node.error("retries is a whole number from 0 to 10") }
                return count
            } ?? spec.retries
        spec.backoffSeconds = try nonNegative(map["backoff_seconds"]) ?? spec.backoffSeconds
        spec.maxWaitSeconds = try nonNegative(map["max_wait_seconds"]) ?? spec.maxWaitSeconds
        spec.expect = try map["expect"].map { try $0.choice() } ?? .json
        spec.keep = try map["keep"].map { try $0.choice() } ?? .latest
        spec.paging = try fetchPaging(map)
        if spec.paging != .none, spec.expect != .json {
            throw try map.require("paging").error("paging reads JSON answers; it needs expect: json")
        }
        return spec
    }

    /// The paging mode and its keys.
    static func fetchPaging(_ map: ConfigMapping) throws -> FetchPaging {
        let mode = try map["paging"]?.string() ?? "none"
        let limit = try map["limit"].map { node in
            let count = try node.int()
            guard count > 0 else { throw node.error("limit must be positive") }
            return count
        }
        switch mode {
        case "none":
            for key in ["next", "items", "token_field", "token_parameter", "limit"] {
                if let node = map[key] { throw node.error("'\(key)' is used with paging: next-link or page-token") }
            }
            return .none
        case "next-link":
            if let node = map["limit"] {
                throw node.error("'limit' is for page-token; give next-link's page size in query")
            }
            return .nextLink(
                next: try map["next"]?.string() ?? "next_page", items: try map["items"]?.string() ?? "values")
        case "page-token":
            return .pageToken(
                token: try map["token_field"]?.string() ?? "pageToken",
                parameter: try map["token_parameter"]?.string() ?? "pageToken",
                limit: limit, items: try map["items"]?.string() ?? "data")
        default:
            throw try map.require("paging").error("unknown paging '\(mode)'; use one of: none, next-link, page-token")
        }
    }

    /// Years as a list, one year, or `FIRST-LAST` (`current` = this year).
    static func fetchYears(_ node: ConfigNode) throws -> [Int] {
        if case .sequence = node.node { return try node.sequence().map { try $0.int() } }
        let text = try node.string().replacingOccurrences(of: " ", with: "")
        let currentYear = Calendar(identifier: .gregorian).component(.year, from: Date())
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map {
            $0 == "current" ? currentYear : Int($0)
        }
        guard (1...2).contains(parts.count), let first = parts.first ?? nil, let last = parts.last ?? nil,
            (1900...2200).contains(first), first <= last, last <= 2200
        else {
            throw node.error("years must read FIRST-LAST, e.g. 2015-current, or be a list of years")
        }
        return Array(first...last)
    }

    /// True for a parameter or header name that usually carries a secret.
    static func looksLikeCredential(_ name: String) -> Bool {
        let lower = name.lowercased().replacingOccurrences(of: "-", with: "_")
        return ["token", "api_key", "apikey", "password", "secret", "access_key", "auth"].contains {
            lower.contains($0)
        }
            && lower != "pagetoken" && lower != "page_token"
    }

    /// The name of an environment variable: letters, digits and `_`, not starting with a digit.
    static func environmentName(_ node: ConfigNode) throws -> String {
        let name = try node.string()
        guard let first = name.first, !first.isNumber,
            name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
        else {
            throw node.error(
                "expected the name of an environment variable (e.g. SS12000_TOKEN), never the secret itself")
        }
        return name
    }

    static func nonNegative(_ node: ConfigNode?) throws -> Double? {
        guard let node else { return nil }
        let value = try node.double()
        guard value >= 0 else { throw node.error("cannot be negative") }
        return value
    }
}
