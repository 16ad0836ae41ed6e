import Foundation

/// The Halmstad sample's population (`SampleData/population/befolkning_halmstad.csv`, SCB PX-Web CSV:
/// ISO-8859-1, every field quoted, CRLF) and Brå's SOL table (`SampleData/bra/anmalda_brott_sol.csv`).
/// Only the totals of Sweden, Hallands län (2022, 2023) and Halmstad are real.
enum HalmstadPopulation {
    static let years = [2020, 2021, 2022, 2023]
    static let totals: [String: [Int: Int]] = [
        "00": [2020: 10_379_295, 2021: 10_452_326, 2022: 10_521_556, 2023: 10_551_707],
        "13": [2020: 336_212, 2021: 339_811, 2022: 342_805, 2023: 343_746],  // 2020/21 synthetic
        "1380": [2020: 103_754, 2021: 104_573, 2022: 105_148, 2023: 105_796],
    ]
    static let ages = ["0-14 år", "15-24 år", "25-44 år", "45-64 år", "65+ år"]
    static let ageProfile: [String: [Double]] = [
        "national": [17.6, 11.3, 26.3, 24.8, 20.0],
        "county": [17.9, 11.0, 23.9, 25.6, 21.6],
        "Centrum": [10.5, 17.5, 31.0, 20.0, 21.0],
        "Andersberg": [22.0, 14.5, 27.0, 20.5, 16.0],
        "Vallås": [21.0, 13.5, 26.0, 22.0, 17.5],
        "urban": [18.5, 11.0, 23.5, 25.0, 22.0],
        "rural": [16.5, 10.0, 20.0, 28.5, 25.0],
    ]
    static let menShare = ["national": 0.502, "county": 0.499, "municipality": 0.495]

    static func profile(for district: String) -> [Double] {
        ageProfile[district] ?? ageProfile[HalmstadAreas.urbanDistricts.contains(district) ? "urban" : "rural"]!
    }

    /// Men and women by the five age groups; `random` is seeded per region (not per year), so the mix is
    /// stable over the years and only the ageing drift (65+) follows `yearIndex`.
    typealias BySex = (men: [Int], women: [Int])

    static func splitAgeSex(
        _ total: Int, profile: [Double], menShare: Double, random: inout PythonRandom, yearIndex: Int
    ) -> BySex {
        let men = PythonFormat.round(Double(total) * (menShare + random.uniform(-0.006, 0.006)))
        let women = total - men
        let drifted = profile.enumerated().map {
            $0.offset == 4 ? $0.element * (1 + 0.012 * Double(yearIndex)) : $0.element
        }
        var cells: [[Int]] = []
        for (sex, count) in [(0, men), (1, women)] {
            var weights = drifted.map { $0 * (1 + random.uniform(-0.04, 0.04)) }
            if sex == 1 { weights[4] *= 1.12 }
            cells.append(largestRemainder(count, weights))
        }
        return (cells[0], cells[1])
    }

    static func regionSplit(code: String, profile: [Double], menShare: Double, seed: Int) -> [Int: BySex] {
        var data: [Int: BySex] = [:]
        for (yearIndex, year) in years.enumerated() {
            var random = PythonRandom("\(seed)-\(code)")
            data[year] = splitAgeSex(
                totals[code]![year]!, profile: profile, menShare: menShare, random: &random, yearIndex: yearIndex)
        }
        return data
    }

    static func file(seed: Int) throws -> (bytes: [UInt8], expected: PythonJSON) {
        var random = PythonRandom(seed + 2)
        var regions: [(label: String, data: [Int: BySex])] = [
            (
                "00 Riket",
                regionSplit(code: "00", profile: ageProfile["national"]!, menShare: menShare["national"]!, seed: seed)
            ),
            (
                "13 Hallands län",
                regionSplit(code: "13", profile: ageProfile["county"]!, menShare: menShare["county"]!, seed: seed)
            ),
        ]
        let desos = HalmstadAreas.activeDesos
        let growth = desos.map { _ in random.uniform(-0.004, 0.016) }
        var desoData = [[Int: BySex]](repeating: [:], count: desos.count)
        for (yearIndex, year) in years.enumerated() {
            let weights = desos.indices.map { desos[$0].weight * pow(1 + growth[$0], Double(yearIndex)) }
            let parts = largestRemainder(totals["1380"]![year]!, weights)
            for (index, deso) in desos.enumerated() {
                guard (700...2700).contains(parts[index]) else {
                    throw SampleGeneratorError("DeSO \(deso.code) has \(parts[index]) inhabitants (700–2 700 expected)")
                }
                var split = PythonRandom("\(seed)-\(deso.code)")
                desoData[index][year] = splitAgeSex(
                    parts[index], profile: profile(for: deso.districtName), menShare: menShare["municipality"]!,
                    random: &split, yearIndex: yearIndex)
            }
        }
        var municipality: [Int: BySex] = [:]
        for year in years {
            let men = (0..<5).map { age in desoData.reduce(0) { $0 + $1[year]!.men[age] } }
            let women = (0..<5).map { age in desoData.reduce(0) { $0 + $1[year]!.women[age] } }
            municipality[year] = (men, women)
        }
        regions.append(("1380 Halmstad", municipality))
        for (index, deso) in desos.enumerated() { regions.append(("\(deso.code) Halmstad", desoData[index])) }

        func quoted(_ value: String) -> String { "\"" + value + "\"" }
        var lines = [
            quoted("Folkmängden efter region, ålder, kön och år"), "",
            (["region", "ålder", "kön"] + years.map(String.init)).map(quoted).joined(separator: ","),
        ]
        for (label, data) in regions {
            for (ageIndex, age) in (ages + ["totalt ålder"]).enumerated() {
                for sex in ["män", "kvinnor", "totalt"] {
                    let values = years.map { year -> Int in
                        let cells = data[year]!
                        let chosen =
                            sex == "män" ? [cells.men] : sex == "kvinnor" ? [cells.women] : [cells.men, cells.women]
                        return chosen.reduce(0) { $0 + (ageIndex < 5 ? $1[ageIndex] : $1.reduce(0, +)) }
                    }
                    lines.append(([label, age, sex] + values.map(String.init)).map(quoted).joined(separator: ","))
                }
            }
        }
        for (label, data) in regions.prefix(3) {
            let code = String(label.split(separator: " ")[0])
            for year in years
            where data[year]!.men.reduce(0, +) + data[year]!.women.reduce(0, +) != totals[code]![year]! {
                throw SampleGeneratorError("population of \(label) \(year) does not add up to the published total")
            }
        }
        let desoTotals = desoData.flatMap { data in
            years.map { data[$0]!.men.reduce(0, +) + data[$0]!.women.reduce(0, +) }
        }
        let bytes = try PythonFormat.latin1(lines.joined(separator: "\r\n") + "\r\n")
        return (
            bytes,
            .object([
                ("file", .string("SampleData/population/befolkning_halmstad.csv")), ("regions", .int(regions.count)),
                ("data_rows", .int(lines.count - 3)), ("deso_total_min", .int(desoTotals.min()!)),
                ("deso_total_max", .int(desoTotals.max()!)),
            ])
        )
    }

    /// Crime types: name, national rate per 100 000 (approximate level), Halmstad and Halland factors.
    static let solTypes: [(name: String, rate: Double, halmstad: Double, halland: Double)] = [
        ("Samtliga brott", 14300, 0.74, 0.70),
        ("Misshandel inkl. grov", 830, 0.80, 0.72),
        ("Rån inkl. grovt", 78, 0.55, 0.40),
        ("Bostadsinbrott", 120, 0.95, 0.95),
        ("Skadegörelse", 1650, 0.82, 0.75),
        ("Narkotikabrott", 1000, 0.72, 0.62),
        ("Bedrägeri", 2050, 0.62, 0.60),
    ]
    /// Year multipliers per type (national level).
    static let solTrend: [String: [Double]] = [
        "Samtliga brott": [1.00, 0.97, 0.93, 0.94],
        "Misshandel inkl. grov": [1.00, 0.96, 0.99, 0.97],
        "Rån inkl. grovt": [1.00, 0.92, 0.80, 0.78],
        "Bostadsinbrott": [1.00, 0.88, 0.80, 0.76],
        "Skadegörelse": [1.00, 0.95, 0.90, 0.92],
        "Narkotikabrott": [1.00, 0.95, 0.90, 0.88],
        "Bedrägeri": [1.00, 1.02, 0.96, 1.04],
    ]
    /// Cells shown as `..` (suppressed or not available) or `-` (nothing to report).
    static let solSpecial: [String: String] = [
        "Halmstad|Rån inkl. grovt|2021": "..", "Hallands län|Bostadsinbrott|2023": "-",
        "Hela landet|Narkotikabrott|2023": "..",
    ]

    /// Brå's SOL table as saved from Excel (Windows-1252, `;`, CRLF, a title line first).
    static func sol(seed: Int) throws -> (bytes: [UInt8], expected: PythonJSON) {
        var random = PythonRandom(seed + 3)
        let regions: [(name: String, code: String)] = [
            ("Hela landet", "00"), ("Hallands län", "13"), ("Halmstad", "1380"),
        ]
        let header = ["Region", "Brottstyp"] + years.flatMap { ["\($0) Antal", "\($0) Per 100 000 inv."] }
        var lines = [
            "Anmälda brott, antal och per 100 000 invånare" + String(repeating: ";", count: header.count - 1),
            header.joined(separator: ";"),
        ]
        var special: [PythonJSON] = []
        for region in regions {
            for type in solTypes {
                let factor = region.code == "00" ? 1.0 : region.code == "13" ? type.halland : type.halmstad
                var cells = [region.name, type.name]
                for (yearIndex, year) in years.enumerated() {
                    let population = Double(totals[region.code]![year]!)
                    let count = PythonFormat.round(
                        type.rate * factor * solTrend[type.name]![yearIndex] * population / 1e5
                            * (1 + random.uniform(-0.04, 0.04)))
                    let rate = Double(count) / population * 1e5
                    if let mark = solSpecial["\(region.name)|\(type.name)|\(year)"] {
                        cells += [mark, mark]
                        special.append(
                            .object([
                                ("line", .int(lines.count + 1)), ("region", .string(region.name)),
                                ("type", .string(type.name)), ("year", .int(year)), ("value", .string(mark)),
                            ]))
                    } else {
                        cells += [PythonFormat.svNumber(Double(count)), PythonFormat.svNumber(rate, decimals: 1)]
                    }
                }
                lines.append(cells.joined(separator: ";"))
            }
        }
        let bytes = try PythonFormat.windows1252(lines.joined(separator: "\r\n") + "\r\n")
        return (
            bytes,
            .object([
                ("file", .string("SampleData/bra/anmalda_brott_sol.csv")), ("data_rows", .int(lines.count - 2)),
                ("special_cells", .array(special)),
            ])
        )
    }
}
