import ArgumentParser
import Foundation
import LagesbildRunner

/// `lagesbild explain INDICATOR`: how a value was computed, and from which files.
struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show how an indicator value or a target's judgement was computed, and from which files.",
        discussion: """
            Examples: lagesbild explain vald_per_100k -p Pipelines/halmstad.yaml --area 1380 --period 2023
                      lagesbild explain vald -p Pipelines/halmstad.yaml   (a target id: its baseline, yearly values
                      with intervals, trend, projection and judgement)
            """)

    @OptionGroup var options: CommonOptions

    @Argument(help: "An indicator id or a target id, as in the pipeline file.")
    var indicator: String

    @Option(name: .long, help: "The area code (SCB code, district or DeSO). Default: the municipality.")
    var area: String?

    @Option(name: .long, help: "The period (2023, 2023-05, 2023-Q2, 2023-W05, 2020/21, 2020-HT). Default: the latest.")
    var period: String?

    @Flag(name: .long, help: "Print the explanation as JSON.")
    var json = false

    func run() async throws {
        try await withExitStatus(logFormat: options.logFormat) {
            let pipeline = try options.loadPipeline()
            if let target = pipeline.targets.first(where: { $0.id == indicator }) {
                let explanation = try TargetExplanation.read(
                    directory: options.workspaceDirectory(for: pipeline), pipeline: pipeline, target: target)
                Output.print(json ? try JSONOutput.encode(explanation) : explanation.text)
                return
            }
            let explanation = try Explanation.read(
                directory: options.workspaceDirectory(for: pipeline), pipeline: pipeline, indicator: indicator,
                area: area, period: period)
            Output.print(json ? try JSONOutput.encode(explanation) : explanation.text)
        }
    }
}
