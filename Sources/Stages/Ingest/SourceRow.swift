import CSVReader
import LagesbildModel
import PipelineModel
import XMLReader

/// One row of a source, whatever its format: fields by role, the line, the raw text for the quarantine.
protocol SourceRow {
    var line: Int { get }
    var rawText: String { get }
    /// The trimmed text of the column mapped to `role` with personal identity numbers masked, or nil when
    /// the role is not mapped.
    func text(_ role: String) -> String?
    /// The 1-based column of `role`, for error locations.
    func column(_ role: String) -> Int?
    /// The cell at a 1-based column (`Blad1!C17`) or its JSON path, for workbooks and JSON; nil otherwise.
    func place(column: Int?) -> String?
}

extension SourceRow {
    func place(column: Int?) -> String? { nil }
}

/// A CSV record seen through the source's column mapping.
struct CSVSourceRow: SourceRow {
    let record: CSVRecord
    let columns: [String: Int]

    var line: Int { record.line }
    var rawText: String { record.rawText }

    func text(_ role: String) -> String? {
        guard let index = columns[role] else { return nil }
        return PersonalNumberMask.mask(record.string(at: index).trimmingWhitespace())
    }

    func column(_ role: String) -> Int? { columns[role].map { $0 + 1 } }
}

/// An XML record seen through the source's field mapping (fields are named after roles).
struct XMLSourceRow: SourceRow {
    let record: XMLRecord

    var line: Int { record.line }
    var rawText: String { record.rawText }

    func text(_ role: String) -> String? {
        record[role].map { PersonalNumberMask.mask($0.trimmingWhitespace()) }
            ?? (record.values.keys.contains(role) ? "" : nil)
    }
    func column(_ role: String) -> Int? { nil }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs, line breaks and no-break spaces.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = {
            $0 == " " || $0 == "\t" || $0 == "\u{A0}" || $0 == "\u{202F}" || $0.isNewline
        }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
