import ArgumentParser
import Fetch
import Foundation
import LagesbildRunner
import PipelineModel

/// `lagesbild fetch`: downloads new deliveries from the APIs named in the sources' `fetch:` sections.
struct FetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download new deliveries from the sources' APIs (their fetch: sections) into their folders.",
        discussion: """
            Each source's answer is checked and written as a new dated file in the folder of its files pattern \
            (all of it or nothing), where `lagesbild run` reads it like any delivery; `run` itself never fetches. \
            An answer the server says is not modified (304), or identical to the latest delivery, writes nothing. \
            Every fetch is recorded in the workspace's `fetches` table. Credentials come from the environment \
            variables the pipeline file names (bearer_token_env, basic_auth_env).

            Exit statuses: 0 every source fetched or unchanged; 65 an answer is not what was expected (an HTML \
            page where JSON was expected); 69 a server cannot be reached or keeps failing (timeouts, 5xx or 429 \
            after the retries); 74 a file cannot be written; 75 another run holds the workspace; 77 a credential \
            was refused (401, 403) or its environment variable is not set; 78 the pipeline file is invalid.

            Examples:
              lagesbild fetch -p Pipelines/halmstad.yaml
              lagesbild fetch -p Pipelines/halmstad.yaml --source kolada
            """)

    @OptionGroup var options: CommonOptions

    @Option(name: .long, help: "Fetch only the source with this id.")
    var source: String?

    func run() async throws {
        var loaded: Pipeline?
        try await withExitStatus(logFormat: options.logFormat) {
            let pipeline = try options.loadPipeline()
            if let source {
                guard let spec = pipeline.source(source) else {
                    let known = pipeline.sources.map(\.id).joined(separator: ", ")
                    throw UsageError("unknown source '\(source)'; the pipeline file has: \(known)")
                }
                guard spec.fetch != nil else { throw UsageError("source '\(source)' has no fetch: section") }
            }
            loaded = pipeline
        }
        guard let pipeline = loaded else { return }
        guard pipeline.sources.contains(where: { $0.fetch != nil }) else {
            Output.print("No source of \(pipeline.name) has a fetch: section; nothing to fetch.")
            return
        }
        let workspace = options.workspaceDirectory(for: pipeline)
        let fetcher = Fetcher(
            pipeline: pipeline, workspaceDirectory: workspace,
            outputDirectory: WorkspaceLocation.outputDirectory(pipeline: pipeline, workspace: workspace),
            userAgent: Fetcher.defaultUserAgent(version: lagesbildVersion), logger: options.makeLogger())
        let report: FetchReport
        do {
            report = try await fetcher.run(source: source)
        } catch {
            try await withExitStatus(logFormat: options.logFormat) { throw error }
            return
        }
        for result in report.results {
            let size = result.bytes.map { "\($0) bytes, " } ?? ""
            switch result.outcome {
            case .delivered:
                Output.print("\(result.source): new delivery \(result.file ?? "") (\(size)\(result.requests) requests)")
                for file in result.superseded { Output.print("  moved aside: \(file)") }
            case .notModified:
                Output.print("\(result.source): not modified since \(result.file ?? "the latest delivery")")
            case .unchanged:
                Output.print("\(result.source): unchanged, the same as \(result.file ?? "the latest delivery")")
            case .failed:
                break
            }
        }
        if let failure = report.worstFailure {
            for other in report.failures where other != failure {
                reportError("\(other)", status: other.exitStatus, logFormat: options.logFormat)
            }
            reportError("\(failure)", status: failure.exitStatus, logFormat: options.logFormat)
            throw ExitCode(failure.exitStatus)
        }
    }
}
