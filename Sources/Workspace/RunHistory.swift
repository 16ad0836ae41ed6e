import Foundation
import GRDB
import LagesbildModel

/// The stages, in the order data flows through them.
public enum Stage: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    case ingest
    case normalize
    case aggregate
    case publish

    /// The stage whose output this stage reads, if any.
    public var previous: Stage? {
        switch self {
        case .ingest: return nil
        case .normalize: return .ingest
        case .aggregate: return .normalize
        case .publish: return .aggregate
        }
    }

    public static func < (lhs: Stage, rhs: Stage) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// How a run or a stage run ended.
public enum RunStatus: String, Sendable, Hashable, Codable {
    case running
    case succeeded
    case failed
    case skipped
    /// The process ended (killed) while it was running.
    case interrupted

    /// The status to show for a recorded `status`: a run recorded as running while nobody holds the
    /// workspace lock has died (killed, or its machine stopped), and is shown as interrupted.
    public static func shown(_ status: String, lockHeld: Bool) -> String {
        status == RunStatus.running.rawValue && !lockHeld ? RunStatus.interrupted.rawValue : status
    }
}

/// One row of `stage_runs`.
public struct StageRunRecord: Sendable, Hashable, Codable, FetchableRecord {
    public var id: Int64
    public var runID: Int64
    public var stage: String
    public var startedAt: String
    public var finishedAt: String?
    public var status: String
    public var rowsIn: Int
    public var rowsOut: Int
    public var rowsQuarantined: Int
    public var message: String?
    /// The fingerprint of the stage's inputs, and its parts (name → hash) as JSON.
    public var fingerprint: String?
    public var inputs: String?

    public init(row: Row) {
        fingerprint = row["fingerprint"]
        inputs = row["inputs"]
        id = row["id"]
        runID = row["run_id"]
        stage = row["stage"]
        startedAt = row["started_at"]
        finishedAt = row["finished_at"]
        status = row["status"]
        rowsIn = row["rows_in"]
        rowsOut = row["rows_out"]
        rowsQuarantined = row["rows_quarantined"]
        message = row["message"]
    }
}

/// One row of `runs`.
public struct RunRecord: Sendable, Hashable, Codable, FetchableRecord {
    public var id: Int64
    public var startedAt: String
    public var finishedAt: String?
    public var status: String
    public var exitCode: Int?
    public var command: String
    public var message: String?

    public init(row: Row) {
        id = row["id"]
        startedAt = row["started_at"]
        finishedAt = row["finished_at"]
        status = row["status"]
        exitCode = row["exit_code"]
        command = row["command"]
        message = row["message"]
    }
}

/// What a stage reports when it ends.
public struct StageCounts: Sendable, Hashable {
    public var rowsIn: Int
    public var rowsOut: Int
    public var rowsQuarantined: Int
    /// What the stage could not do without failing (an optional output that failed). A stage that warns is not
    /// skipped by the next run, so that it tries again.
    public var warnings: [String]

    public init(rowsIn: Int = 0, rowsOut: Int = 0, rowsQuarantined: Int = 0, warnings: [String] = []) {
        self.rowsIn = rowsIn
        self.rowsOut = rowsOut
        self.rowsQuarantined = rowsQuarantined
        self.warnings = warnings
    }
}

extension Workspace {
    /// Records the start of a run and returns its id.
    public func beginRun(command: String, pipeline: String, toolVersion: String) throws -> Int64 {
        try database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO runs (started_at, status, command, pipeline, tool_version)
                    VALUES (?, 'running', ?, ?, ?)
                    """,
                arguments: [isoTimestamp(), command, pipeline, toolVersion])
            return db.lastInsertedRowID
        }
    }

    /// Records how a run ended.
    public func finishRun(_ id: Int64, status: RunStatus, exitCode: Int32, message: String?) throws {
        try database.write { db in
            try db.execute(
                sql: "UPDATE runs SET finished_at = ?, status = ?, exit_code = ?, message = ? WHERE id = ?",
                arguments: [isoTimestamp(), status.rawValue, Int(exitCode), message.map(PersonalNumberMask.mask), id])
        }
    }

    /// Records the start of a stage run and returns its id.
    public func beginStage(_ stage: Stage, runID: Int64) throws -> Int64 {
        try database.write { db in
            try db.execute(
                sql: "INSERT INTO stage_runs (run_id, stage, started_at, status) VALUES (?, ?, ?, 'running')",
                arguments: [runID, stage.rawValue, isoTimestamp()])
            return db.lastInsertedRowID
        }
    }

    /// Records how a stage run ended, with the fingerprint of its inputs.
    public func finishStage(
        _ id: Int64, status: RunStatus, counts: StageCounts, message: String?, fingerprint: String? = nil,
        inputs: String? = nil
    ) throws {
        try database.write { db in
            try db.execute(
                sql: """
                    UPDATE stage_runs SET finished_at = ?, status = ?, rows_in = ?, rows_out = ?,
                        rows_quarantined = ?, message = ?, fingerprint = ?, inputs = ?
                    WHERE id = ?
                    """,
                arguments: [
                    isoTimestamp(), status.rawValue, counts.rowsIn, counts.rowsOut, counts.rowsQuarantined,
                    message.map(PersonalNumberMask.mask), fingerprint, inputs, id,
                ])
        }
    }

    /// The latest run of `stage` whose output is in the database: it succeeded (or was skipped as
    /// unchanged) in a run that succeeded, so its output was promoted.
    public func lastPublished(of stage: Stage) throws -> StageRunRecord? {
        try database.read { db in
            try StageRunRecord.fetchOne(
                db,
                sql: """
                    SELECT s.* FROM stage_runs s JOIN runs r ON r.id = s.run_id
                    WHERE s.stage = ? AND s.status IN ('succeeded', 'skipped') AND r.status = 'succeeded'
                    ORDER BY s.id DESC LIMIT 1
                    """,
                arguments: [stage.rawValue])
        }
    }

    /// Records the result of a validation gate.
    /// One finding of a gate, for ``recordGates(runID:_:)``.
    public struct GateFinding: Sendable {
        public var gate: String
        public var status: String
        public var message: String
        public var indicator: String?
        public var area: String?
        public var period: String?
        public var changePercent: Double?

        public init(
            gate: String, status: String, message: String, indicator: String? = nil, area: String? = nil,
            period: String? = nil, changePercent: Double? = nil
        ) {
            self.gate = gate
            self.status = status
            self.message = message
            self.indicator = indicator
            self.area = area
            self.period = period
            self.changePercent = changePercent
        }
    }

    /// Records every finding of a run's gates in one transaction, one row each.
    public func recordGates(runID: Int64, _ findings: [GateFinding]) throws {
        guard !findings.isEmpty else { return }
        try database.write { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO gate_results (run_id, gate, status, message, indicator_id, area_code, period, change_pct)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for finding in findings {
                try statement.execute(arguments: [
                    runID, finding.gate, finding.status, PersonalNumberMask.mask(finding.message), finding.indicator,
                    finding.area, finding.period, finding.changePercent,
                ])
            }
        }
    }

    public func recordGate(runID: Int64, gate: String, status: String, message: String) throws {
        try database.write { db in
            try db.execute(
                sql: "INSERT INTO gate_results (run_id, gate, status, message) VALUES (?, ?, ?, ?)",
                arguments: [runID, gate, status, PersonalNumberMask.mask(message)])
        }
    }

    /// Marks runs left `running` by a process that is gone (killed) as interrupted.
    public func markInterruptedRuns() throws {
        try database.write { db in
            try db.execute(
                sql: """
                    UPDATE stage_runs SET status = 'interrupted', finished_at = coalesce(finished_at, ?)
                    WHERE status = 'running'
                    """,
                arguments: [isoTimestamp()])
            try db.execute(
                sql: """
                    UPDATE runs SET status = 'interrupted', message = 'the process ended without finishing the run'
                    WHERE status = 'running'
                    """)
        }
    }

    /// The latest run of each stage, in stage order.
    public func lastStageRuns() throws -> [StageRunRecord] {
        try database.read { db in
            try StageRunRecord.fetchAll(
                db,
                sql: """
                    SELECT * FROM stage_runs WHERE id IN (SELECT max(id) FROM stage_runs GROUP BY stage)
                    """
            ).sorted { (Stage(rawValue: $0.stage) ?? .publish) < (Stage(rawValue: $1.stage) ?? .publish) }
        }
    }

    /// The most recent runs, newest first.
    public func recentRuns(limit: Int = 20) throws -> [RunRecord] {
        try database.read { db in
            try RunRecord.fetchAll(db, sql: "SELECT * FROM runs ORDER BY id DESC LIMIT ?", arguments: [limit])
        }
    }
}
