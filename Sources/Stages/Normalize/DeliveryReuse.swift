import ColumnStore
import Foundation
import GRDB
import PipelineModel
import StageKit
import Workspace

/// Which deliveries keep the result normalize computed for them before, and which are normalized again.
///
/// An events or observations delivery's result (its events column file, or its `observations` rows, and
/// its normalize quarantine rows) depends only on its own rows and on ``NormalizeInputs/settings(_:)``.
/// Its key hashes both (the delivery's id, source, path, content hash and reading settings, and the
/// settings key); a delivery whose stored key (`normalize_inputs`) is the same keeps its result, every
/// other one is normalized again. A change to a code list or a source's codes changes every key, so
/// everything is normalized again. Status reports (`measure_reports`) are few and always redone. The
/// results of deliveries that are gone (withdrawn, rejected, retired sources) are dropped. An events
/// delivery whose file came again with rows appended (ingest's raw file continues the one its events file
/// was made from, under the same settings) is not normalized again but extended (``Extension``).
struct DeliveryReuse {
    /// An accepted delivery of an events or observations source.
    struct Delivery: Sendable {
        var id: Int64
        var sourceID: String
        var path: String
        var key: String
        /// The key without the content hash: everything but the rows its result depends on. An events file
        /// records it, with the raw file it was normalized from (``Extension``).
        var settingsKey: String
        /// Set when the delivery's events file is extended rather than written anew.
        var extending: Extension? = nil
    }

    /// A delivery whose raw events file continues the one its events file was normalized from (the file was
    /// delivered again with rows appended, with the same settings): its events file is continued with the new
    /// rows alone, and its quarantine rows stay; the result is what normalizing the whole file gives.
    struct Extension: Sendable {
        /// The events file normalized from the raw file's first rows.
        var eventsFile: String
        /// The first chunk of the raw file that the events file does not cover.
        var firstRawChunk: Int
    }

    /// Accepted deliveries of events and observations sources, by source then path.
    private(set) var deliveries: [Delivery] = []
    /// The deliveries whose stored result is kept.
    private(set) var kept: Set<Int64> = []

    init(_ db: Database, pipeline: Pipeline, workspace: Workspace) throws {
        let settings = NormalizeInputs.settingsKey(pipeline)
        let stored = Dictionary(
            uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT delivery_id, input_key FROM normalize_inputs").map {
                ($0["delivery_id"] as Int64, $0["input_key"] as String)
            })
        let eventFiles = Dictionary(
            try StoreFiles.entries(db, kind: EventColumns.normalizedKind).compactMap { entry in
                entry.deliveryID.map { ($0, entry.name) }
            }
        ) { first, _ in first }
        let rawFiles = Dictionary(
            try StoreFiles.entries(db, kind: EventColumns.rawKind).compactMap { entry in
                entry.deliveryID.map { ($0, entry.name) }
            }
        ) { first, _ in first }
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT id, source_id, path, sha256, config_sha256 FROM deliveries
                WHERE status = 'accepted' ORDER BY source_id, path
                """)
        for source in pipeline.sources where source.kind != .measureReports {
            for row in rows where row["source_id"] == source.id {
                let id: Int64 = row["id"]
                let path: String = row["path"]
                let key = NormalizeInputs.sha256(
                    [settings, "\(id)", source.id, path, row["sha256"] as String, row["config_sha256"] as String]
                        .joined(separator: "|"))
                let settingsKey = NormalizeInputs.sha256(
                    [settings, "\(id)", source.id, path, row["config_sha256"] as String].joined(separator: "|"))
                var delivery = Delivery(id: id, sourceID: source.id, path: path, key: key, settingsKey: settingsKey)
                let hasResult = source.kind == .observations || eventFiles[id] != nil
                if stored[id] == key, hasResult {
                    kept.insert(id)
                } else if let eventsFile = eventFiles[id], let rawFile = rawFiles[id] {
                    delivery.extending = Self.extending(
                        eventsFile: eventsFile, rawFile: rawFile, settingsKey: settingsKey, workspace: workspace)
                }
                deliveries.append(delivery)
            }
        }
        eventSources = Set(pipeline.sources.filter { $0.kind == .events }.map(\.id))
        observationsRedone = redoesObservations(pipeline)
    }

    /// How a delivery's events file is extended, or nil when it is normalized anew: its raw file continues
    /// (``EventColumns/continuesKey``) the raw file its events file was normalized from, with the same
    /// settings key.
    static func extending(eventsFile: String, rawFile: String, settingsKey: String, workspace: Workspace)
        -> Extension?
    {
        guard let events = try? ColumnFileReader(path: workspace.storePath(eventsFile)).footer,
            let raw = try? ColumnFileReader(path: workspace.storePath(rawFile)).footer,
            let continued = raw.metadata[EventColumns.continuesKey],
            events.metadata[EventColumns.rawFileKey] == continued,
            events.metadata[EventColumns.settingsKey] == settingsKey,
            let continuedRows = raw.metadata[EventColumns.continuedRowsKey].flatMap({ Int($0) })
        else { return nil }
        // The continued raw file's chunks begin the raw file; the events file covers exactly those.
        var rows = 0
        var chunk = 0
        while rows < continuedRows, chunk < raw.chunks.count {
            rows += raw.chunks[chunk].rows
            chunk += 1
        }
        guard rows == continuedRows else { return nil }
        return Extension(eventsFile: eventsFile, firstRawChunk: chunk)
    }

    /// The deliveries of `source` to normalize again.
    func redone(_ source: SourceSpec) -> [Delivery] {
        deliveries.filter { $0.sourceID == source.id && !kept.contains($0.id) }
    }

    /// The deliveries of `source` that keep their result.
    func keptCount(_ source: SourceSpec) -> Int {
        deliveries.filter { $0.sourceID == source.id && kept.contains($0.id) }.count
    }

    /// True when some observations are normalized again.
    func redoesObservations(_ pipeline: Pipeline) -> Bool {
        pipeline.sources.contains { $0.kind == .observations && !redone($0).isEmpty }
    }

    /// The events sources' ids.
    private var eventSources: Set<String> = []
    /// True when some observations delivery is normalized again.
    private var observationsRedone = false

    /// Drops every result that is not kept: normalize's quarantine rows, observations, events column files
    /// and stored keys of the deliveries normalized again or gone.
    func dropOthers(_ db: Database) throws {
        try db.execute(
            sql: """
                DROP TABLE IF EXISTS temp.kept_deliveries;
                CREATE TEMP TABLE kept_deliveries (id INTEGER PRIMARY KEY);
                """)
        let insert = try db.cachedStatement(sql: "INSERT INTO temp.kept_deliveries (id) VALUES (?)")
        for id in kept.sorted() { try insert.execute(arguments: [id]) }
        // An extended delivery keeps its quarantine rows and its events file (replaced once it is extended).
        for delivery in deliveries where delivery.extending != nil { try insert.execute(arguments: [delivery.id]) }
        let notKept = "(delivery_id IS NULL OR delivery_id NOT IN (SELECT id FROM temp.kept_deliveries))"
        // Reading every observation to find none to drop costs a tenth of a second at national scale: the
        // observations are scanned only when an observations delivery is normalized again or a delivery
        // normalized before (of any kind but a current events delivery) is gone.
        let eventDeliveries = Set(deliveries.filter { eventSources.contains($0.sourceID) }.map(\.id))
        let gone = try Int64.fetchAll(db, sql: "SELECT delivery_id FROM normalize_inputs").filter {
            !kept.contains($0) && !eventDeliveries.contains($0)
        }
        if observationsRedone || !gone.isEmpty {
            try db.execute(sql: "DELETE FROM observations WHERE \(notKept)")
        }
        try db.execute(
            sql: """
                DELETE FROM quarantine WHERE stage = 'normalize' AND \(notKept);
                DELETE FROM store_files WHERE kind = ? AND \(notKept);
                DELETE FROM normalize_inputs WHERE \(notKept);
                DROP TABLE temp.kept_deliveries;
                """,
            arguments: [EventColumns.normalizedKind])
    }

    /// Stores the keys of the deliveries normalized again.
    func recordRedone(_ db: Database) throws {
        let insert = try db.cachedStatement(
            sql: "INSERT OR REPLACE INTO normalize_inputs (delivery_id, input_key) VALUES (?, ?)")
        for delivery in deliveries where !kept.contains(delivery.id) {
            try insert.execute(arguments: [delivery.id, delivery.key])
        }
    }

    /// Lists the events column files in the order of a run from scratch (sources in the pipeline's order,
    /// then deliveries by path), whichever run wrote them.
    func orderEventFiles(_ db: Database, pipeline: Pipeline) throws {
        let entries = try StoreFiles.entries(db, kind: EventColumns.normalizedKind)
        let order = Dictionary(uniqueKeysWithValues: deliveries.enumerated().map { ($0.element.id, $0.offset) })
        let sorted = entries.sorted { (order[$0.deliveryID ?? -1] ?? .max) < (order[$1.deliveryID ?? -1] ?? .max) }
        try StoreFiles.unregisterAll(db, kind: EventColumns.normalizedKind)
        for entry in sorted {
            try StoreFiles.register(
                db, name: entry.name, kind: entry.kind, sourceID: entry.sourceID, deliveryID: entry.deliveryID,
                rows: entry.rows)
        }
    }
}
