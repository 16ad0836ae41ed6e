import Foundation
import PipelineModel

/// Checks that an answer is what the pipeline file expects, before anything is written: an HTML error
/// page, an empty body or invalid JSON where JSON was expected is refused (exit 65).
enum AnswerCheck {
    /// Checks `answer` against `expect`; returns the parsed JSON for a JSON answer.
    @discardableResult
    static func check(_ answer: HTTPAnswer, expect: ExpectedBody, source: String, url: String) throws -> Any? {
        let contentType = answer.header("Content-Type")?.lowercased() ?? ""
        let start = firstBytes(answer.body)
        func refuse(_ what: String) -> FetchError {
            let type = contentType.isEmpty ? "no Content-Type" : "Content-Type \(contentType)"
            return FetchError(
                .unexpectedAnswer, source: source,
                "\(url) answered \(what) (\(type), starting with \(quoted(start))); expected \(expect.rawValue)")
        }
        guard !answer.body.isEmpty else { throw refuse("an empty body") }
        let lowerStart = start.lowercased()
        let isHTML =
            contentType.contains("html") || lowerStart.hasPrefix("<!doctype html") || lowerStart.hasPrefix("<html")
        if isHTML { throw refuse("an HTML page, not data (an error or login page?)") }
        switch expect {
        case .json:
            guard contentType.isEmpty || contentType.contains("json") else { throw refuse("something else than JSON") }
            guard start.hasPrefix("{") || start.hasPrefix("[") else { throw refuse("something else than JSON") }
            do {
                return try JSONSerialization.jsonObject(with: answer.body, options: [.fragmentsAllowed])
            } catch {
                throw refuse("invalid JSON")
            }
        case .xml:
            guard start.hasPrefix("<") else { throw refuse("something else than XML") }
        case .csv:
            guard !start.hasPrefix("<"), !start.hasPrefix("{"), !start.hasPrefix("[") else {
                throw refuse("something else than CSV")
            }
        }
        return nil
    }

    /// The first 40 characters after a byte-order mark and white space, for checks and messages.
    static func firstBytes(_ body: Data) -> String {
        var bytes = body.prefix(512)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        let text = String(decoding: bytes, as: UTF8.self).drop { $0.isWhitespace }
        return String(text.prefix(40))
    }

    /// `text` quoted for a message, control characters shown as spaces.
    static func quoted(_ text: String) -> String {
        "'" + String(text.map { $0.isNewline || ($0.asciiValue ?? 32) < 32 ? " " : $0 }) + "'"
    }
}

/// A place in a JSON document: a JSON pointer (`/next_page`, `/links/next`) or a dotted path (`links.next`).
struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    var keys: [String]
    var description: String

    init(_ text: String) {
        description = text
        if text.hasPrefix("/") {
            keys = text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
                $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            }
        } else {
            keys = text.split(separator: ".").map(String.init)
        }
    }

    /// The value at this path in `document`, or nil.
    func value(in document: Any) -> Any? {
        var current: Any? = document
        for key in keys {
            guard let object = current as? [String: Any] else { return nil }
            current = object[key]
        }
        return current
    }

    /// `document` with the value at this path replaced by `value` (removed when nil).
    func setting(_ value: Any?, in document: Any) -> Any {
        guard let key = keys.first, var object = document as? [String: Any] else { return document }
        if keys.count == 1 {
            object[key] = value
        } else if let inner = object[key] {
            object[key] = JSONPath(keys: Array(keys.dropFirst())).setting(value, in: inner)
        }
        return object
    }

    private init(keys: [String]) {
        self.keys = keys
        description = keys.joined(separator: ".")
    }
}
