/// What a source's missing-value marker means (`markers:` in the pipeline file).
public enum MarkerMeaning: String, Sendable, Hashable, CaseIterable {
    /// Suppressed by the publisher ("prickat").
    case suppressed
    /// The value is missing ("saknas").
    case missing
    /// Nothing can be reported here ("ej tillämpligt").
    case notApplicable = "not-applicable"
    /// Read as the number 0.
    case zero

    /// The reason stored for a value the marker stands in for; nil for `zero`, which is a number.
    public var missingReason: MissingReason? {
        switch self {
        case .suppressed: return .suppressed
        case .missing: return .notAvailable
        case .notApplicable: return .notApplicable
        case .zero: return nil
        }
    }
}

/// A source's own missing-value markers: marker text → meaning.
///
/// A cell is trimmed of spaces and compared case-insensitively. A listed marker wins over the
/// defaults of ``SwedishNumber``; a default marker the source does not list keeps its default meaning,
/// so it is never read as a number either.
public struct CellMarkers: Sendable, Hashable {
    /// Marker (trimmed, lower case) → meaning.
    public let meanings: [String: MarkerMeaning]

    public init(_ meanings: [String: MarkerMeaning]) {
        var folded: [String: MarkerMeaning] = [:]
        for (marker, meaning) in meanings { folded[Self.key(marker)] = meaning }
        self.meanings = folded
    }

    /// Parses one cell with these markers first, then as ``SwedishNumber/parse(_:)``.
    public func parse(_ text: String) -> CellNumber {
        if let meaning = meanings[Self.key(text)] {
            return meaning.missingReason.map(CellNumber.missing) ?? .value(0)
        }
        return SwedishNumber.parse(text)
    }

    /// The lookup key of a marker or cell: trimmed of spaces (also no-break ones), lower case.
    public static func key(_ text: String) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\u{A0}" || $0 == "\u{202F}" }
        guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return text[first...last].lowercased()
    }

    /// A stable text of the markers, for the source's fingerprint.
    public var fingerprintText: String {
        meanings.keys.sorted().map { "\($0)=\(meanings[$0]!.rawValue)" }.joined(separator: ",")
    }
}

/// Bounds a text attribute of an observation: personal identity numbers masked, at most
/// ``limit`` characters and then "… N tecken till".
public enum ObservationText {
    /// The most characters kept.
    public static let limit = 500

    /// The text masked and cut.
    public static func bounded(_ text: String) -> String {
        let masked = PersonalNumberMask.mask(text)
        guard masked.count > limit else { return masked }
        let rest = masked.count - limit
        return String(masked.prefix(limit)) + "… \(rest) tecken till"
    }
}
