import ArgumentParser
import Foundation
import LagesbildRunner
import StageKit
import Workspace

/// `lagesbild run`: runs every stage, or some.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the pipeline: ingest → normalize → aggregate → publish.",
        discussion: """
            Stages whose inputs (files, settings, code lists, the previous stage's output) have not changed since \
            their last published run are skipped; --force runs them anyway. With --stage, runs that stage alone \
            (with --downstream, that stage and every stage after it) from what the workspace holds. A run writes a \
            working copy and replaces the database, files and report only when every stage and gate passed.

            Examples:
              lagesbild run -p Pipelines/halmstad.yaml
              lagesbild run -p Pipelines/halmstad.yaml --dry-run
              lagesbild run -p Pipelines/halmstad.yaml --stage aggregate --downstream
              lagesbild run -p Pipelines/halmstad.yaml --until aggregate
              lagesbild run -p Pipelines/halmstad.yaml --source police-events
            """)

    @OptionGroup var options: CommonOptions

    @Option(name: .long, help: "Run only this stage: ingest, normalize, aggregate or publish.")
    var stage: Stage?

    @Flag(name: .long, help: "With --stage: also run every stage after it.")
    var downstream = false

    @Option(
        name: .long,
        help: "Run every stage up to this one and stop (e.g. --until aggregate: everything but publish).")
    var until: Stage?

    @Option(name: .long, help: "Ingest only the source with this id (implies --stage ingest unless --stage is given).")
    var source: String?

    @Option(name: .long, help: "Aggregate only the indicator with this id (implies --stage aggregate --downstream).")
    var indicator: String?

    @Flag(name: .long, help: "Run stages even when their inputs have not changed.")
    var force = false

    @Flag(name: .long, help: "Say per stage whether it would run and why, and touch nothing.")
    var dryRun = false

    func validate() throws {
        if downstream, stage == nil { throw ValidationError("--downstream needs --stage") }
        if until != nil, stage != nil || source != nil || indicator != nil {
            throw ValidationError(
                "--until runs the stages before it: it cannot be combined with --stage, --source or --indicator")
        }
    }

    var stages: [Stage] {
        if let until { return Stage.allCases.filter { $0 <= until } }
        if let stage {
            return downstream ? Stage.allCases.filter { $0 >= stage } : [stage]
        }
        if source != nil { return [.ingest] }
        if indicator != nil { return [.aggregate, .publish] }
        return Stage.allCases
    }

    func run() async throws {
        try await withExitStatus(logFormat: options.logFormat) {
            let pipeline = try options.loadPipeline()
            let directory = options.workspaceDirectory(for: pipeline)
            let runOptions = RunOptions(
                stages: stages, source: source, indicator: indicator, force: force,
                command: CommandLine.arguments.joined(separator: " "))
            if dryRun {
                let plan = try RunPlan.make(pipeline: pipeline, directory: directory, options: runOptions)
                if options.logFormat == .json {
                    Output.print(
                        try RunSummaryLine.encode(RunSummaryLine(message: "dry run: nothing is changed", plan: plan)))
                    return
                }
                Output.print("Dry run: nothing is changed. Workspace \(plan.workspace)")
                for step in plan.steps {
                    Output.print("  \(step.stage.padding(toLength: 10, withPad: " ", startingAt: 0)) \(step.decision)")
                    for reason in step.reasons { Output.print("      \(reason)") }
                }
                return
            }
            let progress = options.makeProgress()
            Interruption.install(progress: progress, logFormat: options.logFormat)
            let runner = PipelineRunner(
                pipeline: pipeline, workspaceDirectory: directory, logger: options.makeLogger(progress: progress),
                progress: progress)
            let report = try await runner.run(runOptions)
            if options.logFormat == .json {
                Output.print(try RunSummaryLine.encode(RunSummaryLine(report: report)))
            } else {
                printSummary(report)
            }
        }
    }

    /// The run's summary as text: each stage's rows, the warnings and where the results are.
    func printSummary(_ report: RunReport) {
        Output.print("Run \(report.runID) finished.")
        for outcome in report.stages {
            let name = outcome.stage.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
            if let reason = outcome.skippedBecause {
                Output.print("  \(name) skipped: \(reason)")
            } else {
                let counts = outcome.counts
                Output.print(
                    "  \(name) rows in \(counts.rowsIn), out \(counts.rowsOut), quarantined \(counts.rowsQuarantined)")
            }
        }
        for warning in report.warnings { Output.print("  warning: \(warning)") }
        Output.print("Workspace database: \(report.databasePath)")
        if !report.publishedFiles.isEmpty {
            Output.print("Published \(report.publishedFiles.count) files to \(report.outputDirectory)")
            for file in report.publishedFiles where file.hasSuffix(".html") { Output.print("Report: \(file)") }
        }
    }
}

/// The end of a run with `--log-format json`: one JSON object on one line, shaped like the log lines
/// (`time`, `level`, `label`, `message`) with the run's outcome, so every line a batch job sees is JSON.
struct RunSummaryLine: Encodable {
    /// One stage: its rows, or why it was skipped.
    struct StageLine: Encodable {
        var stage: String
        var skippedBecause: String?
        var rowsIn: Int
        var rowsOut: Int
        var rowsQuarantined: Int
    }

    var time = ISO8601DateFormatter().string(from: Date())
    var level = "notice"
    var label = "lagesbild"
    var message: String
    var runID: Int64?
    var stages: [StageLine]?
    var warnings: [String]?
    var database: String?
    var outputDirectory: String?
    var publishedFiles: [String]?
    var report: String?
    var plan: RunPlan?

    init(report: RunReport) {
        message = "run finished"
        runID = report.runID
        stages = report.stages.map { outcome in
            StageLine(
                stage: outcome.stage.rawValue, skippedBecause: outcome.skippedBecause, rowsIn: outcome.counts.rowsIn,
                rowsOut: outcome.counts.rowsOut, rowsQuarantined: outcome.counts.rowsQuarantined)
        }
        warnings = report.warnings
        database = report.databasePath
        outputDirectory = report.publishedFiles.isEmpty ? nil : report.outputDirectory
        publishedFiles = report.publishedFiles
        self.report = report.publishedFiles.first { $0.hasSuffix(".html") }
    }

    init(message: String, plan: RunPlan) {
        self.message = message
        self.plan = plan
    }

    /// Compact JSON on one line, keys sorted and in snake case.
    static func encode(_ line: RunSummaryLine) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(line), as: UTF8.self)
    }
}

extension Stage: ExpressibleByArgument {}
