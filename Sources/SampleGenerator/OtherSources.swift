import CSVReader
import Foundation
import LagesbildModel

/// Writes SCB population (PX-Web CSV), Brå's SOL table and the county boards' XML for the scale.
struct ObservationWriters {
    let geography: Geography
    let years: SampleYears
    let seed: UInt64

    static let ages = ["0-14 år", "15-24 år", "25-44 år", "45-64 år", "65+ år"]
    static let nationalProfile = [17.6, 11.3, 26.3, 24.8, 20.0]
    static let countyProfile = [17.9, 11.0, 23.9, 25.6, 21.6]
    static let centralProfile = [18.5, 12.5, 27.5, 23.0, 18.5]
    static let townProfile = [18.5, 11.0, 23.5, 25.0, 22.0]
    static let ruralProfile = [16.5, 10.0, 20.0, 28.5, 25.0]

    /// Men and women per age group for one region and year; the mix is fixed per region (its own random
    /// stream), only 65+ grows with the years.
    func split(_ total: Int, profile: [Double], region: String, yearIndex: Int) -> [[Int]] {
        var random = SampleRandom(seed: seed, stream: "age-sex-\(region)")
        let men = Int((Double(total) * (0.498 + random.uniform(-0.006, 0.006))).rounded())
        let drift = profile.enumerated().map { index, share in
            index == 4 ? share * (1 + 0.012 * Double(yearIndex)) : share
        }
        var result: [[Int]] = []
        for (sex, count) in [(0, men), (1, total - men)] {
            var shares = drift.map { $0 * (1 + random.uniform(-0.04, 0.04)) }
            if sex == 1 { shares[4] *= 1.12 }
            result.append(largestRemainder(count, shares))
        }
        return result
    }

    /// `population/befolkning.csv`: region × age × sex, one column per year, every field quoted,
    /// ISO-8859-1, CRLF, a title line and an empty line. Regions: Sweden, the counties of the scale, its
    /// municipalities, then every DeSO. Returns the number of data rows.
    func writePopulation(to path: String) throws -> Int {
        let sink = try ByteSink(path: path)
        let writer = CSVWriter(delimiter: UInt8(ascii: ","), encoding: .iso88591, lineEnding: .crlf, quoteAll: true)
        sink.append(try writer.encodeRow(["Folkmängden efter region, ålder, kön och år"]))
        sink.append([13, 10])
        sink.append(try writer.encodeRow(["region", "ålder", "kön"] + years.all.map(String.init)))
        var rows = 0
        // cells[year][sex][age]
        func emit(_ label: String, _ cells: [[[Int]]]) throws {
            for age in 0...5 {
                for (sexIndex, sex) in ["män", "kvinnor", "totalt"].enumerated() {
                    var fields = [label, age < 5 ? Self.ages[age] : "totalt ålder", sex]
                    for yearCells in cells {
                        let sexes = sexIndex == 2 ? [0, 1] : [sexIndex]
                        let value = sexes.reduce(0) { sum, sex in
                            sum + (age < 5 ? yearCells[sex][age] : yearCells[sex].reduce(0, +))
                        }
                        fields.append(String(value))
                    }
                    sink.append(try writer.encodeRow(fields))
                    rows += 1
                    try sink.rowDone()
                }
            }
        }
        let yearIndexes = Array(years.all.indices)
        try emit(
            "00 Riket",
            yearIndexes.map {
                split(geography.countryPopulation[$0], profile: Self.nationalProfile, region: "00", yearIndex: $0)
            })
        for county in geography.counties {
            let totals = geography.countyPopulation[county] ?? []
            try emit(
                "\(county) \(geography.countyNames[county] ?? county)",
                yearIndexes.map { split(totals[$0], profile: Self.countyProfile, region: county, yearIndex: $0) })
        }
        // DeSO cells per municipality; the municipality's rows are their sums (parts add up, as before 2025).
        var desoCells: [[[[[Int]]]]] = []  // [municipality][deso][year][sex][age]
        for municipality in geography.municipalities {
            var perDeso = Array(repeating: [[[Int]]](), count: municipality.desos.count)
            for yearIndex in yearIndexes {
                var random = SampleRandom(seed: seed, stream: "deso-growth-\(municipality.code)")
                let weights = municipality.desos.map { deso in
                    deso.weight * pow(1 + random.uniform(-0.004, 0.016), Double(yearIndex))
                }
                let totals = largestRemainder(municipality.population[yearIndex], weights)
                for (index, deso) in municipality.desos.enumerated() {
                    let letter = deso.code.utf8[deso.code.utf8.index(deso.code.utf8.startIndex, offsetBy: 4)]
                    let profile =
                        letter == UInt8(ascii: "C")
                        ? Self.centralProfile : letter == UInt8(ascii: "B") ? Self.townProfile : Self.ruralProfile
                    perDeso[index].append(
                        split(totals[index], profile: profile, region: deso.code, yearIndex: yearIndex))
                }
            }
            desoCells.append(perDeso)
            let sums = yearIndexes.map { yearIndex in
                (0..<2).map { sex in
                    (0..<5).map { age in perDeso.reduce(0) { $0 + $1[yearIndex][sex][age] } }
                }
            }
            try emit("\(municipality.code) \(municipality.name)", sums)
        }
        for (municipality, perDeso) in zip(geography.municipalities, desoCells) {
            for (deso, cells) in zip(municipality.desos, perDeso) {
                try emit("\(deso.code) \(municipality.name)", cells)
            }
        }
        try sink.close()
        return rows
    }

    /// Brå's crime types with reported crimes per 100 000 inhabitants (national level, plausible).
    static let solTypes: [(String, Double)] = [
        ("Samtliga brott", 14_000), ("Misshandel inkl. grov", 820), ("Rån inkl. grovt", 68),
        ("Bostadsinbrott", 105), ("Skadegörelse", 1_550), ("Narkotikabrott", 930), ("Bedrägeri", 2_100),
    ]

    /// `bra/anmalda_brott_sol.csv`: Brå SOL saved from Excel — a title line padded with `;`, regions by
    /// name (Hela landet, the counties, the municipalities), an "Antal" and a "Per 100 000 inv." column
    /// per year, non-breaking-space thousands, decimal comma, a few `..` and `-` cells. Returns data rows.
    ///
    /// The figures agree with themselves: a county's count is the sum of its municipalities in the
    /// sample plus a count for its inhabitants outside the sample (none when all its municipalities are
    /// in it), the country's the sum of the counties plus a count for the inhabitants outside them, and
    /// every rate is the count per 100 000 of the population written in `population/befolkning.csv`.
    /// A `..` or `-` cell hides a count that still belongs to the sums, as in Brå's tables.
    func writeSOL(to path: String) throws -> Int {
        let sink = try ByteSink(path: path)
        let writer = CSVWriter(delimiter: UInt8(ascii: ";"), encoding: .windows1252, lineEnding: .crlf)
        var header = ["Region", "Brottstyp"]
        for year in years.all { header += ["\(year) Antal", "\(year) Per 100 000 inv."] }
        sink.append(
            try writer.encodeRow(
                ["Anmälda brott, antal och per 100 000 invånare"] + Array(repeating: "", count: header.count - 1)))
        sink.append(try writer.encodeRow(header))
        let counts = solCounts()
        var rows = 0
        for region in counts {
            for (typeIndex, (type, _)) in Self.solTypes.enumerated() {
                var fields = [region.name, type]
                for yearIndex in years.all.indices {
                    let population = region.population[yearIndex]
                    let count = region.counts[typeIndex][yearIndex]
                    // Markers: every 97th cell is suppressed (`..`), every 211th has no figure (`-`).
                    let cell = (rows * 31 + typeIndex * 7 + yearIndex) % 211
                    if rows > 0, cell == 0 {
                        fields += ["-", "-"]
                    } else if rows > 0, (rows * 31 + typeIndex * 7 + yearIndex) % 97 == 0 {
                        fields += ["..", ".."]
                    } else {
                        fields += [
                            SampleNumberFormat.swedish(Double(count), decimals: 0),
                            SampleNumberFormat.swedish(Double(count) / Double(population) * 100_000, decimals: 1),
                        ]
                    }
                }
                sink.append(try writer.encodeRow(fields))
                rows += 1
                try sink.rowDone()
            }
        }
        try sink.close()
        return rows
    }

    /// A region of Brå's table: its name, population per year and count per crime type and year.
    struct SOLRegion {
        var name: String
        var population: [Int]
        var counts: [[Int]]
    }

    /// The SOL counts in the table's order (Hela landet, the counties, the municipalities). Each region
    /// draws a level and one factor per cell, in that order, from the `sol` stream; a municipality's
    /// draws give its count, a county's and the country's the count of their inhabitants outside the
    /// regions below them in the sample, to which the counts of those regions are added.
    func solCounts() -> [SOLRegion] {
        var random = SampleRandom(seed: seed, stream: "sol")
        func draw(population: [Int]) -> [[Int]] {
            let level = random.uniform(0.7, 1.3)
            return Self.solTypes.map { _, rate in
                population.map { Int(Double($0) * rate / 100_000 * level * random.uniform(0.93, 1.07)) }
            }
        }
        func minus(_ lhs: [Int], _ rhs: [Int]) -> [Int] { zip(lhs, rhs).map { max(0, $0 - $1) } }
        func sum(_ parts: [[[Int]]], into base: [[Int]]) -> [[Int]] {
            parts.reduce(base) { total, part in zip(total, part).map { zip($0, $1).map(+) } }
        }
        let yearCount = years.all.count
        let zero = Array(repeating: 0, count: yearCount)
        let counties = geography.counties
        let members = Dictionary(grouping: geography.municipalities, by: \.countyCode)
        // Draws in the table's order, so that each region keeps its stream position.
        let countryRest = minus(
            geography.countryPopulation,
            counties.reduce(zero) { total, county in zip(total, geography.countyPopulation[county] ?? zero).map(+) })
        let countryOwn = draw(population: countryRest)
        var countyOwn: [String: [[Int]]] = [:]
        for county in counties {
            let inSample = (members[county] ?? []).reduce(zero) { zip($0, $1.population).map(+) }
            countyOwn[county] = draw(population: minus(geography.countyPopulation[county] ?? zero, inSample))
        }
        let municipal = geography.municipalities.map {
            SOLRegion(name: $0.name, population: $0.population, counts: draw(population: $0.population))
        }
        var countyRegions: [SOLRegion] = []
        for county in counties {
            let parts = zip(geography.municipalities, municipal).filter { $0.0.countyCode == county }.map(\.1.counts)
            countyRegions.append(
                SOLRegion(
                    name: geography.countyNames[county] ?? county,
                    population: geography.countyPopulation[county] ?? zero,
                    counts: sum(parts, into: countyOwn[county]!)))
        }
        let country = SOLRegion(
            name: "Hela landet", population: geography.countryPopulation,
            counts: sum(countyRegions.map(\.counts), into: countryOwn))
        return [country] + countyRegions + municipal
    }

    /// `county-board/alkoholtillsyn_<län>_<year>.xml` for every county of the scale and year, with every
    /// municipality of the county: namespaced XML, a comment, one CDATA comment. Returns (path, records).
    func writeCountyBoard(directory: String) throws -> [(String, Int)] {
        var files: [(String, Int)] = []
        for county in geography.counties {
            let countyName = geography.countyNames[county] ?? county
            let members = geography.allMunicipalities.filter { $0.county == county }
            for (yearIndex, year) in years.all.enumerated() {
                var random = SampleRandom(seed: seed, stream: "alcohol-\(county)-\(year)")
                var xml = """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <!-- Syntetiska exempeldata för Lagesbild; inga verkliga tillståndshavare -->
                    <lst:Export xmlns:lst="urn:se:lansstyrelsen:alkoholtillsyn:1" ar="\(year)" lan="\(county)" \
                    lansnamn="\(countyName)" skapad="\(year + 1)-02-14">
                      <lst:Avsandare>Länsstyrelsen i \(countyName), enheten för tillståndsfrågor</lst:Avsandare>

                    """
                var records = 0
                for member in members {
                    let population = Double(
                        geography.municipalities.first { $0.code == member.code }?.population[yearIndex]
                            ?? (geography.countyPopulation[county]?[yearIndex] ?? 0) / max(1, members.count))
                    let licences = Int(population / 520 * random.uniform(0.8, 1.2))
                    let late = Int(Double(licences) * random.uniform(0.02, 0.08))
                    let inspections = Int(Double(licences) * random.uniform(0.6, 1.2))
                    xml += "  <lst:Kommun kod=\"\(member.code)\" namn=\"\(member.name)\">\n"
                    for (type, label, value) in [
                        ("serveringstillstand", "Serveringstillstånd till allmänheten (stadigvarande)", licences),
                        ("oppet_efter_0100", "Serveringsställen med serveringstid efter kl. 01.00", late),
                        ("tillsynsbesok", "Tillsynsbesök (förebyggande och inre tillsyn på plats)", inspections),
                    ] {
                        xml += """
                                <lst:Uppgift typ="\(type)">
                                  <lst:Benamning>\(label)</lst:Benamning>
                                  <lst:Antal>\(value)</lst:Antal>
                                </lst:Uppgift>

                            """
                        records += 1
                    }
                    if member.code == "1380" {
                        xml += "    <lst:Kommentar><![CDATA[Tillsynen samordnad med polisen (s.k. \"krogtillsyn\" & "
                        xml += "restaurangkontroller <fredagar>).]]></lst:Kommentar>\n"
                    }
                    xml += "  </lst:Kommun>\n"
                }
                xml += "</lst:Export>\n"
                let path = directory + "/alkoholtillsyn_\(county)_\(year).xml"
                let sink = try ByteSink(path: path)
                sink.append(Array(xml.utf8))
                try sink.close()
                files.append((path, records))
            }
        }
        return files
    }
}

/// Swedish number formatting as Brå's Excel exports write it.
public enum SampleNumberFormat {
    /// A number with non-breaking-space thousands and a decimal comma (`14 396,6`).
    public static func swedish(_ value: Double, decimals: Int) -> String {
        let scaled = (value * pow(10, Double(decimals))).rounded()
        let whole = Int(scaled) / Int(pow(10, Double(decimals)))
        let fraction = Int(scaled) % Int(pow(10, Double(decimals)))
        var digits = String(whole)
        var grouped = ""
        while digits.count > 3 {
            grouped = "\u{00A0}" + digits.suffix(3) + grouped
            digits.removeLast(3)
        }
        grouped = digits + grouped
        return decimals == 0 ? grouped : grouped + "," + Geography.pad(fraction, decimals)
    }
}
