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
        try withExitStatus {
            let pipeline = try options.loadPipeline()
            let report = try PipelineValidator.validate(pipeline)
            if json {
                print(try JSONOutput.encode(report))
                return
            }
            print("Pipeline file \(report.pipeline) is valid.")
            for source in report.sources {
                print("  source \(source.id): \(source.files.count) file(s)")
                for file in source.files { print("    \(file)") }
            }
            print("  indicators: \(report.indicators.joined(separator: ", "))")
        }
    }
}
