import CSVReader
import Foundation
import SampleGenerator
import Testing

/// The Halmstad sample's weekly incident export is the generator's output, byte for byte, and every
/// type in it is in the type list the pipeline reads it with.
struct IncidentSampleTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test func theCommittedExportIsTheGeneratorsOutput() throws {
        let committed = try Data(contentsOf: URL(fileURLWithPath: Self.root + "/SampleData/" + IncidentSample.path))
        #expect(Array(committed) == IncidentSample.csv())
        #expect(IncidentSample.csv(seed: 1) != IncidentSample.csv())
        let page = try Data(contentsOf: URL(fileURLWithPath: Self.root + "/SampleData/" + PoliceNoticeSample.path))
        #expect(Array(page) == PoliceNoticeSample.json())
        let events = try #require(try JSONSerialization.jsonObject(with: page) as? [[String: Any]])
        #expect(events.count == PoliceNoticeSample.count)
        #expect(events.allSatisfy { ($0["location"] as? [String: Any])?["name"] as? String == "Halmstad" })
    }

    @Test func everyRowHasAKnownTypeADateOfTheYearAndItsIsoWeek() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("incidents-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let written = try IncidentSample.write(into: folder)
        let types = Set(
            try String(contentsOfFile: Self.root + "/Pipelines/codelists/est_handelsetyper.csv", encoding: .utf8)
                .split(separator: "\n").dropFirst().map { String($0.prefix { $0 != ";" }) })
        let reader = try CSVFileReader(
            path: folder + "/" + IncidentSample.path,
            dialect: CSVDialect(delimiter: UInt8(ascii: ";"), encoding: .utf8, titleLines: 0))
        #expect(reader.header == ["Vecka", "Datum", "Klockslag", "Typ", "Område", "Plats", "Rapportör"])
        var rows = 0
        let summary = try reader.forEachRecord(
            { record in
                rows += 1
                let fields = record.strings
                #expect(types.contains(fields[3]), "\(fields)")
                #expect(fields[1].hasPrefix("2023-"))
                #expect(fields[0].contains("-W"))
                #expect(["Utomhus", "Inomhus"].contains(fields[5]))
            }, onReject: { Issue.record("rejected: \($0.reason)") })
        #expect(rows == written)
        #expect(summary.rowsRejected == 0)
        #expect((300...600).contains(rows))
    }
}
