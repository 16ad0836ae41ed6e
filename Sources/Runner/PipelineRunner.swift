import Aggregate
import Foundation
import Ingest
import Logging
import Normalize
import PipelineModel
import Publish
import StageKit
import Workspace

/// The version of the tool, recorded with every run.
public let lagesbildVersion = "0.1.0"

/// What a run did.
public struct RunReport: Sendable {
    public var runID: Int64
    public var stages: [(stage: Stage, counts: StageCounts)]
    public var workspace: String
    public var databasePath: String
    public var outputDirectory: String
    /// Files the publish stage wrote, if it ran.
    public var publishedFiles: [String]
}

/// Runs stages in order against a workspace: takes the workspace lock, checks that a stage run alone
/// has its input, records each stage run in the history, and stops at the first failure.
public struct PipelineRunner: Sendable {
    public let pipeline: Pipeline
    public let workspaceDirectory: String
    public let logger: Logger

    public init(pipeline: Pipeline, workspaceDirectory: String, logger: Logger) {
        self.pipeline = pipeline
        self.workspaceDirectory = workspaceDirectory
        self.logger = logger
    }

    static func implementation(of stage: Stage) -> any PipelineStage {
        switch stage {
        case .ingest: return IngestStage()
        case .normalize: return NormalizeStage()
        case .aggregate: return AggregateStage()
        case .publish: return PublishStage()
        }
    }

    /// Runs `stages` (in pipeline order); `sourceFilter` narrows ingest to one source.
    public func run(stages requested: [Stage], sourceFilter: String? = nil, command: String) throws -> RunReport {
        let stages = Stage.allCases.filter(requested.contains)
        if let sourceFilter, pipeline.source(sourceFilter) == nil {
            let known = pipeline.sources.map(\.id).joined(separator: ", ")
            throw UsageError("unknown source '\(sourceFilter)'; the pipeline file has: \(known)")
        }
        guard let first = stages.first else { throw UsageError("no stage to run") }
        if let previous = first.previous, !Workspace.exists(directory: workspaceDirectory) {
            throw StagePrerequisiteError(stage: first, missing: previous, workspace: workspaceDirectory)
        }
        let lock = try WorkspaceLock.acquire(directory: workspaceDirectory)
        defer { lock.release() }
        let workspace = try Workspace(directory: workspaceDirectory, create: true)
        if let previous = first.previous, try workspace.lastRun(of: previous)?.status != RunStatus.succeeded.rawValue {
            throw StagePrerequisiteError(stage: first, missing: previous, workspace: workspaceDirectory)
        }
        let runID = try workspace.beginRun(command: command, pipeline: pipeline.path, toolVersion: lagesbildVersion)
        let outputDirectory = WorkspaceLocation.outputDirectory(pipeline: pipeline, workspace: workspaceDirectory)
        let context = StageContext(
            pipeline: pipeline, workspace: workspace, runID: runID, sourceFilter: sourceFilter,
            outputDirectory: outputDirectory, logger: logger)
        var report = RunReport(
            runID: runID, stages: [], workspace: workspaceDirectory, databasePath: workspace.databasePath,
            outputDirectory: outputDirectory, publishedFiles: [])
        for stage in stages {
            let stageRunID = try workspace.beginStage(stage, runID: runID)
            logger.info("stage started", metadata: ["stage": "\(stage.rawValue)"])
            do {
                let counts = try Self.implementation(of: stage).run(context)
                try workspace.finishStage(stageRunID, status: .succeeded, counts: counts, message: nil)
                report.stages.append((stage, counts))
                logger.info(
                    "stage finished",
                    metadata: [
                        "stage": "\(stage.rawValue)", "rows_in": "\(counts.rowsIn)", "rows_out": "\(counts.rowsOut)",
                        "rows_quarantined": "\(counts.rowsQuarantined)",
                    ])
            } catch {
                let status = ExitStatus.of(error)
                try? workspace.finishStage(stageRunID, status: .failed, counts: StageCounts(), message: "\(error)")
                try? workspace.finishRun(runID, status: .failed, exitCode: status.rawValue, message: "\(error)")
                throw error
            }
        }
        if stages.contains(.publish) {
            report.publishedFiles = try workspace.database.read { db in
                try String.fetchAll(db, sql: "SELECT path FROM publications ORDER BY path")
            }
        }
        try workspace.finishRun(runID, status: .succeeded, exitCode: 0, message: nil)
        return report
    }
}
