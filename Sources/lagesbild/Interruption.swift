import Dispatch
import Foundation
import Workspace

/// Ctrl-C (SIGINT) or a service manager's stop (SIGTERM) during a run: says what of the run was
/// published — nothing, or all of it when the stop came after the switch to its generation — and exits
/// with 128 + the signal's number. Nothing else needs doing: a run's database and published files become
/// current together in one rename, and the next run drops the unfinished generation and marks this run
/// as interrupted in the history.
enum Interruption {
    /// Keeps the signal sources alive for the life of the process.
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

    static func install(progress: TerminalProgress?, logFormat: LogFormat) {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                Publication.whilePaused { promoted in
                    let name = signalNumber == SIGINT ? "interrupted (Ctrl-C)" : "stopped (SIGTERM)"
                    let message =
                        promoted
                        ? "\(name) after its results were published: the database and the published files are "
                            + "this run's; the run history shows it as interrupted."
                        : "\(name): nothing of this run was published; the workspace and the published files are "
                            + "as the last good run left them, and the next run starts over."
                    progress?.finish(.ingest)  // clears the progress line, whichever stage drew it
                    switch logFormat {
                    case .text: Output.printError(message)
                    case .json:
                        JSONLogHandler.write(
                            level: .error, message: message, fields: ["exit_status": "\(128 + signalNumber)"])
                    }
                    exit(128 + signalNumber)
                }
            }
            source.resume()
            sources.append(source)
        }
    }
}
