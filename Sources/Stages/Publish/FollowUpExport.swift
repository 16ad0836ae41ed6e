import Foundation
import GRDB
import PipelineModel

/// The follow-up tables published beside the indicator tables, in the same forms (CSV, Swedish Excel
/// CSV, JSON): the plan's measures, their follow-up per year, the indication of their effect, and the
/// follow-up of the targets.
enum FollowUpExport {
    /// One exported table: the file's base name and the workspace query that gives its rows.
    struct Table: Sendable {
        var name: String
        var sql: String
    }

    /// The tables a pipeline publishes: the targets' follow-up when it has targets, the measures' when it
    /// names an action plan.
    static func tables(_ pipeline: Pipeline) -> [Table] {
        var tables: [Table] = []
        if pipeline.actionPlan != nil {
            tables += [
                Table(name: "atgardsplan_atgarder", sql: "SELECT * FROM plan_measures ORDER BY id"),
                Table(
                    name: "uppfoljning_atgarder",
                    sql: "SELECT * FROM measure_followup ORDER BY measure_id, year, output_name"),
                Table(
                    name: "uppfoljning_effekter",
                    sql: "SELECT * FROM measure_effects ORDER BY measure_id, indicator_id"),
            ]
        }
        if !pipeline.targets.isEmpty {
            tables.append(Table(name: "uppfoljning_mal", sql: "SELECT * FROM followup ORDER BY target_id"))
        }
        return tables
    }

    /// The names the follow-up files use; an indicator may not have one as its id (its files would be
    /// overwritten).
    static let reservedNames: Set<String> = [
        "atgardsplan_atgarder", "uppfoljning_atgarder", "uppfoljning_effekter", "uppfoljning_mal",
    ]

    /// Appends the targets' current follow-up to `followup_history`, so the next follow-up can be compared
    /// with this one. The history is never deleted: each run's database starts as a copy of the last.
    static func recordHistory(_ db: Database, runID: Int64, at time: String) throws {
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO followup_history (run_id, published_at, target_id, status, latest_period,
                    latest_value, projected_value)
                SELECT ?, ?, target_id, status, latest_period, latest_value, projected_value FROM followup
                """,
            arguments: [runID, time])
    }
}
