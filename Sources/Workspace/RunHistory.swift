import Foundation
import GRDB
import LagesbildModel

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
public struct StageRunRecord: Sendable, Hashable, Codable, FetchableRecord, TableRecord {
    public static let databaseTableName = "stage_runs"

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

    enum CodingKeys: String, CodingKey {
        case id
        case runID = "run_id"
        case stage
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case status
        case rowsIn = "rows_in"
        case rowsOut = "rows_out"
        case rowsQuarantined = "rows_quarantined"
        case message, fingerprint, inputs
    }
}

/// One row of `runs`.
public struct RunRecord: Sendable, Hashable, Codable, FetchableRecord, TableRecord {
    public static let databaseTableName = "runs"

    public var id: Int64
    public var startedAt: String
    public var finishedAt: String?
    public var status: String
    public var exitCode: Int?
    public var command: String
    public var message: String?

    enum CodingKeys: String, CodingKey {
        case id
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case status
        case exitCode = "exit_code"
        case command, message
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

    /// Records the start of a stage run (`stage` is the stage's name) and returns its id.
    public func beginStage(named stage: String, runID: Int64) throws -> Int64 {
        try database.write { db in
            try db.execute(
                sql: "INSERT INTO stage_runs (run_id, stage, started_at, status) VALUES (?, ?, ?, 'running')",
                arguments: [runID, stage, isoTimestamp()])
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
    public func lastPublished(ofStageNamed stage: String) throws -> StageRunRecord? {
        try database.read { db in
            try StageRunRecord.fetchOne(
                db,
                sql: """
                    SELECT s.* FROM stage_runs s JOIN runs r ON r.id = s.run_id
                    WHERE s.stage = ? AND s.status IN ('succeeded', 'skipped') AND r.status = 'succeeded'
                    ORDER BY s.id DESC LIMIT 1
                    """,
                arguments: [stage])
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
            for finding in findings {
                var record = GateResultRecord(
                    runID: runID, gate: finding.gate, status: finding.status,
                    message: PersonalNumberMask.mask(finding.message), indicatorID: finding.indicator,
                    areaCode: finding.area, period: finding.period, changePct: finding.changePercent)
                try record.insert(db)
            }
        }
    }

    public func recordGate(runID: Int64, gate: String, status: String, message: String) throws {
        try database.write { db in
            var record = GateResultRecord(
                runID: runID, gate: gate, status: status, message: PersonalNumberMask.mask(message))
            try record.insert(db)
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

    /// The most recent runs, newest first.
    public func recentRuns(limit: Int = 20) throws -> [RunRecord] {
        try database.read { db in
            try RunRecord.fetchAll(db, sql: "SELECT * FROM runs ORDER BY id DESC LIMIT ?", arguments: [limit])
        }
    }
}
