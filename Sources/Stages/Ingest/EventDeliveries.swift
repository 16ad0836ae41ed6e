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
}

/// Runs independent pieces of work on every core and returns their results in order.
enum Parallel {
    /// Runs `work` on every item, on every core, and waits for all.
    static func map<T: Sendable, R: Sendable>(_ items: [T], _ work: @Sendable (T) throws -> R) -> [Result<R, Error>] {
        let results = ResultSlots<R>(count: items.count)
        DispatchQueue.concurrentPerform(iterations: items.count) { index in
            results.set(index, Result { try work(items[index]) })
        }
        return results.values
    }

    /// Starts `work` on every item in the background and returns at once; `wait()` gives the results.
    static func start<T: Sendable, R: Sendable>(_ items: [T], _ work: @escaping @Sendable (T) throws -> R)
        -> Pending<R>
    {
        let pending = Pending<R>()
        pending.group.enter()
        DispatchQueue.global().async {
            pending.results = map(items, work)
            pending.group.leave()
        }
        return pending
    }

    /// Results that are still being computed.
    final class Pending<R: Sendable>: @unchecked Sendable {
        fileprivate let group = DispatchGroup()
        fileprivate var results: [Result<R, Error>] = []

        /// Waits for every result.
        func wait() -> [Result<R, Error>] {
            group.wait()
            return results
        }
    }

    /// Slots written by concurrent workers, each slot by one worker.
    private final class ResultSlots<R: Sendable>: @unchecked Sendable {
        private var slots: [Result<R, Error>?]
        private let lock = NSLock()

        init(count: Int) { slots = Array(repeating: nil, count: count) }

        func set(_ index: Int, _ value: Result<R, Error>) { lock.withLock { slots[index] = value } }

        var values: [Result<R, Error>] { lock.withLock { slots.map { $0! } } }
    }
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
        guard outcome.rowsRead == outcome.rowsAccepted + outcome.rowsQuarantined else {
            throw StageDataError(
                stage: .ingest,
                message: "internal error: \(job.path) read \(outcome.rowsRead) rows but accepted "
                    + "\(outcome.rowsAccepted) and quarantined \(outcome.rowsQuarantined)")
        }
        if outcome.status == .accepted,
            !source.quarantineLimit.allows(quarantined: outcome.rowsQuarantined, read: outcome.rowsRead)
        {
            outcome.status = .rejected
            outcome.message =
                "\(outcome.rowsQuarantined) of \(outcome.rowsRead) rows quarantined, more than the limit of "
                + "\(source.quarantineLimit); see `lagesbild quarantine --source \(source.id)`"
            keepRows = false
        }
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
}
