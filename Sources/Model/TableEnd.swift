/// Where the table of a delivered file ends when notes, sources or a legend follow it (`table_ends:`).
///
/// The lines after the end are skipped and counted: they are not rows, so they are neither accepted
/// nor quarantined.
public enum TableEnd: Sendable, Hashable, CustomStringConvertible {
    /// At the first blank line below the header (a workbook: the first empty row below the data).
    case firstBlankLine
    /// Before the first line below the header whose text the regular expression matches (searched
    /// anywhere in the line; anchor it with `^`). A workbook row is matched as its cells joined by `;`.
    case beforeLineMatching(String)
    /// The file's last `n` non-blank lines (a workbook: its last `n` non-empty rows) are a footer.
    case footerLines(Int)

    public var description: String {
        switch self {
        case .firstBlankLine: return "first-blank-line"
        case .beforeLineMatching(let pattern): return "before_line_matching: \(pattern)"
        case .footerLines(let count): return "footer_lines: \(count)"
        }
    }
}

/// Finds the end of a table row by row, for readers that hand over rows one at a time.
///
/// `footerLines` holds back the last rows until the end is known; the caller hands the released
/// rows on and counts the rest as skipped.
public struct TableEndTracker<Row> {
    public let end: TableEnd
    private let regex: Regex<AnyRegexOutput>?
    private var held: [Row] = []
    private var ended = false
    private var previousLine: Int?
    /// Rows (lines) after the end, so far.
    public private(set) var skipped = 0

    /// Throws when the pattern of `beforeLineMatching` is not a regular expression.
    public init(_ end: TableEnd) throws {
        self.end = end
        if case .beforeLineMatching(let pattern) = end { regex = try Regex(pattern) } else { regex = nil }
    }

    /// Takes the next non-blank row (its line or row number and its text) and returns the rows that
    /// belong to the table: none, this one, or one held back before it.
    public mutating func take(_ row: Row, line: Int, text: @autoclosure () -> String) -> Row? {
        defer { previousLine = line }
        if ended {
            skipped += 1
            return nil
        }
        switch end {
        case .firstBlankLine:
            if let previousLine, line > previousLine + 1 {
                ended = true
                skipped += 1
                return nil
            }
            return row
        case .beforeLineMatching:
            if let regex, (try? regex.firstMatch(in: text())) != nil {
                ended = true
                skipped += 1
                return nil
            }
            return row
        case .footerLines(let count):
            held.append(row)
            return held.count > count ? held.removeFirst() : nil
        }
    }

    /// Call once the rows are read: the held-back footer rows are skipped.
    public mutating func finish() {
        skipped += held.count
        held.removeAll()
    }

}
