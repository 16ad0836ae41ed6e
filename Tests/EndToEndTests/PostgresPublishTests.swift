import Foundation
import GRDB
import Testing

/// The sample pipeline publishes its tables to a real PostgreSQL server (started by `.ci/run` through
/// `scripts/test-postgres.sh`), and publishing the same run again changes nothing.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["LAGESBILD_TEST_PG_URL"] != nil, "no test PostgreSQL server"))
struct PostgresPublishTests {
    let url = ProcessInfo.processInfo.environment["LAGESBILD_TEST_PG_URL"] ?? ""

    func psql(_ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", url, "-tA", "-v", "ON_ERROR_STOP=1", "-c", sql]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func samplePipelineLoadsItsTablesAndRepublishingChangesNothing() throws {
        let scratch = try ScratchFolder()
        let workspace = scratch.file("ws")
        let schema = "lagesbild_halmstad"
        _ = try psql("DROP SCHEMA IF EXISTS \(schema) CASCADE")
        let environment = ["LAGESBILD_PG_URL": url]
        let pipeline = CommandLineTool.repositoryRoot + "/Pipelines/halmstad.yaml"
        let first = try CommandLineTool.run(
            ["run", "-p", pipeline, "--workspace", workspace], in: scratch.path, environment: environment)
        #expect(first.status == 0, "\(first.standardError)")
        let database = try DatabaseQueue(path: workspace + "/lagesbild.sqlite")
        let (values, followUps, sum) = try database.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM indicator_values") ?? 0,
                try Int.fetchOne(db, sql: "SELECT count(*) FROM followup") ?? 0,
                try Double.fetchOne(db, sql: "SELECT sum(value) FROM indicator_values") ?? 0
            )
        }
        #expect(try psql("SELECT count(*) FROM \(schema).indicator_values") == String(values))
        #expect(try psql("SELECT count(*) FROM \(schema).followup") == String(followUps))
        let postgresSum = Double(try psql("SELECT sum(value) FROM \(schema).indicator_values")) ?? 0
        #expect(abs(postgresSum - sum) < 1e-6 * max(1, abs(sum)))
        #expect(try psql("SELECT count(*) FROM \(schema).lagesbild_runs") == "1")

        // The same workspace published again: nothing changes in PostgreSQL.
        let again = try CommandLineTool.run(
            ["run", "-p", pipeline, "--workspace", workspace, "--stage", "publish"], in: scratch.path,
            environment: environment)
        #expect(again.status == 0, "\(again.standardError)")
        #expect(try psql("SELECT count(*) FROM \(schema).lagesbild_runs") == "1")
    }
}

/// CI must start the server: without it the PostgreSQL round trip would silently not run.
@Test func continuousIntegrationStartsTheTestPostgresServer() {
    let environment = ProcessInfo.processInfo.environment
    if environment["CI"] == "true" {
        #expect(environment["LAGESBILD_TEST_PG_URL"] != nil, "CI=true but LAGESBILD_TEST_PG_URL is not set")
    }
}
