import ArgumentParser
import Foundation
import LagesbildRunner

/// `lagesbild runs`: the run history.
struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract:
            "List past runs: when, what ran or was skipped, rows in/out/quarantined, gates, duration, exit status.")

    @OptionGroup var options: CommonOptions

    @Option(name: .long, help: "How many runs to list, newest first.")
    var limit = 20

    @Flag(name: .long, help: "Print the runs as JSON.")
    var json = false

    func run() async throws {
        try await withExitStatus(logFormat: options.logFormat) {
            let pipeline = try options.loadPipeline()
            let report = try RunHistoryReport.read(directory: options.workspaceDirectory(for: pipeline), limit: limit)
            if json {
                Output.print(try JSONOutput.encode(report))
                return
            }
            Output.print("Runs in \(report.workspace), newest first:")
            for run in report.runs {
                let duration = run.seconds.map { String(format: "%.1f s", $0) } ?? "–"
                let exit = run.exitCode.map { "exit \($0)" } ?? "no exit status"
                Output.print("#\(run.id) \(run.startedAt) \(run.status) (\(exit), \(duration)) — \(run.command)")
                for stage in run.stages {
                    let name = stage.stage.padding(toLength: 10, withPad: " ", startingAt: 0)
                    if stage.status == "skipped" {
                        Output.print("    \(name) skipped: \(stage.message ?? "")")
                    } else {
                        Output.print(
                            "    \(name) \(stage.status): in \(stage.rowsIn), out \(stage.rowsOut), "
                                + "quarantined \(stage.rowsQuarantined)"
                                + (stage.status == "failed" ? " — \(stage.message ?? "")" : ""))
                    }
                }
                for gate in run.gates { Output.print("    gate \(gate.gate) [\(gate.status)]: \(gate.message)") }
            }
        }
    }
}
