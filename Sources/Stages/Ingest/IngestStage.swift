import ColumnStore
import Crypto
import Foundation
import GRDB
import LagesbildModel
import Logging
import PipelineModel
import StageKit
import Workspace

/// Ingest: reads every source's files into the workspace (`raw_observations`, `raw_measure_reports`, or a
/// raw-events column file per file of an events source, read on every core at once), registers
/// each file as a delivery and quarantines what it cannot accept.
///
/// A file already ingested with the same content and the same source settings is left as it is; a
/// changed file replaces exactly its predecessor's rows; a file no longer delivered is retired with its
/// rows. All of it happens in one transaction.
public struct IngestStage: PipelineStage {
    public var stage: Stage { .ingest }

    public init() {}

    public func run(_ context: StageContext) throws -> StageCounts {
        let sources = context.pipeline.sources.filter { context.sourceFilter == nil || $0.id == context.sourceFilter }
        let roots = context.pipeline.dataRoots
        let plan = try sources.map { source in (source, try Self.files(of: source, dataRoots: roots)) }
        // A large events file that is new, or whose size changed, is read whatever its hash: its hash is
        // computed beside the reading instead of before it, so the reading does not wait for it.
        let readAnyway = try context.workspace.database.read { db in
            try Self.largeChangedEventFiles(db, plan: plan)
        }
        let laterDigests = Parallel.start(readAnyway.map(\.path)) { try FileDigest(path: $0) }
        defer { _ = laterDigests.wait() }
        // Most nights most files are unchanged. A file whose identity (device, inode, size, mtime, ctime) is
        // the one recorded when it was last hashed keeps that hash unread (see ``FileIdentity``); every
        // other file is hashed first, on every core.
        let recorded = try context.workspace.database.read { db in try Self.recordedIdentities(db) }
        // A file grown since its last delivery may be that delivery with rows appended: its hash tells, with the
        // hash of its first bytes as long as the last delivery was (see ``Continuation``).
        let shorterBefore = try context.workspace.database.read { db in try Self.grownEventFiles(db, plan: plan) }
        var digests: [String: FileDigest] = [:]
        var hashedFirst: [String] = []
        for file in plan.flatMap({ $0.1 }) where !readAnyway.contains(where: { $0.path == file }) {
            if let identity = FileIdentity(path: file), identity.settled, let known = recorded[file],
                known.identity == identity.storedText
            {
                digests[file] = FileDigest(sha256: known.sha256, size: identity.size, identity: identity)
            } else {
                hashedFirst.append(file)
            }
        }
        let hashes = Parallel.map(hashedFirst) { try FileDigest(path: $0, prefixSize: shorterBefore[$0]) }
        for (file, digest) in zip(hashedFirst, hashes) {
            digests[file] = try Self.digest(digest, of: file, plan: plan)
        }
        // Until its hash is known, such a file has its size alone (the hash is filled in before it is recorded).
        for file in readAnyway { digests[file.path] = FileDigest(sha256: "", size: file.size) }
        var counts = StageCounts()
        var failures: [String] = []
        func count(_ outcome: FileOutcome, file: String, source: SourceSpec) {
            counts.rowsIn += outcome.rowsRead
            counts.rowsOut += outcome.rowsAccepted
            counts.rowsQuarantined += outcome.rowsQuarantined
            switch outcome.status {
            case .accepted: break
            case .rejected: failures.append("\(file): \(outcome.message ?? "rejected")")
            case .failed where source.onFileError == .fail:
                failures.append("\(file): \(outcome.message ?? "unreadable")")
            case .failed:
                context.logger.warning(
                    "file skipped", metadata: ["file": "\(file)", "reason": "\(outcome.message ?? "")"])
            }
        }
        try context.workspace.database.write { db in
            if context.sourceFilter == nil {
                try retireRemovedSources(db, keeping: context.pipeline.sources.map(\.id), logger: context.logger)
            }
            var eventJobs: [EventJob] = []
            var observationFiles: [(source: SourceSpec, file: String, digest: FileDigest, configHash: String)] = []
            for (source, files) in plan {
                let configHash = Self.sha256(source.fingerprintText)
                let previous = try PreviousDelivery.all(db, source: source.id)
                for (path, delivery) in previous where !files.contains(path) {
                    if source.delivery.isWithdrawn(path) {
                        try delivery.delete(db)
                        context.logger.info(
                            "retired withdrawn delivery", metadata: ["source": "\(source.id)", "file": "\(path)"])
                    } else {
                        try delivery.markAbsent(db, .missing)
                        context.logger.warning(
                            "a file delivered before is missing: its last good data is kept",
                            metadata: ["source": "\(source.id)", "file": "\(path)"])
                    }
                }
                for file in files {
                    let digest = digests[file]!
                    if digest.size == 0 {
                        if let old = previous[file], !source.delivery.isWithdrawn(file) {
                            try old.markAbsent(db, .empty)
                            context.logger.warning(
                                "a file delivered before is empty: its last good data is kept",
                                metadata: ["source": "\(source.id)", "file": "\(file)"])
                        } else {
                            try previous[file]?.delete(db)
                            try DeliveryRecord.recordEmpty(
                                db, source: source, path: file, digest: digest, configHash: configHash,
                                withdrawn: source.delivery.isWithdrawn(file), logger: context.logger)
                        }
                        continue
                    }
                    if let old = previous[file], old.sha256 == digest.sha256, old.configSHA256 == configHash {
                        try old.markPresent(db, identity: digest.identity)
                        context.logger.info(
                            "unchanged delivery, kept", metadata: ["source": "\(source.id)", "file": "\(file)"])
                        let failedBefore = old.status == DeliveryStatus.failed.rawValue
                        if old.status == DeliveryStatus.rejected.rawValue
                            || (failedBefore && source.onFileError == .fail)
                        {
                            failures.append("\(file): \(old.message ?? old.status)")
                        } else if failedBefore {
                            context.logger.warning(
                                "file skipped", metadata: ["file": "\(file)", "reason": "\(old.message ?? "")"])
                        }
                        continue
                    }
                    if source.kind == .events, let old = previous[file],
                        let continuation = try Self.continuation(
                            db, of: old, file: file, digest: digest, configHash: configHash, source: source,
                            workspace: context.workspace)
                    {
                        let store = try context.workspace.newStoreFile(kind: EventColumns.rawKind)
                        eventJobs.append(
                            EventJob(
                                source: source, path: file, digest: digest, configHash: configHash,
                                storeName: store.name, storePath: store.path, continuation: continuation,
                                continued: old))
                        continue
                    }
                    try previous[file]?.delete(db)
                    if source.kind == .events {
                        let store = try context.workspace.newStoreFile(kind: EventColumns.rawKind)
                        eventJobs.append(
                            EventJob(
                                source: source, path: file, digest: digest, configHash: configHash,
                                storeName: store.name, storePath: store.path))
                        continue
                    }
                    observationFiles.append((source, file, digest, configHash))
                }
            }
            // Events files are read on every core in the background while the observation files are
            // read into the database here; then the events files are recorded one by one.
            let total = eventJobs.reduce(0) { $0 + $1.digest.size } + observationFiles.reduce(0) { $0 + $1.digest.size }
            let progress = ProgressCounter(
                stage: .ingest, total: Int64(total), unit: .bytes, reporter: context.progress)
            defer { progress.finish() }
            let parsing = Parallel.start(eventJobs) { job in
                var parser = EventFileParser(source: job.source, path: job.path, outputPath: job.storePath)
                parser.progress = progress
                if let continuation = job.continuation {
                    // Only the appended rows are read; when that is not possible after all, the whole file.
                    parser.continuation = continuation
                    if let result = try? parser.parse() { return result }
                    parser.continuation = nil
                }
                let result = try parser.parse()
                if job.source.format != .csv {
                    progress.add(Int64(job.digest.size), rows: Int64(result.outcome.rowsRead))
                }
                return result
            }
            defer { _ = parsing.wait() }  // never leave the readers running behind a failure
            for job in observationFiles {
                var ingester = try FileIngester(
                    db: db, source: job.source, path: job.file, digest: job.digest, configHash: job.configHash,
                    logger: context.logger)
                let outcome = try ingester.ingest()
                progress.add(Int64(job.digest.size), rows: Int64(outcome.rowsRead))
                count(outcome, file: job.file, source: job.source)
            }
            let parsed = parsing.wait()
            var hashedLater: [String: FileDigest] = [:]
            for (file, digest) in zip(readAnyway, laterDigests.wait()) {
                hashedLater[file.path] = try Self.digest(digest, of: file.path, plan: plan)
            }
            let sizesAtStart = Dictionary(
                readAnyway.map { ($0.path, $0.size) }, uniquingKeysWith: { first, _ in first })
            for (job, result) in zip(eventJobs, parsed) {
                var job = job
                if let digest = hashedLater[job.path] {
                    // Hashed while it was read: a file that grew or shrank meanwhile may have been read and
                    // hashed to different ends. Nothing of it is recorded; the run fails and the next reads it.
                    guard digest.size == sizesAtStart[job.path] else {
                        if case .success(let parsed) = result { unlink(parsed.spoolPath) }
                        unlink(job.storePath)
                        failures.append(
                            "\(job.path): the file changed while it was being read (\(sizesAtStart[job.path] ?? 0) "
                                + "bytes when the run began, \(digest.size) when it was hashed); run again")
                        continue
                    }
                    job.digest = digest
                }
                let delivery = EventDelivery(db: db, job: job, logger: context.logger)
                let parsed = try result.get()
                if let previous = job.continued {
                    if parsed.continued {
                        count(try delivery.recordContinuation(parsed, of: previous), file: job.path, source: job.source)
                        continue
                    }
                    try previous.delete(db)  // read whole after all: a new delivery
                }
                count(try delivery.record(parsed), file: job.path, source: job.source)
            }
        }
        if !failures.isEmpty {
            throw StageDataError(stage: .ingest, message: failures.joined(separator: "\n"))
        }
        return counts
    }

    /// A file's digest, or the error that says why it could not be read.
    static func digest(_ result: Result<FileDigest, Error>, of file: String, plan: [(SourceSpec, [String])]) throws
        -> FileDigest
    {
        do {
            return try result.get()
        } catch {
            let source = plan.first { $0.1.contains(file) }?.0.id ?? "?"
            guard FileManager.default.fileExists(atPath: file) else {
                throw InputFileMissingError(
                    source: source, pattern: file, detail: "the file disappeared while it was being read")
            }
            throw InputFileMissingError(source: source, pattern: file, detail: "the file cannot be read: \(error)")
        }
    }

    /// Events files large enough to be read in parts (see ``EventFileParser/Splitting``) that are surely read
    /// again: no delivery of that path is stored, or the stored one had another size.
    static func largeChangedEventFiles(_ db: Database, plan: [(SourceSpec, [String])]) throws
        -> [(path: String, size: Int)]
    {
        var files: [(path: String, size: Int)] = []
        for (source, paths) in plan where source.kind == .events {
            let stored = try Dictionary(
                Row.fetchAll(db, sql: "SELECT path, size FROM deliveries WHERE source_id = ?", arguments: [source.id])
                    .map { ($0["path"] as String, $0["size"] as Int) },
                uniquingKeysWith: { first, _ in first })
            for path in paths {
                // A file grown since its last delivery is hashed first instead: it may be that delivery with
                // rows appended, of which only the new rows are read (``Continuation``).
                guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                    let size = (attributes[.size] as? NSNumber)?.intValue,
                    size >= EventFileParser.Splitting().threshold, stored[path] != size,
                    (stored[path] ?? Int.max) > size
                else { continue }
                files.append((path, size))
            }
        }
        return files
    }

    /// The events files that are larger now than their last delivery, with that delivery's size.
    static func grownEventFiles(_ db: Database, plan: [(SourceSpec, [String])]) throws -> [String: Int] {
        var result: [String: Int] = [:]
        for (source, paths) in plan where source.kind == .events && source.format == .csv {
            let stored = try Dictionary(
                Row.fetchAll(db, sql: "SELECT path, size FROM deliveries WHERE source_id = ?", arguments: [source.id])
                    .map { ($0["path"] as String, $0["size"] as Int) },
                uniquingKeysWith: { first, _ in first })
            for path in paths {
                guard let before = stored[path], before > 0,
                    let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > before
                else { continue }
                result[path] = before
            }
        }
        return result
    }

    /// How to read `file` as its last delivery `old` with rows appended, or nil when it is not that: the same
    /// reading settings, an accepted delivery read to its end as CSV (its raw file says where it ended and
    /// how many lines it had), the file's first bytes hashing to the delivery's hash and ending with a line
    /// feed, so that the new bytes start a record.
    static func continuation(
        _ db: Database, of old: PreviousDelivery, file: String, digest: FileDigest, configHash: String,
        source: SourceSpec, workspace: Workspace
    ) throws -> Continuation? {
        guard source.format == .csv, source.tableEnd == nil, old.configSHA256 == configHash,
            old.status == DeliveryStatus.accepted.rawValue, old.size > 0, digest.size > old.size,
            digest.prefixSHA256 == old.sha256,
            let raw = try StoreFiles.entries(db, kind: EventColumns.rawKind, sourceID: source.id)
                .first(where: { $0.deliveryID == old.id }),
            let footer = try? ColumnFileReader(path: workspace.storePath(raw.name)).footer,
            footer.metadata[EventColumns.endKey].flatMap({ Int($0) }) == old.size,
            let lines = footer.metadata[EventColumns.linesKey].flatMap({ Int($0) }),
            let handle = FileHandle(forReadingAtPath: file)
        else { return nil }
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(old.size - 1))
        guard try handle.read(upToCount: 1) == Data([UInt8(ascii: "\n")]) else { return nil }
        return Continuation(
            rawName: raw.name, rawPath: workspace.storePath(raw.name), start: old.size, lines: lines, size: digest.size)
    }

    /// The hash and identity recorded for each delivered file whose identity was recorded, by path.
    static func recordedIdentities(_ db: Database) throws -> [String: (sha256: String, identity: String)] {
        var result: [String: (sha256: String, identity: String)] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT path, sha256, file_identity FROM deliveries WHERE file_identity IS NOT NULL")
        {
            result[row["path"]] = (row["sha256"], row["file_identity"])
        }
        return result
    }

    /// Retires the deliveries (with their rows and quarantine) of sources no longer in the pipeline file.
    func retireRemovedSources(_ db: Database, keeping sources: [String], logger: Logger) throws {
        let known = Set(sources)
        for source in try String.fetchAll(db, sql: "SELECT DISTINCT source_id FROM deliveries")
        where !known.contains(source) {
            for (path, delivery) in try PreviousDelivery.all(db, source: source) {
                try delivery.delete(db)
                logger.info(
                    "retired delivery of a removed source", metadata: ["source": "\(source)", "file": "\(path)"])
            }
            try db.execute(sql: "DELETE FROM quarantine WHERE source_id = ?", arguments: [source])
        }
    }

    /// The files a source's patterns match; a source with no file is an error (exit 66).
    /// A file whose real path (symbolic links followed) leaves `dataRoots` is refused (exit 66), so a link
    /// planted among the deliveries cannot make the pipeline read `/etc/…`.
    static func files(of source: SourceSpec, dataRoots: [String]) throws -> [String] {
        var seen = Set<String>()
        var files: [String] = []
        for pattern in source.files {
            let matches = expandGlob(pattern)
            for match in matches where seen.insert(match).inserted { files.append(match) }
        }
        guard !files.isEmpty else {
            throw InputFileMissingError(
                source: source.id, pattern: source.files.joined(separator: ", "), detail: "no file matches")
        }
        for file in files where !FileManager.default.isReadableFile(atPath: file) {
            throw InputFileMissingError(source: source.id, pattern: file, detail: "the file cannot be read")
        }
        if !dataRoots.isEmpty {
            let realRoots = dataRoots.map(realPath)
            for file in files where !Pipeline.isInside(realPath(file), roots: realRoots) {
                throw InputFileMissingError(
                    source: source.id, pattern: file,
                    detail: "the file leads outside the folders sources may read (data_roots in the pipeline file)")
            }
        }
        return files
    }

    static func sha256(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// `path` with every symbolic link resolved; `path` itself when it cannot be resolved.
func realPath(_ path: String) -> String {
    guard let resolved = realpath(path, nil) else { return path }
    defer { free(resolved) }
    return String(cString: resolved)
}

/// How a delivery ended.
enum DeliveryStatus: String {
    /// Read to the end; its quarantine stayed within the source's limit.
    case accepted
    /// Read, but more rows were quarantined than the limit allows; its rows are held back.
    case rejected
    /// Could not be read to its end (malformed XML, header without a mapped column).
    case failed
}

/// Why a delivered file's data is kept although the file is not there as it was.
enum DeliveryAbsence: String {
    /// The file is no longer delivered.
    case missing
    /// The file is there but has no bytes.
    case empty
}

/// A delivery already in the workspace.
struct PreviousDelivery: Sendable {
    var id: Int64
    var sha256: String
    var configSHA256: String
    var status: String
    var message: String?
    var size: Int
    /// What ingest counted when it read the delivery.
    var outcome: FileOutcome

    static func all(_ db: Database, source: String) throws -> [String: PreviousDelivery] {
        var result: [String: PreviousDelivery] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT id, path, sha256, config_sha256, status, message, size, rows_read, rows_accepted,
                    rows_quarantined
                FROM deliveries WHERE source_id = ?
                """,
            arguments: [source])
        {
            var outcome = FileOutcome()
            outcome.rowsRead = row["rows_read"]
            outcome.rowsAccepted = row["rows_accepted"]
            outcome.rowsQuarantined = row["rows_quarantined"]
            result[row["path"]] = PreviousDelivery(
                id: row["id"], sha256: row["sha256"], configSHA256: row["config_sha256"], status: row["status"],
                message: row["message"], size: row["size"], outcome: outcome)
        }
        return result
    }

    /// Marks the delivery's file as gone or emptied since it was ingested; its rows stay.
    func markAbsent(_ db: Database, _ absence: DeliveryAbsence) throws {
        try db.execute(
            sql: "UPDATE deliveries SET absent = ?, absent_since = coalesce(absent_since, ?) WHERE id = ?",
            arguments: [absence.rawValue, isoTimestamp(), id])
    }

    /// Clears an absence: the file is back as it was; records the identity it was hashed with.
    func markPresent(_ db: Database, identity: FileIdentity?) throws {
        try db.execute(
            sql: "UPDATE deliveries SET absent = NULL, absent_since = NULL, file_identity = ? WHERE id = ?",
            arguments: [identity?.recordable, id])
    }

    /// Removes the delivery with its rows and its ingest quarantine.
    func delete(_ db: Database) throws {
        try StoreFiles.unregister(db, deliveryID: id)
        try db.execute(sql: "DELETE FROM raw_observations WHERE delivery_id = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM observation_texts WHERE delivery_id = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM raw_measure_reports WHERE delivery_id = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM quarantine WHERE delivery_id = ? AND stage = 'ingest'", arguments: [id])
        try db.execute(sql: "DELETE FROM deliveries WHERE id = ?", arguments: [id])
    }
}
