import GRDB
import PipelineModel
import Workspace

/// What `lagesbild status` shows: the last run of each stage and every delivery's row counts.
public struct StatusReport: Sendable, Codable {
    public struct StageLine: Sendable, Codable {
        public var stage: String
        public var status: String
        public var startedAt: String
        public var finishedAt: String?
        public var rowsIn: Int
        public var rowsOut: Int
        public var rowsQuarantined: Int
        public var message: String?
    }

    public struct DeliveryLine: Sendable, Codable {
        /// The counts as ``DeliveryCounts`` words them.
        public var counts: DeliveryCounts {
            DeliveryCounts(
                rowsRead: rowsRead, rowsAccepted: rowsAccepted, rowsQuarantined: rowsQuarantined,
                quarantinedInIngest: quarantinedInIngest, quarantinedInNormalize: quarantinedInNormalize,
                values: values)
        }

        public var source: String
        public var file: String
        public var sha256: String
        public var ingestedAt: String
        /// Rows read = rows accepted + rows quarantined, ingest's and normalize's together.
        public var rowsRead: Int
        public var rowsAccepted: Int
        public var rowsQuarantined: Int
        public var quarantinedInIngest: Int
        public var quarantinedInNormalize: Int
        /// An observations file's values (a wide row holds several); nil for other kinds.
        public var values: DeliveryCounts.ValueCounts?
        public var status: String
        public var message: String?
        /// `missing` or `empty` when the file is no longer there as delivered (its data is kept).
        public var absent: String?
        /// Lines after the table's end (`table_ends:`), skipped: not rows.
        public var linesSkipped: Int = 0
    }

    public var workspace: String
    public var stages: [StageLine]
    public var deliveries: [DeliveryLine]
    /// Each source's delivery contract and what breaks it (the delivery gate's findings).
    public var sources: [DeliveryContracts.SourceState] = []

    /// Reads the status of the workspace at `directory` (which must exist).
    public static func read(directory: String, pipeline: Pipeline? = nil) throws -> StatusReport {
        let workspace = try Workspace(directory: directory, create: false)
        let running = WorkspaceLock.currentHolder(directory: workspace.directory) != nil
        let stages = try workspace.lastStageRuns().map {
            StageLine(
                stage: $0.stage, status: RunStatus.shown($0.status, lockHeld: running), startedAt: $0.startedAt,
                finishedAt: $0.finishedAt,
                rowsIn: $0.rowsIn, rowsOut: $0.rowsOut, rowsQuarantined: $0.rowsQuarantined, message: $0.message)
        }
        let deliveries = try workspace.database.read { db in
            try DeliveryRecord.order(Column("source_id"), Column("path")).fetchAll(db).map { row in
                let counts = row.counts
                return DeliveryLine(
                    source: row.sourceID, file: row.path, sha256: row.sha256, ingestedAt: row.ingestedAt,
                    rowsRead: counts.rowsRead, rowsAccepted: counts.rowsAccepted,
                    rowsQuarantined: counts.rowsQuarantined, quarantinedInIngest: counts.quarantinedInIngest,
                    quarantinedInNormalize: counts.quarantinedInNormalize, values: counts.values,
                    status: row.status, message: row.message, absent: row.absent, linesSkipped: row.linesSkipped)
            }
        }
        let sources = try pipeline.map { pipeline in
            try workspace.database.read { try DeliveryContracts.states(pipeline, db: $0) }
        }
        return StatusReport(
            workspace: workspace.directory, stages: stages, deliveries: deliveries, sources: sources ?? [])
    }
}
