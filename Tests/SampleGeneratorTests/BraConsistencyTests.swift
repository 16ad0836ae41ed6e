import Foundation
import SampleGenerator
import Testing

/// Brå's figures in a generated sample agree with themselves: a county's count is the sum of its
/// municipalities when all of them are in the sample (at least the sum when some are not), the country's
/// at least the sum of the counties, and every rate is the count per 100 000 of the population file's
/// total for that region and year.
@Suite struct BraConsistencyTests {
    static let codeLists = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Pipelines/codelists").path

    /// Hallands län's six municipalities with few events (Brå's table does not depend on them).
    static let halland = SampleScale(name: "county", selection: .counties(["13"]), eventsPerYear: 300)
    static let hallandMunicipalities = ["Hylte", "Halmstad", "Laholm", "Falkenberg", "Varberg", "Kungsbacka"]

    /// The SOL table: count and rate per region, crime type and year; nil for a `..` or `-` cell.
    struct Table {
        var years: [Int]
        var cells: [String: [String: [(count: Int, rate: Double)?]]] = [:]
    }

    static func number(_ text: String) -> Double? {
        Double(text.replacingOccurrences(of: "\u{00A0}", with: "").replacingOccurrences(of: ",", with: "."))
    }

    static func readSOL(_ path: String) throws -> Table {
        let text = try #require(
            String(data: try Data(contentsOf: URL(fileURLWithPath: path)), encoding: .windowsCP1252))
        let lines = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let header = lines[1].components(separatedBy: ";")
        var table = Table(years: stride(from: 2, to: header.count, by: 2).map { Int(header[$0].prefix(4))! })
        for line in lines.dropFirst(2) {
            let fields = line.components(separatedBy: ";")
            table.cells[fields[0], default: [:]][fields[1]] = table.years.indices.map { index in
                guard let count = number(fields[2 + 2 * index]), let rate = number(fields[3 + 2 * index]) else {
                    return nil
                }
                return (Int(count), rate)
            }
        }
        return table
    }

    /// The population file's total (all ages, both sexes) per region label's name and year.
    static func readPopulation(_ path: String) throws -> [String: [Int]] {
        let text = try #require(String(data: try Data(contentsOf: URL(fileURLWithPath: path)), encoding: .isoLatin1))
        var totals: [String: [Int]] = [:]
        for line in text.components(separatedBy: "\r\n") where line.contains("\"totalt ålder\",\"totalt\"") {
            let fields = line.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            let name = fields[0].split(separator: " ", maxSplits: 1).last.map(String.init) ?? fields[0]
            // The first row of a name is the region's own; DeSO rows (`1380C0010 Halmstad`) come later.
            let region = name == "Riket" ? "Hela landet" : name
            if totals[region] == nil { totals[region] = fields.dropFirst(3).map { Int($0)! } }
        }
        return totals
    }

    static func generate(_ scale: SampleScale, _ name: String) throws -> (table: Table, population: [String: [Int]]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lagesbild-bra-\(name)-\(UUID())")
            .path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try SampleGenerator(
            scale: scale, years: try SampleYears(first: 2020, last: 2023), seed: 20_240_501,
            codeListDirectory: codeLists,
            parallelism: 1
        ).generate(into: folder)
        return (
            try readSOL(folder + "/bra/anmalda_brott_sol.csv"),
            try readPopulation(folder + "/population/befolkning.csv")
        )
    }

    @Test func countyIsTheSumOfItsMunicipalitiesAndTheCountryAtLeastTheCounty() throws {
        let (table, _) = try Self.generate(Self.halland, "county")
        #expect(Set(table.cells.keys) == Set(["Hela landet", "Hallands län"] + Self.hallandMunicipalities))
        var checked = 0
        for (type, county) in try #require(table.cells["Hallands län"]) {
            for yearIndex in table.years.indices {
                let parts = Self.hallandMunicipalities.map { table.cells[$0]?[type]?[yearIndex] }
                guard let total = county[yearIndex], parts.allSatisfy({ $0 != nil }) else { continue }
                #expect(total.count == parts.reduce(0) { $0 + $1!.count }, "\(type) \(table.years[yearIndex])")
                if let country = table.cells["Hela landet"]?[type]?[yearIndex] {
                    #expect(country.count >= total.count)
                }
                checked += 1
            }
        }
        #expect(checked >= 20)  // most cells are shown
    }

    @Test func ratesAreCountsPerHundredThousandOfThePopulationWritten() throws {
        let (table, population) = try Self.generate(Self.halland, "rates")
        for (region, types) in table.cells {
            let inhabitants = try #require(population[region], "\(region) is not in the population file")
            for (type, cells) in types {
                for (yearIndex, cell) in cells.enumerated() {
                    guard let cell else { continue }
                    let expected = Double(cell.count) / Double(inhabitants[yearIndex]) * 100_000
                    #expect(abs(cell.rate - expected) <= 0.05 + 1e-9, "\(region) \(type) \(table.years[yearIndex])")
                }
            }
        }
    }

    @Test func atMunicipalityScaleTheCountyIsAboveItsOneMunicipality() throws {
        let (table, _) = try Self.generate(
            SampleScale(name: "municipality", selection: .municipalities(["1380"]), eventsPerYear: 300), "municipality")
        for (type, halmstad) in try #require(table.cells["Halmstad"]) {
            for yearIndex in table.years.indices {
                guard let kommun = halmstad[yearIndex], let county = table.cells["Hallands län"]?[type]?[yearIndex],
                    let country = table.cells["Hela landet"]?[type]?[yearIndex]
                else { continue }
                #expect(county.count > kommun.count)
                #expect(country.count > county.count)
            }
        }
    }
}
