import Foundation
import GRDB
import Report

/// The summary's parts that come from the action plan and from the previous report.
extension ReportBuilder {
    /// The action plan's problems in priority order, each with its targets' judgements in this run.
    static func summaryProblems(_ followUp: FollowUpReportData) -> [SummaryProblem] {
        let statuses = Dictionary(
            followUp.targets.map { ($0.id, $0.followUp.status) }, uniquingKeysWith: { first, _ in first })
        return followUp.problems.sorted { $0.priority < $1.priority }.map { problem in
            SummaryProblem(
                priority: problem.priority, title: problem.title, areas: problem.areas,
                targetStatuses: problem.targetIDs.compactMap { statuses[$0] })
        }
    }

    /// What is new since the last report published before this run: the deliveries this run used that came
    /// or changed after it (accepted ones, up to this run's end), and the targets whose judgement changed. Nil when no report was published before.
    func sinceLast(_ followUp: FollowUpReportData) throws -> SinceLastReport? {
        guard
            let previous = try Row.fetchOne(
                db,
                sql: """
                    SELECT run_id, finished_at FROM stage_runs
                    WHERE stage = 'publish' AND status = 'succeeded' AND run_id < ? AND finished_at IS NOT NULL
                    ORDER BY run_id DESC LIMIT 1
                    """,
                arguments: [runID]),
            let previousRun: Int64 = previous["run_id"], let finished: String = previous["finished_at"]
        else { return nil }
        let deliveries = try Row.fetchAll(
            db,
            sql: """
                SELECT source_id, file_name FROM deliveries
                WHERE status = 'accepted' AND ingested_at > ?
                    AND ingested_at <= coalesce((SELECT finished_at FROM runs WHERE id = ?), '9999')
                ORDER BY source_id, file_name
                """,
            arguments: [finished, runID]
        ).map { row -> String in
            let sourceID: String = row["source_id"]
            let file: String = row["file_name"]
            let supplier = pipeline.sources.first { $0.id == sourceID }.map(Self.supplierName(of:))
            return supplier.map { "\(file) (\($0))" } ?? file
        }
        return SinceLastReport(
            previousRunID: String(previousRun),
            previousPublishedAt: String(finished.prefix(16)).replacingOccurrences(of: "T", with: " "),
            newDeliveries: deliveries, targetChanges: followUp.previous?.changes ?? [])
    }
}
