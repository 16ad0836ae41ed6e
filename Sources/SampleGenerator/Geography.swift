import CSVReader
import Foundation
import LagesbildModel

/// One row of the area code list (`code;name;level;parent;aliases`).
struct AreaRow: Sendable, Hashable {
    var code: String
    var name: String
    var level: String
    var parent: String
    var aliases: String

    var line: String { [code, name, level, parent, aliases].joined(separator: ";") }
}

/// A DeSO of a generated municipality.
struct DeSO: Sendable {
    var code: String
    var name: String
    var district: Int
    /// Share of the municipality's inhabitants (relative).
    var weight: Double
    /// How many events per inhabitant happen here, relative (central areas more).
    var attraction: Double
    var east: Double
    var north: Double
}

/// A district (Område) of a generated municipality.
struct District: Sendable {
    var code: String
    var name: String
    var aliases: String
}

/// A municipality with its synthetic population, districts and DeSO.
struct GeneratedMunicipality: Sendable {
    var code: String
    var name: String
    var countyCode: String
    var countyName: String
    /// Inhabitants on 31 December of each generated year (index = year − first year).
    var population: [Int]
    var districts: [District]
    var desos: [DeSO]
}

/// Everything geographic the exports need: the area list of all 290 municipalities and 21 counties
/// (read from `areas_halmstad.csv`) and, for the municipalities of the scale, synthetic populations,
/// districts and DeSO.
struct Geography: Sendable {
    /// Country, county and municipality rows of the area list, in file order.
    var upperAreas: [AreaRow]
    /// Every municipality in Sweden (code, name, county code) — for the national totals.
    var allMunicipalities: [(code: String, name: String, county: String)]
    var countyNames: [String: String]
    /// The municipalities of the scale, by code.
    var municipalities: [GeneratedMunicipality]
    /// Inhabitants of Sweden per year (sum of all 290 synthetic municipality populations).
    var countryPopulation: [Int]
    /// Inhabitants per county per year.
    var countyPopulation: [String: [Int]]

    /// Counties of the scale, in code order.
    var counties: [String] { Array(Set(municipalities.map(\.countyCode))).sorted() }

    /// Populations close to the 2023 sizes of the largest municipalities and of Hallands län's six
    /// (approximate, not checked against SCB; only Halmstad's 105 796 and Sweden's 10 551 707 are the
    /// published figures). Every other municipality gets a synthetic population, scaled so that Sweden
    /// adds up to 10 551 707 in 2023.
    static let knownPopulation2023: [String: Int] = [
        "0180": 984_748, "1480": 596_841, "1280": 362_133, "0380": 242_140, "0580": 167_365,
        "1880": 158_542, "1980": 157_574, "1283": 151_161, "0581": 145_221, "0680": 144_828,
        "2480": 132_235, "1281": 127_376, "1380": 105_796, "1384": 85_476, "1383": 66_497,
        "1382": 46_425, "1381": 26_127, "1315": 10_728,
    ]
    static let sweden2023 = 10_551_707
    /// Halmstad's real populations (31 December).
    static let halmstad: [Int: Int] = [2020: 103_754, 2021: 104_573, 2022: 105_148, 2023: 105_796]

    init(areaList path: String, scale: SampleScale, years: SampleYears, seed: UInt64) throws {
        let rows = try Self.readAreas(path)
        upperAreas = rows.filter { ["country", "county", "municipality"].contains($0.level) }
        var countyNames: [String: String] = [:]
        for row in rows where row.level == "county" { countyNames[row.code] = row.name }
        self.countyNames = countyNames
        let allMunicipalities: [(code: String, name: String, county: String)] = rows.filter {
            $0.level == "municipality"
        }.map { ($0.code, $0.name, $0.parent) }
        self.allMunicipalities = allMunicipalities
        guard allMunicipalities.count >= 1, !countyNames.isEmpty else {
            throw SampleGeneratorError("\(path): the area list has no municipalities or counties")
        }

        // Synthetic 2023 populations for all municipalities (needed for the country and county totals).
        var random = SampleRandom(seed: seed, stream: "population-2023")
        var raw: [Double] = []
        for _ in allMunicipalities {
            let draw = exp(9.6 + 0.85 * random.normal())  // median ~15 000
            raw.append(min(max(draw, 2_500), 90_000))
        }
        let knownSum = allMunicipalities.compactMap { Self.knownPopulation2023[$0.code] }.reduce(0, +)
        let rest = Double(Self.sweden2023 - knownSum)
        let unknownSum = zip(allMunicipalities, raw).filter { Self.knownPopulation2023[$0.0.code] == nil }
            .map(\.1).reduce(0, +)
        var base: [Int] = []
        for (municipality, draw) in zip(allMunicipalities, raw) {
            base.append(Self.knownPopulation2023[municipality.code] ?? Int((draw * rest / unknownSum).rounded()))
        }
        // Yearly populations: a growth rate per municipality, Halmstad's real figures where known.
        var populations: [[Int]] = []
        for (index, municipality) in allMunicipalities.enumerated() {
            let growth = municipality.code == "1380" ? 0.0078 : random.uniform(-0.006, 0.014)
            populations.append(
                years.all.map { year in
                    if municipality.code == "1380", let real = Self.halmstad[year] { return real }
                    return Int((Double(base[index]) * pow(1 + growth, Double(year - 2023))).rounded())
                })
        }
        countryPopulation = years.all.indices.map { yearIndex in populations.reduce(0) { $0 + $1[yearIndex] } }
        var countyPopulation: [String: [Int]] = [:]
        for (index, municipality) in allMunicipalities.enumerated() {
            var sums = countyPopulation[municipality.county] ?? Array(repeating: 0, count: years.count)
            for yearIndex in sums.indices { sums[yearIndex] += populations[index][yearIndex] }
            countyPopulation[municipality.county] = sums
        }
        self.countyPopulation = countyPopulation

        // The scale's municipalities.
        let selected: [Int]
        switch scale.selection {
        case .all:
            selected = Array(allMunicipalities.indices)
        case .counties(let codes):
            selected = allMunicipalities.indices.filter { codes.contains(allMunicipalities[$0].county) }
        case .municipalities(let codes):
            selected = allMunicipalities.indices.filter { codes.contains(allMunicipalities[$0].code) }
        }
        guard !selected.isEmpty else {
            throw SampleGeneratorError("the scale \(scale.name) selects no municipality of the area list")
        }
        var municipalities: [GeneratedMunicipality] = []
        for index in selected {
            let municipality = allMunicipalities[index]
            var generated = GeneratedMunicipality(
                code: municipality.code, name: municipality.name, countyCode: municipality.county,
                countyName: countyNames[municipality.county] ?? municipality.county, population: populations[index],
                districts: [], desos: [])
            var areaRandom = SampleRandom(seed: seed, stream: "areas-\(municipality.code)")
            if municipality.code == "1380", rows.contains(where: { $0.level == "deso" && $0.code.hasPrefix("1380") }) {
                Self.halmstadAreas(rows, into: &generated, random: &areaRandom)
            } else {
                Self.syntheticAreas(
                    into: &generated, perDeSO: scale.inhabitantsPerDeSO, population: base[index],
                    random: &areaRandom)
            }
            municipalities.append(generated)
        }
        self.municipalities = municipalities
    }

    /// Halmstad keeps the districts and DeSO of the repository's area list (DeSO valid before 2024:
    /// reserve digit 0).
    private static func halmstadAreas(
        _ rows: [AreaRow], into municipality: inout GeneratedMunicipality, random: inout SampleRandom
    ) {
        let districtRows = rows.filter { $0.level == "district" && $0.parent == municipality.code }
        municipality.districts = districtRows.map { District(code: $0.code, name: $0.name, aliases: $0.aliases) }
        let centre = (east: 369_000.0, north: 6_283_000.0)
        for row in rows where row.level == "deso" && row.code.hasPrefix(municipality.code) && row.code.hasSuffix("0") {
            guard let district = districtRows.firstIndex(where: { $0.code == row.parent }) else { continue }
            let letter = row.code.utf8[row.code.utf8.index(row.code.utf8.startIndex, offsetBy: 4)]
            municipality.desos.append(
                DeSO(
                    code: row.code, name: row.name, district: district, weight: random.uniform(0.85, 1.1),
                    attraction: Self.attraction(letter) * (district == 0 ? 2.2 : district <= 2 ? 1.4 : 1.0),
                    east: centre.east + 4_000 * random.normal(), north: centre.north + 4_000 * random.normal()))
        }
    }

    static func attraction(_ letter: UInt8) -> Double {
        switch letter {
        case UInt8(ascii: "C"): return 1.4
        case UInt8(ascii: "B"): return 1.0
        default: return 0.6
        }
    }

    /// Made-up districts (`<Kommun> distrikt N`) of up to five DeSO each, and DeSO in the real code format
    /// `<kommunkod><A|B|C><3 digits><reserve digit 0>`: C (central town) first, then B, then A (rural).
    private static func syntheticAreas(
        into municipality: inout GeneratedMunicipality, perDeSO: Int, population: Int, random: inout SampleRandom
    ) {
        let count = max(2, Int((Double(population) / Double(max(1, perDeSO))).rounded()))
        let central = max(1, Int((Double(count) * 0.6).rounded(.up)))
        let town = Int((Double(count) * 0.25).rounded())
        let districtCount = (count + 4) / 5
        for number in 1...districtCount {
            let name = "\(municipality.name) distrikt \(number)"
            municipality.districts.append(
                District(code: municipality.code + "D" + Self.pad(number, 3), name: name, aliases: ""))
        }
        let centre = (east: 300_000 + random.uniform(0, 550_000), north: 6_150_000 + random.uniform(0, 1_450_000))
        for number in 1...count {
            let letter = number <= central ? "C" : number <= central + town ? "B" : "A"
            let district = (number - 1) / 5
            let spread = letter == "C" ? 2_500.0 : letter == "B" ? 8_000 : 15_000
            municipality.desos.append(
                DeSO(
                    code: municipality.code + letter + Self.pad(number, 3) + "0",
                    name: "\(municipality.districts[district].name) del \((number - 1) % 5 + 1)",
                    district: district, weight: random.uniform(0.75, 1.25),
                    attraction: Self.attraction(UInt8(ascii: letter == "C" ? "C" : letter == "B" ? "B" : "A")),
                    east: centre.east + spread * random.normal(), north: centre.north + spread * random.normal()))
        }
    }

    static func pad(_ number: Int, _ width: Int) -> String {
        let text = String(number)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    /// The area code list for the generated data: country, counties and all municipalities as in
    /// `areas_halmstad.csv`, then the districts and DeSO of the scale's municipalities.
    var areaRows: [AreaRow] {
        var rows = upperAreas
        for municipality in municipalities {
            for district in municipality.districts {
                rows.append(
                    AreaRow(
                        code: district.code, name: district.name, level: "district", parent: municipality.code,
                        aliases: district.aliases))
            }
        }
        for municipality in municipalities {
            for deso in municipality.desos {
                rows.append(
                    AreaRow(
                        code: deso.code, name: deso.name, level: "deso",
                        parent: municipality.districts[deso.district].code,
                        aliases: "\(deso.code) \(municipality.name)"))
            }
        }
        return rows
    }

    static func readAreas(_ path: String) throws -> [AreaRow] {
        let reader: CSVFileReader
        do {
            reader = try CSVFileReader(
                path: path, dialect: CSVDialect(delimiter: UInt8(ascii: ";"), encoding: .utf8, titleLines: 0))
        } catch {
            throw SampleGeneratorError("cannot read the area list: \(error)")
        }
        let header = reader.header.map { $0.lowercased() }
        let columns = ["code", "name", "level", "parent", "aliases"].map { header.firstIndex(of: $0) }
        guard columns.allSatisfy({ $0 != nil }) else {
            throw SampleGeneratorError("\(path): the area list needs the columns code;name;level;parent;aliases")
        }
        var rows: [AreaRow] = []
        try reader.forEachRecord(
            { record in
                let values = columns.map { record.string(at: $0!) }
                rows.append(
                    AreaRow(code: values[0], name: values[1], level: values[2], parent: values[3], aliases: values[4]))
            },
            onReject: { rejected in throw SampleGeneratorError("\(rejected.location): \(rejected.reason)") })
        return rows
    }
}
