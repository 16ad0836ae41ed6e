import Foundation
import GRDB
import PipelineModel
import Publish
import Report
import Workspace

/// Writes the HTML lägesbild from what the workspace holds (`lagesbild report`), without running a stage.
public enum ReportWriter {
    /// Writes the report to `path` (atomically) and returns the path.
    @discardableResult
    public static func write(pipeline: Pipeline, directory: String, to path: String) throws -> String {
        let workspace = try Workspace(directory: directory, create: false)
        guard try workspace.lastPublished(of: .aggregate) != nil else {
            throw UsageError("the workspace has no computed indicators yet: run `lagesbild run` first")
        }
        let runID = try workspace.recentRuns(limit: 1).first?.id ?? 0
        let data = try workspace.database.read { db in
            try ReportBuilder(db: db, pipeline: pipeline, runID: runID).build()
        }
        try AtomicFile.write(Data(ReportRenderer.render(data).utf8), to: path)
        return path
    }
}
