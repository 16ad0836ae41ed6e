import CSVReader
import Foundation
import LagesbildModel

/// The second kommun's events: the police's crime reports (a date-time in one column, UTF-8 with a
/// byte-order mark, commas) and the kommun's own weekly EST incident reports (Windows-1252, `;`,
/// `dd.MM.yyyy`, a "Summa" line below the table), with their code lists.
struct SecondKommunEvents {
    let seed: UInt64

    /// A crime code of the kommun's list: category column, the two flag columns, retired year.
    struct Code {
        var code: String
        var name: String
        var category: String
        var violent: Bool
        var narcotics: Bool
        var retired: String
        /// Events a year (relative weight), and whether it happens mostly at night, outdoors.
        var weight: Double
        var night: Bool
        var outdoorShare: Double
    }

    /// The list as the kommun received it, one code a line: code; name; category; violent (V) and
    /// narcotics (N) flags; retired year; events a year (relative); night (`natt`) or day; outdoor share.
    /// 3070 (drugged driving) is in category `trafik` and flagged as narcotics: a flag and a category that
    /// disagree, both apply. 0868 is retired before the data.
    static let codes: [Code] = """
        0853;Stöld i butik;stold;;;;90;dag;0.02
        9830;Cykelstöld;stold;;;;70;dag;0.9
        9828;Stöld ur eller från motorfordon;fordon;;;;50;natt;0.95
        0802;Biltillgrepp;fordon;;;;15;natt;0.95
        9801;Inbrott i lägenhet;bostadsinbrott;;;;20;dag;0
        1203;Annan skadegörelse;skadegorelse;;;;60;natt;0.8
        1208;Klotter;skadegorelse;;;;30;natt;1
        0357;Misshandel utomhus, obekant;misshandel;V;;;35;natt;1
        0367;Misshandel inomhus, bekant;misshandel;V;;;25;natt;0
        9810;Rån mot person;ran;V;;;6;natt;0.8
        0407;Olaga hot;hot;;;;40;dag;0.4
        1701;Våld mot tjänsteman;tjansteman;V;;;4;natt;0.6
        1705;Hot mot tjänsteman;tjansteman;;;;5;dag;0.5
        0901;Bedrägeri;bedrageri;;;;40;dag;0
        0983;Bedrägeri via internet;bedrageri;;;;60;dag;0
        5010;Ringa narkotikabrott, innehav;narkotika;;N;;30;natt;0.7
        5011;Ringa narkotikabrott, eget bruk;narkotika;;N;;25;natt;0.6
        3070;Drograttfylleri;trafik;;N;;12;natt;1
        3005;Rattfylleri;trafik;;;;20;natt;1
        0868;Cykelstöld (upphörd);stold;;;2019;0;dag;1
        """.split(separator: "\n").map { line in
            let field = line.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            return Code(
                code: field[0], name: field[1], category: field[2], violent: field[3] == "V",
                narcotics: field[4] == "N",
                retired: field[5], weight: Double(field[6])!, night: field[7] == "natt", outdoorShare: Double(field[8])!
            )
        }

    /// `brottskoder_vaxjo.csv`: Windows-1252, commas, the category first, flags as `ja`/empty and `1`/`0`.
    static func crimeCodeList() throws -> [UInt8] {
        var file = CSVBytes(CSVWriter(delimiter: UInt8(ascii: ","), encoding: .windows1252, lineEnding: .crlf))
        try file.row(["Kategori", "Kod", "Benämning", "Våldsbrott", "Narkotikaflagga", "Upphörd"])
        for code in codes {
            try file.row([
                code.category, code.code, code.name, code.violent ? "ja" : "", code.narcotics ? "1" : "0",
                code.retired,
            ])
        }
        return file.bytes
    }

    /// The kommun's EST incident types: code, name, category.
    static let incidentTypes: [(code: String, name: String, category: String, weight: Double)] = [
        ("E01", "Klotter", "klotter_est", 40), ("E02", "Skadegörelse", "skadegorelse_est", 25),
        ("E03", "Brand i soprum eller container", "brand_est", 8), ("E04", "Otrygg plats", "otrygghet_est", 12),
        ("E05", "Nedskräpning", "nedskrapning_est", 15),
    ]

    /// `est_handelsetyper_vaxjo.csv`: UTF-8, `;`.
    static func incidentTypeList() throws -> [UInt8] {
        var file = CSVBytes(CSVWriter(delimiter: UInt8(ascii: ";"), encoding: .utf8, lineEnding: .lf))
        try file.row(["Kod", "Händelsetyp", "Kategori"])
        for type in incidentTypes { try file.row([type.code, type.name, type.category]) }
        return file.bytes
    }

    /// Police reports of one year: `Anmälan,Tidpunkt,Kod,Stadsdel,Miljö`, UTF-8 with BOM, CRLF.
    /// `Tidpunkt` is `yyyy-MM-dd HH:mm`; most frauds have no district.
    /// Two planted rows normalize rejects: an unknown code `9999` and, in 2021, the date `2021-02-30`.
    func policeFile(year: Int) throws -> [UInt8] {
        var random = SampleRandom(seed: seed, stream: "vaxjo-police-\(year)")
        let count = 640 + (year - 2020) * 25 + random.below(30)
        let codePick = WeightedChoice(Self.codes.map(\.weight))
        let districtPick = WeightedChoice(SecondKommunSample.districts.map(\.eventWeight))
        let seasons = [0.8, 0.7, 0.85, 0.95, 1.1, 1.2, 1.25, 1.2, 1.05, 0.95, 0.9, 0.95]
        let monthPick = WeightedChoice(seasons)
        let dayHours = WeightedChoice((0..<24).map { (8...20).contains($0) ? 3.0 : 0.5 })
        let nightHours = WeightedChoice((0..<24).map { $0 >= 20 || $0 <= 3 ? 4.0 : 1.0 })
        var rows: [(date: String, fields: [String])] = []
        for _ in 0..<count {
            let code = Self.codes[codePick.pick(&random)]
            let month = monthPick.pick(&random) + 1
            let day = random.below(CalendarDate.daysInMonth(year: year, month: month)) + 1
            let date = "\(year)-\(two(month))-\(two(day))"
            let hour = (code.night ? nightHours : dayHours).pick(&random)
            let minute = random.below(12) * 5
            let time = " \(two(hour)):\(two(minute))"
            let fraud = code.category == "bedrageri"
            let district =
                fraud && random.unit() < 0.6 ? "" : SecondKommunSample.districts[districtPick.pick(&random)].name
            let roll = random.unit()
            let place = roll < 0.1 ? "" : roll < 0.1 + 0.9 * code.outdoorShare ? "Utomhus" : "Inomhus"
            rows.append((date + time, [date + time, code.code, district, fraud ? "" : place]))
        }
        rows.sort { $0.date < $1.date }
        rows.insert((rows[100].date, [rows[100].date, "9999", "Centrum", "Utomhus"]), at: 101)
        if year == 2021 { rows.insert(("2021-02-30", ["2021-02-30 23:10", "0357", "Araby", "Utomhus"]), at: 150) }
        var file = CSVBytes(
            CSVWriter(delimiter: UInt8(ascii: ","), encoding: .utf8, byteOrderMark: true, lineEnding: .crlf))
        try file.row(["Anmälan", "Tidpunkt", "Kod", "Stadsdel", "Miljö"])
        for (index, row) in rows.enumerated() {
            try file.row(["7000-K\(100_000 + index * 7 + year % 7)-\(year % 100)"] + row.fields)
        }
        return file.bytes
    }

    /// EST incident reports of one year: `Datum;Typ;Område;Rapportör`, Windows-1252, `dd.MM.yyyy`,
    /// ending with a `Summa` line (the table ends before it).
    func incidentFile(year: Int) throws -> [UInt8] {
        var random = SampleRandom(seed: seed, stream: "vaxjo-est-\(year)")
        let typePick = WeightedChoice(Self.incidentTypes.map(\.weight))
        let districtPick = WeightedChoice([0.35, 0.15, 0.3, 0.1, 0.1])
        let reporters = ["Fastighetsbolag", "Väktare", "Räddningstjänsten", "Kommunens gatuenhet", "Skola"]
        var rows: [(key: String, fields: [String])] = []
        for _ in 0..<(300 + random.below(40)) {
            let type = Self.incidentTypes[typePick.pick(&random)]
            let month = random.below(12) + 1
            // From 2 January: 1 January 2023 is a Sunday of ISO week 2022-W52.
            let first = month == 1 ? 2 : 1
            let date = CalendarDate(
                year: year, month: month,
                day: first + random.below(CalendarDate.daysInMonth(year: year, month: month) - first + 1))!
            let district = SecondKommunSample.districts[districtPick.pick(&random)].name
            rows.append(
                (
                    "\(year)-\(two(date.month))-\(two(date.day))",
                    [
                        "\(two(date.day)).\(two(date.month)).\(year)", type.code, district,
                        reporters[random.below(reporters.count)],
                    ]
                ))
        }
        rows.sort { $0.key < $1.key }
        var file = CSVBytes(CSVWriter(delimiter: UInt8(ascii: ";"), encoding: .windows1252, lineEnding: .crlf))
        try file.row(["Datum", "Typ", "Område", "Rapportör"])
        for row in rows { try file.row(row.fields) }
        try file.line("Summa;\(rows.count);;")
        return file.bytes
    }
}

/// A number with two digits.
func two(_ number: Int) -> String { number < 10 ? "0\(number)" : String(number) }
