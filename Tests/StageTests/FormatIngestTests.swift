import Foundation
import GRDB
import LagesbildRunner
import Testing
import ZIPFoundation

/// Ingest of workbooks (`format: xlsx`) and JSON answers (`format: json`).
@Suite struct FormatIngestTests {
    /// A one-sheet workbook whose sheet holds `rows` (`<row>` elements), written with ZIPFoundation.
    func writeWorkbook(_ fixture: PipelineFixture, _ name: String, sheet: String, rows: String) throws {
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        let parts = [
            (
                "xl/workbook.xml",
                "<workbook xmlns=\"\(main)\" xmlns:r=\"\(rel)\"><sheets><sheet name=\"\(sheet)\" sheetId=\"1\" "
                    + "r:id=\"rId1\"/></sheets></workbook>"
            ),
            (
                "xl/_rels/workbook.xml.rels",
                "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship "
                    + "Id=\"rId1\" Type=\"\(rel)/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"
            ),
            ("xl/worksheets/sheet1.xml", "<worksheet xmlns=\"\(main)\"><sheetData>\(rows)</sheetData></worksheet>"),
        ]
        try fixture.write(name, "")
        try FileManager.default.removeItem(atPath: fixture.path(name))
        let archive = try Archive(url: URL(fileURLWithPath: fixture.path(name)), accessMode: .create)
        for (part, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(
                with: part, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
                provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
        }
    }

    static func inline(_ reference: String, _ text: String) -> String {
        "<c r=\"\(reference)\" t=\"inlineStr\"><is><t>\(text)</t></is></c>"
    }

    @Test func theSampleWorkbookAndJSONAnswersAreIngested() async throws {
        let fixture = try PipelineFixture()
        try fixture.useSamplePipeline()
        try await fixture.run([.ingest, .normalize])
        try fixture.expectDeliveriesBalance()
        let encodings = try fixture.rows(
            "SELECT source_id, encoding, rows_read, rows_quarantined FROM deliveries WHERE source_id IN "
                + "('bra-workbook', 'kolada-violence', 'population-api') ORDER BY source_id")
        #expect(
            encodings.map { $0["encoding"] as String } == [
                "xlsx Tabell1, header row 4", "json kolada", "json json-stat",
            ])
        #expect(encodings.map { $0["rows_read"] as Int } == [24, 36, 12])
        #expect(encodings.allSatisfy { ($0["rows_quarantined"] as Int) == 0 })
        // Brå's workbook: a count, a rate from a formula's cached value, and '..' as suppressed.
        #expect(
            try fixture.count(
                "SELECT CAST(value AS INTEGER) FROM observations WHERE source_id = 'bra-workbook' AND area_code = '1380' "
                    + "AND period = '2023' AND measure = 'bra_reported_crimes' AND dimensions = '{\"crime_type\":\"Olaga hot\"}'"
            )
                == 877)
        #expect(
            try fixture.count(
                "SELECT count(*) FROM observations WHERE source_id = 'bra-workbook' AND area_code = '00' "
                    + "AND period = '2023' AND missing = 'suppressed'") == 2)
        // Kolada: the county's id 0013 is SCB's 13; K and M have no value.
        let county = try fixture.rows(
            "SELECT value FROM observations WHERE source_id = 'kolada-violence' AND area_code = '13' "
                + "AND period = '2023' AND dimensions = '{\"gender\":\"*\"}'")
        #expect(county.map { $0["value"] as Double } == [873.3])
        #expect(
            try fixture.count(
                "SELECT count(*) FROM observations WHERE source_id = 'kolada-violence' AND missing IS NOT NULL")
                == 24)
        // JSON-stat: Halmstad's population 2023.
        #expect(
            try fixture.count(
                "SELECT CAST(value AS INTEGER) FROM observations WHERE source_id = 'population-api' "
                    + "AND area_code = '1380' AND period = '2023'") == 105_796)
    }

    @Test func aBadWorkbookCellIsQuarantinedWithItsSheetAndCell() async throws {
        let fixture = try PipelineFixture()
        try fixture.writePipeline(
            sources: """
                  - id: bra-xlsx
                    supplier: bra
                    kind: observations
                    format: xlsx
                    files: bra/*.xlsx
                    area_codes: name
                    measure: reported_crimes
                    quarantine_limit: 100%
                    columns: { area: Region, period: År, value: Antal }
                """)
        try writeWorkbook(
            fixture, "bra/brå.xlsx", sheet: "Blad1",
            rows: "<row r=\"1\">\(Self.inline("A1", "Anmälda brott"))</row>"
                + "<row r=\"3\">\(Self.inline("A3", "Region"))\(Self.inline("B3", "År"))\(Self.inline("C3", "Antal"))</row>"
                + "<row r=\"4\">\(Self.inline("A4", "Halmstad"))<c r=\"B4\"><v>2023</v></c><c r=\"C4\"><v>10</v></c></row>"
                + "<row r=\"5\">\(Self.inline("A5", "Laholm 19850412-1234"))<c r=\"B5\"><v>2023</v></c>\(Self.inline("C5", "tio"))</row>"
        )
        try await fixture.run([.ingest])
        try fixture.expectDeliveriesBalance()
        let quarantine = try #require(
            try fixture.rows("SELECT file, line, \"column\", reason, raw FROM quarantine").first)
        #expect((quarantine["file"] as String).hasSuffix("brå.xlsx"))
        #expect((quarantine["line"] as Int) == 5)
        #expect((quarantine["column"] as Int?) == 3)
        #expect((quarantine["reason"] as String).hasPrefix("Blad1!C5: Antal: not a number"))
        // The personal identity number in the row is masked in the quarantine.
        #expect(!(quarantine["raw"] as String).contains("0412-1234"))
        #expect((quarantine["raw"] as String).hasPrefix("Laholm *"))
        #expect((quarantine["raw"] as String).hasSuffix(";2023;tio"))
        let delivery = try #require(try fixture.rows("SELECT rows_read, rows_accepted, encoding FROM deliveries").first)
        #expect((delivery["rows_read"] as Int) == 2)
        #expect((delivery["encoding"] as String) == "xlsx Blad1, header row 3 (detected)")
    }

    static let jsonSource = """
          - id: api
            supplier: scb
            kind: observations
            format: json
            records: data[]
            files: api/*.json
            measure: population
            quarantine_limit: 100%
            columns: { area: kommun.kod, period: år, value: antal }
        """

    @Test func jsonRecordsWithAMissingFieldOrAWrongTypeAreQuarantinedWithTheirPath() async throws {
        let fixture = try PipelineFixture()
        try fixture.writePipeline(sources: Self.jsonSource)
        try fixture.write(
            "api/svar.json",
            """
            {"data": [
              {"kommun": {"kod": "1380"}, "år": "2023", "antal": 105796},
              {"kommun": {"namn": "Laholm"}, "år": "2023", "antal": 26000},
              {"kommun": {"kod": "1381"}, "år": "2023", "antal": {"värde": 1}}
            ], "pageToken": null}
            """)
        try await fixture.run([.ingest])
        try fixture.expectDeliveriesBalance()
        let quarantine = try fixture.rows("SELECT line, reason FROM quarantine ORDER BY line")
        #expect(quarantine.map { $0["line"] as Int } == [2, 3])
        #expect((quarantine[0]["reason"] as String) == "$.data[1].kommun.kod: the field kommun.kod is missing")
        #expect(
            (quarantine[1]["reason"] as String) == "$.data[2].antal: expected a text or a number, found an object")
        #expect(try fixture.count("SELECT count(*) FROM raw_observations") == 1)
    }

    @Test func anHTMLPageWhereJSONWasExpectedFailsTheFileAndKeepsWhatWasPublished() async throws {
        let fixture = try PipelineFixture()
        try fixture.writePipeline(
            sources: Self.jsonSource.replacingOccurrences(of: "quarantine_limit: 100%", with: "on_file_error: fail"))
        try fixture.write("api/svar.json", #"{"data": [{"kommun": {"kod": "1380"}, "år": "2023", "antal": 105796}]}"#)
        try await fixture.run()
        try fixture.write("api/svar.json", "<html><head><title>503 Service Unavailable</title></head></html>")
        await #expect(throws: (any Error).self) { try await fixture.run() }
        // The failed run left the published generation as it was.
        #expect(try fixture.count("SELECT count(*) FROM raw_observations") == 1)
        let failed = try DatabaseQueue(path: fixture.path("ws/lagesbild.failed.sqlite"))
        let message = try await failed.read { db in
            try String.fetchOne(db, sql: "SELECT message FROM deliveries WHERE status = 'failed'")
        }
        #expect(message?.contains("the file is HTML or XML, not JSON") == true)
        #expect(message?.contains("503 Service Unavailable") == true)
    }

    @Test func eventsFromAJSONAnswer() async throws {
        let fixture = try PipelineFixture()
        try fixture.writePipeline(
            sources: """
                  - id: police-json
                    supplier: police
                    kind: events
                    format: json
                    files: police/*.json
                    quarantine_limit: 100%
                    columns: { crime_code: kod, date: datum, area: plats.namn }
                """)
        try fixture.write(
            "police/handelser.json",
            """
            [{"kod": "0857", "datum": "2023-03-01", "plats": {"namn": "Vallås"}},
             {"kod": "0857", "datum": "2023-03-02"},
             {"datum": "2023-03-03", "plats": {"namn": "Centrum"}}]
            """)
        try await fixture.run([.ingest, .normalize])
        try fixture.expectDeliveriesBalance()
        let events = try fixture.events()
        #expect(events.count == 2)
        #expect(events.contains { $0.district == "1380D03" })  // Vallås
        let reasons = try fixture.rows("SELECT reason FROM quarantine").map { $0["reason"] as String }
        #expect(reasons == ["$[2].kod: the field kod is missing"])
    }
}
