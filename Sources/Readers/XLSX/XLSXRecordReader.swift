import LagesbildModel

/// How to find the table in a workbook (`sheet`, `header_row`, `range`, `until_empty_row` in a pipeline
/// file).
public struct XLSXOptions: Sendable, Hashable {
    /// Which sheet: by its name on the tab or by its 1-based position; nil for the first worksheet.
    public enum Sheet: Sendable, Hashable {
        case name(String)
        case index(Int)
    }

    public var sheet: Sheet?
    /// The header's row; nil to detect it (see ``XLSXRecordReader``).
    public var headerRow: Int?
    /// The table's cells; nil for the whole sheet.
    public var range: CellRange?
    /// Stop at the first empty row after the data begins (notes below a table are not data).
    public var untilEmptyRow: Bool

    public init(sheet: Sheet? = nil, headerRow: Int? = nil, range: CellRange? = nil, untilEmptyRow: Bool = true) {
        self.sheet = sheet
        self.headerRow = headerRow
        self.range = range
        self.untilEmptyRow = untilEmptyRow
    }
}

/// One data row of a sheet: its cells under the header, as text.
public struct XLSXRecord: Sendable {
    /// The sheet's row number, the line of the quarantine.
    public let line: Int
    /// One text per header column (empty for an empty or missing cell).
    public let cells: [String]
    let sheet: String
    let firstColumn: Int

    /// The cell under header column `index` (0-based); "" when out of range.
    public func string(at index: Int) -> String { index >= 0 && index < cells.count ? cells[index] : "" }

    /// Where the cell under header column `index` is: `Blad1!C17`.
    public func place(ofColumn index: Int) -> String {
        Self.place(sheet: sheet, column: firstColumn + index, row: line)
    }

    /// Where the row starts: `Blad1!A17`.
    public var place: String { place(ofColumn: 0) }

    /// The row's cells separated by `;`, for the quarantine.
    public var rawText: String { cells.joined(separator: ";") }

    /// `Blad1!C17`; a sheet name other than letters, digits and `_` is quoted as Excel does: `'Tabell 1'!C17`.
    static func place(sheet: String, column: Int, row: Int) -> String {
        let plain = sheet.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
        let name = plain ? sheet : "'" + sheet.replacingOccurrences(of: "'", with: "''") + "'"
        return "\(name)!\(CellReference.letters(column))\(row)"
    }
}

/// What reading a sheet gave.
public struct XLSXReadSummary: Sendable, Hashable {
    /// Data rows handed over.
    public var rowsRead: Int
    /// Empty rows skipped (with `untilEmptyRow: false`, or directly under the header).
    public var emptyRowsSkipped: Int
    /// The empty row the table ended at, when `untilEmptyRow` stopped it.
    public var endedAtRow: Int?
}

/// Streams the rows of one sheet of an `.xlsx` workbook as records under a header, like the CSV reader.
///
/// The archive is read with ZIPFoundation, part by part as a stream, and each XML part with libxml2's SAX2
/// push parser with the XML reader's secure options (no network, no DTD loading, no entities). Memory
/// stays bounded by the parts kept whole — the shared strings (every text of the workbook, once), the
/// merged ranges and up to ``detectionRows`` rows — whatever the sheet's size; zip bombs are stopped by
/// ``XLSXLimits``.
///
/// The sheet is read twice: first for its merged ranges (written after the cells) and the rows near the
/// top, to settle the header; then for the data. The header row is the given one, or else the row with the
/// most text cells among the first ``detectionRows`` (the earliest on a tie), or the first; when that row
/// has a heading merged across columns and the row below holds text only, the header is the row below (a
/// two-row header). A header cell
/// covered by a merged range takes the range's value (a title spanning columns, or a cell merged down from
/// the row above); an empty header cell is named after its column: `Kolumn C`. The header spans from its
/// first to its last named column, or the range's columns.
public final class XLSXRecordReader {
    public let path: String
    public let options: XLSXOptions
    /// Every sheet of the workbook, in tab order.
    public let sheets: [XLSXSheet]
    /// The sheet read.
    public let sheet: XLSXSheet
    /// True for the 1904 date system (old Mac workbooks).
    public let date1904: Bool
    /// The header row's number.
    public private(set) var headerRow = 1
    /// True when the header row was detected rather than given.
    public let headerRowWasDetected: Bool
    /// The header names, one per column from ``firstColumn``.
    public private(set) var header: [String] = []
    /// The 1-based column of the header's first name.
    public private(set) var firstColumn = 1
    /// Merged ranges of the sheet.
    public private(set) var merges: [CellRange] = []

    /// Rows looked at to detect the header.
    public static let detectionRows = 30

    private let archive: WorkbookArchive
    private let parts: WorkbookParts

    /// Opens the workbook, picks the sheet and settles its header. Throws ``XLSXReadError``.
    public init(path: String, options: XLSXOptions = XLSXOptions(), limits: XLSXLimits = .standard) throws {
        self.path = path
        self.options = options
        archive = try WorkbookArchive(path: path, limits: limits)
        parts = try WorkbookParts(archive: archive)
        sheets = parts.sheets
        date1904 = parts.date1904
        sheet = try Self.pick(options.sheet, in: parts.sheets, path: path)
        headerRowWasDetected = options.headerRow == nil
        try settleHeader()
    }

    private static func pick(_ selector: XLSXOptions.Sheet?, in sheets: [XLSXSheet], path: String) throws -> XLSXSheet {
        let names = sheets.map { "'\($0.name)'" }.joined(separator: ", ")
        let found: XLSXSheet?
        switch selector {
        case nil: found = sheets.first { $0.isWorksheet }
        case .name(let name):
            found = sheets.first { $0.name == name } ?? sheets.first { $0.name.lowercased() == name.lowercased() }
        case .index(let index): found = index >= 1 && index <= sheets.count ? sheets[index - 1] : nil
        }
        guard let found else {
            let wanted: String
            switch selector {
            case nil: wanted = "worksheet"
            case .name(let name): wanted = "sheet named '\(name)'"
            case .index(let index): wanted = "sheet \(index)"
            }
            throw XLSXReadError(
                file: path, "the workbook has no \(wanted); its sheets: \(names.isEmpty ? "none" : names)")
        }
        guard found.isWorksheet, !found.part.isEmpty else {
            throw XLSXReadError(file: path, "the sheet '\(found.name)' is a chart or dialog sheet, not a worksheet")
        }
        return found
    }

    private func handler() -> SheetHandler {
        let handler = SheetHandler(file: path, sheetName: sheet.name, parts: parts)
        if let range = options.range { handler.columns = range.firstColumn...range.lastColumn }
        return handler
    }

    /// The first pass: merged ranges and the rows near the top.
    private func settleHeader() throws {
        let handler = handler()
        handler.collectMerges = true
        let firstRow = options.range?.firstRow ?? 1
        let keep: ClosedRange<Int>
        if let given = options.headerRow {
            keep = max(firstRow, given - Self.detectionRows)...max(firstRow, given)
        } else {
            keep = firstRow...(firstRow + Self.detectionRows - 1)
        }
        var rows: [SheetRow] = []
        handler.onRow = { [unowned handler] row in
            if keep.contains(row.number) { rows.append(row) }
            // Past the rows that can hold the header, only the merged ranges (after the cells) matter.
            if row.number >= keep.upperBound { handler.mergesOnly = true }
            return true
        }
        let parser = try SAXPushParser(file: path, part: sheet.part, handler: handler)
        handler.parser = parser
        try archive.stream(sheet.part, into: parser)
        merges = handler.merges
        if let given = options.headerRow {
            headerRow = given
        } else {
            var best = (row: firstRow, count: 0)
            for row in rows {
                let count = row.cells.filter { !$0.text.isBlank && Double($0.text) == nil }.count
                if count > best.count { best = (row.number, count) }
            }
            headerRow = best.row
            // A two-row header: a group heading merged across columns (`Anmälda brott` over `Antal` and
            // `Per 100 000 inv.`) with the names on the row below, which holds text only.
            while merges.contains(where: {
                $0.firstRow == headerRow && $0.lastRow == headerRow && $0.lastColumn > $0.firstColumn
            }),
                let next = rows.first(where: { $0.number == headerRow + 1 }),
                next.cells.contains(where: { !$0.text.isBlank }),
                next.cells.allSatisfy({ $0.text.isBlank || Double($0.text) == nil })
            {
                headerRow += 1
            }
        }
        // The header's names, with merged ranges filled in from their top-left cell.
        var names: [Int: String] = [:]
        let headerCells = rows.first { $0.number == headerRow }?.cells ?? []
        for cell in headerCells where !cell.text.isBlank { names[cell.column] = cell.text.trimmed }
        for merge in merges where (merge.firstRow...merge.lastRow).contains(headerRow) {
            let anchor = rows.first { $0.number == merge.firstRow }?.text(merge.firstColumn).trimmed ?? ""
            guard !anchor.isEmpty else { continue }
            for column in merge.firstColumn...merge.lastColumn where names[column] == nil {
                names[column] = anchor
            }
        }
        let columns: ClosedRange<Int>
        if let range = options.range {
            columns = range.firstColumn...range.lastColumn
        } else if let first = names.keys.min(), let last = names.keys.max() {
            columns = first...last
        } else {
            throw XLSXReadError(
                file: path, place: XLSXRecord.place(sheet: sheet.name, column: 1, row: headerRow), row: headerRow,
                "the header row \(headerRow) of sheet '\(sheet.name)' is empty; set header_row (or range)")
        }
        firstColumn = columns.lowerBound
        header = columns.map { names[$0] ?? "Kolumn \(CellReference.letters($0))" }
    }

    /// Calls `body` with each data row below the header, in sheet order, until the range's last row, the
    /// first empty row (with `untilEmptyRow`) or the sheet's end. Throws ``XLSXReadError`` when the
    /// workbook turns out damaged (the rows before have been handed over), and rethrows `body`'s errors.
    public func forEachRecord(_ body: (XLSXRecord) throws -> Void) throws -> XLSXReadSummary {
        let handler = handler()
        handler.columns = firstColumn...(firstColumn + header.count - 1)
        var summary = XLSXReadSummary(rowsRead: 0, emptyRowsSkipped: 0, endedAtRow: nil)
        var bodyError: (any Error)?
        var previous = headerRow
        let lastRow = options.range?.lastRow ?? Int.max
        let width = header.count
        let first = firstColumn
        let untilEmpty = options.untilEmptyRow
        var cells = [String](repeating: "", count: width)
        let sheetName = sheet.name
        let headerRow = headerRow
        try withoutActuallyEscaping(body) { body in
            handler.onRow = { row in
                guard row.number > headerRow else { return true }
                guard row.number <= lastRow else { return false }
                // A row missing from the XML is an empty row too.
                if untilEmpty, summary.rowsRead > 0, row.number > previous + 1 {
                    summary.endedAtRow = previous + 1
                    return false
                }
                previous = row.number
                for index in cells.indices { cells[index] = "" }
                var empty = true
                for cell in row.cells where cell.column >= first && cell.column < first + width {
                    cells[cell.column - first] = cell.text
                    if !cell.text.isBlank { empty = false }
                }
                if empty {
                    if untilEmpty, summary.rowsRead > 0 {
                        summary.endedAtRow = row.number
                        return false
                    }
                    summary.emptyRowsSkipped += 1
                    return true
                }
                summary.rowsRead += 1
                do {
                    try body(XLSXRecord(line: row.number, cells: cells, sheet: sheetName, firstColumn: first))
                } catch {
                    bodyError = error
                    return false
                }
                return true
            }
            // The handler must not keep `body` past this block.
            defer { handler.onRow = { _ in true } }
            let parser = try SAXPushParser(file: path, part: sheet.part, handler: handler)
            handler.parser = parser
            try archive.stream(sheet.part, into: parser)
        }
        if let bodyError { throw bodyError }
        return summary
    }
}

extension String {
    /// True when the text is empty or only spaces and line breaks.
    var isBlank: Bool { allSatisfy { $0.isWhitespace } }
    /// The text without surrounding spaces and line breaks.
    var trimmed: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(self[first...last])
    }
}
