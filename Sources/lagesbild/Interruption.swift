import Dispatch
import Foundation

/// Ctrl-C (SIGINT) or a service manager's stop (SIGTERM) during a run: says that nothing of the run was
/// published and exits with 128 + the signal's number. Nothing else needs doing: a run replaces the
/// database and the published files only when it has passed, and the next run takes over the lock,
/// drops the working copy and marks this run as interrupted in the history.
enum Interruption {
    /// Keeps the signal sources alive for the life of the process.
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

    static func install(progress: TerminalProgress?, logFormat: LogFormat) {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                let name = signalNumber == SIGINT ? "interrupted (Ctrl-C)" : "stopped (SIGTERM)"
                let message =
                    "\(name): nothing of this run was published; the workspace and the published files are as "
                    + "the last good run left them, and the next run starts over."
                progress?.finish(.ingest)  // clears the progress line, whichever stage drew it
                switch logFormat {
                case .text: Output.printError(message)
                case .json:
                    JSONLogHandler.write(
                        level: .error, message: message, fields: ["exit_status": "\(128 + signalNumber)"])
                }
                exit(128 + signalNumber)
            }
            source.resume()
            sources.append(source)
        }
    }
}
