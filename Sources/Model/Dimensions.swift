import Foundation

/// The extra dimensions of an observation (age group, sex, place …): dimension name → value, with a
/// total written `*`.
///
/// Stored as canonical JSON (keys sorted, no spaces), never as `name=value;…` text: a value may hold
/// any character — a place such as "Torget; norra delen" or "a=b" — and must still match exactly.
public struct Dimensions: Sendable, Hashable {
    /// The value that stands for "all" (a total row).
    public static let total = "*"

    public var values: [String: String]

    public init(_ values: [String: String] = [:]) { self.values = values }

    /// The stored form: a JSON object with sorted keys, e.g. `{"plats":"Torget; norra delen","ålder":"*"}`.
    public var canonicalText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(values) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Reads the stored form; nil when `text` is not a JSON object of texts.
    public init?(canonicalText text: String) {
        guard let values = try? JSONDecoder().decode([String: String].self, from: Data(text.utf8)) else {
            return nil
        }
        self.values = values
    }

    /// True when every wanted dimension has the wanted value and every other dimension is a total.
    public func matches(_ wanted: [String: String]) -> Bool {
        values.allSatisfy { name, value in value == (wanted[name] ?? Self.total) }
    }

    /// Reads the text an earlier version stored (`name=value;…`, ambiguous when a value held `;` or
    /// `=`), for the migration that rewrites it.
    public init(legacyText text: String) {
        var values: [String: String] = [:]
        for pair in text.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            values[parts[0]] = parts[1]
        }
        self.values = values
    }
}
