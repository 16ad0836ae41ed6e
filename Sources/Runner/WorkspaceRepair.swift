import Foundation
import Logging
import PipelineModel
import Workspace

/// Rebuilds a workspace whose database is damaged: sets the damaged database aside, keeps the last
/// published files, and runs every stage again from the deliveries (`lagesbild repair`).
///
/// The run history lived in the damaged database and starts anew; the damaged file is kept for
/// inspection as `lagesbild.damaged-<time>.sqlite` in the workspace folder.
public enum WorkspaceRepair {
    /// What a repair did.
    public struct Outcome: Sendable {
        /// Where the damaged database was moved, if there was one.
        public var setAside: String?
        /// The run that rebuilt the workspace.
        public var run: RunReport
    }

    public static func run(pipeline: Pipeline, workspaceDirectory: String, logger: Logger) async throws -> Outcome {
        var setAside: String?
        do {
            let lock = try WorkspaceLock.acquire(directory: workspaceDirectory)
            defer { lock.release() }
            if let database = Generations(directory: workspaceDirectory).currentDatabase(),
                FileManager.default.fileExists(atPath: database)
            {
                let stamp = isoTimestamp().replacingOccurrences(of: ":", with: "")
                let target = (workspaceDirectory as NSString).appendingPathComponent(
                    "lagesbild.damaged-\(stamp).sqlite")
                guard rename(database, target) == 0 else {
                    throw WorkspaceError.unusable(
                        workspaceDirectory, "cannot set \(database) aside: \(String(cString: strerror(errno)))")
                }
                for suffix in ["-wal", "-shm"] { rename(database + suffix, target + suffix) }
                setAside = target
                logger.warning("damaged database set aside", metadata: ["file": "\(target)"])
            }
        }
        let runner = PipelineRunner(pipeline: pipeline, workspaceDirectory: workspaceDirectory, logger: logger)
        let report = try await runner.run(RunOptions(force: true, command: "lagesbild repair"))
        return Outcome(setAside: setAside, run: report)
    }
}
