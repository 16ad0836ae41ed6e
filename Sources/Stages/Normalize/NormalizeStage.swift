import Foundation
import GRDB
import LagesbildModel
import Logging
import PipelineModel
import StageKit
import Workspace

/// Normalize: checks codes, areas and periods against the code lists and writes the events column
/// files and `observations`, and checks the measures' status reports against the action plan
/// (`measure_reports`); what cannot be normalized is quarantined with the reason.
public struct NormalizeStage: PipelineStage {
    public var stage: Stage { .normalize }

    public init() {}

    public func run(_ context: StageContext) throws -> StageCounts {
        let lists = try LoadedCodeLists(context.pipeline.codeLists, sources: context.pipeline.sources)
        var counts = StageCounts()
        var failures: [String] = []
        try context.workspace.database.write { db in
            for table in [
                "codelist_crime_codes", "codelist_crime_categories", "codelist_areas", "codelist_deso_crosswalk",
                "codelist_event_types", "codelist_event_categories", "observations", "measure_reports",
            ] {
                try db.execute(sql: "DELETE FROM \(table)")
            }
            try StoreFiles.unregisterAll(db, kind: EventColumns.normalizedKind)
            try db.execute(sql: "DELETE FROM quarantine WHERE stage = 'normalize'")
            // The index is built once after the rows are in: cheaper than keeping it up to date row by row.
            try db.execute(sql: "DROP INDEX IF EXISTS observations_by_measure")
            try lists.store(db)
            let normalizer = RecordNormalizer(lists: lists)
            let total =
                try StoreFiles.totalRows(db, kind: EventColumns.rawKind)
                + (Int.fetchOne(db, sql: "SELECT count(*) FROM raw_observations") ?? 0)
                + (Int.fetchOne(db, sql: "SELECT count(*) FROM raw_measure_reports") ?? 0)
            let progress = ProgressCounter(
                stage: .normalize, total: Int64(total), unit: .rows, reporter: context.progress)
            defer { progress.finish() }
            for source in context.pipeline.sources {
                var quarantine = try QuarantineWriter(db: db, stage: .normalize, sourceID: source.id, deliveryID: nil)
                let sourceCounts: StageCounts
                switch source.kind {
                case .events:
                    sourceCounts = try EventNormalizer(
                        pipeline: context.pipeline, normalizer: normalizer, workspace: context.workspace,
                        progress: progress
                    ).normalize(db, source: source, quarantine: &quarantine)
                case .observations:
                    sourceCounts = try normalizer.normalizeObservations(db, source: source, quarantine: &quarantine)
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
                    ])
            }
            try DeliveryCounts.recordNormalize(db)
            let sourceIDs = context.pipeline.sources.map(\.id)
            for source in context.pipeline.sources {
                failures += try Self.filesOverLimit(db, source: source)
            }
            counts = try Self.rowCounts(db, sourceIDs: sourceIDs)
            try db.execute(sql: "CREATE INDEX observations_by_measure ON observations(measure, area_code, year)")
        }
        if !failures.isEmpty {
            throw StageDataError(stage: .normalize, message: failures.joined(separator: "\n"))
        }
        return counts
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
