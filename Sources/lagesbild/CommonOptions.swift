import ArgumentParser
import Foundation
import LagesbildRunner
import Logging
import PipelineModel

/// Options every subcommand shares: the pipeline file, the workspace, and logging.
struct CommonOptions: ParsableArguments {
    @Option(
        name: [.customShort("p"), .long],
        help: "The pipeline file (YAML). Default: $LAGESBILD_PIPELINE.",
        completion: .file(extensions: ["yaml", "yml"]))
    var pipeline: String?

    @Option(
        name: .long,
        help: """
            The workspace folder (its SQLite database, run history and quarantine). Default: $LAGESBILD_WORKSPACE, \
            else the pipeline file's 'workspace:' key, else ./workspace/<pipeline name>.
            """,
        completion: .directory)
    var workspace: String?

    @Option(name: .long, help: "Least severe log level to show.")
    var logLevel: LogLevel = .info

    @Flag(name: .shortAndLong, help: "Only log warnings and errors.")
    var quiet = false

    @Option(name: .long, help: "Log as readable text, or as one JSON object per line (for batch jobs).")
    var logFormat: LogFormat = .text

    /// A progress line for a person at a terminal: text logs, not quiet, standard error a terminal.
    func makeProgress() -> TerminalProgress? {
        logFormat == .text && !quiet && TerminalProgress.isAvailable ? TerminalProgress() : nil
    }

    /// Loads the pipeline file.
    func loadPipeline() throws -> Pipeline {
        guard let path = pipeline ?? ProcessInfo.processInfo.environment["LAGESBILD_PIPELINE"] else {
            throw UsageError("name a pipeline file with --pipeline FILE (e.g. Pipelines/halmstad.yaml)")
        }
        return try PipelineLoader.load(path: path)
    }

    func workspaceDirectory(for pipeline: Pipeline) -> String {
        WorkspaceLocation.resolve(option: workspace, pipeline: pipeline)
    }

    /// A logger writing to standard error at the chosen level (above the progress line, when there is one),
    /// personal identity numbers masked.
    func makeLogger(progress: TerminalProgress? = nil) -> Logger {
        let format = logFormat
        var logger = Logger(label: "lagesbild") { label in
            if format == .json { return MaskingLogHandler(wrapped: JSONLogHandler(label: label)) }
            if let progress {
                return MaskingLogHandler(wrapped: ProgressAwareLogHandler(label: label, progress: progress))
            }
            return MaskingLogHandler(wrapped: StreamLogHandler.standardError(label: label))
        }
        logger.logLevel = quiet ? .warning : logLevel.level
        return logger
    }
}

/// How log lines are written.
enum LogFormat: String, CaseIterable, ExpressibleByArgument {
    case text, json

    /// The format `arguments` ask for, read without the parser: for a command line it could not parse.
    static func requested(in arguments: [String]) -> LogFormat {
        for (index, argument) in arguments.enumerated() {
            if argument == "--log-format", index + 1 < arguments.count {
                return LogFormat(rawValue: arguments[index + 1]) ?? .text
            }
            if argument.hasPrefix("--log-format=") {
                return LogFormat(rawValue: String(argument.dropFirst("--log-format=".count))) ?? .text
            }
        }
        return .text
    }
}

/// The log levels a user can choose on the command line.
enum LogLevel: String, CaseIterable, ExpressibleByArgument {
    case trace, debug, info, notice, warning, error

    var level: Logger.Level { Logger.Level(rawValue: rawValue) ?? .info }
}

/// Runs a command body, turning errors into a message on standard error (a JSON log line with
/// `--log-format json`) and the documented exit status.
func withExitStatus(logFormat: LogFormat = .text, _ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as ExitCode {
        throw error
    } catch {
        let error = Faults.diagnose(error, workspace: "the workspace")
        let status = ExitStatus.of(error)
        reportError("\(error)", status: status.rawValue, logFormat: logFormat)
        throw ExitCode(status.rawValue)
    }
}

/// Says why a command ends with `status`: `error: …` on standard error, or a JSON log line with the
/// message and `exit_status`.
func reportError(_ message: String, status: Int32, logFormat: LogFormat) {
    switch logFormat {
    case .text: Output.printError("error: \(message)")
    case .json: JSONLogHandler.write(level: .error, message: message, fields: ["exit_status": "\(status)"])
    }
}
