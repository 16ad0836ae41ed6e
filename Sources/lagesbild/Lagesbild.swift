import ArgumentParser
import LagesbildRunner

/// The `lagesbild` command: parses arguments and calls the library; all logic lives in the modules.
@main
struct Lagesbild: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lagesbild",
        abstract: "Builds a municipality's lägesbild: ingest, normalize, aggregate and publish crime and cause data.",
        discussion: """
            Exit statuses: 0 success, 64 usage error, 65 data error (a stage or a gate failed on its
            input), 66 an input file or an earlier stage's output is missing, 70 internal error or a damaged
            workspace database (see `lagesbild repair`), 74 disk full, 75 another run holds the workspace,
            78 the pipeline file is invalid, 130/143 interrupted or stopped.
            """,
        version: lagesbildVersion,
        subcommands: [
            RunCommand.self, ValidateCommand.self, StatusCommand.self, InspectCommand.self, QuarantineCommand.self,
            ExplainCommand.self, RunsCommand.self, ReportCommand.self, SampleCommand.self, RepairCommand.self,
        ]
    )
}
