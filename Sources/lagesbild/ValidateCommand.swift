import ArgumentParser
import Foundation
import LagesbildRunner

/// `lagesbild validate`: checks the pipeline file and its source files; writes nothing.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check the pipeline file and that every source file is there and readable. Writes nothing.",
        discussion: "Exit status 78 for an invalid pipeline file, 66 for a missing source file.")

    @OptionGroup var options: CommonOptions

    @Flag(name: .long, help: "Print the result as JSON.")
    var json = false

    func run() throws {
        try withExitStatus(logFormat: options.logFormat) {
            let pipeline = try options.loadPipeline()
            let report = try PipelineValidator.validate(pipeline)
            if json {
                Output.print(try JSONOutput.encode(report))
                return
            }
            Output.print("Pipeline file \(report.pipeline) is valid.")
            for source in report.sources {
                Output.print("  source \(source.id): \(source.files.count) file(s)")
                for file in source.files { Output.print("    \(file)") }
            }
            Output.print("  indicators: \(report.indicators.joined(separator: ", "))")
        }
    }
}
