import GRDB
import LagesbildModel
import Workspace

/// The stages, in the order data flows through them.
public enum Stage: String, StoredWord, Codable, Comparable {
    public static let storedName = "stage"

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

extension Workspace {
    /// Records the start of a stage run and returns its id.
    public func beginStage(_ stage: Stage, runID: Int64) throws -> Int64 {
        try beginStage(named: stage.rawValue, runID: runID)
    }

    /// The latest run of `stage` whose output is in the database: it succeeded (or was skipped as
    /// unchanged) in a run that succeeded, so its output was promoted.
    public func lastPublished(of stage: Stage) throws -> StageRunRecord? {
        try lastPublished(ofStageNamed: stage.rawValue)
    }

    /// The latest run of each stage, in stage order.
    public func lastStageRuns() throws -> [StageRunRecord] {
        try database.read { db in
            try StageRunRecord.fetchAll(
                db,
                sql: """
                    SELECT * FROM stage_runs WHERE id IN (SELECT max(id) FROM stage_runs GROUP BY stage)
                    """
            ).map { (stage: try Stage(stored: $0.stage), run: $0) }.sorted { $0.stage < $1.stage }.map(\.run)
        }
    }
}
