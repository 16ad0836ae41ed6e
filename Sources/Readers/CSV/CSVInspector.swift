import LagesbildModel

/// The type a column's values suggest.
public enum CSVColumnType: String, Sendable, Codable, CaseIterable {
    /// Every cell is empty or a missing marker.
    case empty
    /// Whole numbers without leading zeros (`-12`, `1380`).
    case integer
    /// Numbers with a decimal comma or point and nothing else (`3,25`).
    case decimal
    /// Numbers as Swedish exports write them: group separators, `%`, or missing markers (`..`, `-`).
    case swedishNumber = "swedish-number"
    /// Dates: `yyyy-MM-dd`, `yyyyMMdd`, `yyyy/MM/dd`, `dd/MM/yyyy`, `d/M/yyyy`, `dd.MM.yyyy`.
    case date
    /// Times of day: `H:mm`, `HH:mm`, `HH:mm:ss`.
    case time
    /// A `yyyy-MM-dd` date and a time, separated by a space or `T`.
    case dateTime = "date-time"
    /// Digit strings where leading zeros matter (crime codes such as `0301`): keep them as text.
    case code
    /// Anything else.
    case text
}

/// What one column of an inspected file holds.
public struct CSVColumnInspection: Sendable, Codable, Hashable {
    public var name: String
    public var inferredType: CSVColumnType
    /// Up to `sampleCount` distinct values, in order of first appearance, personal identity numbers masked,
    /// cut to ``CSVInspector/maximumTextLength`` characters.
    public var samples: [String]
    /// Cells that are neither empty nor a missing marker.
    public var filledCount: Int
    /// Missing cells per `MissingReason` raw value (`suppressed`, `not-available`, ..., `empty`).
    public var missingCounts: [String: Int]
}

/// A summary of a CSV file for `lagesbild inspect`: dialect, header, columns and rejected rows.
public struct CSVInspection: Sendable, Codable {
    public var path: String
    public var encoding: TextEncoding
    public var encodingWasDetected: Bool
    /// The delimiter as text (`";"`, `","` or `"\t"`).
    public var delimiter: String
    public var delimiterWasDetected: Bool
    public var titleLines: [String]
    /// The names of the first ``CSVInspector/maximumColumns`` columns.
    public var header: [String]
    public var headerLine: Int
    /// The columns of the header (of the first row without one), described or not.
    public var columnCount: Int
    /// Data rows read (delivered + rejected), blank lines and bytes.
    public var summary: CSVReadSummary
    /// The first ``CSVInspector/maximumColumns`` columns.
    public var columns: [CSVColumnInspection]
    /// The first ``CSVInspector/maximumRejectedExamples`` rejected rows (`summary.rowsRejected` counts
    /// them all), personal identity numbers masked, raw text shortened to
    /// ``CSVInspector/maximumTextLength`` characters.
    public var rejected: [RejectedRecord]
}

/// Builds a ``CSVInspection`` in one pass over a file.
///
/// What it keeps does not grow with the file: at most ``maximumColumns`` columns are described, at
/// most ``maximumRejectedExamples`` rejected rows are kept (the others are counted), and samples and
/// rejected rows are cut to ``maximumTextLength`` characters.
public enum CSVInspector {
    /// Columns described; a wider file says how many more it has (``CSVInspection/columnCount``).
    public static let maximumColumns = 1_000
    /// Rejected rows kept as examples; ``CSVReadSummary/rowsRejected`` counts them all.
    public static let maximumRejectedExamples = 100
    /// Longest sample value or rejected row kept, in characters (longer ones end in `…`).
    public static let maximumTextLength = 200

    /// Reads `path` once and describes it. Throws ``CSVError`` when the file cannot be read at all.
    public static func inspect(path: String, dialect: CSVDialect = CSVDialect(), sampleCount: Int = 5) throws
        -> CSVInspection
    {
        let reader = try CSVFileReader(path: path, dialect: dialect)
        let header = Array(reader.header.prefix(maximumColumns))
        var columns = header.map { ColumnAccumulator(name: $0) }
        var rejected: [RejectedRecord] = []
        let summary = try reader.forEachRecord { record in
            for index in 0..<min(record.count, columns.count) {
                columns[index].add(record, index, sampleCount: sampleCount)
            }
        } onReject: { record in
            guard rejected.count < maximumRejectedExamples else { return }
            var example = record
            example.raw = shortened(example.raw)
            rejected.append(example)
        }
        return CSVInspection(
            path: path, encoding: reader.encoding, encodingWasDetected: reader.encodingWasDetected,
            delimiter: String(decoding: [reader.delimiter], as: UTF8.self),
            delimiterWasDetected: reader.delimiterWasDetected, titleLines: reader.titleLines, header: header,
            headerLine: reader.headerLine, columnCount: reader.header.count, summary: summary,
            columns: columns.map(\.inspection), rejected: rejected)
    }

    /// `text` cut to ``maximumTextLength`` characters, with `…` when it was longer. Cut only texts whose
    /// personal identity numbers are masked already: a cut number might no longer be recognised.
    static func shortened(_ text: String) -> String {
        guard text.utf8.count > maximumTextLength else { return text }
        var end = text.startIndex
        guard text.formIndex(&end, offsetBy: maximumTextLength, limitedBy: text.endIndex) else { return text }
        return end == text.endIndex ? text : String(text[..<end]) + "…"
    }

    /// The candidate types of one cell's bytes; nil for a missing marker or an empty cell.
    static func candidates(_ bytes: UnsafeBufferPointer<UInt8>) -> CandidateSet? {
        if bytes.isEmpty { return nil }
        if bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            var set: CandidateSet = [.code]
            if bytes.count == 1 || bytes[0] != 48 { set.formUnion([.integer, .decimal, .swedishNumber]) }
            if bytes.count == 8, isDate(year: bytes, 0, month: bytes, 4, day: bytes, 6) { set.insert(.date) }
            return set
        }
        if FastNumber.integer(bytes) != nil { return [.integer, .decimal, .swedishNumber] }
        if FastNumber.plainDecimal(bytes) != nil { return [.decimal, .swedishNumber] }
        if isDate(bytes) { return [.date] }
        if isTime(bytes, from: 0) { return [.time] }
        if bytes.count >= 15, bytes[10] == 32 || bytes[10] == UInt8(ascii: "T"),
            isDate(UnsafeBufferPointer(rebasing: bytes[0..<10])), isTime(bytes, from: 11)
        {
            return [.dateTime]
        }
        switch SwedishNumber.parse(String(decoding: bytes, as: UTF8.self)) {
        case .missing: return nil
        case .value: return [.swedishNumber]
        case .invalid: return []
        }
    }

    struct CandidateSet: OptionSet {
        let rawValue: UInt8
        static let integer = CandidateSet(rawValue: 1)
        static let decimal = CandidateSet(rawValue: 2)
        static let swedishNumber = CandidateSet(rawValue: 4)
        static let date = CandidateSet(rawValue: 8)
        static let time = CandidateSet(rawValue: 16)
        static let dateTime = CandidateSet(rawValue: 32)
        static let code = CandidateSet(rawValue: 64)
        static let all = CandidateSet(rawValue: 127)
    }

    private static func number(_ bytes: UnsafeBufferPointer<UInt8>, _ from: Int, _ count: Int) -> Int? {
        guard from + count <= bytes.count else { return nil }
        var value = 0
        for index in from..<(from + count) {
            let digit = bytes[index] &- 48
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }

    private static func isDate(
        year: UnsafeBufferPointer<UInt8>, _ y: Int, month: UnsafeBufferPointer<UInt8>, _ m: Int,
        day: UnsafeBufferPointer<UInt8>, _ d: Int, monthWidth: Int = 2, dayWidth: Int = 2
    ) -> Bool {
        guard let year = number(year, y, 4), let month = number(month, m, monthWidth),
            let day = number(day, d, dayWidth)
        else { return false }
        return (1800...2200).contains(year) && (1...12).contains(month) && (1...31).contains(day)
    }

    /// The separated date forms.
    private static func isDate(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let dash = UInt8(ascii: "-")
        let slash = UInt8(ascii: "/")
        let dot = UInt8(ascii: ".")
        if b.count == 10, b[4] == dash || b[4] == slash, b[7] == b[4] {
            return isDate(year: b, 0, month: b, 5, day: b, 8)
        }
        if b.count == 10, b[2] == slash || b[2] == dot, b[5] == b[2] {
            return isDate(year: b, 6, month: b, 3, day: b, 0)
        }
        // d/M/yyyy with one-digit day or month.
        guard (8...9).contains(b.count), let first = b.firstIndex(of: slash), first == 1 || first == 2,
            let second = b[(first + 1)...].firstIndex(of: slash), b.count - second - 1 == 4
        else { return false }
        return isDate(
            year: b, second + 1, month: b, first + 1, day: b, 0, monthWidth: second - first - 1, dayWidth: first)
    }

    private static func isTime(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        let colon = UInt8(ascii: ":")
        let length = b.count - start
        let hourWidth = length >= 2 && b[start + 1] == colon ? 1 : 2
        guard length == hourWidth + 3 || length == hourWidth + 6, b[start + hourWidth] == colon,
            let hour = number(b, start, hourWidth), hour < 24,
            let minute = number(b, start + hourWidth + 1, 2), minute < 60
        else { return false }
        if length == hourWidth + 6 {
            guard b[start + hourWidth + 3] == colon, let second = number(b, start + hourWidth + 4, 2), second < 61
            else { return false }
        }
        return true
    }
}

/// Gathers one column's samples, missing markers and candidate types.
struct ColumnAccumulator {
    var name: String
    var candidates = CSVInspector.CandidateSet.all
    var sawValue = false
    var sawMarker = false  // a missing marker other than an empty cell
    var samples: [String] = []
    var sampleSet: Set<String> = []
    var filled = 0
    var missing: [MissingReason: Int] = [:]

    init(name: String) { self.name = name }

    mutating func add(_ record: CSVRecord, _ index: Int, sampleCount: Int) {
        let kinds = record.withUTF8(at: index) { CSVInspector.candidates($0) }
        if let kinds {
            sawValue = true
            filled += 1
            candidates.formIntersection(kinds)
        } else if case .missing(let reason) = record.number(at: index) {
            missing[reason, default: 0] += 1
            if reason != .empty { sawMarker = true }
        }
        if samples.count < sampleCount {
            let value = CSVInspector.shortened(PersonalNumberMask.mask(record.string(at: index)))
            if sampleSet.insert(value).inserted { samples.append(value) }
        }
    }

    var inferredType: CSVColumnType {
        guard sawValue else { return .empty }
        let numeric = candidates.contains(.integer) || candidates.contains(.decimal)
        if candidates.contains(.date) { return .date }
        if candidates.contains(.dateTime) { return .dateTime }
        if candidates.contains(.time) { return .time }
        if numeric && sawMarker { return .swedishNumber }
        if candidates.contains(.integer) { return .integer }
        if candidates.contains(.decimal) { return .decimal }
        if candidates.contains(.swedishNumber) { return .swedishNumber }
        if candidates.contains(.code) { return .code }
        return .text
    }

    var inspection: CSVColumnInspection {
        CSVColumnInspection(
            name: name, inferredType: inferredType, samples: samples, filledCount: filled,
            missingCounts: Dictionary(uniqueKeysWithValues: missing.map { ($0.key.rawValue, $0.value) }))
    }
}
