import Logging
import PipelineModel
import Workspace

/// What a stage is given to do its work: the pipeline file, the workspace, the run it belongs to,
/// what to narrow the run to, and the caller's logger.
public struct StageContext: Sendable {
    public var pipeline: Pipeline
    public var workspace: Workspace
    public var runID: Int64
    /// Ingest only this source, when set.
    public var sourceFilter: String?
    /// Where exported files go once the run has passed (recorded in `publications`).
    public var outputDirectory: String
    /// Where the publish stage writes them during the run; swapped into place when the run passes.
    public var stagingDirectory: String
    /// Aggregate only this indicator, when set.
    public var indicatorFilter: String?
    public var logger: Logger
    /// Where to report how far the stage has come (a terminal's progress line), if anywhere.
    public var progress: (any StageProgressReporting)?

    public init(
        pipeline: Pipeline, workspace: Workspace, runID: Int64, sourceFilter: String? = nil,
        indicatorFilter: String? = nil, outputDirectory: String, stagingDirectory: String? = nil, logger: Logger,
        progress: (any StageProgressReporting)? = nil
    ) {
        self.progress = progress
        self.indicatorFilter = indicatorFilter
        self.stagingDirectory = stagingDirectory ?? outputDirectory
        self.pipeline = pipeline
        self.workspace = workspace
        self.runID = runID
        self.sourceFilter = sourceFilter
        self.outputDirectory = outputDirectory
        self.logger = logger
    }
}

/// A stage of the pipeline: reads its inputs from the workspace and replaces its outputs there in one
/// transaction.
public protocol PipelineStage: Sendable {
    /// Which stage this is.
    var stage: Stage { get }
    /// Does the stage's work and reports its row counts.
    func run(_ context: StageContext) async throws -> StageCounts
}
