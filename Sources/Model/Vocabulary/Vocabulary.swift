/// Whether an indicator value is published. The raw values are the stored and exported words.
public enum ValueStatus: String, StoredWord, Codable {
    public static let storedName = "value status"

    case ok
    /// Hidden by disclosure control.
    case suppressed
    /// The source had no number (a `..` cell, say).
    case missing
}

/// What is special about an indicator value. Stored and exported as today's comma-separated words
/// (`area-changed,partial,jump,series-break`), always in that order; ``init(stored:)`` refuses an unknown word.
public struct ValueFlags: OptionSet, Sendable, Hashable, Codable, CustomStringConvertible {
    public let rawValue: Int

    public init(rawValue: Int) { self.rawValue = rawValue }

    /// The number was carried through the DeSO crosswalk (an area that was merged or split).
    public static let areaChanged = ValueFlags(rawValue: 1 << 0)
    /// A mean rolled up from some of the areas only (the note says from how many).
    public static let partial = ValueFlags(rawValue: 1 << 1)
    /// A change from the previous period beyond the indicator's jump threshold.
    public static let jump = ValueFlags(rawValue: 1 << 2)
    /// Crime codes counted by the indicator were retired in the period.
    public static let seriesBreak = ValueFlags(rawValue: 1 << 3)

    /// Each flag with its stored word, in the stored order.
    public static let words: [(flag: ValueFlags, word: String)] = [
        (.areaChanged, "area-changed"), (.partial, "partial"), (.jump, "jump"), (.seriesBreak, "series-break"),
    ]

    /// Reads the stored text (empty for none); an unknown word is an error.
    public init(stored text: String) throws {
        var flags: ValueFlags = []
        for word in text.split(separator: ",") {
            guard let known = Self.words.first(where: { $0.word == word }) else {
                throw UnknownStoredValue(type: "value flag", String(word))
            }
            flags.insert(known.flag)
        }
        self = flags
    }

    /// The stored text: the flags' words joined by commas, empty for none.
    public var stored: String {
        Self.words.filter { contains($0.flag) }.map(\.word).joined(separator: ",")
    }

    public var description: String { stored }

    public init(from decoder: any Decoder) throws {
        self = try ValueFlags(stored: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(stored)
    }
}

/// Which direction of change counts as better for an indicator (`better:` in the pipeline file).
public enum Direction: String, StoredWord, Codable {
    public static let storedName = "direction"

    case lower
    case higher
}

/// The section of the lägesbild an indicator belongs to (`section:` in the pipeline file). The raw values are
/// the pipeline file's and the workspace's words; the report keeps the Swedish headings.
public enum ReportSection: String, StoredWord, Codable {
    public static let storedName = "report section"

    /// Crime and its patterns.
    case crime
    /// Safety and trust (surveys).
    case safety
    /// Schools.
    case schools
    /// The county administrative board's figures.
    case countyBoard = "county-board"
}

/// The kinds of indicator the engine computes.
public enum IndicatorKind: String, StoredWord, Codable {
    public static let storedName = "indicator kind"

    /// A number of events or the sum of an observed measure.
    case count
    /// numerator / denominator × scale.
    case rate
    /// numerator / denominator × 100, or a delivered share; with a 95 % Wilson interval when the number
    /// of respondents is known.
    case share
    /// A delivered value as it is (a mean, an index).
    case value
}
