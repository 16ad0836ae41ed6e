import ArgumentParser
import Foundation
import LagesbildRunner
import Publish

/// `lagesbild report`: writes the HTML lägesbild from the workspace.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the lägesbild report (one self-contained HTML file, in Swedish) from the workspace.",
        discussion: """
            The publish stage writes the same report to the output folder as lagesbild.html. Open it in a browser \
            and print it to PDF from there.
            """)

    @OptionGroup var options: CommonOptions

    @Option(
        name: [.customShort("o"), .long], help: "Where to write the report.", completion: .file(extensions: ["html"]))
    var output = PublishStage.reportFileName

    func run() async throws {
        try await withExitStatus(logFormat: options.logFormat) {
            let pipeline = try options.loadPipeline()
            let path =
                (output as NSString).isAbsolutePath
                ? output : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(output)
            let written = try ReportWriter.write(
                pipeline: pipeline, directory: options.workspaceDirectory(for: pipeline), to: path)
            Output.print("Report: \(path)")
            let what = written.published ? "last successful publish" : "last computed indicators, not published"
            Output.print("Shows run \(written.runID) (\(what), \(written.finishedAt ?? "time unknown"))")
            if let newer = written.newerUnsuccessfulRun {
                Output.printError(
                    "warning: the newest run \(newer.id) (\(newer.finishedAt ?? newer.startedAt), \(newer.status)) "
                        + "did not succeed: its results are "
                        + "not in this report, which shows the values of run \(written.runID), the last successful "
                        + "run that produced them")
            }
        }
    }
}
