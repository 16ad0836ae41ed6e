import Fetch
import Foundation
import GRDB
import LagesbildRunner
import Logging
import PipelineModel
import Testing
import Workspace

@Suite("A fetched delivery is read by run")
struct FetchThenRunTests {
    @Test("run ingests the fetched file; after a changed fetch it reads the new one and retires the superseded one")
    func fetchThenIngest() async throws {
        let fixture = try FetchFixture()
        defer { fixture.remove() }
        let server = try await TestServer.start { _, earlier in
            var body = "area;period;value\n1380;2023;100\n"
            if earlier > 0 { body += "1380;2024;105\n" }
            return Reply(headers: [("Content-Type", "text/csv; charset=utf-8")], body: body)
        }
        defer { Task { await server.stop() } }
        let yaml = """
            version: 1
            name: fetchrun
            municipality: {code: "1380", name: Halmstad}
            sources:
              - id: population
                supplier: scb
                kind: observations
                files: data/population_*.csv
                delimiter: ";"
                measure: population
                columns: {area: area, period: period, value: value}
                fetch:
                  url: "\(server.baseURL)/population.csv"
                  expect: csv
                  min_interval_seconds: 0
                  file_name: population_{time}.csv
            """
        let pipeline = try PipelineLoader.parse(yaml: yaml, path: fixture.folder + "/pipeline.yaml")
        var logger = Logger(label: "fetch-run-test")
        logger.logLevel = .error
        let runner = PipelineRunner(pipeline: pipeline, workspaceDirectory: fixture.workspace, logger: logger)
        func deliveries() throws -> [Row] {
            try Workspace(directory: fixture.workspace, create: false).database.read { db in
                try Row.fetchAll(db, sql: "SELECT path, status, rows_accepted FROM deliveries ORDER BY path")
            }
        }

        #expect(try await fixture.fetcher(pipeline).run().results.first?.outcome == .delivered)
        _ = try await runner.run(stages: [.ingest], command: "test")
        let first = try deliveries()
        #expect(first.count == 1)
        #expect(first.first?["rows_accepted"] == 1)

        let second = try await fixture.fetcher(pipeline).run()
        let newFile = try #require(second.results.first?.file)
        #expect(second.results.first?.superseded.count == 1)
        _ = try await runner.run(stages: [.ingest], command: "test")
        let rows = try deliveries()
        #expect(rows.count == 1)
        #expect(rows.first?["path"] == newFile)
        #expect(rows.first?["status"] == "accepted")
        #expect(rows.first?["rows_accepted"] == 2)
    }
}
