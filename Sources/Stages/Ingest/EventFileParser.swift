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
    /// When a large CSV file is read in parts on every core.
    var splitting = Splitting()

    /// When and how a large CSV file is split into parts read on every core. The parts are merged in
    /// file order, so the column file, the rejected records and their lines are a serial read's.
    struct Splitting: Sendable {
        /// Files at least this large are split.
        var threshold = 64 << 20
        /// The size of each part, before its start is moved past the next line feed.
        var partBytes = 16 << 20
        /// Threads that read parts; with one, every file is read serially.
        var threads = Self.availableCores

        /// The cores this process may run on (`taskset` and CPU sets included, which
        /// `ProcessInfo.activeProcessorCount` ignores on Linux).
        static var availableCores: Int {
            #if os(Linux)
                // "Cpus_allowed:\tff,ffffffff": a hexadecimal mask of the allowed cores.
                if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
                    let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") })
                {
                    let count = line.dropFirst("Cpus_allowed:".count).reduce(0) { count, character in
                        count + (character.hexDigitValue?.nonzeroBitCount ?? 0)
                    }
                    if count > 0 { return min(count, ProcessInfo.processInfo.activeProcessorCount) }
                }
            #endif
            return ProcessInfo.processInfo.activeProcessorCount
        }
        /// Start parts after a line feed; tests turn it off to split at every byte.
        var alignToLines = true
    }

    /// What reading the file gave.
    struct Result: Sendable {
        var outcome = FileOutcome()
        /// Rows in the column file (the accepted rows).
        var rows = 0
        /// Set when the file could not be read to its end.
        var problem: FileProblem?
        /// JSON lines of ``RejectedRecord``s.
        var spoolPath: String
        /// True when only the rows appended to the delivery's last file were read (``Continuation``).
        var continued = false
    }

    /// When set, the file is the delivery's file with rows appended: only the bytes after the old end
    /// are read, and the column file continues the old one (see ``parseContinuation(_:)``).
    var continuation: Continuation? = nil

    /// Reads the file. Unexpected errors (disk full, say) are thrown; file problems are in the result.
    func parse() throws -> Result {
        if let continuation { return try parseContinuation(continuation) }
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
        let splits = splitOffsets()
        let reader = try DeliveryRecord.openCSV(source: source, path: path, stoppingAt: splits.first)
        result.outcome.encoding = reader.encoding.rawValue + (reader.encodingWasDetected ? " (detected)" : "")
        let layout = try CSVEventLayout(source: source, header: reader.header, headerLine: reader.headerLine)
        if !splits.isEmpty, reader.isSplittable, reader.dialect.hasHeader {
            try parseCSVInParts(
                reader, splits: splits, layout: layout, writer: writer, interners: &interners, spool: spool,
                result: &result)
            return
        }
        var reportedBytes = 0
        var reportedRows = 0
        let counts = try Self.readRecords(
            reader, layout: layout, path: path, interners: &interners,
            onProgress: { rows in
                let bytes = reader.bytesRead
                progress?.add(Int64(bytes - reportedBytes), rows: Int64(rows - reportedRows))
                reportedBytes = bytes
                reportedRows = rows
            },
            accept: { line, ids in
                writer.set(0, Int32(truncatingIfNeeded: line))
                for (index, id) in ids.enumerated() { writer.set(index + 1, id) }
                try writer.endRow()
            },
            reject: { try spool.add($0) })
        progress?.add(Int64(reader.bytesRead - reportedBytes), rows: Int64(counts.read - reportedRows))
        if counts.skipped == 0, reader.dialect.hasHeader {
            writer.metadata[EventColumns.linesKey] = String(reader.nextLine - 1)
            writer.metadata[EventColumns.endKey] = String(reader.bytesRead)
        }
        result.outcome.rowsRead = counts.read
        result.outcome.rowsAccepted = counts.read - counts.rejected
        result.outcome.rowsQuarantined = counts.rejected
        result.outcome.linesSkipped = counts.skipped
    }

    /// Reads `reader`'s records. An accepted one has its mapped fields interned (personal identity
    /// numbers masked) and goes to `accept` with its line and one id per raw role (-1: empty); a
    /// rejected one goes to `reject`. `onProgress` hears the rows read every 64 K rows.
    private static func readRecords(
        _ reader: CSVFileReader, layout: CSVEventLayout, path: String, interners: inout [ByteInterner],
        onProgress: ((Int) -> Void)? = nil, accept: (Int, UnsafeBufferPointer<Int32>) throws -> Void,
        reject: (RejectedRecord) throws -> Void
    ) throws -> (read: Int, rejected: Int, skipped: Int) {
        var rejected = 0
        var seen = 0
        let ids = UnsafeMutableBufferPointer<Int32>.allocate(capacity: layout.textColumns.count)
        defer { ids.deallocate() }
        let summary = try reader.forEachRecord(
            { record in
                seen += 1
                if seen & 0xFFFF == 0, let onProgress { onProgress(seen) }
                if let rejection = layout.check(record) {
                    try reject(
                        RejectedRecord(
                            location: SourceLocation(file: path, line: record.line, column: rejection.column),
                            reason: rejection.reason, raw: record.rawText))
                    rejected += 1
                    return
                }
                for (index, column) in layout.textColumns.enumerated() {
                    guard let column else {
                        ids[index] = -1
                        continue
                    }
                    ids[index] = record.withUTF8(at: column) { field -> Int32 in
                        let trimmed = ByteTrim.trimmed(field)
                        guard !trimmed.isEmpty else { return -1 }
                        return PersonalNumberMask.withMasked(trimmed) { interners[index].intern($0) }
                    }
                }
                try accept(record.line, UnsafeBufferPointer(ids))
            },
            onReject: { try reject($0) })
        return (summary.rowsRead, summary.rowsRejected + rejected, summary.linesSkipped)
    }

    // MARK: CSV in parts

    /// Where the parts of the file start (after the first), or none when the file is read serially.
    private func splitOffsets() -> [Int] {
        // A table's end is found reading from the top (or the footer from the bottom): read serially.
        guard source.format == .csv, source.tableEnd == nil, splitting.threads > 1, splitting.partBytes > 0,
            let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int,
            size >= splitting.threshold
        else { return [] }
        var offsets: [Int] = []
        var nominal = splitting.partBytes
        while nominal < size {
            guard let offset = splitting.alignToLines ? Self.lineStart(after: nominal, in: path) : nominal,
                offset < size
            else { break }
            if offset > (offsets.last ?? 0) { offsets.append(offset) }
            nominal = max(nominal + splitting.partBytes, offset)
        }
        return offsets
    }

    /// The offset just past the first line feed at or after `offset`, or nil when there is none.
    private static func lineStart(after offset: Int, in path: String) -> Int? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var position = offset
        while true {
            guard (try? handle.seek(toOffset: UInt64(position))) != nil,
                let data = try? handle.read(upToCount: 1 << 16), !data.isEmpty
            else { return nil }
            if let index = data.firstIndex(of: 0x0A) { return position + (index - data.startIndex) + 1 }
            position += data.count
        }
    }

    /// What one part of a split file gave: dictionary ids of the part's own and lines counted from
    /// the part's start.
    struct Part: Sendable {
        /// The file offsets the part was read from and where it stopped.
        var start: Int
        var end = 0
        /// The lines the part spans.
        var lines = 0
        /// The accepted rows column by column: the lines, then one column of ids per raw role.
        var columns: [[Int32]] = []
        /// Each raw role's strings, in id order.
        var strings: [[String]] = []
        /// Rejected records, in file order.
        var rejected: [RejectedRecord] = []
        var rowsRead = 0
        var rowsQuarantined = 0
    }

    /// Reads the records from `start` (a guess) until the first record starting at or after `stop`.
    static func readPart(
        _ opener: CSVFileReader.PartOpener, layout: CSVEventLayout, path: String, start: Int, stop: Int?
    ) throws -> Part {
        let reader = try opener.open(from: start, stoppingAt: stop)
        var part = Part(start: start)
        var interners = [ByteInterner](repeating: ByteInterner(), count: layout.textColumns.count)
        var columns = [[Int32]](repeating: [], count: 1 + layout.textColumns.count)
        var rejected: [RejectedRecord] = []
        let counts = try readRecords(
            reader, layout: layout, path: path, interners: &interners,
            accept: { line, ids in
                columns[0].append(Int32(truncatingIfNeeded: line))
                for (index, id) in ids.enumerated() { columns[index + 1].append(id) }
            },
            reject: { rejected.append($0) })
        part.end = reader.endOffset ?? start
        part.lines = reader.nextLine - 1
        part.columns = columns
        part.rejected = rejected
        part.strings = interners.map(\.strings)
        part.rowsRead = counts.read
        part.rowsQuarantined = counts.rejected
        return part
    }

    /// Appends a part's rows to the column file and its rejected records to the spool: its lines shifted by
    /// the lines before it, its ids made the file's by interning the part's strings in the part's first-seen
    /// order (which gives the ids a serial read gives).
    static func append(
        _ part: inout Part, lineOffset: Int, interners: inout [ByteInterner], writer: ColumnFileWriter,
        spool: RejectionSpool
    ) throws {
        let lineShift = Int32(truncatingIfNeeded: lineOffset)
        part.columns[0].withUnsafeMutableBufferPointer { lines in
            for index in lines.indices { lines[index] &+= lineShift }
        }
        for (role, strings) in part.strings.enumerated() {
            let map = strings.map { interners[role].intern($0) }
            map.withUnsafeBufferPointer { map in
                part.columns[role + 1].withUnsafeMutableBufferPointer { ids in
                    for index in ids.indices where ids[index] >= 0 { ids[index] = map[Int(ids[index])] }
                }
            }
        }
        try writer.appendRows(part.columns)
        for var rejected in part.rejected {
            rejected.location.line += lineOffset
            try spool.add(rejected)
        }
    }

    /// Reads the file in parts on every core: each part from its guessed start, checked in file order
    /// against where the part before it ended and read again from there when the guess fell inside a
    /// record (a quoted field with line breaks); then merged into the column file with the global
    /// dictionary ids and lines.
    private func parseCSVInParts(
        _ reader: CSVFileReader, splits: [Int], layout: CSVEventLayout, writer: ColumnFileWriter,
        interners: inout [ByteInterner], spool: RejectionSpool, result: inout Result
    ) throws {
        let opener = reader.partOpener
        let dataStart = reader.endOffset ?? 0
        let starts = [dataStart] + splits
        let stops: [Int?] = splits + [nil]
        let path = path
        var expectedStart = dataStart
        var lineOffset = reader.nextLine - 1
        progress?.add(Int64(dataStart), rows: 0)
        try Parallel.stream(count: starts.count, threads: splitting.threads, window: 2 * splitting.threads) { index in
            Swift.Result {
                try Self.readPart(opener, layout: layout, path: path, start: starts[index], stop: stops[index])
            }
        } consume: { index, read in
            var part: Part
            if case .success(let speculative) = read, speculative.start == expectedStart {
                part = speculative
            } else {
                part = try Self.readPart(opener, layout: layout, path: path, start: expectedStart, stop: stops[index])
            }
            try Self.append(&part, lineOffset: lineOffset, interners: &interners, writer: writer, spool: spool)
            progress?.add(Int64(part.end - part.start), rows: Int64(part.rowsRead))
            result.outcome.rowsRead += part.rowsRead
            result.outcome.rowsQuarantined += part.rowsQuarantined
            result.outcome.rowsAccepted += part.rowsRead - part.rowsQuarantined
            expectedStart = part.end
            lineOffset += part.lines
        }
        writer.metadata[EventColumns.linesKey] = String(lineOffset)
        writer.metadata[EventColumns.endKey] = String(expectedStart)
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
