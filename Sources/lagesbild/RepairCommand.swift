import ArgumentParser
import Foundation
import LagesbildRunner

/// `lagesbild repair`: rebuilds a workspace whose database is damaged, from the deliveries.
struct RepairCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repair",
        abstract: "Set a damaged workspace database aside and rebuild the workspace from the deliveries.",
        discussion: """
            Use it when a command says the workspace database is damaged (exit 70). The damaged file is kept
            as lagesbild.damaged-<time>.sqlite in the workspace; the run history starts anew; the last
            published files stay until the rebuild publishes new ones. Exit statuses as for `run`.
            """)

    @OptionGroup var options: CommonOptions

    func run() async throws {
        try await withExitStatus(logFormat: options.logFormat) {
            let pipeline = try options.loadPipeline()
            let outcome = try await WorkspaceRepair.run(
                pipeline: pipeline, workspaceDirectory: options.workspaceDirectory(for: pipeline),
                logger: options.makeLogger())
            if let setAside = outcome.setAside { Output.print("The damaged database was set aside as \(setAside).") }
            Output.print("Run \(outcome.run.runID) rebuilt the workspace \(outcome.run.workspace).")
        }
    }
}
