import GRDB
import Workspace

/// What `lagesbild runs` lists: past runs with what ran or was skipped, row counts, gates, duration and
/// exit status.
public struct RunHistoryReport: Sendable, Codable {
    public struct StageLine: Sendable, Codable {
        public var stage: String
        public var status: String
        public var rowsIn: Int
        public var rowsOut: Int
        public var rowsQuarantined: Int
        public var message: String?
    }

    public struct GateLine: Sendable, Codable {
        public var gate: String
        public var status: String
        public var message: String
        public var indicator: String?
        public var area: String?
        public var period: String?
        public var changePercent: Double?
    }

    public struct RunLine: Sendable, Codable {
        public var id: Int64
        public var command: String
        public var startedAt: String
        public var finishedAt: String?
        public var seconds: Double?
        public var status: String
        public var exitCode: Int?
        public var message: String?
        public var stages: [StageLine]
        public var gates: [GateLine]
    }

    public var workspace: String
    public var runs: [RunLine]

    /// The `limit` most recent runs, newest first.
    public static func read(directory: String, limit: Int = 20) throws -> RunHistoryReport {
        let workspace = try Workspace(directory: directory, create: false)
        let running = WorkspaceLock.currentHolder(directory: workspace.directory) != nil
        let runs = try workspace.database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT *, (julianday(finished_at) - julianday(started_at)) * 86400.0 AS seconds
                    FROM runs ORDER BY id DESC LIMIT ?
                    """,
                arguments: [limit]
            ).map { row in
                let id: Int64 = row["id"]
                let stages = try StageRunRecord.filter(Column("run_id") == id).order(Column("id")).fetchAll(db).map {
                    StageLine(
                        stage: $0.stage, status: RunStatus.shown($0.status, lockHeld: running), rowsIn: $0.rowsIn,
                        rowsOut: $0.rowsOut, rowsQuarantined: $0.rowsQuarantined, message: $0.message)
                }
                let gates = try GateResultRecord.filter(Column("run_id") == id).order(Column("id")).fetchAll(db).map {
                    GateLine(
                        gate: $0.gate, status: $0.status, message: $0.message, indicator: $0.indicatorID,
                        area: $0.areaCode, period: $0.period, changePercent: $0.changePct)
                }
                return RunLine(
                    id: id, command: row["command"], startedAt: row["started_at"], finishedAt: row["finished_at"],
                    seconds: row["seconds"], status: RunStatus.shown(row["status"], lockHeld: running),
                    exitCode: row["exit_code"], message: row["message"],
                    stages: stages, gates: gates)
            }
        }
        return RunHistoryReport(workspace: workspace.directory, runs: runs)
    }
}
