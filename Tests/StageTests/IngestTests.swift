import Foundation
import GRDB
import LagesbildModel
import LagesbildRunner
import Logging
import StageKit
import Testing
import Workspace

@Suite struct IngestTests {
    let header = "Ärendenummer;Brottskod;Brottsdatum;Klockslag;Område;DeSO;Fritext\r\n"

    @Test func policeEventsInWindows1252WithBrokenRows() async throws {
        let fixture = try PipelineFixture()
        try fixture.writePipeline(sources: policeSource)
        try fixture.writeWindows1252(
            "police/2023.csv",
            header
                + "1;0857;2023-03-01;22:15;Vallås;1380C0090;\r\n"  // good
                + "2;9999;2023-03-02;10:00;Centrum;;\r\n"  // unknown code (normalize)
                + "3;0857;2023-02-30;10:00;Centrum;;\r\n"  // impossible date (normalize)
                + "4;0857;2023-03-04;10:00;Söndrum;;\"ringde från 19850412-1234; se \"\"bilaga\"\"\"\r\n"  // good
                + "5;0857;2023-03-05;10:00;Andersberg;\r\n"  // too few fields (ingest)
                + "6;0857;2023-03-06;10:00;Ingenstans;;\r\n"  // unknown area (normalize)
                + "7;;2023-03-07;10:00;Centrum;;\r\n")  // empty crime code (ingest)
        try await fixture.run()
        try fixture.expectDeliveriesBalance()
        let delivery = try #require(try fixture.rows("SELECT * FROM deliveries").first)
        #expect((delivery["rows_read"] as Int) == 7)
        #expect((delivery["rows_accepted"] as Int) == 5)
        #expect((delivery["encoding"] as String) == "windows-1252")
        let events = try fixture.events().sorted { $0.line < $1.line }
        #expect(events.map(\.line) == [2, 5])
        #expect(events[0].district == "1380D03")  // Vallås
        #expect(events[0].deso == "1380C0090")
        #expect(events[0].municipality == "1380")
        #expect(events[0].weekday == 3)  // 2023-03-01 was a Wednesday
        #expect(events[0].hour == 22)
        let quarantine = try fixture.rows("SELECT stage, line, \"column\", reason, raw FROM quarantine ORDER BY line")
        #expect(quarantine.map { $0["line"] as Int } == [3, 4, 6, 7, 8])
        let reasons = quarantine.map { $0["reason"] as String }
        #expect(reasons[0].contains("unknown crime code 9999"))
        #expect(reasons[1].contains("2023-02-30"))
        #expect(reasons[2].contains("6 fields") || reasons[2].contains("fields"))
        #expect(reasons[3].contains("unknown area 'Ingenstans'"))
        #expect(reasons[4].contains("Brottskod is empty"))
        #expect((quarantine[3]["stage"] as String) == "normalize")
        #expect((quarantine[4]["column"] as Int?) == 2)
    }

    /// A new events file large enough to be read in parts is hashed while it is read, not before: the delivery
    /// still records the file's real SHA-256, and a changed file (another size) is read and hashed again.
    @Test func aLargeNewEventsFileIsHashedWhileItIsRead() async throws {
        let fixture = try PipelineFixture()
        try fixture.writePipeline(sources: policeSource)
        let filler = String(repeating: "x", count: 2_000)
        let row = "1;0857;2023-03-01;22:15;Vallås;1380C0090;\(filler)\r\n"
        let rows = (64 << 20) / row.utf8.count + 10  // just over the size where files are read in parts
        try fixture.writeWindows1252("police/2023.csv", header + String(repeating: row, count: rows))
        try await fixture.run([.ingest])
        func sha256(_ path: String) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
            process.arguments = [path]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let output = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: output, as: UTF8.self).split(separator: " ").first.map(String.init) ?? ""
        }
        let file = fixture.path("police/2023.csv")
        var delivery = try #require(try fixture.rows("SELECT * FROM deliveries").first)
        #expect((delivery["sha256"] as String) == (try sha256(file)))
        #expect((delivery["rows_read"] as Int) == rows)
        let handle = try #require(FileHandle(forWritingAtPath: file))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(row.utf8))
        try handle.close()
        try await fixture.run([.ingest])
        delivery = try #require(try fixture.rows("SELECT * FROM deliveries").first)
        #expect((delivery["sha256"] as String) == (try sha256(file)))
        #expect((delivery["rows_read"] as Int) == rows + 1)
        try fixture.expectDeliveriesBalance()
    }

    /// A file whose identity (device, inode, size, mtime, ctime) is the one recorded when it was hashed keeps
    /// its recorded hash unread; any write to it (even of the same bytes) moves its ctime, and it is hashed
    /// again. A file changed within two seconds of being hashed gets no identity, so it is hashed next time.
    @Test func anUnchangedFileIsNotReadAgainWhileItsIdentityHolds() async throws {
        let fixture = try PipelineFixture()
        try fixture.writePipeline(sources: policeSource)
        let content = header + "1;0857;2023-03-01;22:15;Vallås;1380C0090;\r\n"
        try fixture.writeWindows1252("police/2023.csv", content)
        // Ingest runs each time (a run would skip the stage while no file's size and mtime changed).
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let runner = PipelineRunner(
            pipeline: try fixture.pipeline(), workspaceDirectory: fixture.path("ws"), logger: logger)
        func ingest() async throws -> Row {
            _ = try await runner.run(RunOptions(stages: [.ingest], force: true, command: "test"))
            return try #require(try fixture.rows("SELECT id, sha256, file_identity FROM deliveries").first)
        }
        // Just written: not settled, so no identity is recorded.
        var delivery = try await ingest()
        #expect((delivery["file_identity"] as String?) == nil)
        let hash: String = delivery["sha256"]
        try await Task.sleep(for: .milliseconds(2_100))
        delivery = try await ingest()  // hashed again (no identity yet), now settled: recorded
        let identity = try #require(delivery["file_identity"] as String?)
        #expect((delivery["sha256"] as String) == hash)
        let id: Int64 = delivery["id"]

        // Proof that the file is not read: a recorded hash that no longer matches the bytes is believed while
        // the identity holds (the delivery is kept, not read again).
        try await fixture.database().write { db in
            try db.execute(sql: "UPDATE deliveries SET sha256 = 'recorded-hash' WHERE id = ?", arguments: [id])
        }
        delivery = try await ingest()
        #expect((delivery["id"] as Int64) == id)
        #expect((delivery["sha256"] as String) == "recorded-hash")
        #expect((delivery["file_identity"] as String?) == identity)

        // The same bytes written again: the identity changed, so the file is hashed; its real hash differs from
        // the recorded one, so it is read again as a changed delivery.
        try fixture.writeWindows1252("police/2023.csv", content)
        delivery = try await ingest()
        #expect((delivery["sha256"] as String) == hash)  // hashed, no longer the recorded one
        #expect((delivery["file_identity"] as String?) == nil)  // written just now
        try fixture.expectDeliveriesBalance()
    }

    @Test func personalNumberInFreeTextNeverReachesTheWorkspace() async throws {
        let fixture = try PipelineFixture()
        try fixture.writePipeline(sources: policeSource)
        try fixture.writeWindows1252(
            "police/2023.csv",
            header + "1;0857;2023-03-01;22:15;Vallås;;Anmälare 850412-1234 ringde\r\n"
                + "2;0857;2023-03-01;22:15;Vallås;Anmälare 198504121234\r\n")  // quarantined: too few fields
        try await fixture.run()
        let raw = try fixture.rows("SELECT raw, reason FROM quarantine").map { $0["raw"] as String }
        #expect(raw == ["2;0857;2023-03-01;22:15;Vallås;Anmälare ************"])
        for file in ["ws/lagesbild.sqlite", "ws/lagesbild.sqlite-wal"] {
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: fixture.path(file)))) ?? Data()
            for number in ["850412-1234", "8504121234", "198504121234", "850412"] {
                #expect(bytes.range(of: Data(number.utf8)) == nil, "\(number) found in \(file)")
            }
        }
    }

    @Test func wrongEncodingIsQuarantinedRowByRow() async throws {
        let fixture = try PipelineFixture()
        try fixture.writePipeline(
            sources: """
                  - id: police
                    supplier: police
                    kind: events
                    files: police/*.csv
                    encoding: utf-8
                    delimiter: ";"
                    quarantine_limit: 100%
                    columns: { crime_code: Brottskod, date: Datum, area: Omrade }
                """)
        // Declared UTF-8, delivered in Windows-1252: the row with "Vallås" (0xE5) is quarantined with its
        // column, the ASCII row is kept.
        try fixture.writeWindows1252(
            "police/2023.csv", "Brottskod;Datum;Omrade\r\n0857;2023-03-01;Vallås\r\n1201;2023-03-02;Centrum\r\n")
        try await fixture.run([.ingest])
        try fixture.expectDeliveriesBalance()
        let quarantine = try #require(try fixture.rows("SELECT line, \"column\", reason FROM quarantine").first)
        #expect((quarantine["line"] as Int) == 2)
        #expect((quarantine["column"] as Int?) == 3)
        #expect((quarantine["reason"] as String).lowercased().contains("utf-8"))
        #expect(try fixture.rawEvents().count == 1)
    }

    @Test func wrongEncodingInTheHeaderFailsTheFileWithAHint() async throws {
        let fixture = try PipelineFixture()
        try fixture.writePipeline(sources: policeSource.replacingOccurrences(of: "windows-1252", with: "utf-8"))
        try fixture.writeWindows1252("police/2023.csv", header + "1;0857;2023-03-01;22:15;Vallås;;\r\n")
        try await fixture.run([.ingest])
        try fixture.expectDeliveriesBalance()
        let delivery = try #require(try fixture.rows("SELECT status, message FROM deliveries").first)
        #expect((delivery["status"] as String) == "failed")
        #expect((delivery["message"] as String).contains("is the file in another encoding?"))
    }

    @Test func renamedHeaderFailsTheFileWithTheColumnName() async throws {
        let fixture = try PipelineFixture()
        try fixture.writePipeline(sources: policeSource)
        try fixture.writeWindows1252(
            "police/2023.csv",
            header.replacingOccurrences(of: "Brottsdatum", with: "Datum") + "1;0857;2023-03-01;;;;\r\n")
        try await fixture.run([.ingest])  // skip-file is the default policy: the run goes on
        let delivery = try #require(try fixture.rows("SELECT status, message FROM deliveries").first)
        #expect((delivery["status"] as String) == "failed")
        #expect((delivery["message"] as String).contains("the column 'Brottsdatum' (for date) is not in the header"))
        try fixture.expectDeliveriesBalance()
        #expect(try fixture.rawEvents().count == 0)
    }

    @Test func missingColumnFailsTheStageWhenThePolicyIsFail() async throws {
        let fixture = try PipelineFixture()
        try fixture.writePipeline(sources: policeSource + "\n    on_file_error: fail")
        try fixture.writeWindows1252("police/2023.csv", "Brottskod;Område\r\n0857;Vallås\r\n")
        do {
            try await fixture.run([.ingest])
            Issue.record("expected a data error")
        } catch let error as StageDataError {
            #expect(error.description.contains("is not in the header; the header has: Brottskod | Område"))
        }
        // An unchanged failed file fails again on the next run: nothing is silently kept.
        await #expect(throws: StageDataError.self) { try await fixture.run([.ingest]) }
    }

    @Test func aSourceRemovedFromThePipelineFileIsRetiredWithItsRows() async throws {
        let fixture = try PipelineFixture()
        let second = policeSource.replacingOccurrences(of: "id: police", with: "id: police-old")
            .replacingOccurrences(of: "police/*.csv", with: "old/*.csv")
        try fixture.writePipeline(sources: policeSource + "\n" + second)
        try fixture.writeWindows1252("police/2023.csv", header + "1;0857;2023-03-01;;Vallås;;\r\n")
        try fixture.writeWindows1252("old/2023.csv", header + "1;0857;2023-03-01;;Vallås;;\r\n2;;;;;;\r\n")
        try await fixture.run([.ingest])
        #expect(try fixture.count("SELECT count(*) FROM deliveries WHERE source_id = 'police-old'") == 1)
        #expect(try fixture.count("SELECT count(*) FROM quarantine WHERE source_id = 'police-old'") == 1)
        #expect(try fixture.rawEvents().count == 2)

        try fixture.writePipeline(sources: policeSource)
        try await fixture.run([.ingest])
        #expect(try fixture.count("SELECT count(*) FROM deliveries WHERE source_id = 'police-old'") == 0)
        #expect(try fixture.count("SELECT count(*) FROM quarantine WHERE source_id = 'police-old'") == 0)
        #expect(try fixture.rawEvents().count == 1)
    }

    @Test func aCategoryNamedAllIsRefused() async throws {
        let fixture = try PipelineFixture()
        try fixture.writePipeline(sources: policeSource)
        try fixture.write("categories.csv", "category;crime_code\nvald;0857\nall;1201\n")
        let pipeline = try String(contentsOfFile: fixture.path("pipeline.yaml"), encoding: .utf8)
        try fixture.write(
            "pipeline.yaml",
            pipeline.replacingOccurrences(
                of: "\(repositoryRoot)/Pipelines/codelists/crime_categories.csv", with: fixture.path("categories.csv")))
        try fixture.writeWindows1252("police/2023.csv", header + "1;0857;2023-03-01;;Vallås;;\r\n")
        await #expect {
            try await fixture.run([.ingest, .normalize])
        } throws: { error in
            "\(error)".contains("the category name 'all' is reserved") && "\(error)".contains("categories.csv:3")
        }
    }

    @Test func deliveriesSameChangedAndSeveralFiles() async throws {
        let fixture = try PipelineFixture()
        try fixture.writePipeline(sources: policeSource)
        try fixture.writeWindows1252(
            "police/2022.csv", header + "1;0857;2022-03-01;;Vallås;;\r\n2;0857;2022-03-02;;;;\r\n")
        try fixture.writeWindows1252("police/2023.csv", header + "1;0857;2023-03-01;;Vallås;;\r\n")
        try await fixture.run([.ingest])
        #expect(try fixture.rawEvents().count == 3)
        let firstIDs = try fixture.rows("SELECT id FROM deliveries ORDER BY path").map { $0["id"] as Int64 }
        let firstHashes = try fixture.rows("SELECT sha256 FROM deliveries ORDER BY path").map { $0["sha256"] as String }

        // The same files again: nothing changes.
        try await fixture.run([.ingest])
        #expect(try fixture.rows("SELECT id FROM deliveries ORDER BY path").map { $0["id"] as Int64 } == firstIDs)
        #expect(try fixture.rawEvents().count == 3)

        // A changed 2023 file replaces exactly its predecessor's rows; 2022 is untouched.
        try fixture.writeWindows1252(
            "police/2023.csv",
            header + "1;0857;2023-03-01;;Vallås;;\r\n2;1201;2023-04-01;;;;\r\n3;1201;2023-05-01;;;;\r\n")
        try await fixture.run([.ingest])
        #expect(try fixture.rawEvents().count == 5)
        let ids = try fixture.rows("SELECT id FROM deliveries ORDER BY path").map { $0["id"] as Int64 }
        #expect(ids[0] == firstIDs[0])
        let hashes = try fixture.rows("SELECT sha256 FROM deliveries ORDER BY path").map { $0["sha256"] as String }
        #expect(hashes[1] != firstHashes[1])
        #expect(hashes[0] == firstHashes[0])
        #expect(try fixture.rawEvents().filter { $0["date"]?.hasPrefix("2022") == true }.count == 2)

        // A file no longer delivered keeps its rows and is marked missing, for the delivery gate.
        try FileManager.default.removeItem(atPath: fixture.path("police/2022.csv"))
        try await fixture.run([.ingest])
        #expect(try fixture.count("SELECT count(*) FROM deliveries") == 2)
        #expect(try fixture.count("SELECT count(*) FROM deliveries WHERE absent = 'missing'") == 1)
        #expect(try fixture.rawEvents().count == 5)

        // Listed as withdrawn, it is retired with its rows.
        let pipeline = try String(contentsOfFile: fixture.path("pipeline.yaml"), encoding: .utf8)
        try fixture.write(
            "pipeline.yaml",
            pipeline.replacingOccurrences(
                of: "    files: police/*.csv",
                with: "    files: police/*.csv\n    delivery: { withdrawn: [police/2022.csv] }"))
        try await fixture.run([.ingest])
        #expect(try fixture.count("SELECT count(*) FROM deliveries") == 1)
        #expect(try fixture.rawEvents().count == 3)
    }

    @Test func aSecondPoliceLayoutNeedsOnlyAPipelineChange() async throws {
        let fixture = try PipelineFixture()
        // Another police area's tool: UTF-8, commas, other names and order, dates as dd/MM/yyyy, times as HHmm.
        try fixture.writePipeline(
            sources: """
                  - id: police
                    supplier: police
                    kind: events
                    files: police/*.csv
                    encoding: utf-8
                    delimiter: ","
                    date_format: dd/MM/yyyy
                    columns:
                      area: STADSDEL
                      time: TID
                      crime_code: BRKOD
                      date: DATUM
                """)
        try fixture.write(
            "police/export.csv", "DATUM,TID,BRKOD,STADSDEL\n01/03/2023,2215,0857,Vallås\n02/03/2023,0930,1201,Centrum\n"
        )
        try await fixture.run([.ingest, .normalize])
        let events = try fixture.events().sorted { $0.date < $1.date }
        #expect(events.map(\.date) == ["2023-03-01", "2023-03-02"])
        #expect(events.map(\.hour) == [22, 9])
        #expect(events.map(\.district) == ["1380D03", "1380D01"])
    }

    @Test func everySampleSourceIngestsCompletely() async throws {
        let fixture = try PipelineFixture()
        try fixture.useSamplePipeline()
        try await fixture.run([.ingest, .normalize])
        try fixture.expectDeliveriesBalance()
        let bySource = try fixture.rows(
            "SELECT source_id, sum(rows_read) AS n, sum(rows_quarantined) AS q FROM deliveries GROUP BY source_id")
        var read: [String: Int] = [:]
        for row in bySource { read[row["source_id"]] = row["n"] }
        #expect(read["police-events"] == 9880)
        #expect(read["bra-sol"] == 21)
        #expect(read["police-survey"] == 48)
        #expect(read["county-board-alcohol"] == 36)
        #expect(read["schools-eligibility"] == 48)
        #expect(read["schools-absence"] == 132)
        #expect(read["schools-survey"] == 70)
        #expect(read["population"] == 954)
        // Markers stay missing with their reason, never 0.
        let suppressed = try fixture.rows(
            "SELECT value, missing FROM observations WHERE source_id = 'bra-sol' AND missing IS NOT NULL")
        #expect(suppressed.count == 6)
        #expect(suppressed.allSatisfy { ($0["value"] as Double?) == nil })
        #expect(Set(suppressed.map { $0["missing"] as String }) == ["suppressed", "not-applicable"])
        // Brå's "1 494 268" (non-breaking space) for Sweden, 2020.
        let sweden = try fixture.count(
            "SELECT CAST(value AS INTEGER) FROM observations WHERE source_id = 'bra-sol' AND area_code = '00' "
                + "AND period = '2020' AND measure = 'reported_crimes' AND dimensions = '{\"crime_type\":\"*\"}'")
        #expect(sweden == 1_494_268)
        // County-board XML: the municipality code from the parent element's attribute.
        #expect(
            try fixture.count(
                "SELECT count(DISTINCT area_code) FROM observations WHERE source_id = 'county-board-alcohol'") == 6)
        // Skolenkäten's XX is missing, not zero.
        #expect(
            try fixture.count(
                "SELECT count(*) FROM observations WHERE source_id = 'schools-survey' AND missing = 'survey-suppressed'"
            ) == 2)
    }
}
