import Foundation

/// The Halmstad sample's school files: Skolverket's eligibility table, SS 12000 absence (XML) and the
/// school survey (UTF-16LE, TAB), for synthetic school units with synthetic skolenhetskoder.
enum HalmstadSchools {
    struct Unit {
        var code: String
        var name: String
        var district: String
        var pupils: Int
        var since: Int
        /// Level of eligibility (%).
        var level: Int
    }

    static let schools: [(name: String, district: String, pupils: Int, since: Int, level: Int)] = [
        ("Centrumskolan", "Centrum", 420, 2020, 88),
        ("Andersbergsskolan", "Andersberg", 380, 2020, 68),
        ("Vallåsskolan", "Vallås", 360, 2020, 72),
        ("Linehedsskolan", "Linehed", 310, 2020, 84),
        ("Sannarpsskolan", "Sannarp", 290, 2020, 86),
        ("Söndrumsskolan", "Söndrum", 330, 2020, 93),
        ("Fyllingeskolan", "Fyllinge", 300, 2020, 91),
        ("Getingeskolan", "Getinge", 250, 2020, 87),
        ("Oskarströms skola", "Oskarström", 280, 2020, 80),
        ("Harplinge skola", "Harplinge", 190, 2020, 90),
        ("Kvibille skola", "Kvibille", 140, 2020, 89),
        ("Friskolan Centrum", "Centrum", 160, 2022, 92),
    ]

    static func units(seed: Int) -> [Unit] {
        var random = PythonRandom(seed + 6)
        var codes: Set<String> = []
        return schools.map { school in
            var code: String
            repeat { code = String(random.randint(10_000_000, 99_999_999)) } while codes.contains(code)
            codes.insert(code)
            return Unit(
                code: code, name: school.name, district: school.district, pupils: school.pupils, since: school.since,
                level: school.level)
        }
    }

    static let years = [2020, 2021, 2022, 2023]
    static let skolverketMissing: Set<String> = ["Kvibille skola|2020"]  // '.' no pupils in year 9
    static let skolverketSuppressed: Set<String> = ["Harplinge skola|2021", "Kvibille skola|2022"]  // '..'

    static func skolverket(_ units: [Unit], seed: Int) throws -> (bytes: [UInt8], expected: PythonJSON) {
        var random = PythonRandom(seed + 7)
        let header = [
            "Skolenhetskod", "Skolenhet", "Kommun", "År", "Andel behöriga till yrkesprogram (%)",
            "Genomsnittligt meritvärde",
        ]
        var lines = [
            "Slutbetyg årskurs 9 – andel behöriga till gymnasieskolans yrkesprogram och genomsnittligt meritvärde, Halmstad, 2020–2023",
            header.joined(separator: ";"),
        ]
        var marks: [PythonJSON] = []
        for unit in units {
            for year in years {
                let key = "\(unit.name)|\(year)"
                let eligible: String
                let merit: String
                let mark: String? =
                    year < unit.since || skolverketMissing.contains(key)
                    ? "." : skolverketSuppressed.contains(key) ? ".." : nil
                if let mark {
                    (eligible, merit) = (mark, mark)
                    marks.append(
                        .object([
                            ("line", .int(lines.count + 1)), ("school", .string(unit.name)), ("year", .int(year)),
                            ("value", .string(mark)),
                        ]))
                } else {
                    let share = min(100.0, max(40.0, Double(unit.level) + random.uniform(-4, 4)))
                    let value = 150 + (share - 40) * 1.75 + random.uniform(-8, 8)
                    (eligible, merit) = (PythonFormat.svDecimal(share), PythonFormat.svDecimal(value))
                }
                lines.append([unit.code, unit.name, "Halmstad", String(year), eligible, merit].joined(separator: ";"))
            }
        }
        return (
            try PythonFormat.windows1252(lines.joined(separator: "\r\n") + "\r\n"),
            .object([
                ("file", .string("SampleData/schools/skolverket_behorighet.csv")), ("data_rows", .int(lines.count - 2)),
                ("markers", .array(marks)),
            ])
        )
    }

    static let schoolDays2023: [(month: Int, days: Int)] = [
        (1, 16), (2, 15), (3, 23), (4, 15), (5, 19), (6, 10), (8, 8), (9, 21), (10, 18), (11, 21), (12, 15),
    ]
    static let absenceSeason = [
        1: 1.15, 2: 1.20, 3: 1.10, 4: 0.95, 5: 0.90, 6: 1.05, 8: 0.85, 9: 0.85, 10: 1.00, 11: 1.05, 12: 1.15,
    ]

    static func absence(_ units: [Unit], seed: Int) -> (bytes: [UInt8], expected: PythonJSON) {
        var random = PythonRandom(seed + 8)
        var out = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<aggregatedAttendanceExport xmlns=\"urn:x-lagesbild:ss12000:aggregatedattendance:1\" "
                + "organisation=\"Halmstads kommun, Barn- och ungdomsförvaltningen\" source=\"SS 12000 "
                + "aggregatedAttendance (summerad per skolenhet och månad)\" exportDate=\"2024-01-12\" unit=\"minutes\">",
        ]
        var count = 0
        for unit in units {
            let validBase = 0.075 + (["Andersberg", "Vallås"].contains(unit.district) ? 0.02 : 0.0)
            let invalidBase = 0.012 + (["Andersberg", "Vallås", "Centrum"].contains(unit.district) ? 0.012 : 0.0)
            for (month, days) in schoolDays2023 {
                let students = unit.pupils + random.randint(-6, 6)
                let offered = students * days * 330
                let valid = PythonFormat.round(
                    Double(offered) * validBase * absenceSeason[month]! * (1 + random.uniform(-0.1, 0.1)))
                let invalid = PythonFormat.round(Double(offered) * invalidBase * (1 + random.uniform(-0.2, 0.2)))
                let other = PythonFormat.round(Double(offered) * random.uniform(0.002, 0.006))
                let attendance = offered - valid - invalid - other
                let reported = PythonFormat.round(Double(offered) * random.uniform(0.975, 0.998))
                let monthText = String(format: "%02d", month)
                let last = HalmstadCalendar.daysInMonth(2023, month)
                out += [
                    "  <aggregatedAttendance>",
                    "    <schoolUnit><schoolUnitCode>\(unit.code)</schoolUnitCode><displayName>\(unit.name)</displayName></schoolUnit>",
                    "    <schoolType>GR</schoolType>",
                    "    <month>2023-\(monthText)</month>",
                    "    <startDate>2023-\(monthText)-01</startDate>",
                    "    <endDate>2023-\(monthText)-\(String(format: "%02d", last))</endDate>",
                    "    <numberOfStudents>\(students)</numberOfStudents>",
                    "    <offeredSum>\(offered)</offeredSum>",
                    "    <reportedSum>\(reported)</reportedSum>",
                    "    <attendanceSum>\(attendance)</attendanceSum>",
                    "    <validAbsenceSum>\(valid)</validAbsenceSum>",
                    "    <invalidAbsenceSum>\(invalid)</invalidAbsenceSum>",
                    "    <otherAttendanceSum>\(other)</otherAttendanceSum>",
                    "  </aggregatedAttendance>",
                ]
                count += 1
            }
        }
        out.append("</aggregatedAttendanceExport>")
        return (
            Array((out.joined(separator: "\n") + "\n").utf8),
            .object([("file", .string("SampleData/schools/franvaro_ss12000.xml")), ("elements", .int(count))])
        )
    }

    static func survey(_ units: [Unit], seed: Int) -> (bytes: [UInt8], expected: PythonJSON) {
        var random = PythonRandom(seed + 9)
        let header = [
            "Skolenhetskod", "Skolenhet", "Årskurs", "År", "Trygghet (andel positiva)", "Studiero (andel positiva)",
            "Antal svarande",
        ]
        var lines = [header.joined(separator: "\t")]
        var xxLine: Int?
        for unit in units {
            let baseSafety = 0.78 + Double(unit.level - 80) / 200
            for grade in ["Åk 5", "Åk 9"] {
                for year in 2021...2023 where year >= unit.since {
                    var respondents = max(5, PythonFormat.round(Double(unit.pupils) / 9 * random.uniform(0.75, 0.95)))
                    let safety = min(0.99, baseSafety + (grade == "Åk 5" ? 0.06 : -0.04) + random.uniform(-0.04, 0.04))
                    let calm = min(0.95, safety - 0.18 + random.uniform(-0.05, 0.05))
                    var cells: (String, String)
                    if unit.name == "Kvibille skola" && grade == "Åk 5" && year == 2022 {
                        cells = ("XX", "XX")
                        respondents = 4
                        xxLine = lines.count + 1
                    } else {
                        cells = (
                            PythonFormat.svDecimal(safety * 100) + " %", PythonFormat.svDecimal(calm * 100) + " %"
                        )
                    }
                    lines.append(
                        [unit.code, unit.name, grade, String(year), cells.0, cells.1, String(respondents)]
                            .joined(separator: "\t"))
                }
            }
        }
        return (
            PythonFormat.utf16LEBOM(lines.joined(separator: "\r\n") + "\r\n"),
            .object([
                ("file", .string("SampleData/schools/skolenkaten.csv")), ("data_rows", .int(lines.count - 1)),
                ("xx_line", xxLine.map { .int($0) } ?? .null),
            ])
        )
    }
}
