import CSVReader
import Foundation
import GRDB
import LagesbildModel
import Logging
import PipelineModel
import StageKit
import Workspace
import XMLReader

/// What became of one file.
struct FileOutcome: Sendable {
    var rowsRead = 0
    var rowsAccepted = 0
    var rowsQuarantined = 0
    /// An observations file's values taken from its accepted rows (a wide row holds several); nil for
    /// other kinds, whose rows are one value each.
    var valuesRead: Int?
    /// Lines after the table's end (`table_ends:`): not rows, so neither accepted nor quarantined.
    var linesSkipped = 0
    var status = DeliveryStatus.accepted
    var message: String?
    var encoding: String?

    /// Checks that every row read was accepted or quarantined, and marks an accepted file `rejected` when
    /// it quarantined more rows than the source allows; returns true when it did so.
    mutating func rejectIfOverLimit(path: String, source: SourceSpec) throws -> Bool {
        guard rowsRead == rowsAccepted + rowsQuarantined else {
            throw StageDataError(
                stage: .ingest,
                message: "internal error: \(path) read \(rowsRead) rows but accepted \(rowsAccepted) "
                    + "and quarantined \(rowsQuarantined)")
        }
        guard status == .accepted, !source.quarantineLimit.allows(quarantined: rowsQuarantined, read: rowsRead)
        else { return false }
        status = .rejected
        message =
            "\(rowsQuarantined) of \(rowsRead) rows quarantined, more than the limit of "
            + "\(source.quarantineLimit); see `lagesbild quarantine --source \(source.id)`"
        return true
    }
}

/// Reads one file of an observations source into the workspace inside the caller's transaction
/// (events sources go through ``EventFileParser``).
struct FileIngester {
    let db: Database
    let source: SourceSpec
    let path: String
    let logger: Logger
    let deliveryID: Int64
    var quarantine: QuarantineWriter
    var outcome = FileOutcome()

    init(db: Database, source: SourceSpec, path: String, digest: FileDigest, configHash: String, logger: Logger) throws
    {
        self.db = db
        self.source = source
        self.path = path
        self.logger = logger
        deliveryID = try DeliveryRecord.insert(
            db, source: source, path: path, digest: digest, configHash: configHash)
        quarantine = try QuarantineWriter(db: db, stage: .ingest, sourceID: source.id, deliveryID: deliveryID)
        if source.kind == .observations { outcome.valuesRead = 0 }
    }

    /// Reads the file and records the delivery's counts and status.
    mutating func ingest() throws -> FileOutcome {
        do {
            switch source.format {
            case .csv: try ingestCSV()
            case .xml: try ingestXML()
            case .xlsx, .json: try ingestTable()
            }
        } catch let problem as FileProblem {
            try failFile(problem)
        }
        if try outcome.rejectIfOverLimit(path: path, source: source) { try holdBackAcceptedRows() }
        try DeliveryRecord.finish(db, id: deliveryID, outcome: outcome, source: source, path: path, logger: logger)
        return outcome
    }

    // MARK: CSV

    private mutating func ingestCSV() throws {
        let reader = try DeliveryRecord.openCSV(source: source, path: path)
        outcome.encoding = reader.encoding.rawValue + (reader.encodingWasDetected ? " (detected)" : "")
        let columns = try ColumnIndexes.resolve(source: source, header: reader.header, headerLine: reader.headerLine)
        if source.kind == .measureReports {
            try ingestMeasureReports(reader, columns: columns)
            return
        }
        let layout: ObservationLayout?
        do {
            layout = source.kind == .observations ? try ObservationLayout(source: source, header: reader.header) : nil
        } catch {
            throw FileProblem(line: reader.headerLine, message: error.reason)
        }
        let inserter = try RowInserter(db: db, kind: source.kind)
        var accepted = 0
        var mappingRejected = 0
        let summary = try reader.forEachRecord(
            { record in
                let row = CSVSourceRow(record: record, columns: columns)
                let cell = { PersonalNumberMask.mask(record.string(at: $0)) }
                if try insert(row, inserter: inserter, layout: layout, cell: cell) {
                    try TextInserter.insert(db: db, source: source, deliveryID: deliveryID, row: row)
                    accepted += 1
                } else {
                    mappingRejected += 1
                }
            },
            onReject: { rejected in try quarantine.add(rejected) })
        outcome.linesSkipped = summary.linesSkipped
        outcome.rowsRead = summary.rowsRead
        outcome.rowsAccepted = accepted
        outcome.rowsQuarantined = summary.rowsRejected + mappingRejected
    }

    /// Reads a `measure-reports` file into `raw_measure_reports`.
    private mutating func ingestMeasureReports(_ reader: CSVFileReader, columns: [String: Int]) throws {
        var accepted = 0
        var rejected = 0
        let summary = try reader.forEachRecord(
            { record in
                let row = CSVSourceRow(record: record, columns: columns)
                switch RawMeasureReport.read(row, deliveryID: deliveryID, source: source) {
                case .success(let report):
                    try report.insert(db)
                    accepted += 1
                case .failure(let rejection):
                    try quarantine.add(
                        RejectedRecord(
                            location: SourceLocation(file: path, line: row.line, column: rejection.column),
                            reason: rejection.reason, raw: row.rawText))
                    rejected += 1
                }
            },
            onReject: { rejected in try quarantine.add(rejected) })
        outcome.linesSkipped = summary.linesSkipped
        outcome.rowsRead = summary.rowsRead
        outcome.rowsAccepted = accepted
        outcome.rowsQuarantined = summary.rowsRejected + rejected
    }

    // MARK: XML

    private mutating func ingestXML() throws {
        let reader = try DeliveryRecord.openXML(source: source, path: path)
        outcome.encoding = "xml"
        let inserter = try RowInserter(db: db, kind: source.kind)
        let layout: ObservationLayout? =
            source.kind == .observations ? try? ObservationLayout(source: source, header: []) : nil
        var read = 0
        var accepted = 0
        var rejected = 0
        do {
            _ = try reader.forEachRecord { record in
                read += 1
                let row = XMLSourceRow(record: record)
                if try insert(row, inserter: inserter, layout: layout, cell: { _ in "" }) {
                    try TextInserter.insert(db: db, source: source, deliveryID: deliveryID, row: row)
                    accepted += 1
                } else {
                    rejected += 1
                }
            }
        } catch let error as XMLReadError {
            outcome.rowsRead = read
            outcome.rowsAccepted = accepted
            outcome.rowsQuarantined = rejected
            throw FileProblem(line: error.location.line, column: error.location.column, message: error.message)
        }
        outcome.rowsRead = read
        outcome.rowsAccepted = accepted
        outcome.rowsQuarantined = rejected
    }

    // MARK: Rows

    /// Inserts one row; returns false when it was quarantined instead.
    mutating func insert(
        _ row: SourceRow, inserter: RowInserter, layout: ObservationLayout?, cell: (Int) -> String
    ) throws -> Bool {
        let result = (layout ?? ObservationLayout.long).observations(
            row, deliveryID: deliveryID, source: source, cell: cell)
        switch result {
        case .success(let rows):
            for arguments in rows { try inserter.statement.execute(arguments: arguments) }
            outcome.valuesRead? += rows.count
            return true
        case .failure(let rejection):
            try quarantine.add(
                RejectedRecord(
                    location: SourceLocation(
                        file: path, line: row.line, column: rejection.column, place: row.place(column: rejection.column)
                    ),
                    reason: rejection.reason, raw: row.rawText))
            return false
        }
    }

    // MARK: Failures

    /// The file could not be read to its end: what was accepted goes to the quarantine with the reason,
    /// and one more entry records the fault itself, so rows read = accepted + quarantined still holds.
    private mutating func failFile(_ problem: FileProblem) throws {
        let reason = "the file cannot be read past line \(problem.line): \(problem.message)"
        try holdBackAcceptedRows(reason: "held back: \(reason)")
        try quarantine.add(
            RejectedRecord(
                location: SourceLocation(file: path, line: problem.line, column: problem.column), reason: reason,
                raw: ""))
        outcome.rowsRead += 1
        outcome.rowsQuarantined += 1
        outcome.status = .failed
        outcome.message = reason
    }

    /// Moves the delivery's accepted rows to the quarantine (with `reason`), or just removes them when
    /// the reason is the quarantine limit (their rows stay countable in the delivery).
    private mutating func holdBackAcceptedRows(reason: String? = nil) throws {
        let table = source.kind == .measureReports ? "raw_measure_reports" : "raw_observations"
        if let reason {
            try db.execute(
                sql: """
                    INSERT INTO quarantine (stage, source_id, delivery_id, file, line, "column", reason, raw)
                    SELECT 'ingest', ?, delivery_id, ?, line, NULL, ?, ''
                    FROM (SELECT DISTINCT delivery_id, line FROM \(table) WHERE delivery_id = ?)
                    """,
                arguments: [source.id, path, reason, deliveryID])
            outcome.rowsQuarantined += outcome.rowsAccepted
            outcome.rowsAccepted = 0
            if outcome.valuesRead != nil { outcome.valuesRead = 0 }
        }
        try db.execute(sql: "DELETE FROM \(table) WHERE delivery_id = ?", arguments: [deliveryID])
        try db.execute(sql: "DELETE FROM observation_texts WHERE delivery_id = ?", arguments: [deliveryID])
    }
}

/// The `deliveries` row of a file being ingested, and what every file's reading starts with.
enum DeliveryRecord {
    /// Inserts the delivery in state `reading` and returns its id.
    static func insert(
        _ db: Database, source: SourceSpec, path: String, digest: FileDigest, configHash: String
    ) throws -> Int64 {
        try db.execute(
            sql: """
                INSERT INTO deliveries (source_id, path, file_name, sha256, config_sha256, size, ingested_at,
                    rows_read, rows_accepted, rows_quarantined, status, file_identity)
                VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 'reading', ?)
                """,
            arguments: [
                source.id, path, (path as NSString).lastPathComponent, digest.sha256, configHash, digest.size,
                isoTimestamp(), digest.identity?.recordable,
            ])
        return db.lastInsertedRowID
    }

    /// Records an empty (0-byte) file as a delivery of no rows: a finding of the delivery gate unless
    /// the file is listed as withdrawn.
    static func recordEmpty(
        _ db: Database, source: SourceSpec, path: String, digest: FileDigest, configHash: String, withdrawn: Bool,
        logger: Logger
    ) throws {
        let id = try insert(db, source: source, path: path, digest: digest, configHash: configHash)
        var outcome = FileOutcome()
        outcome.message = "the file is empty (0 bytes)"
        try finish(db, id: id, outcome: outcome, source: source, path: path, logger: logger)
        if !withdrawn {
            try db.execute(
                sql: "UPDATE deliveries SET absent = 'empty', absent_since = ? WHERE id = ?",
                arguments: [isoTimestamp(), id])
        }
    }

    /// Records the delivery's counts and status, and logs them.
    static func finish(
        _ db: Database, id: Int64, outcome: FileOutcome, source: SourceSpec, path: String, logger: Logger
    ) throws {
        try db.execute(
            sql: """
                UPDATE deliveries SET rows_read = ?, rows_accepted = ?, rows_quarantined = ?, status = ?,
                    message = ?, encoding = ?, values_read = ?, lines_skipped = ?
                WHERE id = ?
                """,
            arguments: [
                outcome.rowsRead, outcome.rowsAccepted, outcome.rowsQuarantined, outcome.status.rawValue,
                outcome.message.map(PersonalNumberMask.mask), outcome.encoding, outcome.valuesRead,
                outcome.linesSkipped, id,
            ])
        var metadata: Logger.Metadata = [
            "source": "\(source.id)", "file": "\((path as NSString).lastPathComponent)",
            "read": "\(outcome.rowsRead)", "accepted": "\(outcome.rowsAccepted)",
            "quarantined": "\(outcome.rowsQuarantined)", "status": "\(outcome.status.rawValue)",
        ]
        // Lines after the table's end are not rows: counted apart, never against the quarantine limit.
        if outcome.linesSkipped > 0 { metadata["lines_after_table_end"] = "\(outcome.linesSkipped)" }
        logger.info("ingested", metadata: metadata)
    }

    /// Opens a CSV file with the source's dialect; a file that cannot be opened is a ``FileProblem``.
    static func openCSV(source: SourceSpec, path: String, stoppingAt stop: Int? = nil) throws -> CSVFileReader {
        do {
            return try CSVFileReader(
                path: path,
                dialect: CSVDialect(
                    delimiter: source.delimiter, encoding: source.encoding, titleLines: source.titleLines,
                    tableEnd: source.tableEnd),
                stoppingAt: stop)
        } catch let error as CSVError {
            throw FileProblem(line: error.location.line, message: error.message)
        }
    }

    /// Opens an XML file with the source's record path, namespaces and field paths (fields are named after
    /// roles, `dimension:NAME` and `value:MEASURE`); a file that cannot be opened is a ``FileProblem``.
    static func openXML(source: SourceSpec, path: String) throws -> XMLRecordReader {
        var fields: [String: String] = [:]
        for (role, mapping) in source.columns { fields[role] = mapping.column }
        for (name, fieldPath) in source.dimensions { fields["dimension:\(name)"] = fieldPath }
        for (measure, fieldPath) in source.values { fields["value:\(measure)"] = fieldPath }
        for (name, fieldPath) in source.texts { fields["text:\(name)"] = fieldPath }
        do {
            return try XMLRecordReader(
                path: path,
                spec: XMLRecordSpec(recordPath: source.recordPath ?? "", namespaces: source.namespaces, fields: fields))
        } catch let error as XMLReadError {
            throw FileProblem(line: error.location.line, message: error.message)
        }
    }
}

/// A file-level problem: the file cannot be read as the source says.
///
/// The message may quote the file (its header, say), so personal identity numbers are masked in it.
struct FileProblem: Error {
    var line: Int
    var column: Int?
    var message: String

    init(line: Int, column: Int? = nil, message: String) {
        self.line = line
        self.column = column
        self.message = PersonalNumberMask.mask(message)
    }
}

/// The cached insert statement of observation rows.
struct RowInserter {
    let statement: Statement

    init(db: Database, kind: SourceKind) throws {
        statement = try db.cachedStatement(
            sql: """
                INSERT INTO raw_observations (delivery_id, line, area, period, measure, dimensions, value, missing, base)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
    }
}

/// Where a source's roles, dimensions and value columns are in a CSV header.
enum ColumnIndexes {
    /// Maps each role (and dimension) to its column; a mapped column missing from the header fails the file.
    static func resolve(source: SourceSpec, header: [String], headerLine: Int) throws -> [String: Int] {
        let normalized = header.map { $0.trimmingWhitespace().lowercased() }
        var result: [String: Int] = [:]
        var wanted = source.columns.map { (role: $0.key, column: $0.value.column) }
        wanted += source.dimensions.map { (role: "dimension:\($0.key)", column: $0.value) }
        wanted += source.values.map { (role: "value:\($0.key)", column: $0.value) }
        wanted += source.texts.map { (role: "text:\($0.key)", column: $0.value) }
        for (role, column) in wanted.sorted(by: { $0.role < $1.role }) {
            guard let index = normalized.firstIndex(of: column.trimmingWhitespace().lowercased()) else {
                var message =
                    "the column '\(column)' (for \(source.roleName(role))) is not in the header; the header has: "
                    + header.joined(separator: " | ")
                if header.contains(where: { $0.contains("\u{FFFD}") }) {
                    message +=
                        " — the header has bytes that are not valid in the file's encoding: "
                        + "is the file in another encoding? (`lagesbild inspect FILE` detects it)"
                }
                throw FileProblem(line: headerLine, message: message)
            }
            result[role] = index
        }
        return result
    }
}
