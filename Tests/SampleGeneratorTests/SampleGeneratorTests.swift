import CSVReader
import Foundation
import LagesbildModel
import PipelineModel
import SampleGenerator
import Testing

/// The repository's code lists, found from this file's place in the tree.
private let codeLists = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Pipelines/codelists").path

private func temporaryFolder(_ name: String) throws -> String {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("lagesbild-sample-tests-\(name)-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Every file under `folder` with its bytes, by relative path.
private func contents(of folder: String) throws -> [String: Data] {
    var result: [String: Data] = [:]
    let enumerator = FileManager.default.enumerator(atPath: folder)
    while let path = enumerator?.nextObject() as? String {
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: folder + "/" + path, isDirectory: &isDirectory)
        if !isDirectory.boolValue { result[path] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + path)) }
    }
    return result
}

/// Reads a police file back as the pipeline does (Windows-1252, `;`, no title lines).
private func readPolice(_ path: String) throws -> (header: [String], summary: CSVReadSummary, rows: [[String]]) {
    let reader = try CSVFileReader(
        path: path, dialect: CSVDialect(delimiter: UInt8(ascii: ";"), encoding: .windows1252, titleLines: 0))
    var rows: [[String]] = []
    let summary = try reader.forEachRecord({ rows.append($0.strings) }, onReject: { _ in })
    return (reader.header, summary, rows)
}

@Suite struct SampleGeneratorTests {
    /// Two municipalities of two counties, 120 events a year, three years.
    let tiny = SampleScale(name: "tiny", selection: .municipalities(["1380", "0180"]), eventsPerYear: 120)

    @Test func sameSeedGivesSameBytesAtMunicipalityScale() throws {
        let years = try SampleYears(first: 2021, last: 2022)
        let first = try temporaryFolder("a")
        let second = try temporaryFolder("b")
        defer {
            try? FileManager.default.removeItem(atPath: first)
            try? FileManager.default.removeItem(atPath: second)
        }
        _ = try SampleGenerator(scale: .municipality, years: years, seed: 7, codeListDirectory: codeLists)
            .generate(into: first)
        _ = try SampleGenerator(
            scale: .municipality, years: years, seed: 7, codeListDirectory: codeLists, parallelism: 1
        ).generate(into: second)
        let a = try contents(of: first)
        let b = try contents(of: second)
        #expect(a.keys.sorted() == b.keys.sorted())
        #expect(a.keys.contains("police/brott_2021.csv"))
        for (path, data) in a { #expect(b[path] == data, "\(path) differs") }

        let other = try temporaryFolder("c")
        defer { try? FileManager.default.removeItem(atPath: other) }
        _ = try SampleGenerator(scale: .municipality, years: years, seed: 8, codeListDirectory: codeLists)
            .generate(into: other)
        #expect(try contents(of: other)["police/brott_2021.csv"] != a["police/brott_2021.csv"])
    }

    @Test func rowCountsFollowTheScale() throws {
        let years = try SampleYears(first: 2020, last: 2022)
        let folder = try temporaryFolder("counts")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let report = try SampleGenerator(scale: tiny, years: years, seed: 1, codeListDirectory: codeLists)
            .generate(into: folder)
        #expect(report.municipalities == 2)
        #expect(report.counties == 2)
        #expect(report.police.map(\.year) == [2020, 2021, 2022])
        for (index, police) in report.police.enumerated() {
            let expected = tiny.eventCount(yearIndex: index, yearCount: 3)
            #expect(police.records == expected)
            let read = try readPolice(folder + "/" + police.path)
            #expect(read.summary.rowsRead == expected)
            #expect(police.invalidRecords == 2)
            #expect(police.shortRecords == (police.year == 2022 ? 1 : 0))
        }
        #expect(tiny.eventCount(yearIndex: 0, yearCount: 3) == 115)
        #expect(tiny.eventCount(yearIndex: 2, yearCount: 3) == 125)

        // Population: 18 rows (6 ages × 3 sexes) per region: Sweden, 2 counties, 2 municipalities, every DeSO.
        let population = report.files.first { $0.path == "population/befolkning.csv" }
        #expect(population?.rows == 18 * (1 + 2 + 2 + report.desos))
        // Brå SOL: 7 crime types per region.
        #expect(report.files.first { $0.path == "bra/anmalda_brott_sol.csv" }?.rows == 7 * (1 + 2 + 2))
        // County board: one file per county and year.
        #expect(report.files.filter { $0.path.hasPrefix("county-board/") }.count == 2 * 3)
        let pipeline = try PipelineLoader.load(path: folder + "/pipeline.yaml")
        #expect(pipeline.scope == .country)  // two counties
        #expect(pipeline.source("police-events")?.columns["municipality"]?.column == "Kommun")
        #expect(pipeline.source("police-events")?.columns["deso"]?.column == "DeSO")
    }

    @Test func policeFileReadsBackWithoutRejectedRows() throws {
        let years = try SampleYears(first: 2021, last: 2022)
        let folder = try temporaryFolder("read")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let report = try SampleGenerator(scale: tiny, years: years, seed: 3, codeListDirectory: codeLists)
            .generate(into: folder)

        let read = try readPolice(folder + "/police/brott_2021.csv")
        #expect(
            read.header == [
                "Ärendenummer", "Brottskod", "Brottsdatum", "Klockslag", "Kommun", "Område", "DeSO", "X", "Y", "Plats",
                "Fritext",
            ])
        #expect(read.summary.rowsRejected == 0)
        #expect(read.summary.rowsDelivered == report.police[0].records)
        let kommun = Set(read.rows.map { $0[4] })
        #expect(kommun.isSubset(of: ["1380", "0180"]))
        for row in read.rows where !row[6].isEmpty {
            let deso = Array(row[6].utf8)
            #expect(deso.count == 9)
            #expect(row[6].hasPrefix(row[4]))
            #expect([UInt8(ascii: "A"), UInt8(ascii: "B"), UInt8(ascii: "C")].contains(deso[4]))
            #expect(deso[5...].allSatisfy { $0 >= 48 && $0 <= 57 })
        }
        // 2022 holds the one short row the sample has (too few fields; a personal number in the free text).
        let quirky = try readPolice(folder + "/police/brott_2022.csv")
        #expect(quirky.summary.rowsRejected == 1)

        // Every DeSO of the data is in the written area list.
        let areas = try String(contentsOfFile: folder + "/codelists/areas.csv", encoding: .utf8)
        var desoCodes = Set<String>()
        for line in areas.split(separator: "\n") {
            let fields: [Substring] = line.split(separator: ";", omittingEmptySubsequences: false)
            if fields.count > 2, fields[2] == "deso" { desoCodes.insert(String(fields[0])) }
        }
        #expect(desoCodes.count == report.desos)
        #expect(Set(read.rows.map { $0[6] }.filter { !$0.isEmpty }).isSubset(of: desoCodes))
    }

    @Test func municipalityScaleKeepsTheSampleLayout() throws {
        let folder = try temporaryFolder("layout")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let report = try SampleGenerator(
            scale: .municipality, years: try SampleYears(first: 2023, last: 2023), seed: 5,
            codeListDirectory: codeLists
        ).generate(into: folder)
        let read = try readPolice(folder + "/police/brott_2023.csv")
        #expect(
            read.header == [
                "Ärendenummer", "Brottskod", "Brottsdatum", "Klockslag", "Område", "DeSO", "X", "Y", "Plats", "Fritext",
            ])
        #expect(read.summary.rowsRejected == 0)
        #expect(report.desos == 50)
        #expect(read.rows.count == 2_500)
        let pipeline = try String(contentsOfFile: folder + "/pipeline.yaml", encoding: .utf8)
        #expect(pipeline.contains("deso: DeSO"))
        #expect(!pipeline.contains("municipality: Kommun"))
        let loaded = try PipelineLoader.load(path: folder + "/pipeline.yaml")
        #expect(loaded.scope == .municipality)
        #expect(loaded.indicators.count == 12)
    }

    @Test func yearsParse() throws {
        #expect(try SampleYears(parsing: "2014-2023").all.count == 10)
        #expect(try SampleYears(parsing: "2023").all == [2023])
        #expect(throws: SampleGeneratorError.self) { try SampleYears(parsing: "2023-2014") }
        #expect(throws: SampleGeneratorError.self) { try SampleYears(parsing: "abc") }
    }

    @Test func swedishNumbers() {
        #expect(SampleNumberFormat.swedish(1_494_268, decimals: 0) == "1\u{00A0}494\u{00A0}268")
        #expect(SampleNumberFormat.swedish(14_396.64, decimals: 1) == "14\u{00A0}396,6")
        #expect(SampleNumberFormat.swedish(75.46, decimals: 1) == "75,5")
    }
}
