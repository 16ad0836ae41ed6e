import ColumnStore
import Foundation
import JSONReader
import LagesbildModel
import PipelineModel
import StageKit
import XLSXReader

/// A workbook sheet or a JSON answer opened for ingest: a header and rows of text cells, each cell with
/// its place (`Blad1!C17`, `$.values[3].value`). Both readers hand over records under a header like the
/// CSV reader, so the column mapping, the observation layouts and the quarantine are the CSV ones.
struct TableFile {
    /// Field names: the sheet's header, or the JSON field paths (or the shape's fields).
    let header: [String]
    /// The header's row (1 for JSON), for file errors.
    let headerLine: Int
    /// What `deliveries.encoding` records: `xlsx Blad1, header row 4` or `json kolada`.
    let description: String
    /// Calls the closure with each row of the table; returns the rows skipped after the table's end
    /// (`table_ends:`).
    let forEachRow: ((TableRow) throws -> Void) throws -> Int

    /// Opens `path` as the source's format says; a file that cannot be read is a ``FileProblem``.
    static func open(source: SourceSpec, path: String) throws -> TableFile {
        switch source.format {
        case .xlsx: return try openWorkbook(source: source, path: path)
        default: return try openJSON(source: source, path: path)
        }
    }

    private static func openWorkbook(source: SourceSpec, path: String) throws -> TableFile {
        let settings = source.workbook
        var options = XLSXOptions(headerRow: settings.headerRow, untilEmptyRow: settings.untilEmptyRow)
        if let name = settings.sheetName { options.sheet = .name(name) }
        if let index = settings.sheetIndex { options.sheet = .index(index) }
        options.range = settings.range.flatMap(CellRange.init)
        // The table's end is found here, so the rows after it are counted instead of left unread.
        if source.tableEnd != nil { options.untilEmptyRow = false }
        let reader: XLSXRecordReader
        do {
            reader = try XLSXRecordReader(path: path, options: options)
        } catch let error as XLSXReadError {
            throw FileProblem(error)
        }
        return TableFile(
            header: reader.header, headerLine: reader.headerRow,
            description: PersonalNumberMask.mask("xlsx \(reader.sheet.name), header row \(reader.headerRow)")
                + (reader.headerRowWasDetected ? " (detected)" : "")
        ) { body in
            func hand(_ record: XLSXRecord) throws {
                try body(
                    TableRow(
                        line: record.line, cells: record.cells, raw: { record.rawText },
                        place: { record.place(ofColumn: $0) }))
            }
            do {
                guard let end = source.tableEnd else {
                    _ = try reader.forEachRecord(hand)
                    return 0
                }
                var tracker = try TableEndTracker<XLSXRecord>(end)
                _ = try reader.forEachRecord { record in
                    let text = record.cells.joined(separator: ";")
                    if let row = tracker.take(record, line: record.line, text: text) { try hand(row) }
                }
                tracker.finish()
                return tracker.skipped
            } catch let error as XLSXReadError {
                throw FileProblem(error)
            }
        }
    }

    private static func openJSON(source: SourceSpec, path: String) throws -> TableFile {
        var fields = source.columns.values.map(\.column) + source.dimensions.values + source.values.values
        fields += source.texts.values
        fields = Array(Set(fields)).sorted()
        let shape = source.json.shape.flatMap(JSONShape.init(rawValue:))
        if shape == .policeEvents,
            let role = ["place", "x", "y", "area", "deso"].first(where: {
                source.columns[$0]?.column.lowercased().hasPrefix("location.gps") == true
            })
        {
            throw FileProblem(
                line: 1,
                message: "location.gps is mapped to '\(role)', but it is the municipality's centre point, not the "
                    + "place of the event; leave it unmapped")
        }
        // JSON-stat and Kolada have fields of their own; the mapping picks among them.
        if shape == .jsonStat || shape == .kolada { fields = [] }
        let reader: JSONRecordReader
        do {
            reader = try JSONRecordReader(
                path: path, options: JSONOptions(shape: shape, records: source.json.records, fields: fields))
        } catch let error as JSONReadError {
            throw FileProblem(error)
        }
        let header = reader.header
        let required = requiredColumns(source)
        return TableFile(
            header: header, headerLine: 1, description: "json" + (reader.shape.map { " \($0.rawValue)" } ?? "")
        ) { body in
            try reader.forEachRecord { record in
                var problem: (index: Int, reason: String)?
                for (index, name) in header.enumerated() {
                    if let reason = record.problems[index] {
                        problem = (index, reason)
                        break
                    }
                    if record.absent[index], required.contains(name.lowercased()) {
                        problem = (index, "the field \(name) is missing")
                        break
                    }
                }
                try body(
                    TableRow(
                        line: record.line, cells: record.cells, raw: { record.rawText(header: header) },
                        place: { header.indices.contains($0) ? record.place(ofField: $0) : record.path },
                        problem: problem))
            }
            return 0
        }
    }

    /// Field names (lower case) the rows must have: those of required roles.
    private static func requiredColumns(_ source: SourceSpec) -> Set<String> {
        var roles: Set<String> = source.kind == .events ? ["crime_code", "date"] : ["area"]
        for (role, mapping) in source.columns where mapping.required { roles.insert(role) }
        return Set(roles.compactMap { source.columns[$0]?.column.lowercased() })
    }
}

/// One row of a ``TableFile``.
struct TableRow {
    var line: Int
    var cells: [String]
    /// The row's text for the quarantine, built when a row is rejected.
    var raw: () -> String
    /// The place of the cell at a 0-based column.
    var place: (Int) -> String
    /// A cell the reader found unreadable (a JSON object where a text belongs, a missing field).
    var problem: (index: Int, reason: String)? = nil
}

/// A table row seen through the source's column mapping.
struct TableSourceRow: SourceRow {
    let row: TableRow
    let columns: [String: Int]

    var line: Int { row.line }
    var rawText: String { row.raw() }

    func text(_ role: String) -> String? {
        guard let index = columns[role] else { return nil }
        return PersonalNumberMask.mask(row.cells[index].trimmingWhitespace())
    }

    func column(_ role: String) -> Int? { columns[role].map { $0 + 1 } }

    func place(column: Int?) -> String? { row.place(max((column ?? 1) - 1, 0)) }

    /// The reader's rejection of the row, when a mapped cell was unreadable.
    var rejection: Rejection? {
        guard let problem = row.problem, columns.values.contains(problem.index) else { return nil }
        return Rejection(reason: problem.reason, column: problem.index + 1)
    }
}

extension FileProblem {
    init(_ error: XLSXReadError) {
        let place = error.location.place.map { "\($0): " } ?? ""
        self.init(line: max(error.location.line, 1), message: place + error.message)
    }

    init(_ error: JSONReadError) {
        let place = error.location.place.map { "\($0): " } ?? ""
        self.init(line: error.location.line, column: error.location.column, message: place + error.message)
    }
}

extension FileIngester {
    /// Reads a workbook or JSON file of an observations source.
    mutating func ingestTable() throws {
        let table = try TableFile.open(source: source, path: path)
        outcome.encoding = table.description
        let columns = try ColumnIndexes.resolve(source: source, header: table.header, headerLine: table.headerLine)
        let layout: ObservationLayout?
        do {
            layout = source.kind == .observations ? try ObservationLayout(source: source, header: table.header) : nil
        } catch {
            throw FileProblem(line: table.headerLine, message: error.reason)
        }
        let inserter = try RowInserter(db: db, kind: source.kind)
        var read = 0
        var accepted = 0
        var rejected = 0
        do {
            outcome.linesSkipped = try table.forEachRow { tableRow in
                read += 1
                let row = TableSourceRow(row: tableRow, columns: columns)
                if let rejection = row.rejection {
                    try quarantine.add(
                        RejectedRecord(
                            location: SourceLocation(
                                file: path, line: row.line, column: rejection.column,
                                place: row.place(column: rejection.column)),
                            reason: rejection.reason, raw: row.rawText))
                    rejected += 1
                    return
                }
                let cell = { PersonalNumberMask.mask(tableRow.cells.indices.contains($0) ? tableRow.cells[$0] : "") }
                if try insert(row, inserter: inserter, layout: layout, cell: cell) {
                    try TextInserter.insert(db: db, source: source, deliveryID: deliveryID, row: row)
                    accepted += 1
                } else {
                    rejected += 1
                }
            }
        } catch let problem as FileProblem {
            outcome.rowsRead = read
            outcome.rowsAccepted = accepted
            outcome.rowsQuarantined = rejected
            throw problem
        }
        outcome.rowsRead = read
        outcome.rowsAccepted = accepted
        outcome.rowsQuarantined = rejected
    }
}

extension EventFileParser {
    /// Reads a workbook or JSON file of an events source into the column file.
    func parseTable(
        writer: ColumnFileWriter, interners: inout [ByteInterner], spool: RejectionSpool, result: inout Result
    ) throws {
        let table = try TableFile.open(source: source, path: path)
        result.outcome.encoding = table.description
        let columns = try ColumnIndexes.resolve(source: source, header: table.header, headerLine: table.headerLine)
        result.outcome.linesSkipped = try table.forEachRow { tableRow in
            result.outcome.rowsRead += 1
            let row = TableSourceRow(row: tableRow, columns: columns)
            let check =
                row.rejection.map { Swift.Result<Void, Rejection>.failure($0) }
                ?? RowMapping.checkEvent(row, source: source)
            if case .failure(let rejection) = check {
                try spool.add(
                    RejectedRecord(
                        location: SourceLocation(
                            file: path, line: row.line, column: rejection.column,
                            place: row.place(column: rejection.column)),
                        reason: rejection.reason, raw: row.rawText))
                result.outcome.rowsQuarantined += 1
                return
            }
            writer.set(0, Int32(truncatingIfNeeded: row.line))
            for (index, role) in EventColumns.rawRoles.enumerated() {
                let text = row.text(role) ?? ""
                writer.set(index + 1, text.isEmpty ? -1 : interners[index].intern(text))
            }
            try writer.endRow()
            result.outcome.rowsAccepted += 1
        }
    }
}
