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
                let stages = try Row.fetchAll(
                    db, sql: "SELECT * FROM stage_runs WHERE run_id = ? ORDER BY id", arguments: [id]
                ).map { stage in
                    StageLine(
                        stage: stage["stage"], status: RunStatus.shown(stage["status"], lockHeld: running),
                        rowsIn: stage["rows_in"],
                        rowsOut: stage["rows_out"], rowsQuarantined: stage["rows_quarantined"],
                        message: stage["message"])
                }
                let gates = try Row.fetchAll(
                    db, sql: "SELECT * FROM gate_results WHERE run_id = ? ORDER BY id", arguments: [id]
                ).map {
                    GateLine(
                        gate: $0["gate"], status: $0["status"], message: $0["message"], indicator: $0["indicator_id"],
                        area: $0["area_code"], period: $0["period"], changePercent: $0["change_pct"])
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
