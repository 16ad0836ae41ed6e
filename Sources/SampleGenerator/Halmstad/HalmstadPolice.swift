import Foundation

/// The Halmstad sample's police event exports, `SampleData/police/brott_YYYY.csv` (Windows-1252, `;`,
/// CRLF, LF inside quoted Fritext), with planted bad rows, and their counts for `expected_counts.json`.
enum HalmstadPolice {
    enum Group: String { case shop, theft, centre, flat, villa, rural, damage, violence, home, fraud, drugs, traffic }

    /// (code, weight, time profile, place, group for district weights); 72 current codes.
    static let codes: [(code: String, weight: Double, profile: TimeProfile, place: PlaceKind, group: Group)] = [
        ("0853", 9.0, .day, .indoors, .shop),
        ("0880", 10.0, .mixed, .either, .theft),
        ("9830", 6.5, .mixed, .outdoors, .theft),
        ("9829", 1.8, .mixed, .outdoors, .theft),
        ("9833", 0.8, .mixed, .outdoors, .centre),
        ("9817", 1.8, .day, .either, .centre),
        ("0841", 0.8, .mixed, .outdoors, .theft),
        ("0846", 0.8, .day, .indoors, .theft),
        ("0818", 0.8, .night, .indoors, .shop),
        ("0811", 0.5, .night, .indoors, .theft),
        ("0825", 2.0, .mixed, .indoors, .flat),
        ("9826", 0.6, .day, .outdoors, .theft),
        ("9828", 4.5, .night, .outdoors, .theft),
        ("9827", 2.5, .night, .outdoors, .theft),
        ("0801", 0.8, .night, .outdoors, .theft),
        ("0802", 1.8, .night, .outdoors, .theft),
        ("9801", 1.4, .mixed, .indoors, .villa),
        ("0857", 0.7, .mixed, .indoors, .villa),
        ("9802", 1.0, .mixed, .indoors, .flat),
        ("0874", 0.6, .mixed, .indoors, .flat),
        ("0826", 0.3, .mixed, .indoors, .rural),
        ("1203", 4.0, .night, .outdoors, .damage),
        ("1212", 1.5, .night, .outdoors, .damage),
        ("1201", 3.0, .night, .outdoors, .damage),
        ("1205", 1.8, .night, .outdoors, .damage),
        ("1208", 0.9, .night, .outdoors, .centre),
        ("1209", 3.8, .night, .outdoors, .damage),
        ("1210", 0.4, .night, .outdoors, .damage),
        ("1211", 0.4, .night, .outdoors, .damage),
        ("0357", 2.8, .night, .outdoors, .violence),
        ("0355", 0.9, .night, .outdoors, .violence),
        ("0367", 1.0, .night, .indoors, .violence),
        ("0365", 0.6, .night, .indoors, .violence),
        ("9365", 1.0, .mixed, .indoors, .home),
        ("9369", 0.5, .mixed, .indoors, .home),
        ("9385", 0.3, .mixed, .indoors, .home),
        ("0377", 0.4, .night, .outdoors, .violence),
        ("9319", 0.5, .mixed, .outdoors, .violence),
        ("9323", 0.2, .mixed, .indoors, .violence),
        ("9447", 1.8, .mixed, .either, .violence),
        ("9443", 0.9, .mixed, .either, .violence),
        ("9440", 0.9, .mixed, .indoors, .home),
        ("0459", 0.3, .day, .either, .centre),
        ("9463", 1.4, .mixed, .either, .violence),
        ("9459", 1.0, .mixed, .either, .violence),
        ("0412", 0.2, .mixed, .indoors, .home),
        ("0661", 0.15, .night, .indoors, .home),
        ("9635", 0.15, .night, .indoors, .home),
        ("9471", 0.5, .night, .indoors, .flat),
        ("0901", 2.8, .day, .either, .fraud),
        ("0983", 2.8, .day, .either, .fraud),
        ("0987", 1.4, .day, .either, .fraud),
        ("0957", 0.9, .day, .either, .fraud),
        ("0906", 0.9, .day, .either, .fraud),
        ("9467", 0.4, .day, .either, .fraud),
        ("5010", 2.8, .evening, .outdoors, .drugs),
        ("5011", 3.8, .evening, .outdoors, .drugs),
        ("5005", 0.6, .evening, .outdoors, .drugs),
        ("5004", 0.05, .mixed, .indoors, .drugs),
        ("1701", 0.3, .night, .outdoors, .centre),
        ("1703", 0.2, .night, .outdoors, .centre),
        ("1704", 0.3, .night, .either, .violence),
        ("1705", 0.5, .night, .either, .violence),
        ("9810", 0.35, .night, .outdoors, .violence),
        ("9806", 0.3, .evening, .outdoors, .violence),
        ("0870", 0.15, .evening, .indoors, .shop),
        ("3005", 1.8, .night, .outdoors, .traffic),
        ("3070", 1.5, .evening, .outdoors, .traffic),
        ("3008", 0.8, .day, .outdoors, .traffic),
        ("0407", 0.5, .mixed, .either, .violence),
        ("1714", 0.3, .night, .outdoors, .centre),
        ("1706", 0.3, .night, .outdoors, .centre),
    ]

    static let districtBase: [String: Double] = [
        "Centrum": 0.25, "Andersberg": 0.14, "Vallås": 0.12, "Linehed": 0.07, "Sannarp": 0.06, "Söndrum": 0.06,
        "Fyllinge": 0.06, "Getinge": 0.05, "Oskarström": 0.06, "Harplinge": 0.04, "Simlångsdalen": 0.03,
        "Kvibille": 0.03,
    ]

    static let groupMultiplier: [Group: [String: Double]] = [
        .shop: ["Centrum": 3.0, "Andersberg": 1.2, "Vallås": 1.0, "Linehed": 1.5],
        .centre: ["Centrum": 3.5, "Andersberg": 1.3, "Vallås": 1.2],
        .villa: [
            "Centrum": 0.1, "Andersberg": 0.2, "Vallås": 0.4, "Söndrum": 2.5, "Fyllinge": 2.5, "Sannarp": 1.5,
            "Getinge": 1.8, "Harplinge": 2.2, "Kvibille": 2.0, "Simlångsdalen": 2.0, "Oskarström": 1.5,
        ],
        .flat: [
            "Centrum": 1.6, "Andersberg": 2.0, "Vallås": 1.8, "Linehed": 1.3, "Söndrum": 0.4, "Fyllinge": 0.4,
            "Harplinge": 0.2, "Kvibille": 0.2, "Simlångsdalen": 0.2, "Getinge": 0.5,
        ],
        .rural: [
            "Centrum": 0.0, "Andersberg": 0.0, "Vallås": 0.0, "Linehed": 0.1, "Sannarp": 0.1, "Söndrum": 1.0,
            "Fyllinge": 0.5, "Harplinge": 3.0, "Simlångsdalen": 4.0, "Kvibille": 3.0, "Getinge": 2.5,
            "Oskarström": 1.5,
        ],
        .violence: ["Centrum": 1.8, "Andersberg": 1.5, "Vallås": 1.4],
        .damage: ["Andersberg": 1.4, "Vallås": 1.4, "Centrum": 1.2],
        .drugs: ["Centrum": 1.8, "Andersberg": 1.6, "Vallås": 1.5],
        .home: [:],
        .theft: ["Centrum": 1.3],
        .fraud: [:],
        .traffic: ["Centrum": 0.8, "Oskarström": 1.5, "Getinge": 1.5],
    ]

    /// Yearly trend per district (medborgarlöften: Andersberg and Vallås slowly down).
    static let districtTrend: [String: [Double]] = [
        "Andersberg": [1.0, 0.97, 0.93, 0.88], "Vallås": [1.0, 0.98, 0.95, 0.92],
    ]
    static let monthWeight = [0.80, 0.75, 0.85, 0.92, 1.05, 1.25, 1.42, 1.30, 1.00, 0.95, 0.85, 0.92]
    static let yearRows = [2020: 2420, 2021: 2360, 2022: 2510, 2023: 2590]

    /// The free texts (shared with the scale samples): semicolons, quotes and line breaks inside quoted fields.
    static let fritexts = PoliceTexts.freeTexts

    static let badDates = [2020: "2020-02-30", 2021: "2021-02-30", 2022: "2022-04-31", 2023: "2023-02-29"]
    /// Synthetic; passes the check digit on purpose so that a Luhn-aware detector finds it.
    static let personalNumberNote = PoliceTexts.personalNumberText

    struct Event {
        var code: String
        var date: String
        var sortKey: (day: Int, hour: Int, minute: Int)
        var time: String
        var area: String
        var deso: String
        var x: String
        var y: String
        var place: String
        var fritext: String
        var caseNumber = ""
        var short = false
    }

    /// One year's file and its entry in `expected_counts.json`.
    static func year(
        _ year: Int, yearIndex: Int, seed: Int, categories: [String: [String]]
    ) throws -> (bytes: [UInt8], expected: PythonJSON) {
        var random = PythonRandom(seed * 10 + year)
        let days = HalmstadCalendar.days(of: year)
        let dayWeights = days.map { monthWeight[$0.month - 1] * ($0.weekday >= 4 ? 1.08 : 1.0) }
        let codeWeights = codes.map { $0.group == .fraud ? $0.weight * (1.0 + 0.06 * Double(yearIndex)) : $0.weight }
        let districtNames = HalmstadAreas.districts.map(\.name)
        let desosByDistrict = Dictionary(grouping: HalmstadAreas.activeDesos, by: \.districtName)

        var events: [Event] = []
        for _ in 0..<yearRows[year]! {
            let code = codes[random.choiceIndex(weights: codeWeights)]
            let day = days[random.choiceIndex(weights: dayWeights)]
            // Weekend nights: hours 21–23 on Fri/Sat and 0–4 on Sat/Sun are boosted.
            var hourWeights = code.profile.hours
            let boost = code.profile.weekendBoost
            for hour in 0..<24
            where (hour >= 21 && (day.weekday == 4 || day.weekday == 5))
                || (hour <= 4 && (day.weekday == 5 || day.weekday == 6))
            {
                hourWeights[hour] *= boost
            }
            let hour = random.choiceIndex(weights: hourWeights)
            let minute = random.random() < 0.2 ? 0 : random.randrange(0, 60)
            let multiplier = groupMultiplier[code.group]!
            let districtWeights = districtNames.map {
                districtBase[$0]! * (multiplier[$0] ?? 1.0) * (districtTrend[$0]?[yearIndex] ?? 1)
            }
            let district = HalmstadAreas.districts[random.choiceIndex(weights: districtWeights)]
            let desos = desosByDistrict[district.name]!
            var deso = desos[random.choiceIndex(weights: desos.map(\.weight))].code
            let x = min(384_999, max(365_000, Int(random.gauss(district.centre.east, district.spread))))
            let y = min(6_294_999, max(6_270_000, Int(random.gauss(district.centre.north, district.spread))))
            var (area, xs, ys) = (district.name, String(x), String(y))
            if code.group == .fraud && random.random() < 0.6 {  // frauds often lack a place
                (area, deso, xs, ys) = ("", "", "", "")
            } else if random.random() < 0.05 {
                deso = ""
            }
            let time = random.random() < 0.03 ? "" : String(format: "%02d:%02d", hour, minute)
            var place: String
            switch code.place {
            case .indoors: place = "Inomhus"
            case .outdoors: place = "Utomhus"
            case .either: place = random.choice(["Inomhus", "Utomhus"])
            }
            if random.random() < 0.10 { place = "" }
            let fritext = random.random() < 0.07 ? random.choice(fritexts) : ""
            events.append(
                Event(
                    code: code.code, date: day.iso, sortKey: (day.ordinal, hour, minute), time: time, area: area,
                    deso: deso, x: xs, y: ys, place: place, fritext: fritext))
        }

        // Reports are registered in date order (a stable sort); about 5 % of reports hold two crimes.
        events = events.enumerated().sorted { lhs, rhs in
            let (l, r) = (lhs.element.sortKey, rhs.element.sortKey)
            return (l.day, l.hour, l.minute, lhs.offset) < (r.day, r.hour, r.minute, rhs.offset)
        }.map(\.element)
        var serial = 100_000 + random.randrange(0, 5000)
        for index in events.indices {
            if index > 0, random.random() < 0.05, events[index - 1].date == events[index].date {
                events[index].caseNumber = events[index - 1].caseNumber
            } else {
                serial += random.randint(1, 9)
                events[index].caseNumber = String(format: "5000-K%d-%02d", serial, year % 100)
            }
        }

        // Deliberate bad rows.
        var bad: [(index: Int, reason: String)] = []
        let codeIndex = events.count / 3
        events[codeIndex].code = "9999"
        bad.append((codeIndex, "unknown crime code 9999"))
        let dateIndex = 2 * events.count / 3
        events[dateIndex].date = badDates[year]!
        bad.append((dateIndex, "impossible date \(badDates[year]!)"))
        if year == 2022 {
            let shortIndex = events.count / 2
            events[shortIndex].short = true
            events[shortIndex].fritext = personalNumberNote
            bad.append((shortIndex, "too few fields (6 of 10); Fritext holds a personal identity number"))
        }
        bad.sort { $0.index < $1.index }

        var lines = ["Ärendenummer;Brottskod;Brottsdatum;Klockslag;Område;DeSO;X;Y;Plats;Fritext"]
        for event in events {
            let fields =
                event.short
                ? [
                    event.caseNumber, event.code, event.date, event.time.isEmpty ? "14:20" : event.time,
                    event.area.isEmpty ? "Centrum" : event.area, event.fritext,
                ]
                : [
                    event.caseNumber, event.code, event.date, event.time, event.area, event.deso, event.x, event.y,
                    event.place, event.fritext,
                ]
            lines.append(fields.map { PythonFormat.csvField($0, separator: ";") }.joined(separator: ";"))
        }
        // Physical line numbers (1 = header); embedded line breaks in Fritext are LF.
        var physical: [Int] = []
        var lineNumber = 1
        for record in lines.dropFirst() {
            lineNumber += 1
            physical.append(lineNumber)
            lineNumber += record.filter { $0 == "\n" }.count
        }
        let bytes = try PythonFormat.windows1252(lines.joined(separator: "\r\n") + "\r\n")

        let badIndices = Set(bad.map(\.index))
        let good = events.enumerated().filter { !badIndices.contains($0.offset) }.map(\.element)
        var byCategory: [String: Int] = [:]
        var byDistrict: [String: Int] = [:]
        for event in good {
            for category in categories[event.code] ?? [] { byCategory[category, default: 0] += 1 }
            byDistrict[event.area.isEmpty ? "(tomt)" : event.area, default: 0] += 1
        }
        func counts(_ table: [String: Int]) -> PythonJSON {
            .object(table.sorted { PythonFormat.codePointsAscending($0.key, $1.key) }.map { ($0.key, .int($0.value)) })
        }
        let expected = PythonJSON.object([
            ("file", .string("SampleData/police/brott_\(year).csv")),
            ("encoding", .string("windows-1252")), ("delimiter", .string(";")), ("line_ending", .string("CRLF")),
            ("records", .int(events.count)),
            ("physical_lines_including_header", .int(lineNumber)),
            ("good_rows", .int(good.count)),
            (
                "bad_rows",
                .array(
                    bad.map {
                        .object([
                            ("line", .int(physical[$0.index])), ("record", .int($0.index + 1)),
                            ("reason", .string($0.reason)),
                        ])
                    })
            ),
            ("good_rows_by_category", counts(byCategory)),
            ("good_rows_by_district", counts(byDistrict)),
            ("good_rows_without_area", .int(good.filter { $0.area.isEmpty }.count)),
            ("good_rows_without_deso", .int(good.filter { $0.deso.isEmpty }.count)),
            ("good_rows_without_time", .int(good.filter { $0.time.isEmpty }.count)),
            ("good_rows_with_fritext", .int(good.filter { !$0.fritext.isEmpty }.count)),
            ("records_with_embedded_line_break", .int(events.filter { $0.fritext.contains("\n") }.count)),
            ("distinct_case_numbers", .int(Set(events.map(\.caseNumber)).count)),
        ])
        return (bytes, expected)
    }
}

/// The days of a year with what the sample needs of them.
enum HalmstadCalendar {
    struct Day {
        /// Days since 1970-01-01.
        var ordinal: Int
        var month: Int
        /// Monday 0 … Sunday 6 (Python's `weekday()`).
        var weekday: Int
        var iso: String
    }

    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysInMonth(_ year: Int, _ month: Int) -> Int {
        [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    }

    /// Days from 1970-01-01 to 1 January of `year` (year ≥ 1970).
    static func firstOrdinal(_ year: Int) -> Int { (1970..<year).reduce(0) { $0 + (isLeap($1) ? 366 : 365) } }

    static func days(of year: Int) -> [Day] {
        var out: [Day] = []
        var ordinal = firstOrdinal(year)
        for month in 1...12 {
            for day in 1...daysInMonth(year, month) {
                // 1970-01-01 was a Thursday (3).
                out.append(
                    Day(
                        ordinal: ordinal, month: month, weekday: (ordinal + 3) % 7,
                        iso: String(format: "%04d-%02d-%02d", year, month, day)))
                ordinal += 1
            }
        }
        return out
    }
}
