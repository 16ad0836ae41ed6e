import ColumnStore
import GRDB
import LagesbildModel
import PipelineModel
import StageKit
import Workspace

/// Normalizes an events source: reads its raw-events column files and writes one events column file.
///
/// Each distinct value of a raw dictionary (a crime code, a date, an area name) is checked once; the
/// rows then only look up the results, so the cost per row is a handful of array reads.
struct EventNormalizer {
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

    func normalize(_ db: Database, source: SourceSpec, quarantine: inout QuarantineWriter) throws -> StageCounts {
        let dateFormat = DateFormat(source.dateFormat) ?? DateFormat("yyyy-MM-dd")!
        let paths = Dictionary(
            uniqueKeysWithValues: try Row.fetchAll(
                db, sql: "SELECT id, path FROM deliveries WHERE source_id = ? AND status = 'accepted'",
                arguments: [source.id]
            ).map { ($0["id"] as Int64, $0["path"] as String) })
        let store = try workspace.newStoreFile(kind: EventColumns.normalizedKind)
        let writer = try ColumnFileWriter(path: store.path, columns: EventColumns.normalized)
        writer.metadata = ["source": source.id]
        if source.eventTypes != nil { writer.metadata[EventColumns.codeListKey] = EventColumns.eventTypesCodeList }
        let output = OutputDictionaries()
        var counts = StageCounts()
        do {
            for entry in try StoreFiles.entries(db, kind: EventColumns.rawKind, sourceID: source.id) {
                guard let deliveryID = entry.deliveryID, let path = paths[deliveryID] else { continue }
                quarantine.deliveryID = deliveryID
                let reader = try ColumnFileReader(path: workspace.storePath(entry.name))
                let file = RawFileResolution(
                    footer: reader.footer, normalizer: normalizer, pipeline: pipeline, source: source,
                    dateFormat: dateFormat, output: output)
                try reader.forEachChunk { chunk in
                    try file.normalize(
                        chunk, deliveryID: Int32(deliveryID), path: path, writer: writer, quarantine: &quarantine,
                        counts: &counts)
                    progress.add(Int64(chunk.rows), rows: Int64(chunk.rows))
                }
            }
            writer.metadata["years"] = output.years.sorted().map(String.init).joined(separator: ",")
            writer.dictionaries = [
                "crime_code": output.crimeCodes.strings, "municipality": output.municipalities.strings,
                "district": output.districts.strings, "deso": output.desos.strings, "place": output.places.strings,
            ]
            try writer.finish()
        } catch {
            writer.discard()
            throw error
        }
        try StoreFiles.register(
            db, name: store.name, kind: EventColumns.normalizedKind, sourceID: source.id, deliveryID: nil,
            rows: counts.rowsOut)
        return counts
    }
}
