import Foundation
import Testing

/// PostgreSQL failures from the command line: an unreachable server exits 69 when the output is required, and
/// leaves everything else published, with a warning, when it is not. Needs no server.
struct PostgresExitStatusTests {
    static let unreachable = ["LAGESBILD_PG_URL": "postgres://lagesbild@127.0.0.1:1/lagesbild"]

    /// A small pipeline with a PostgreSQL output, over a file written into the scratch folder.
    static func writePipeline(in scratch: ScratchFolder, required: Bool) throws {
        try scratch.write(
            "pipeline.yaml",
            smallPolicePipeline(name: "postgres-exit-test")
                + """
                outputs:
                  postgres: { schema: lagesbild_exit_test, required: \(required) }
                """)
        try scratch.write(
            "police/2023.csv", "Brottskod;Datum\n0301;2023-01-05\n0857;2023-02-06\n0857;2023-03-07\n0860;2023-04-08\n")
    }

    @Test func anUnreachableRequiredServerExits69AndPublishesNothing() throws {
        let scratch = try ScratchFolder()
        try Self.writePipeline(in: scratch, required: true)
        let result = try CommandLineTool.run(
            ["run", "-p", "pipeline.yaml"], in: scratch.path, environment: Self.unreachable)
        #expect(result.status == 69, "\(result.standardError)")
        #expect(result.standardError.contains("cannot connect to PostgreSQL"))
        #expect(result.standardError.contains("127.0.0.1:1"))
        #expect(!FileManager.default.fileExists(atPath: scratch.file("ws/out/crimes.csv")))
    }

    @Test func anUnreachableOptionalServerWarnsAndEverythingElseIsPublished() throws {
        let scratch = try ScratchFolder()
        try Self.writePipeline(in: scratch, required: false)
        let result = try CommandLineTool.run(
            ["run", "-p", "pipeline.yaml"], in: scratch.path, environment: Self.unreachable)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(FileManager.default.fileExists(atPath: scratch.file("ws/out/crimes.csv")))
        #expect(FileManager.default.fileExists(atPath: scratch.file("ws/out/lagesbild.html")))
        #expect(FileManager.default.fileExists(atPath: scratch.file("ws/lagesbild.sqlite")))
        #expect(result.standardOutput.contains("warning: PostgreSQL output to schema lagesbild_exit_test failed"))
        #expect(result.standardError.contains("PostgreSQL output failed"))

        // Nothing changed, but the PostgreSQL output did not happen: the next run publishes again.
        let again = try CommandLineTool.run(
            ["run", "-p", "pipeline.yaml"], in: scratch.path, environment: Self.unreachable)
        #expect(again.status == 0, "\(again.standardError)")
        #expect(again.standardOutput.contains("warning: PostgreSQL output"))
        let runs = try CommandLineTool.run(["runs", "-p", "pipeline.yaml", "--json"], in: scratch.path)
        #expect(runs.standardOutput.contains("PostgreSQL output to schema lagesbild_exit_test failed"))
    }
}
