import CSVReader
import Foundation

/// The second kommun's observations: SCB population per district (ISO-8859-1, tab), Brå (Windows-1252,
/// commas, every field quoted, `X` and `-` markers), the county board's XML (declared ISO-8859-1, CDATA
/// comments) and three school files (school years, terms, a date range in two columns).
struct SecondKommunObservations {
    let seed: UInt64
    typealias Sample = SecondKommunSample

    /// Population per district and year at the end of the year: (men, women).
    func districtPopulation() -> [[(men: Int, women: Int)]] {
        Sample.districts.map { district in
            var random = SampleRandom(seed: seed, stream: "vaxjo-population-\(district.code)")
            let growth = random.uniform(0.003, 0.018)
            let menShare = random.uniform(0.492, 0.512)
            return Sample.years.indices.map { index in
                let total = Int((Double(district.population2020) * pow(1 + growth, Double(index))).rounded())
                let men = Int((Double(total) * menShare).rounded())
                return (men, total - men)
            }
        }
    }

    /// `scb/folkmangd_stadsdelar.csv`: a title line, `Stadsdel<TAB>Kön<TAB>År<TAB>Folkmängd`, men, women
    /// and total per district and year, then an empty line and the source notes.
    func population() throws -> [UInt8] {
        var file = CSVBytes(CSVWriter(delimiter: 9, encoding: .iso88591, lineEnding: .crlf))
        try file.line("Folkmängd 31 december efter stadsdel och kön, Växjö kommun")
        try file.row(["Stadsdel", "Kön", "År", "Folkmängd"])
        for (district, years) in zip(Sample.districts, districtPopulation()) {
            for (sex, pick) in [("män", 0), ("kvinnor", 1), ("totalt", 2)] {
                for (year, cell) in zip(Sample.years, years) {
                    let value = pick == 0 ? cell.men : pick == 1 ? cell.women : cell.men + cell.women
                    try file.row([district.name, sex, String(year), String(value)])
                }
            }
        }
        try file.line("")
        try file.line("Källa: SCB, befolkningsstatistik. Stadsdelarna är syntetiska.")
        try file.line("Uppdaterad 2024-03-21")
        return file.bytes
    }

    /// Kronobergs län's and Sweden's population (the county synthetic, Sweden real).
    static let countyPopulation = [201_469, 202_163, 203_340, 204_010]
    static let countryPopulation = [10_379_295, 10_452_326, 10_521_556, 10_551_707]

    /// `bra/bra_kronoberg.csv`: `"År","Region","Brottskategori","Antal","Per 100 000 invånare"`, every field
    /// quoted, space thousands, decimal comma; `X` (fewer than 4) and `-` (none) cells; notes below an
    /// empty line.
    func bra() throws -> [UInt8] {
        let municipality = districtPopulation().reduce(into: Array(repeating: 0, count: Sample.years.count)) {
            sums, district in
            for (index, cell) in district.enumerated() { sums[index] += cell.men + cell.women }
        }
        let regions: [(name: String, population: [Int], scale: Double)] = [
            ("Riket", Self.countryPopulation, 1), ("Kronobergs län", Self.countyPopulation, 0.93),
            ("Växjö", municipality, 1.04),
        ]
        // Fixed counts where the figures are small: nil is `-` (none), negative is `X` (fewer than 4).
        let murders: [String: [Int?]] = [
            "Riket": [112, 118, 116, 121], "Kronobergs län": [4, -2, 5, 4], "Växjö": [nil, -1, nil, -2],
        ]
        var file = CSVBytes(
            CSVWriter(delimiter: UInt8(ascii: ","), encoding: .windows1252, lineEnding: .crlf, quoteAll: true))
        try file.row(["År", "Region", "Brottskategori", "Antal", "Per 100 000 invånare"])
        for (index, year) in Sample.years.enumerated() {
            for region in regions {
                var random = SampleRandom(seed: seed, stream: "vaxjo-bra-\(region.name)-\(year)")
                let population = Double(region.population[index])
                for (type, perHundredThousand) in [("Samtliga brott", 13_600.0), ("Rån", 58.0)] {
                    let rate = perHundredThousand * region.scale * (1 + random.uniform(-0.05, 0.05))
                    let count = Int((rate * population / 100_000).rounded())
                    try file.row([
                        String(year), region.name, type, spaced(count),
                        decimal(Double(count) / population * 100_000),
                    ])
                }
                switch murders[region.name]![index] {
                case nil: try file.row([String(year), region.name, "Mord och dråp", "-", "-"])
                case let count? where count < 0: try file.row([String(year), region.name, "Mord och dråp", "X", "X"])
                case let count?:
                    try file.row([
                        String(year), region.name, "Mord och dråp", spaced(count),
                        decimal(Double(count) / population * 100_000),
                    ])
                }
            }
        }
        try file.line("")
        try file.line("Källa: Brå, anmälda brott 2020–2023 (syntetiska siffror).")
        try file.line("X = färre än 4 fall; - = inga fall")
        return file.bytes
    }

    /// `lansstyrelsen/tillsyn_YYYY.xml`: declared ISO-8859-1, no namespace, one `Kommun` element per
    /// municipality with `Kommunkod`, counts as elements and a `Kommentar` (CDATA for Växjö). Lessebo's
    /// inspections of 2022 are an empty element (not reported).
    func countyBoard(year: Int) -> [UInt8] {
        var text = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
        text += "<Alkoholtillsyn lan=\"07\" lansnamn=\"Kronobergs län\" ar=\"\(year)\">\n"
        for municipality in Sample.municipalities {
            var random = SampleRandom(seed: seed, stream: "vaxjo-lst-\(municipality.code)-\(year)")
            let large = municipality.code == "0780"
            let licences = large ? 118 + (year - 2022) * 6 : 6 + random.below(25)
            let inspections = large ? 212 + (year - 2022) * 24 : 8 + random.below(33)
            let comment =
                large
                ? "<![CDATA[Fler tillsynsbesök på uteserveringar & nattklubbar <fredag-lördag> efter \"krogsamverkan\".]]>"
                : municipality.code == "0761" && year == 2022 ? "Tillsynen rapporterades inte i tid." : ""
            text += "  <Kommun>\n"
            text += "    <Kommunkod>\(municipality.code)</Kommunkod>\n"
            text += "    <Namn>\(municipality.name)</Namn>\n"
            text += "    <Serveringstillstand>\(licences)</Serveringstillstand>\n"
            text +=
                municipality.code == "0761" && year == 2022
                ? "    <Tillsynsbesok/>\n" : "    <Tillsynsbesok>\(inspections)</Tillsynsbesok>\n"
            text += "    <Kommentar>\(comment)</Kommentar>\n"
            text += "  </Kommun>\n"
        }
        text += "</Alkoholtillsyn>\n"
        return text.unicodeScalars.map { UInt8($0.value) }
    }

    /// School units' pupils in year 9 per school year (index into the school years 2019/20–2022/23).
    func pupils(_ school: Int, _ index: Int) -> Int {
        var random = SampleRandom(seed: seed, stream: "vaxjo-pupils-\(school)-\(index)")
        return school == 4 ? 18 + random.below(10) : 60 + random.below(70)
    }

    /// `skolor/slutbetyg_ak9.csv`: UTF-8, `;`, LF; `Läsår` written in four ways (`2019/20`, `läsåret
    /// 2020/21`, `2021/2022`, `lå 2022/23`); `X` for a suppressed merit value; a comment column; a
    /// source note below an empty line.
    func grades() throws -> [UInt8] {
        var file = CSVBytes(CSVWriter(delimiter: UInt8(ascii: ";"), encoding: .utf8, lineEnding: .lf))
        try file.row([
            "Läsår", "Skolenhet", "Skolenhetskod", "Antal elever", "Meritvärde", "Behöriga yrkesprogram (%)",
            "Kommentar",
        ])
        let forms = ["2019/20", "läsåret 2020/21", "2021/2022", "lå 2022/23"]
        let comments = ["", "Ny rektor från höstterminen.", "", "Flera nyanlända elever under året.", ""]
        for (schoolIndex, school) in Sample.schools.enumerated() {
            for (index, form) in forms.enumerated() {
                var random = SampleRandom(seed: seed, stream: "vaxjo-grades-\(schoolIndex)-\(index)")
                let merit = 205 + random.uniform(-18, 30) - (schoolIndex == 2 ? 20 : 0)
                let eligible = 86 + random.uniform(-8, 10) - (schoolIndex == 2 ? 9 : 0)
                let suppressed = schoolIndex == 4 && index == 1
                try file.row([
                    form, school.name, school.code, String(pupils(schoolIndex, index)),
                    suppressed ? "X" : decimal(merit), decimal(eligible),
                    comments[(schoolIndex + index) % comments.count],
                ])
            }
        }
        try file.line("")
        try file.line("Källa: Skolverket, slutbetyg i årskurs 9 (syntetiska siffror).")
        return file.bytes
    }

    /// `skolor/franvaro_terminer.csv`: Windows-1252, `|`, CRLF; offered and invalidly absent minutes per
    /// school unit and term (`HT2021`, `VT 2022`, `ht2022`, `VT2023`).
    func absence() throws -> [UInt8] {
        var file = CSVBytes(CSVWriter(delimiter: UInt8(ascii: "|"), encoding: .windows1252, lineEnding: .crlf))
        try file.row([
            "Termin", "Skolenhetskod", "Skolenhet", "Erbjuden undervisningstid (min)", "Ogiltig frånvaro (min)",
        ])
        let terms = ["HT2021", "VT 2022", "ht2022", "VT2023"]
        for (schoolIndex, school) in Sample.schools.enumerated() {
            for (index, term) in terms.enumerated() {
                var random = SampleRandom(seed: seed, stream: "vaxjo-absence-\(schoolIndex)-\(index)")
                let offered = (pupils(schoolIndex, 2 + index / 2) * 9 * 19 * 1_380) + random.below(5_000)
                let share = 0.012 + random.uniform(0, 0.02) + (schoolIndex == 2 ? 0.012 : 0)
                let invalid = Int((Double(offered) * share).rounded())
                try file.row([term, school.code, school.name, spaced(offered), spaced(invalid)])
            }
        }
        return file.bytes
    }

    /// `skolor/skolenkat_trygghet.csv`: UTF-8 with BOM, tab, LF; the period as a date range in two
    /// columns (`Från`, `Till`: one calendar year); Åk 5 and Åk 9; one range covering no whole month,
    /// quarter or year (rejected); Ingelstad's Åk 9 2021 has 2 respondents (suppressed).
    func survey() throws -> [UInt8] {
        var file = CSVBytes(CSVWriter(delimiter: 9, encoding: .utf8, byteOrderMark: true, lineEnding: .lf))
        try file.row(["Skolenhetskod", "Från", "Till", "Årskurs", "Andel trygga (%)", "Svarande"])
        for (schoolIndex, school) in Sample.schools.enumerated() {
            for year in 2021...2023 {
                for grade in ["Åk 5", "Åk 9"] {
                    var random = SampleRandom(seed: seed, stream: "vaxjo-survey-\(schoolIndex)-\(year)-\(grade)")
                    let share = 84 + random.uniform(-9, 10) - (schoolIndex == 2 ? 7 : 0)
                    let respondents =
                        schoolIndex == 4 && year == 2021 && grade == "Åk 9"
                        ? 2 : (schoolIndex == 4 ? 12 : 45) + random.below(40)
                    try file.row([
                        school.code, "\(year)-01-01", "\(year)-12-31", grade, decimal(share), String(respondents),
                    ])
                }
            }
            if schoolIndex == 2 {
                try file.row([school.code, "2023-01-15", "2023-02-14", "Åk 9", "71,0", "40"])
            }
        }
        return file.bytes
    }

    /// A whole number with a space between thousands: `13 512`.
    func spaced(_ number: Int) -> String {
        var digits = Array(String(number))
        var result = ""
        while digits.count > 3 {
            result = " " + String(digits.suffix(3)) + result
            digits.removeLast(3)
        }
        return String(digits) + result
    }

    /// A number with one decimal and a decimal comma (space thousands): `13 512,4`.
    func decimal(_ number: Double) -> String {
        let tenths = Int((number * 10).rounded())
        return spaced(tenths / 10) + "," + String(tenths % 10)
    }
}
