import ArgumentParser
import Foundation
import LagesbildRunner
import Workspace

/// `lagesbild run`: runs every stage, or one.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the pipeline: ingest → normalize → aggregate → publish.",
        discussion: """
            With --stage, runs that stage alone from what the workspace holds; the stage before it must have \
            run successfully. Each stage replaces its own output in one transaction.

            Example: lagesbild run --pipeline Pipelines/halmstad.yaml
                     lagesbild run --pipeline Pipelines/halmstad.yaml --stage aggregate
            """)

    @OptionGroup var options: CommonOptions

    @Option(name: .long, help: "Run only this stage: ingest, normalize, aggregate or publish.")
    var stage: Stage?

    @Option(name: .long, help: "Ingest only the source with this id (implies --stage ingest unless --stage is given).")
    var source: String?

    func run() throws {
        try withExitStatus {
            let pipeline = try options.loadPipeline()
            let runner = PipelineRunner(
                pipeline: pipeline, workspaceDirectory: options.workspaceDirectory(for: pipeline),
                logger: options.makeLogger())
            let stages: [Stage] = stage.map { [$0] } ?? (source != nil ? [.ingest] : Stage.allCases)
            let report = try runner.run(
                stages: stages, sourceFilter: source, command: CommandLine.arguments.joined(separator: " "))
            print("Run \(report.runID) finished.")
            for (stage, counts) in report.stages {
                print(
                    "  \(stage.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) rows in \(counts.rowsIn), "
                        + "out \(counts.rowsOut), quarantined \(counts.rowsQuarantined)")
            }
            print("Workspace database: \(report.databasePath)")
            if !report.publishedFiles.isEmpty {
                print("Published:")
                for file in report.publishedFiles { print("  \(file)") }
            }
        }
    }
}

extension Stage: ExpressibleByArgument {}
