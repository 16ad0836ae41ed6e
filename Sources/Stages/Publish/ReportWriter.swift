import Foundation
import GRDB
import PipelineModel
import Report
import StageKit
import Workspace

/// Writes the HTML lägesbild from what the workspace holds (`lagesbild report`), without running a stage: the
/// publish stage's second door, for the report alone.
public enum ReportWriter {
    /// What `write` wrote, and which run's results it shows.
    public struct Written: Sendable, Hashable {
        public var path: String
        /// The run whose results the report shows: the last one that published successfully (or, when none
        /// has published yet, the last one that computed the indicators).
        public var runID: Int64
        /// When that run finished the stage (UTC, as the run history stores it).
        public var finishedAt: String?
        /// Whether that run published (false: it computed the indicators, and nothing is published yet).
        public var published: Bool
        /// The newest run, when it came after the shown one and did not succeed (failed, interrupted, still
        /// running): its results are not in the report, which shows the last successful run's.
        public var newerUnsuccessfulRun: RunRecord?
    }

    /// Writes the report to `path` (atomically).
    @discardableResult
    public static func write(pipeline: Pipeline, directory: String, to path: String) throws -> Written {
        let workspace = try Workspace(directory: directory, create: false)
        guard let computed = try workspace.lastPublished(of: .aggregate) else {
            throw StagePrerequisiteError(stage: .publish, missing: .aggregate, workspace: directory)
        }
        // The workspace holds what the last successful run computed; a failed or later partial run left
        // it as it was, so the run to name is the last successful one, not the most recent.
        let published = try workspace.lastPublished(of: .publish)
        let shown = published.map { $0.runID >= computed.runID ? $0 : computed } ?? computed
        let report = try workspace.database.read { db in
            try LagesbildReport.html(db: db, pipeline: pipeline, runID: shown.runID)
        }
        try AtomicFile.write(Data(report.html.utf8), to: path)
        let newest = try workspace.recentRuns(limit: 1).first
        return Written(
            path: path, runID: shown.runID, finishedAt: shown.finishedAt ?? shown.startedAt,
            published: shown.stage == Stage.publish.rawValue,
            newerUnsuccessfulRun: newest.flatMap {
                $0.id > shown.runID && $0.status != RunStatus.succeeded.rawValue ? $0 : nil
            })
    }
}
