import ColumnStore
import Foundation
import GRDB
import LagesbildRunner
import StageKit
import Testing
import Workspace

/// A delivered file that comes again with rows appended is read from where it ended: ingest reads only the
/// new bytes into a column file that continues the old one, and normalize extends the delivery's events
/// file with the new rows alone. Whatever path it takes, a run leaves what a run from scratch leaves.
@Suite struct AppendedDeliveryTests {
    let header = "Ärendenummer;Brottskod;Brottsdatum;Klockslag;Område;DeSO;Fritext\r\n"

    func rows(_ numbers: ClosedRange<Int>) -> String {
        numbers.map { "\($0);0857;2023-03-\(String(format: "%02d", $0 % 28 + 1));22:15;Vallås;1380C0090;text\r\n" }
            .joined()
    }

    /// Rows ingest and normalize quarantine, and a field with a line break inside quotes.
    let awkwardRows =
        "901;9999;2023-04-01;10:00;Centrum;;okänd kod\r\n"  // normalize: unknown crime code
        + "902;0857;2023-04-02;10:00;Andersberg\r\n"  // ingest: too few fields
        + "903;0857;2023-04-03;10:00;Söndrum;;\"rad ett\r\nrad två\"\r\n"  // a line break in a quoted field
        + "904;0857;2023-04-04;10:00;Ingenstans;;\r\n"  // normalize: unknown area

    /// Everything a run leaves that later stages and readers see, as text.
    func state(_ fixture: PipelineFixture) throws -> [String: String] {
        [
            "deliveries": try fixture.rows(
                """
                SELECT path, sha256, size, rows_read, rows_accepted, rows_quarantined, status, encoding,
                    normalize_rows_quarantined FROM deliveries ORDER BY path
                """
            ).map(\.description).joined(separator: "\n"),
            "quarantine": try fixture.rows(
                "SELECT stage, line, \"column\", reason, raw FROM quarantine ORDER BY stage, line, reason"
            ).map(\.description).joined(separator: "\n"),
            "events": try fixture.events().map {
                "\($0.line) \($0.crimeCode) \($0.date) \($0.district ?? "") \($0.deso ?? "") \($0.hour ?? -1)"
            }.sorted().joined(separator: "\n"),
            "raw": try fixture.rawEvents().map { $0.sorted { $0.key < $1.key }.description }.sorted()
                .joined(separator: "\n"),
        ]
    }

    /// The chunks' row counts of the delivery's files (raw, events) and the raw file's footer metadata.
    func files(_ fixture: PipelineFixture) throws -> (raw: [Int], events: [Int], metadata: [String: String]) {
        func footer(_ kind: String) throws -> ColumnFileFooter {
            let name: String = try #require(
                try fixture.rows("SELECT name FROM store_files WHERE kind = '\(kind)'").first?["name"])
            return try ColumnFileReader(path: fixture.path("ws/store/\(name)")).footer
        }
        let raw = try footer(EventColumns.rawKind)
        return (raw.chunks.map(\.rows), try footer(EventColumns.normalizedKind).chunks.map(\.rows), raw.metadata)
    }

    func expectSameAsFromScratch(_ fixture: PipelineFixture) async throws {
        let incremental = try state(fixture)
        try FileManager.default.removeItem(atPath: fixture.path("ws"))
        try await fixture.run()
        let scratch = try state(fixture)
        for (name, content) in scratch {
            #expect(incremental[name] == content, "\(name) differs from a run from scratch")
        }
        try fixture.expectDeliveriesBalance()
    }

    @Test func rowsAppendedToADeliveredFileAreReadAloneAndGiveAWholeRead() async throws {
        let fixture = try PipelineFixture()
        try fixture.writePipeline(sources: policeSource)
        let first = header + rows(1...30) + awkwardRows
        try fixture.writeWindows1252("police/2023.csv", first)
        try await fixture.run()
        let id: Int64 = try #require(try fixture.rows("SELECT id FROM deliveries").first?["id"])
        #expect(try files(fixture).raw == [33])

        try fixture.writeWindows1252("police/2023.csv", first + rows(31...35) + awkwardRows)
        let report = try await fixture.run()
        // Only the new rows were read, into a file that continues the old one; the delivery keeps its id.
        #expect(report.stages.first { $0.stage == .ingest }?.counts.rowsIn == 9)
        let continued = try files(fixture)
        #expect(continued.raw == [33, 8])
        #expect(continued.metadata[EventColumns.continuesKey] != nil)
        #expect(continued.events.count == 2)  // the events file extended, not written anew
        #expect(try fixture.rows("SELECT id FROM deliveries").map { $0["id"] as Int64 } == [id])
        try await expectSameAsFromScratch(fixture)
    }

    @Test func aFileChangedBeforeItsOldEndIsReadWhole() async throws {
        let fixture = try PipelineFixture()
        try fixture.writePipeline(sources: policeSource)
        try fixture.writeWindows1252("police/2023.csv", header + rows(1...30))
        try await fixture.run()
        // Row 5 corrected and rows appended: the old bytes changed, so the file is read whole.
        let corrected = rows(1...30).replacingOccurrences(of: "5;0857;", with: "5;0858;")
        try fixture.writeWindows1252("police/2023.csv", header + corrected + rows(31...35))
        let report = try await fixture.run()
        #expect(report.stages.first { $0.stage == .ingest }?.counts.rowsIn == 35)
        let whole = try files(fixture)
        #expect(whole.raw == [35])
        #expect(whole.metadata[EventColumns.continuesKey] == nil)
        try await expectSameAsFromScratch(fixture)
    }

    @Test func aFileWhoseLastRowHadNoLineFeedIsReadWhole() async throws {
        let fixture = try PipelineFixture()
        try fixture.writePipeline(sources: policeSource)
        let first = header + rows(1...30).dropLast(2)  // no line feed after the last row
        try fixture.writeWindows1252("police/2023.csv", String(first))
        try await fixture.run()
        // The appended bytes continue the last row (its free text), then add rows.
        try fixture.writeWindows1252("police/2023.csv", first + " mer\r\n" + rows(31...32))
        let report = try await fixture.run()
        #expect(report.stages.first { $0.stage == .ingest }?.counts.rowsIn == 32)
        #expect(try files(fixture).raw == [32])
        try await expectSameAsFromScratch(fixture)
    }

    @Test func appendedRowsOverTheQuarantineLimitRejectTheDeliveryAsAWholeReadWould() async throws {
        let fixture = try PipelineFixture()
        try fixture.writePipeline(
            sources: policeSource.replacingOccurrences(of: "quarantine_limit: 100%", with: "quarantine_limit: 10%"))
        try fixture.writeWindows1252("police/2023.csv", header + rows(1...20))
        try await fixture.run()
        let broken = (100...110).map { "\($0);0857;2023-04-01\r\n" }.joined()  // too few fields each
        try fixture.writeWindows1252("police/2023.csv", header + rows(1...20) + broken)
        // The run fails (the file is rejected); its working copy is kept for inspection.
        func failedRun() throws -> [String] {
            try DatabaseQueue(path: fixture.path("ws/lagesbild.failed.sqlite")).read { db in
                try Row.fetchAll(db, sql: "SELECT rows_read, rows_quarantined, status FROM deliveries")
                    .map(\.description)
            }
        }
        await #expect(throws: (any Error).self) { try await fixture.run() }
        let incremental = try failedRun()
        #expect(incremental.first?.contains("rejected") == true)
        try FileManager.default.removeItem(atPath: fixture.path("ws"))
        await #expect(throws: (any Error).self) { try await fixture.run() }
        let scratch = try failedRun()
        #expect(incremental == scratch)
    }
}
