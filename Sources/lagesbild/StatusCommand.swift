import ArgumentParser
import Foundation
import LagesbildRunner

/// `lagesbild status`: the last run of each stage and every delivery's row counts.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the last run of each stage and the rows read, accepted and quarantined per file.")

    @OptionGroup var options: CommonOptions

    @Flag(name: .long, help: "Print the status as JSON.")
    var json = false

    func run() async throws {
        try await withExitStatus(logFormat: options.logFormat) {
            let pipeline = try options.loadPipeline()
            let directory = options.workspaceDirectory(for: pipeline)
            let report = try StatusReport.read(directory: directory, pipeline: pipeline)
            let plan = try RunPlan.make(pipeline: pipeline, directory: directory, options: RunOptions())
            if json {
                Output.print(try JSONOutput.encode(StatusWithPlan(status: report, nextRun: plan)))
                return
            }
            Output.print("Workspace \(report.workspace)")
            if report.stages.isEmpty { Output.print("  no stage has run yet") }
            for line in report.stages {
                Output.print(
                    "  \(line.stage.padding(toLength: 10, withPad: " ", startingAt: 0)) \(line.status) at "
                        + "\(line.finishedAt ?? line.startedAt): in \(line.rowsIn), out \(line.rowsOut), "
                        + "quarantined \(line.rowsQuarantined)" + (line.message.map { " — \($0)" } ?? ""))
            }
            if !report.deliveries.isEmpty {
                Output.print("Deliveries (rows read = accepted + quarantined, in ingest and normalize):")
            }
            for delivery in report.deliveries {
                let name = (delivery.file as NSString).lastPathComponent
                Output.print(
                    "  \(delivery.source) \(name): \(delivery.counts.summary) [\(delivery.status)] sha256 "
                        + String(delivery.sha256.prefix(12))
                        + (delivery.linesSkipped > 0
                            ? "; \(delivery.linesSkipped) line\(delivery.linesSkipped == 1 ? "" : "s") after the "
                                + "table's end skipped" : "")
                        + (delivery.absent.map { " — file \($0) now, its data kept" } ?? ""))
            }
            if report.sources.contains(where: { $0.contract != nil || !$0.findings.isEmpty }) {
                Output.print("Delivery contracts:")
            }
            for source in report.sources where source.contract != nil || !source.findings.isEmpty {
                let verdict = source.findings.isEmpty ? "kept" : "\(source.findings.count) finding(s)"
                Output.print("  \(source.source): \(source.contract ?? "no contract declared") — \(verdict)")
                for finding in source.findings { Output.print("    \(finding.message)") }
            }
            Output.print("The next `lagesbild run` would:")
            for step in plan.steps {
                Output.print(
                    "  \(step.stage.padding(toLength: 10, withPad: " ", startingAt: 0)) \(step.decision): "
                        + step.reasons.joined(separator: "; "))
            }
        }
    }
}

/// `lagesbild status --json`: the status and what the next run would do.
struct StatusWithPlan: Encodable {
    var status: StatusReport
    var nextRun: RunPlan
}

/// Pretty, stable JSON for `--json` outputs.
enum JSONOutput {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
