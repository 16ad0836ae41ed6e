import Foundation
import PipelineModel

/// Where a command's workspace is: `--workspace`, else `$LAGESBILD_WORKSPACE`, else the pipeline file's
/// `workspace:` key, else `workspace/<pipeline name>` under the current folder.
public enum WorkspaceLocation {
    public static let environmentVariable = "LAGESBILD_WORKSPACE"

    public static func resolve(option: String?, pipeline: Pipeline) -> String {
        let current = FileManager.default.currentDirectoryPath
        if let option, !option.isEmpty { return absolute(option, in: current) }
        if let variable = ProcessInfo.processInfo.environment[environmentVariable], !variable.isEmpty {
            return absolute(variable, in: current)
        }
        if let configured = pipeline.workspace { return configured }
        return absolute("workspace/\(pipeline.name)", in: current)
    }

    /// The output folder: the pipeline's `outputs.directory`, else `<workspace>/out`.
    public static func outputDirectory(pipeline: Pipeline, workspace: String) -> String {
        pipeline.outputs.directory ?? (workspace as NSString).appendingPathComponent("out")
    }

    static func absolute(_ path: String, in folder: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return (expanded as NSString).standardizingPath }
        return ((folder as NSString).appendingPathComponent(expanded) as NSString).standardizingPath
    }
}
