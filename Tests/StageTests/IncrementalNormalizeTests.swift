import Foundation
import GRDB
import LagesbildRunner
import Logging
import Testing
import Workspace

/// Normalize keeps each unchanged delivery's result; whatever it keeps, a run gives the outputs of a
/// run from scratch.
@Suite struct IncrementalNormalizeTests {
    /// The Halmstad sample (every kind of source, four yearly police files) with the police files copied
    /// into the fixture, so that a test can change one; no PostgreSQL output.
    func sampleFixture() throws -> PipelineFixture {
        let fixture = try PipelineFixture()
        try fixture.useSamplePipeline()
        let police = repositoryRoot + "/SampleData/police/"
        for year in 2020...2023 {
            try fixture.write(
                "police/brott_\(year).csv",
                bytes: Array(try Data(contentsOf: URL(fileURLWithPath: police + "brott_\(year).csv"))))
        }
        let text = try String(contentsOfFile: fixture.path("pipeline.yaml"), encoding: .utf8)
        try fixture.write(
            "pipeline.yaml",
            text.replacingOccurrences(of: police + "brott_", with: fixture.path("police/brott_"))
                .replacingOccurrences(of: "  postgres:\n    schema: lagesbild_halmstad\n", with: ""))
        return fixture
    }

    /// Appends one police event (a copy of the file's last one under a new case number) to a yearly file.
    func appendEvent(_ fixture: PipelineFixture, year: Int) throws {
        let path = fixture.path("police/brott_\(year).csv")
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let lines = bytes.split(separator: UInt8(ascii: "\n"))
        var last = Array(lines[lines.count - 1])
        let firstField = last.firstIndex(of: UInt8(ascii: ";"))!
        last.replaceSubrange(0..<firstField, with: Array("5000-K999999-\(year % 100)".utf8))
        bytes += last + [UInt8(ascii: "\n")]
        try fixture.write("police/brott_\(year).csv", bytes: bytes)
    }

    /// The events column files by delivery path.
    func eventFiles(_ fixture: PipelineFixture) throws -> [String: String] {
        Dictionary(
            uniqueKeysWithValues: try fixture.rows(
                """
                SELECT d.path, s.name FROM store_files s JOIN deliveries d ON d.id = s.delivery_id
                WHERE s.kind = 'events' AND d.path LIKE '%brott_%'
                """
            ).map { ($0["path"] as String, $0["name"] as String) })
    }

    /// What a run publishes: every exported file's bytes, and the tables aggregate and normalize fill
    /// (rows as text, sorted).
    func outputs(_ fixture: PipelineFixture) throws -> [String: String] {
        var result: [String: String] = [:]
        let out = try #require(realpath(fixture.path("ws/out"), nil).map { String(cString: $0) })
        for name in try FileManager.default.subpathsOfDirectory(atPath: out) {
            var isFolder: ObjCBool = false
            let path = out + "/" + name
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
                continue
            }
            var text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
            // The summary's "since the previous report" part differs by design between a later run and a first.
            if let start = text.range(of: "<h3>Sedan förra rapporten</h3>"),
                let end = text.range(of: "</section>", range: start.upperBound..<text.endIndex)
            {
                text.removeSubrange(start.lowerBound..<end.lowerBound)
            }
            // A report names its run, the minute it was made and compares the follow-up with the previous
            // run's: the lines a later run must differ in. Every other line, and every other file, is compared.
            result["file " + name] = text.split(separator: "\n", omittingEmptySubsequences: false).filter {
                !$0.contains("örning") && !$0.contains("<dt>Genererad</dt>") && !$0.contains("första uppföljningen")
            }.joined(separator: "\n")
        }
        #expect(result.keys.contains("file lagesbild.html"))
        #expect(result.keys.filter { $0.hasSuffix(".csv") }.count > 10)
        let tables = try fixture.rows(
            """
            SELECT name FROM sqlite_master WHERE type = 'table' AND (name IN ('indicators', 'indicator_values',
                'followup', 'measure_followup', 'measure_effects', 'measure_reports', 'codelist_areas')
                OR name LIKE 'plan_%')
            """
        ).map { $0["name"] as String }
        #expect(tables.count >= 7)
        for table in tables {
            // Rows sorted: some tables are filled from dictionaries, in no fixed row order.
            result["table " + table] = try fixture.rows("SELECT * FROM \(table)").map(\.description).sorted()
                .joined(separator: "\n")
        }
        result["quarantine"] = try fixture.rows(
            "SELECT stage, source_id, file, line, \"column\", reason, raw FROM quarantine ORDER BY 1, 2, 3, 4, 5, 6"
        ).map(\.description).joined(separator: "\n")
        result["observations"] = try fixture.rows(
            "SELECT source_id, line, area_code, period, measure, dimensions, value FROM observations ORDER BY 1, 2, 3, 4, 5, 6"
        ).map(\.description).joined(separator: "\n")
        result["deliveries"] = try fixture.rows(
            """
            SELECT path, rows_read, rows_accepted, rows_quarantined, normalize_rows_quarantined,
                normalize_values_quarantined, status FROM deliveries ORDER BY path
            """
        ).map(\.description).joined(separator: "\n")
        result["events"] = try fixture.events().map { "\($0.line) \($0.crimeCode) \($0.date) \($0.district ?? "")" }
            .sorted().joined(separator: "\n")
        return result
    }

    /// Runs the pipeline again in a fresh workspace and expects every output to be `incremental`'s.
    func expectSameAsFromScratch(_ fixture: PipelineFixture, _ incremental: [String: String]) async throws {
        try FileManager.default.removeItem(atPath: fixture.path("ws"))
        try await fixture.run()
        let scratch = try outputs(fixture)
        #expect(scratch.keys.sorted() == incremental.keys.sorted())
        for (name, content) in scratch {
            #expect(incremental[name] == content, "\(name) differs from a run from scratch")

        }
    }

    @Test func oneChangedFileIsNormalizedAgainAndTheOutputsAreThoseOfAFullRun() async throws {
        let fixture = try sampleFixture()
        try await fixture.run()
        let before = try eventFiles(fixture)
        #expect(before.count == 4)
        let indicatorsBefore = try outputs(fixture)["table indicator_values"]
        try appendEvent(fixture, year: 2021)
        try await fixture.run()
        let after = try eventFiles(fixture)
        // Only the 2021 file's events were normalized again.
        for (path, name) in before {
            if path.hasSuffix("brott_2021.csv") {
                #expect(after[path] != name)
            } else {
                #expect(after[path] == name, "\(path) was normalized again")
            }
        }
        let incremental = try outputs(fixture)
        #expect(incremental["table indicator_values"] != indicatorsBefore)  // the event counts
        try await expectSameAsFromScratch(fixture, incremental)
    }

    /// Aggregate keeps each events file's counts: a night that changed one file counts that one and adds the
    /// others' stored counts (the sums are a full count's, the test above compares them with a run from
    /// scratch); counts of files no longer listed are dropped.
    @Test func aggregateCountsOnlyTheChangedFileAndAddsTheStoredCountsOfTheOthers() async throws {
        let fixture = try sampleFixture()
        try await fixture.run()
        func parts() throws -> [String: String] {
            Dictionary(
                uniqueKeysWithValues: try fixture.rows("SELECT file, key FROM event_count_parts").map {
                    ($0["file"] as String, $0["key"] as String)
                })
        }
        // Every events file has its counts (the police files, and the other events sources' files).
        func allEventFiles() throws -> Set<String> {
            Set(try fixture.rows("SELECT name FROM store_files WHERE kind = 'events'").map { $0["name"] as String })
        }
        let before = try parts()
        #expect(Set(before.keys) == (try allEventFiles()))
        #expect(Set(try eventFiles(fixture).values).isSubset(of: Set(before.keys)))
        try appendEvent(fixture, year: 2021)
        try await fixture.run()
        let after = try parts()
        let files = try eventFiles(fixture)
        #expect(Set(after.keys) == (try allEventFiles()))  // the replaced 2021 file's counts are gone
        for (path, name) in files {
            #expect((before[name] != nil) == !path.hasSuffix("brott_2021.csv"), "\(path)")
        }
        // The stored counts are what aggregate adds: with the 2020 file's counts zeroed, its events no longer
        // count; without them, they are counted from the file again.
        func total2020() throws -> Double? {
            try fixture.rows(
                """
                SELECT numerator FROM indicator_values WHERE indicator_id = 'anmalda_brott_per_100k'
                    AND area_level = 'municipality' AND period = '2020' AND breakdown = ''
                """
            ).first?["numerator"]
        }
        let counted = try #require(try total2020())
        let file2020 = try #require(files.first { $0.key.hasSuffix("brott_2020.csv") }?.value)
        try await fixture.database().write { db in
            try db.execute(
                sql: "UPDATE event_count_parts SET counts = zeroblob(length(counts)) WHERE file = ?",
                arguments: [file2020])
        }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let runner = PipelineRunner(
            pipeline: try fixture.pipeline(), workspaceDirectory: fixture.path("ws"), logger: logger)
        _ = try await runner.run(RunOptions(stages: [.aggregate], force: true, command: "test"))
        #expect(try total2020() != counted)
        try await fixture.database().write { db in
            try db.execute(sql: "DELETE FROM event_count_parts WHERE file = ?", arguments: [file2020])
        }
        _ = try await runner.run(RunOptions(stages: [.aggregate], force: true, command: "test"))
        #expect(try total2020() == counted)
        #expect(Set(try parts().keys) == (try allEventFiles()))
    }

    @Test func aChangedCodeListOrPipelineSettingNormalizesEveryDelivery() async throws {
        let fixture = try sampleFixture()
        try await fixture.run()
        let first = try eventFiles(fixture)
        // A code list changes: a crime code moves to another category.
        let categories = try String(
            contentsOfFile: repositoryRoot + "/Pipelines/codelists/crime_categories.csv", encoding: .utf8)
        let moved = categories.replacingOccurrences(of: "vald;0301", with: "skadegorelse;0301")
        #expect(moved != categories)
        try fixture.write("crime_categories.csv", moved)
        let pipeline = try String(contentsOfFile: fixture.path("pipeline.yaml"), encoding: .utf8)
        let listed = repositoryRoot + "/Pipelines/codelists/crime_categories.csv"
        #expect(pipeline.contains(listed))
        try fixture.write(
            "pipeline.yaml", pipeline.replacingOccurrences(of: listed, with: fixture.path("crime_categories.csv")))
        try await fixture.run()
        let second = try eventFiles(fixture)
        #expect(second.count == 4)
        for (path, name) in second { #expect(first[path] != name, "\(path) kept its result") }
        // A source's codes change in the pipeline file (its quarantine limit): again every delivery.
        let changed = try String(contentsOfFile: fixture.path("pipeline.yaml"), encoding: .utf8)
        let limited = changed.replacingOccurrences(of: "    quarantine_limit: 1%\n", with: "    quarantine_limit: 2%\n")
        #expect(limited != changed)
        try fixture.write("pipeline.yaml", limited)
        try await fixture.run()
        for (path, name) in try eventFiles(fixture) { #expect(second[path] != name, "\(path) kept its result") }
        try await expectSameAsFromScratch(fixture, try outputs(fixture))
    }

    @Test func aWithdrawnDeliveryLosesItsResultsAndAMissingOneIsReported() async throws {
        let fixture = try PipelineFixture()
        try fixture.writePipeline(
            sources: policeSource,
            indicators: """
                  - id: crimes
                    title: Anmälda brott
                    kind: count
                    numerator: { events: all }
                """)
        let header = "Ärendenummer;Brottskod;Brottsdatum;Klockslag;Område;DeSO;Fritext\r\n"
        try fixture.writeWindows1252(
            "police/2022.csv", header + "1;0857;2022-03-01;;Vallås;;\r\n2;XXXX;2022-04-01;;;;\r\n")
        try fixture.writeWindows1252(
            "police/2023.csv", header + "1;0857;2023-03-01;;Vallås;;\r\n2;0857;2023-04-01;;;;\r\n")
        try await fixture.run()
        #expect(try fixture.count("SELECT count(*) FROM quarantine WHERE stage = 'normalize'") == 1)
        // The 2022 file goes missing: the run fails on the deliveries gate, naming it, and publishes nothing.
        try FileManager.default.removeItem(atPath: fixture.path("police/2022.csv"))
        do {
            try await fixture.run()
            Issue.record("a run without a file delivered before passed")
        } catch {
            #expect("\(error)".contains("2022.csv"))
        }
        #expect(try fixture.events().filter { $0.date.hasPrefix("2022") }.count == 1)
        // Listed as withdrawn: its events, quarantine rows and kept result go away.
        let pipeline = try String(contentsOfFile: fixture.path("pipeline.yaml"), encoding: .utf8)
        try fixture.write(
            "pipeline.yaml",
            pipeline.replacingOccurrences(
                of: "    files: police/*.csv\n",
                with: "    files: police/*.csv\n    delivery: { withdrawn: [police/2022.csv] }\n"))
        try await fixture.run()
        #expect(try fixture.events().map(\.date) == ["2023-03-01", "2023-04-01"])
        #expect(try fixture.count("SELECT count(*) FROM quarantine WHERE stage = 'normalize'") == 0)
        #expect(try fixture.count("SELECT count(*) FROM normalize_inputs") == 1)
        #expect(try fixture.count("SELECT count(*) FROM store_files WHERE kind = 'events'") == 1)
        #expect(try fixture.count("SELECT count(*) FROM indicator_values WHERE period = '2022'") == 0)
    }
}
