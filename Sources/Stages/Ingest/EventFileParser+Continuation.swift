import CSVReader
import ColumnStore
import Foundation
import StageKit

/// A delivered events file that is its previous delivery with rows appended (the police deliver this
/// year's file again with the new events at its end): only the bytes after the previous end are read,
/// and the new column file begins with the previous one's chunks, copied byte for byte, and its
/// dictionaries, so that it is the column file a read of the whole file gives (its rows, ids and lines).
struct Continuation: Sendable {
    /// The delivery's previous raw events column file.
    var rawName: String
    var rawPath: String
    /// Where the previous file ended (its size) and how many physical lines it had.
    var start: Int
    var lines: Int
    /// The size of the file now.
    var size: Int
}

extension EventFileParser {
    /// Why a file cannot be read as a continuation after all: it is then read whole.
    struct NotAContinuation: Error {
        var reason: String
    }

    /// Reads the bytes after `continuation.start` into a column file that continues the previous one.
    /// Throws ``NotAContinuation`` when the file's reading settings were detected rather than given (a
    /// longer file might be detected otherwise) or the appended rows cannot be read to their end.
    func parseContinuation(_ continuation: Continuation) throws -> Result {
        var result = Result(spoolPath: outputPath + ".rejected")
        let reader = try DeliveryRecord.openCSV(source: source, path: path, stoppingAt: nil)
        guard source.format == .csv, source.tableEnd == nil, reader.isSplittable, reader.dialect.hasHeader,
            !reader.encodingWasDetected, !reader.delimiterWasDetected
        else { throw NotAContinuation(reason: "its reading settings are detected, not given") }
        result.outcome.encoding = reader.encoding.rawValue
        let layout = try CSVEventLayout(source: source, header: reader.header, headerLine: reader.headerLine)
        let previous = try ColumnFileReader(path: continuation.rawPath)
        guard previous.footer.columns == EventColumns.raw else {
            throw NotAContinuation(reason: "the previous column file has other columns")
        }
        var part = try Self.readPart(
            reader.partOpener, layout: layout, path: path, start: continuation.start, stop: continuation.size)
        guard part.end == continuation.size else {
            throw NotAContinuation(reason: "the appended rows end before the file does")
        }
        let spool = try RejectionSpool(path: result.spoolPath)
        let writer = try ColumnFileWriter(path: outputPath, continuing: previous)
        do {
            // The previous dictionaries first, in order, so that their ids stay; new strings follow.
            var interners = EventColumns.rawRoles.map { role in
                var interner = ByteInterner()
                for string in previous.footer.dictionaries[role] ?? [] { _ = interner.intern(string) }
                return interner
            }
            try Self.append(
                &part, lineOffset: continuation.lines, interners: &interners, writer: writer, spool: spool)
            for (index, role) in EventColumns.rawRoles.enumerated() {
                writer.dictionaries[role] = interners[index].strings
            }
            writer.metadata = previous.footer.metadata
            writer.metadata[EventColumns.linesKey] = String(continuation.lines + part.lines)
            writer.metadata[EventColumns.endKey] = String(part.end)
            writer.metadata[EventColumns.continuesKey] = continuation.rawName
            writer.metadata[EventColumns.continuedRowsKey] = String(previous.footer.rows)
            result.rows = writer.rowCount
            try writer.finish()
            try spool.close()
        } catch {
            writer.discard()
            try? spool.close()
            throw error
        }
        progress?.add(Int64(part.end - part.start), rows: Int64(part.rowsRead))
        result.outcome.rowsRead = part.rowsRead
        result.outcome.rowsQuarantined = part.rowsQuarantined
        result.outcome.rowsAccepted = part.rowsRead - part.rowsQuarantined
        result.continued = true
        return result
    }
}
