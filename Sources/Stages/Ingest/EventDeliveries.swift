import ColumnStore
import Dispatch
import Foundation
import GRDB
import LagesbildModel
import Logging
import PipelineModel
import StageKit
import Workspace

/// One events file to read: its source, its digest, and where its column file goes.
struct EventJob: Sendable {
    var source: SourceSpec
    var path: String
    var digest: FileDigest
    var configHash: String
    var storeName: String
    var storePath: String
    /// Set when the file is its last delivery with rows appended: only the new rows are read.
    var continuation: Continuation? = nil
    /// That last delivery, which the file continues or (when it cannot be read so) replaces.
    var continued: PreviousDelivery? = nil
}

/// Records what reading an events file gave: the delivery, its quarantine and its column file.
struct EventDelivery {
    let db: Database
    let job: EventJob
    let logger: Logger

    /// Records the delivery inside the caller's transaction and returns its outcome.
    func record(_ parsed: EventFileParser.Result) throws -> FileOutcome {
        let source = job.source
        defer { unlink(parsed.spoolPath) }
        let deliveryID = try DeliveryRecord.insert(
            db, source: source, path: job.path, digest: job.digest, configHash: job.configHash)
        var quarantine = try QuarantineWriter(db: db, stage: .ingest, sourceID: source.id, deliveryID: deliveryID)
        try RejectionSpool.forEach(path: parsed.spoolPath) { try quarantine.add($0) }
        var outcome = parsed.outcome
        var keepRows = true
        if let problem = parsed.problem {
            // The file cannot be read to its end: its accepted rows are held back in the quarantine, and
            // one more entry records the fault, so rows read = accepted + quarantined still holds.
            let reason = "the file cannot be read past line \(problem.line): \(problem.message)"
            try ColumnFileReader(path: job.storePath).forEachChunk { chunk in
                for line in chunk.column(0) {
                    try quarantine.add(
                        RejectedRecord(
                            location: SourceLocation(file: job.path, line: Int(line)), reason: "held back: \(reason)",
                            raw: ""))
                }
            }
            try quarantine.add(
                RejectedRecord(
                    location: SourceLocation(file: job.path, line: problem.line, column: problem.column),
                    reason: reason, raw: ""))
            outcome.rowsQuarantined += outcome.rowsAccepted + 1
            outcome.rowsAccepted = 0
            outcome.rowsRead += 1
            outcome.status = .failed
            outcome.message = reason
            keepRows = false
        }
        if try outcome.rejectIfOverLimit(path: job.path, source: source) { keepRows = false }
        if keepRows {
            try StoreFiles.register(
                db, name: job.storeName, kind: EventColumns.rawKind, sourceID: source.id, deliveryID: deliveryID,
                rows: parsed.rows)
        } else {
            unlink(job.storePath)
        }
        try DeliveryRecord.finish(
            db, id: deliveryID, outcome: outcome, source: source, path: job.path, logger: logger)
        return outcome
    }

    /// Records a file read as `previous` with rows appended: the delivery keeps its id (its rows, lines
    /// and quarantine stay what they were), takes the file's new hash and size, adds the new rows' counts
    /// and quarantine, and lists the new column file (which begins with the old one) instead of the old.
    /// Returns the outcome of the new rows.
    func recordContinuation(_ parsed: EventFileParser.Result, of previous: PreviousDelivery) throws -> FileOutcome {
        let source = job.source
        defer { unlink(parsed.spoolPath) }
        try db.execute(
            sql: """
                UPDATE deliveries SET sha256 = ?, size = ?, ingested_at = ?, file_identity = ?, absent = NULL,
                    absent_since = NULL
                WHERE id = ?
                """,
            arguments: [
                job.digest.sha256, job.digest.size, isoTimestamp(), job.digest.identity?.recordable, previous.id,
            ])
        var quarantine = try QuarantineWriter(db: db, stage: .ingest, sourceID: source.id, deliveryID: previous.id)
        try RejectionSpool.forEach(path: parsed.spoolPath) { try quarantine.add($0) }
        var total = previous.outcome
        total.rowsRead += parsed.outcome.rowsRead
        total.rowsAccepted += parsed.outcome.rowsAccepted
        total.rowsQuarantined += parsed.outcome.rowsQuarantined
        total.encoding = parsed.outcome.encoding
        try db.execute(
            sql: "DELETE FROM store_files WHERE delivery_id = ? AND kind = ?",
            arguments: [previous.id, EventColumns.rawKind])
        if try total.rejectIfOverLimit(path: job.path, source: source) {
            unlink(job.storePath)
        } else {
            try StoreFiles.register(
                db, name: job.storeName, kind: EventColumns.rawKind, sourceID: source.id, deliveryID: previous.id,
                rows: parsed.rows)
        }
        try DeliveryRecord.finish(
            db, id: previous.id, outcome: total, source: source, path: job.path, logger: logger)
        var added = parsed.outcome
        added.status = total.status
        return added
    }
}
