import Foundation
import PipelineModel
import StageKit
import Workspace

/// What `lagesbild run --dry-run` says: per stage, whether it would run and why. Touches nothing.
public struct RunPlan: Sendable, Codable {
    public struct Step: Sendable, Codable {
        public var stage: String
        /// `run`, `skip`, or `depends` (runs if the stage before it changes its output).
        public var decision: String
        public var reasons: [String]
    }

    public var workspace: String
    public var steps: [Step]

    /// The plan for `options` against the workspace at `directory`.
    public static func make(pipeline: Pipeline, directory: String, options: RunOptions) throws -> RunPlan {
        let stages = Stage.allCases.filter(options.stages.contains)
        guard Workspace.exists(directory: directory) else {
            return RunPlan(
                workspace: directory,
                steps: stages.map { Step(stage: $0.rawValue, decision: "run", reasons: ["no workspace yet"]) })
        }
        let main = try Workspace(directory: directory, create: false)
        let outputDirectory = WorkspaceLocation.outputDirectory(pipeline: pipeline, workspace: directory)
        var steps: [Step] = []
        var upstreamWillChange = false
        for stage in stages {
            let last = try main.lastPublished(of: stage)
            if options.force {
                steps.append(Step(stage: stage.rawValue, decision: "run", reasons: ["--force"]))
                upstreamWillChange = true
                continue
            }
            if options.source != nil || options.indicator != nil {
                steps.append(Step(stage: stage.rawValue, decision: "run", reasons: ["the run is narrowed"]))
                upstreamWillChange = true
                continue
            }
            if upstreamWillChange, stage != .ingest {
                steps.append(
                    Step(
                        stage: stage.rawValue, decision: "depends",
                        reasons: ["runs if \(stage.previous!.rawValue) changes its output"]))
                continue
            }
            let fingerprint: StageFingerprint
            switch stage {
            case .ingest: fingerprint = Fingerprints.ingest(pipeline)
            case .normalize: fingerprint = try main.database.read { try Fingerprints.normalize(pipeline, db: $0) }
            case .aggregate:
                fingerprint = Fingerprints.aggregate(
                    pipeline, normalize: try main.lastPublished(of: .normalize)?.fingerprint ?? "none")
            case .publish:
                let aggregate = try main.lastPublished(of: .aggregate)?.fingerprint ?? "none"
                fingerprint = try main.database.read { db in
                    try Fingerprints.publish(pipeline, aggregate: aggregate, db: db)
                }
            }
            if let last, last.fingerprint == fingerprint.value {
                steps.append(
                    Step(stage: stage.rawValue, decision: "skip", reasons: ["inputs unchanged since run \(last.runID)"])
                )
            } else {
                steps.append(
                    Step(stage: stage.rawValue, decision: "run", reasons: fingerprint.changes(since: last?.inputs)))
                upstreamWillChange = true
            }
        }
        return RunPlan(workspace: main.directory, steps: steps)
    }
}
