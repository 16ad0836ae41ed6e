import ArgumentParser
import Foundation
import LagesbildRunner

/// `lagesbild validate`: checks the pipeline file and its source files; writes nothing.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: """
            Check the pipeline file and that every source file is there and readable, and list what the action \
            plan and the targets lack. Writes nothing.
            """,
        discussion: """
            The targets' baselines are read from the workspace's database when there is one. Exit status 78 for \
            an invalid pipeline file, 66 for a missing source file; 0 otherwise, also with findings.
            """)

    @OptionGroup var options: CommonOptions

    @Flag(name: .long, help: "Print the result as JSON.")
    var json = false

    func run() async throws {
        try await withExitStatus(logFormat: options.logFormat) {
            let pipeline = try options.loadPipeline()
            let report = try PipelineValidator.validate(
                pipeline, workspaceDirectory: options.workspaceDirectory(for: pipeline))
            if json {
                Output.print(try JSONOutput.encode(report))
                return
            }
            Output.print("Pipeline file \(report.pipeline) is valid.")
            for source in report.sources {
                Output.print("  source \(source.id): \(source.files.count) file(s)")
                for file in source.files { Output.print("    \(file)") }
            }
            Output.print("  indicators: \(report.indicators.joined(separator: ", "))")
            if let plan = report.plan { printPlan(plan) }
        }
    }

    func printPlan(_ plan: PlanValidation) {
        let file = plan.file.map { "Action plan \($0)" } ?? "No action plan"
        Output.print("\(file): \(plan.problems) problems, \(plan.measures) measures; \(plan.targets) targets.")
        Output.print(
            plan.workspaceDatabase.map { "  baselines read from \($0)" }
                ?? "  no workspace database yet: the baselines cannot be checked")
        for line in plan.passed { Output.print("  ok: \(line)") }
        let missing = plan.findings.filter(\.checked)
        let unchecked = plan.findings.filter { !$0.checked }
        if missing.isEmpty {
            Output.print("  nothing missing")
        } else {
            Output.print("  missing or wrong (\(missing.count)):")
            for finding in missing { Output.print("    \(finding.message)") }
        }
        if !unchecked.isEmpty {
            Output.print("  cannot be checked yet (\(unchecked.count)):")
            for finding in unchecked { Output.print("    \(finding.message)") }
        }
    }
}
