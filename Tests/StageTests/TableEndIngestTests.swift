import Foundation
import GRDB
import LagesbildRunner
import Testing

/// `table_ends` on workbooks: the rows after the table's end are counted as skipped, not read.
@Suite struct TableEndIngestTests {
    static func source(_ tableEnd: String) -> String {
        """
          - id: bra-xlsx
            supplier: bra
            kind: observations
            format: xlsx
            files: bra/*.xlsx
            measure: reported_crimes
            quarantine_limit: 0
            \(tableEnd)
            columns: { area: Region, period: År, value: Antal }
        """
    }

    func ingest(_ tableEnd: String) async throws -> PipelineFixture {
        let fixture = try PipelineFixture()
        try fixture.writePipeline(sources: Self.source(tableEnd))
        let inline = FormatIngestTests.inline
        try FormatIngestTests().writeWorkbook(
            fixture, "bra/brå.xlsx", sheet: "Blad1",
            rows: "<row r=\"1\">\(inline("A1", "Region"))\(inline("B1", "År"))\(inline("C1", "Antal"))</row>"
                + "<row r=\"2\">\(inline("A2", "1380"))<c r=\"B2\"><v>2022</v></c><c r=\"C2\"><v>10</v></c></row>"
                + "<row r=\"3\">\(inline("A3", "1380"))<c r=\"B3\"><v>2023</v></c><c r=\"C3\"><v>12</v></c></row>"
                + "<row r=\"5\">\(inline("A5", "Källa: Brå"))</row>"
                + "<row r=\"6\">\(inline("A6", "Anm: 2023 preliminärt"))</row>")
        try await fixture.run([.ingest, .normalize])
        try fixture.expectDeliveriesBalance()
        return fixture
    }

    func counts(_ fixture: PipelineFixture) throws -> [Int] {
        let row = try #require(
            try fixture.rows("SELECT rows_read, rows_accepted, rows_quarantined, lines_skipped FROM deliveries").first)
        return [row["rows_read"], row["rows_accepted"], row["rows_quarantined"], row["lines_skipped"]]
    }

    @Test(arguments: [
        "table_ends: first-blank-line", "table_ends: { before_line_matching: \"^(Källa|Anm)\" }",
        "table_ends: { footer_lines: 2 }",
    ])
    func theNotesBelowAWorkbookTableAreSkipped(_ tableEnd: String) async throws {
        let fixture = try await ingest(tableEnd)
        #expect(try counts(fixture) == [2, 2, 0, 2])
        #expect(try fixture.count("SELECT CAST(sum(value) AS INTEGER) FROM observations") == 22)
    }

    @Test func withoutTableEndsTheWorkbookStopsAtTheEmptyRowAsBefore() async throws {
        let fixture = try await ingest("")
        #expect(try counts(fixture) == [2, 2, 0, 0])
    }

    @Test func anEventsFileWithAFooterReadsOnlyItsTable() async throws {
        let fixture = try PipelineFixture()
        try fixture.writePipeline(sources: policeSource + "\n    table_ends: { before_line_matching: \"^K.lla\" }")
        try fixture.writeWindows1252(
            "police/2023.csv",
            "Brottskod;Brottsdatum;Klockslag;Område;DeSO\r\n"
                + "0857;2023-03-01;22:15;Vallås;1380C0090\r\n"
                + "0857;2023-03-04;10:00;Söndrum;\r\n"
                + "Källa: Polisen, uttag 2024-01-10\r\n"
                + "Anm: preliminära uppgifter\r\n")
        try await fixture.run([.ingest, .normalize])
        try fixture.expectDeliveriesBalance()
        #expect(try counts(fixture) == [2, 2, 0, 2])
        #expect(try fixture.events().count == 2)
    }

    @Test func aWorkbookKeepsItsTextColumnMasked() async throws {
        let fixture = try PipelineFixture()
        try fixture.writePipeline(sources: Self.source("texts: { comment: Kommentar }"))
        let inline = FormatIngestTests.inline
        try FormatIngestTests().writeWorkbook(
            fixture, "bra/brå.xlsx", sheet: "Blad1",
            rows: "<row r=\"1\">\(inline("A1", "Region"))\(inline("B1", "År"))\(inline("C1", "Antal"))"
                + "\(inline("D1", "Kommentar"))</row>"
                + "<row r=\"2\">\(inline("A2", "1380"))<c r=\"B2\"><v>2023</v></c><c r=\"C2\"><v>12</v></c>"
                + "\(inline("D2", "  Uppgift från 850412-1234  "))</row>"
                + "<row r=\"3\">\(inline("A3", "1380"))<c r=\"B3\"><v>2022</v></c><c r=\"C3\"><v>10</v></c></row>")
        try await fixture.run([.ingest, .normalize])
        let texts = try fixture.rows("SELECT line, name, text FROM observation_texts")
        #expect(texts.map { $0["line"] as Int } == [2])
        #expect(texts.map { $0["name"] as String } == ["comment"])
        #expect(texts.map { $0["text"] as String } == ["Uppgift från ******-****"])
    }
}
