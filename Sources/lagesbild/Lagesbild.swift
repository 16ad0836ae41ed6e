import ArgumentParser
import Foundation
import LagesbildRunner

/// The `lagesbild` command: parses arguments and calls the library; all logic lives in the modules.
@main
struct Lagesbild: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lagesbild",
        abstract: "Builds a municipality's lägesbild: ingest, normalize, aggregate and publish crime and cause data.",
        discussion: """
            Exit statuses: 0 success, 64 usage error, 65 data error (a stage or a gate failed on its
            input, or a fetched answer is not what was expected), 66 an input file or an earlier stage's output is
            missing, 69 a server cannot be reached, 70 internal error or a damaged workspace database (see
            `lagesbild repair`), 74 disk full, 75 another run holds the workspace, 77 a credential was refused,
            78 the pipeline file is invalid, 130/143 interrupted or stopped.
            """,
        version: lagesbildVersion,
        subcommands: [
            RunCommand.self, ValidateCommand.self, StatusCommand.self, InspectCommand.self, QuarantineCommand.self,
            ExplainCommand.self, RunsCommand.self, ReportCommand.self, SampleCommand.self, RepairCommand.self,
            FetchCommand.self,
        ]
    )

    /// Parses the command line and runs the command. With `--log-format json`, a command line that cannot
    /// be parsed (exit 64) is also said in a JSON log line; help and the version are text, as asked for.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            var command = try parseAsRoot(arguments)
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()  // help and the version: ArgumentParser's own commands
            }
        } catch {
            let status = exitCode(for: error)
            guard LogFormat.requested(in: arguments) == .json, status != .success, !(error is ExitCode) else {
                exit(withError: error)
            }
            reportError(fullMessage(for: error), status: status.rawValue, logFormat: .json)
            exit(withError: ExitCode(status.rawValue))
        }
    }
}
