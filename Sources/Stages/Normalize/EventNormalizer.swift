import ColumnStore
import GRDB
import LagesbildModel
import PipelineModel
import StageKit
import Workspace

/// Normalizes an events source's deliveries: reads each one's raw-events column file and writes its events
/// column file.
///
/// Each distinct value of a raw dictionary (a crime code, a date, an area name) is checked once; the
/// rows then only look up the results, so the cost per row is a handful of array reads.
struct EventNormalizer: Sendable {
    let pipeline: Pipeline
    let normalizer: RecordNormalizer
    let workspace: Workspace
    let progress: ProgressCounter

    /// The output file's dictionaries, filled as values are first met.
    final class OutputDictionaries {
        var crimeCodes = Interned()
        var municipalities = Interned()
        var districts = Interned()
        var desos = Interned()
        var places = Interned()
        /// The years of the dates met (a superset of the events' years).
        var years = Set<Int>()
        /// The first and last month (year × 12 + month − 1) of the accepted events, if any.
        var months: ClosedRange<Int>?

        /// Starts from an events file's dictionaries (in order, so their ids stay), years and months.
        func seed(_ footer: ColumnFileFooter) {
            for string in footer.dictionaries["crime_code"] ?? [] { _ = crimeCodes.index(string) }
            for string in footer.dictionaries["municipality"] ?? [] { _ = municipalities.index(string) }
            for string in footer.dictionaries["district"] ?? [] { _ = districts.index(string) }
            for string in footer.dictionaries["deso"] ?? [] { _ = desos.index(string) }
            for string in footer.dictionaries["place"] ?? [] { _ = places.index(string) }
            years = Set((footer.metadata["years"] ?? "").split(separator: ",").compactMap { Int($0) })
            let span = (footer.metadata[EventColumns.monthsKey] ?? "").split(separator: "-").compactMap { Int($0) }
            if span.count == 2, span[0] <= span[1] { months = span[0]...span[1] }
        }

        /// Widens ``months`` to a chunk's span.
        func addMonths(_ span: ClosedRange<Int>) {
            months = months.map { min($0.lowerBound, span.lowerBound)...max($0.upperBound, span.upperBound) } ?? span
        }
    }

    /// Strings numbered in the order they were first met.
    struct Interned {
        private(set) var strings: [String] = []
        private var indexes: [String: Int32] = [:]

        /// The index of `string` when it is already numbered.
        func existing(_ string: String) -> Int32? { indexes[string] }

        mutating func index(_ string: String) -> Int32 {
            if let index = indexes[string] { return index }
            let index = Int32(strings.count)
            strings.append(string)
            indexes[string] = index
            return index
        }
    }

    /// One delivery's events file to write: the delivery, its raw file and where the events file goes.
    struct FileJob: Sendable {
        var delivery: DeliveryReuse.Delivery
        var raw: StoreFiles.Entry?
        var storeName: String
        var storePath: String
    }

    /// What normalizing one delivery's file gave; recorded in the database by ``record(_:_:source:quarantine:)``.
    struct FileResult: Sendable {
        var job: FileJob
        var rows: Int
        var counts: StageCounts
        var rejections: RejectionBuffer
    }

    /// Starts normalizing `deliveries` of `source` on every core, each into an events column file of its own
    /// (with its own dictionaries), off the database thread: the caller goes on with the observations meanwhile
    /// and records the results in delivery order (``record(_:_:source:quarantine:)``).
    func start(_ db: Database, source: SourceSpec, deliveries: [DeliveryReuse.Delivery]) throws
        -> Parallel.Pending<FileResult>
    {
        let rawFiles = Dictionary(
            try StoreFiles.entries(db, kind: EventColumns.rawKind, sourceID: source.id).compactMap { entry in
                entry.deliveryID.map { ($0, entry) }
            }
        ) { first, _ in first }
        let jobs = try deliveries.map { delivery in
            let store = try workspace.newStoreFile(kind: EventColumns.normalizedKind)
            return FileJob(
                delivery: delivery, raw: rawFiles[delivery.id], storeName: store.name, storePath: store.path)
        }
        let normalizer = self
        return Parallel.start(jobs) { job in try normalizer.normalizeFile(job, source: source) }
    }

    /// Registers the events files in delivery order and quarantines their rejected rows.
    func record(
        _ db: Database, _ results: [Result<FileResult, Error>], source: SourceSpec, quarantine: inout QuarantineWriter
    ) throws -> StageCounts {
        var counts = StageCounts()
        for result in results {
            let file = try result.get()
            let delivery = file.job.delivery
            quarantine.deliveryID = delivery.id
            for record in file.rejections.records { try quarantine.add(record) }
            if let extending = delivery.extending {
                try db.execute(sql: "DELETE FROM store_files WHERE name = ?", arguments: [extending.eventsFile])
            }
            try StoreFiles.register(
                db, name: file.job.storeName, kind: EventColumns.normalizedKind, sourceID: source.id,
                deliveryID: delivery.id, rows: file.rows)
            counts.rowsIn += file.counts.rowsIn
            counts.rowsOut += file.counts.rowsOut
            counts.rowsQuarantined += file.counts.rowsQuarantined
        }
        return counts
    }

    /// Normalizes one delivery's raw events into its events column file, without the database.
    func normalizeFile(_ job: FileJob, source: SourceSpec) throws -> FileResult {
        let dateFormat = DateFormat(source.dateFormat) ?? DateFormat("yyyy-MM-dd")!
        let delivery = job.delivery
        let output = OutputDictionaries()
        let writer: ColumnFileWriter
        var firstRawChunk = 0
        if let extending = delivery.extending {
            // The events of the rows normalized before stay as they are, byte for byte, with their
            // dictionaries (so their ids), years and months; only the new rows are normalized.
            let previous = try ColumnFileReader(path: workspace.storePath(extending.eventsFile))
            writer = try ColumnFileWriter(path: job.storePath, continuing: previous)
            writer.metadata = previous.footer.metadata
            output.seed(previous.footer)
            firstRawChunk = extending.firstRawChunk
        } else {
            writer = try ColumnFileWriter(path: job.storePath, columns: EventColumns.normalized)
            writer.metadata = ["source": source.id]
        }
        if source.eventTypes != nil { writer.metadata[EventColumns.codeListKey] = EventColumns.eventTypesCodeList }
        writer.metadata[EventColumns.settingsKey] = delivery.settingsKey
        var counts = StageCounts()
        var rejections = RejectionBuffer()
        do {
            if let entry = job.raw {
                writer.metadata[EventColumns.rawFileKey] = entry.name
                let reader = try ColumnFileReader(path: workspace.storePath(entry.name))
                let file = RawFileResolution(
                    footer: reader.footer, normalizer: normalizer, pipeline: pipeline, source: source,
                    dateFormat: dateFormat, output: output)
                try reader.forEachChunk(from: firstRawChunk) { chunk in
                    try file.normalize(
                        chunk, deliveryID: Int32(delivery.id), path: delivery.path, writer: writer,
                        quarantine: &rejections, counts: &counts)
                    progress.add(Int64(chunk.rows), rows: Int64(chunk.rows))
                }
            }
            writer.metadata["years"] = output.years.sorted().map(String.init).joined(separator: ",")
            if let months = output.months {
                writer.metadata[EventColumns.monthsKey] = "\(months.lowerBound)-\(months.upperBound)"
            }
            writer.dictionaries = [
                "crime_code": output.crimeCodes.strings, "municipality": output.municipalities.strings,
                "district": output.districts.strings, "deso": output.desos.strings,
                "place": output.places.strings,
            ]
            let rows = writer.rowCount
            try writer.finish()
            return FileResult(job: job, rows: rows, counts: counts, rejections: rejections)
        } catch {
            writer.discard()
            throw error
        }
    }
}
