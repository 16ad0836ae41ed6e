import Foundation
import GRDB
import LagesbildModel
import Logging
import PipelineModel
import StageKit
import Workspace

/// Normalize: checks codes, areas and periods against the code lists and writes the events column
/// files (one per delivery) and `observations`, and checks the measures' status reports against the
/// action plan (`measure_reports`); what cannot be normalized is quarantined with the reason. A delivery
/// whose rows and settings are unchanged keeps the result of the run that normalized it
/// (``DeliveryReuse``).
public struct NormalizeStage: PipelineStage {
    public var stage: Stage { .normalize }

    public init() {}

    public func run(_ context: StageContext) throws -> StageCounts {
        let lists = try LoadedCodeLists(context.pipeline.codeLists, sources: context.pipeline.sources)
        var counts = StageCounts()
        var failures: [String] = []
        try context.workspace.database.write { db in
            // The code list tables are written again only when a list or setting changed: their content is a
            // function of what the settings key hashes (a tenth of a second for the national sample's lists).
            let listsKey = NormalizeInputs.settingsKey(context.pipeline)
            let listsStored = try String.fetchOne(db, sql: "SELECT key FROM code_lists_key") == listsKey
            if !listsStored {
                for table in [
                    "codelist_crime_codes", "codelist_crime_categories", "codelist_areas", "codelist_deso_crosswalk",
                    "codelist_event_types", "codelist_event_categories", "code_lists_key",
                ] {
                    try db.execute(sql: "DELETE FROM \(table)")
                }
            }
            try db.execute(sql: "DELETE FROM measure_reports")
            // Each unchanged delivery keeps its result; the others' results are dropped and computed again.
            let reuse = try DeliveryReuse(db, pipeline: context.pipeline, workspace: context.workspace)
            try reuse.dropOthers(db)
            if reuse.redoesObservations(context.pipeline) {
                // The index is built once after the rows are in: cheaper than keeping it up to date row by row.
                try db.execute(sql: ObservationsIndex.drop)
            }
            if !listsStored {
                try lists.store(db)
                try db.execute(sql: "INSERT INTO code_lists_key (key) VALUES (?)", arguments: [listsKey])
            }
            let normalizer = RecordNormalizer(lists: lists)
            let progress = ProgressCounter(
                stage: .normalize, total: Int64(try Self.rowsToNormalize(db, reuse: reuse)), unit: .rows,
                reporter: context.progress)
            defer { progress.finish() }
            // The events files are normalized on every core in the background while the observations are
            // normalized here, in the database; then the events files are recorded, source by source.
            let events = EventNormalizer(
                pipeline: context.pipeline, normalizer: normalizer, workspace: context.workspace, progress: progress)
            var pendingEvents: [String: Parallel.Pending<EventNormalizer.FileResult>] = [:]
            for source in context.pipeline.sources where source.kind == .events {
                pendingEvents[source.id] = try events.start(db, source: source, deliveries: reuse.redone(source))
            }
            defer { for pending in pendingEvents.values { _ = pending.wait() } }  // never leave them running
            let order =
                context.pipeline.sources.filter { $0.kind != .events }
                + context.pipeline.sources.filter {
                    $0.kind == .events
                }
            for source in order {
                var quarantine = try QuarantineWriter(db: db, stage: .normalize, sourceID: source.id, deliveryID: nil)
                let sourceCounts: StageCounts
                switch source.kind {
                case .events:
                    sourceCounts = try events.record(
                        db, pendingEvents[source.id]!.wait(), source: source, quarantine: &quarantine)
                case .observations:
                    let redone = reuse.redone(source).map(\.id)
                    sourceCounts =
                        redone.isEmpty
                        ? StageCounts()
                        : try normalizer.normalizeObservations(
                            db, source: source, deliveries: redone, quarantine: &quarantine)
                    progress.add(Int64(sourceCounts.rowsIn), rows: Int64(sourceCounts.rowsIn))
                case .measureReports:
                    sourceCounts = try MeasureReportNormalizer(plan: context.pipeline.actionPlan)
                        .normalize(db, source: source, quarantine: &quarantine)
                    progress.add(Int64(sourceCounts.rowsIn), rows: Int64(sourceCounts.rowsIn))
                }
                context.logger.info(
                    "normalized",
                    metadata: [
                        "source": "\(source.id)", "counting": "\(source.kind == .observations ? "values" : "rows")",
                        "in": "\(sourceCounts.rowsIn)", "out": "\(sourceCounts.rowsOut)",
                        "quarantined": "\(sourceCounts.rowsQuarantined)",
                        "deliveries_kept": "\(reuse.keptCount(source))",
                    ])
            }
            try reuse.recordRedone(db)
            try reuse.orderEventFiles(db, pipeline: context.pipeline)
            try DeliveryCounts.recordNormalize(db)
            let sourceIDs = context.pipeline.sources.map(\.id)
            for source in context.pipeline.sources {
                failures += try Self.filesOverLimit(db, source: source)
            }
            counts = try Self.rowCounts(db, sourceIDs: sourceIDs)
            try db.execute(sql: ObservationsIndex.create)
        }
        if !failures.isEmpty {
            throw StageDataError(stage: .normalize, message: failures.joined(separator: "\n"))
        }
        return counts
    }

    /// About the rows (values) normalize reads this run, for the progress line: those of the accepted
    /// deliveries normalized again (status reports included).
    static func rowsToNormalize(_ db: Database, reuse: DeliveryReuse) throws -> Int {
        try Row.fetchAll(
            db, sql: "SELECT id, coalesce(values_read, rows_accepted) AS n FROM deliveries WHERE status = 'accepted'"
        ).filter { !reuse.kept.contains($0["id"]) }.map { $0["n"] as Int }.reduce(0, +)
    }

    /// The files of `source` whose quarantined rows, ingest's and normalize's together, exceed its
    /// `quarantine_limit`, in words.
    static func filesOverLimit(_ db: Database, source: SourceSpec) throws -> [String] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM deliveries WHERE source_id = ? AND status = 'accepted' ORDER BY path",
            arguments: [source.id]
        ).compactMap { row in
            let counts = DeliveryCounts(row: row)
            guard !source.quarantineLimit.allows(quarantined: counts.rowsQuarantined, read: counts.rowsRead) else {
                return nil
            }
            let name = row["file_name"] as String
            return "source \(source.id), file \(name): \(counts.rowsQuarantined) of \(counts.rowsRead) rows "
                + "quarantined (\(counts.quarantinedInIngest) in ingest, \(counts.quarantinedInNormalize) in normalize), "
                + "more than the limit of \(source.quarantineLimit); see "
                + "`lagesbild quarantine --source \(source.id) --file \(name)`"
        }
    }

    /// The stage's rows: those of the accepted files (what ingest accepted), and how many of them
    /// normalize quarantined (a wide row once, however many of its values).
    static func rowCounts(_ db: Database, sourceIDs: [String]) throws -> StageCounts {
        let placeholders = sourceIDs.map { _ in "?" }.joined(separator: ", ")
        let row = try Row.fetchOne(
            db,
            sql: """
                SELECT coalesce(sum(rows_accepted), 0) AS rows_in,
                    coalesce(sum(normalize_rows_quarantined), 0) AS quarantined
                FROM deliveries WHERE status = 'accepted' AND source_id IN (\(placeholders))
                """,
            arguments: StatementArguments(sourceIDs))
        var counts = StageCounts()
        counts.rowsIn = row?["rows_in"] ?? 0
        counts.rowsQuarantined = row?["quarantined"] ?? 0
        counts.rowsOut = counts.rowsIn - counts.rowsQuarantined
        return counts
    }
}
