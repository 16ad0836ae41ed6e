import ArgumentParser
import Foundation
import LagesbildRunner

/// `lagesbild quarantine`: the rows no stage could accept, with file, line, column and reason.
struct QuarantineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarantine",
        abstract: "List quarantined rows (file, line, column, reason, raw text with personal numbers masked).",
        discussion: "Example: lagesbild quarantine -p Pipelines/halmstad.yaml --source police-events --json")

    @OptionGroup var options: CommonOptions

    @Option(name: .long, help: "Only rows of this source id.")
    var source: String?

    @Option(name: .long, help: "Only rows of this file (its name or path).")
    var file: String?

    @Option(name: .long, help: "Only rows quarantined by this stage: ingest or normalize.")
    var stage: String?

    @Option(name: .long, help: "Show at most this many rows.")
    var limit: Int?

    @Flag(name: .long, help: "Print the rows as JSON.")
    var json = false

    func run() async throws {
        try await withExitStatus(logFormat: options.logFormat) {
            let pipeline = try options.loadPipeline()
            let report = try QuarantineReport.read(
                directory: options.workspaceDirectory(for: pipeline), source: source, file: file, stage: stage,
                limit: limit)
            if json {
                Output.print(try JSONOutput.encode(report))
                return
            }
            Output.print(
                "\(report.total) quarantine entr\(report.total == 1 ? "y" : "ies") in \(report.workspace) (one per "
                    + "rejected row; a wide row rejected in normalize once per rejected value)")
            if report.fromFailedRun {
                Output.print("(from the last run, which failed and published nothing; `lagesbild runs` tells why)")
            }
            if !report.files.isEmpty { Output.print("Files (rows read = accepted + quarantined):") }
            for file in report.files {
                Output.print("  \(file.source) \((file.file as NSString).lastPathComponent): \(file.counts.summary)")
            }
            for entry in report.entries {
                let name = (entry.file as NSString).lastPathComponent
                let column = entry.column.map { ":\($0)" } ?? ""
                Output.print("\(entry.source) \(name):\(entry.line)\(column) [\(entry.stage)] \(entry.reason)")
                if !entry.raw.isEmpty { Output.print("    \(entry.raw)") }
            }
            if report.entries.count < report.total {
                Output.print("(\(report.total - report.entries.count) more; raise --limit to see them)")
            }
        }
    }
}
