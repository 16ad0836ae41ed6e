import CSVReader
import ColumnStore
import Foundation
import LagesbildModel
import PipelineModel
import StageKit
import XMLReader

/// Reads one file of an events source into a raw-events column file, without touching the database,
/// so that several files are read at once (one per core). Rows it cannot accept are written to a
/// spool file, which the caller moves into the quarantine.
///
/// Ingest checks structure only — required fields present, coordinates readable; codes, areas and
/// dates are checked by normalize, once per distinct value. Personal identity numbers are masked in
/// each field before it is interned, so they never reach the column file.
struct EventFileParser {
    let source: SourceSpec
    let path: String
    /// Where the column file goes.
    let outputPath: String
    /// Where to add the bytes and rows read, for the progress display.
    var progress: ProgressCounter? = nil

    /// What reading the file gave.
    struct Result: Sendable {
        var outcome = FileOutcome()
        /// Rows in the column file (the accepted rows).
        var rows = 0
        /// Set when the file could not be read to its end.
        var problem: FileProblem?
        /// JSON lines of ``RejectedRecord``s.
        var spoolPath: String
    }

    /// Reads the file. Unexpected errors (disk full, say) are thrown; file problems are in the result.
    func parse() throws -> Result {
        var result = Result(spoolPath: outputPath + ".rejected")
        let spool = try RejectionSpool(path: result.spoolPath)
        let writer = try ColumnFileWriter(path: outputPath, columns: EventColumns.raw)
        writer.metadata = ["source": source.id, "file": path]
        var interners = [ByteInterner](repeating: ByteInterner(), count: EventColumns.rawRoles.count)
        do {
            switch source.format {
            case .csv: try parseCSV(writer: writer, interners: &interners, spool: spool, result: &result)
            case .xml: try parseXML(writer: writer, interners: &interners, spool: spool, result: &result)
            case .xlsx, .json: try parseTable(writer: writer, interners: &interners, spool: spool, result: &result)
            }
        } catch let problem as FileProblem {
            result.problem = problem
        } catch {
            writer.discard()
            try? spool.close()
            throw error
        }
        for (index, role) in EventColumns.rawRoles.enumerated() { writer.dictionaries[role] = interners[index].strings }
        result.rows = writer.rowCount
        try writer.finish()
        try spool.close()
        return result
    }

    // MARK: CSV

    private func parseCSV(
        writer: ColumnFileWriter, interners: inout [ByteInterner], spool: RejectionSpool, result: inout Result
    ) throws {
        let reader = try DeliveryRecord.openCSV(source: source, path: path)
        result.outcome.encoding = reader.encoding.rawValue + (reader.encodingWasDetected ? " (detected)" : "")
        let layout = try CSVEventLayout(source: source, header: reader.header, headerLine: reader.headerLine)
        var accepted = 0
        var rejected = 0
        var reportedBytes = 0
        var reportedRows = 0
        let summary = try reader.forEachRecord(
            { record in
                if (accepted + rejected) & 0xFFFF == 0xFFFF {
                    let bytes = reader.bytesRead
                    progress?.add(Int64(bytes - reportedBytes), rows: Int64(accepted + rejected - reportedRows))
                    reportedBytes = bytes
                    reportedRows = accepted + rejected
                }
                if let rejection = layout.check(record) {
                    try spool.add(
                        RejectedRecord(
                            location: SourceLocation(file: path, line: record.line, column: rejection.column),
                            reason: rejection.reason, raw: record.rawText))
                    rejected += 1
                    return
                }
                writer.set(0, Int32(truncatingIfNeeded: record.line))
                for (index, column) in layout.textColumns.enumerated() {
                    guard let column else {
                        writer.set(index + 1, -1)
                        continue
                    }
                    let id = record.withUTF8(at: column) { field -> Int32 in
                        let trimmed = ByteTrim.trimmed(field)
                        guard !trimmed.isEmpty else { return -1 }
                        return PersonalNumberMask.withMasked(trimmed) { interners[index].intern($0) }
                    }
                    writer.set(index + 1, id)
                }
                try writer.endRow()
                accepted += 1
            },
            onReject: { rejected in try spool.add(rejected) })
        progress?.add(Int64(reader.bytesRead - reportedBytes), rows: Int64(summary.rowsRead - reportedRows))
        result.outcome.rowsRead = summary.rowsRead
        result.outcome.rowsAccepted = accepted
        result.outcome.rowsQuarantined = summary.rowsRejected + rejected
    }

    // MARK: XML

    private func parseXML(
        writer: ColumnFileWriter, interners: inout [ByteInterner], spool: RejectionSpool, result: inout Result
    ) throws {
        let reader = try DeliveryRecord.openXML(source: source, path: path)
        result.outcome.encoding = "xml"
        do {
            _ = try reader.forEachRecord { record in
                result.outcome.rowsRead += 1
                let row = XMLSourceRow(record: record)
                if case .failure(let rejection) = RowMapping.checkEvent(row, source: source) {
                    try spool.add(
                        RejectedRecord(
                            location: SourceLocation(file: path, line: row.line), reason: rejection.reason,
                            raw: row.rawText))
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
        } catch let error as XMLReadError {
            throw FileProblem(line: error.location.line, column: error.location.column, message: error.message)
        }
    }
}

/// Where an events source's roles are in a CSV header, and the per-row structure checks on bytes.
struct CSVEventLayout {
    /// The column of each of ``EventColumns/rawRoles`` (nil when not mapped).
    let textColumns: [Int?]
    /// Mapped roles that must not be empty: (column index, column name).
    let requiredColumns: [(index: Int, name: String)]
    /// Coordinate columns that must be numbers when present.
    let numberColumns: [(index: Int, name: String)]

    init(source: SourceSpec, header: [String], headerLine: Int) throws {
        let columns = try ColumnIndexes.resolve(source: source, header: header, headerLine: headerLine)
        textColumns = EventColumns.rawRoles.map { columns[$0] }
        var required: [(Int, String)] = []
        for role in ["crime_code", "date"] + source.columns.keys.sorted()
        where role == "crime_code" || role == "date" || source.columns[role]?.required == true {
            if let index = columns[role], !required.contains(where: { $0.0 == index }) {
                required.append((index, source.columns[role]?.column ?? role))
            }
        }
        requiredColumns = required
        numberColumns = ["x", "y"].compactMap { role in
            columns[role].map { ($0, source.columns[role]?.column ?? role) }
        }
    }

    /// Why the record cannot be accepted, or nil.
    func check(_ record: CSVRecord) -> Rejection? {
        for (index, name) in requiredColumns
        where record.withUTF8(at: index, { ByteTrim.trimmed($0).isEmpty }) {
            return Rejection(reason: "the required field \(name) is empty", column: index + 1)
        }
        for (index, name) in numberColumns {
            let readable = record.withUTF8(at: index) { field -> Bool in
                let trimmed = ByteTrim.trimmed(field)
                if trimmed.isEmpty || FastNumber.plainDecimal(trimmed) != nil { return true }
                if case .value = SwedishNumber.parse(String(decoding: trimmed, as: UTF8.self)) { return true }
                return false
            }
            if !readable {
                let text = record.string(at: index).trimmingWhitespace()
                return Rejection(reason: "\(name) is not a number: '\(text)'", column: index + 1)
            }
        }
        return nil
    }
}
