import CSVReader
import LagesbildModel

/// What one generated police file holds.
public struct PoliceFileSummary: Sendable, Hashable, Codable {
    public var year: Int
    public var path: String
    /// Data records (rows after the header), good and bad.
    public var records: Int
    /// Records with too few fields (the reader rejects them at ingest).
    public var shortRecords: Int
    /// Records with the unknown crime code 9999 or an impossible date (normalize rejects them).
    public var invalidRecords: Int
    public var bytes: Int
}

/// Byte forms of the texts the police files repeat, encoded once in Windows-1252 (quoted where needed).
struct PoliceTexts: Sendable {
    var municipalityCodes: [[UInt8]]
    /// District names per municipality.
    var districts: [[[UInt8]]]
    var desoCodes: [[[UInt8]]]
    var fritext: [[UInt8]]
    var crimeCodes: [[UInt8]]
    var indoors: [UInt8]
    var outdoors: [UInt8]
    var personalNumberNote: [UInt8]

    /// The sample's free texts: semicolons, quotes and line breaks inside quoted fields.
    static let freeTexts = [
        "Cykel stulen utanför stationen",
        "Klotter på busskur; anmält av bolaget",
        "Målsägande uppger att dörren var uppbruten\nInget gods saknas enligt första uppgift",
        "Butikspersonal har \"bild\" på gärningspersonen",
        "Bråk utanför krog, flera inblandade",
        "Vittne hörde glas krossas vid 23-tiden",
        "Misstänkt påträffad i trapphus; avvek innan patrull kom",
        "Ordningsvakt ingrep",
        "Märken efter bändverktyg vid altandörr",
        "Bil uppbruten på parkering, väska saknas",
        "Anmälan via e-tjänst\nUppgifter kompletteras senare",
        "Sten kastad mot fönster på skola",
        "Kontakt via annonssajt, betalade med Swish",
        "Tips från allmänheten om försäljning vid lekplats",
    ]
    /// A synthetic personal identity number in a row with too few fields (masked by the pipeline).
    static let personalNumberText = "Anmälaren ringde från 850412-1230 och uppgav att plånbok saknas"

    init(geography: Geography, codes: CrimeCodeTable) throws {
        let writer = CSVWriter(delimiter: UInt8(ascii: ";"), encoding: .windows1252, lineEnding: .lf)
        func field(_ text: String) throws -> [UInt8] { Array(try writer.encodeRow([text]).dropLast()) }
        municipalityCodes = geography.municipalities.map { Array($0.code.utf8) }
        districts = try geography.municipalities.map { municipality in
            try municipality.districts.map { try field($0.name) }
        }
        desoCodes = geography.municipalities.map { municipality in municipality.desos.map { Array($0.code.utf8) } }
        fritext = try Self.freeTexts.map(field)
        crimeCodes = codes.codes.map { Array($0.code.utf8) }
        indoors = try field("Inomhus")
        outdoors = try field("Utomhus")
        personalNumberNote = try field(Self.personalNumberText)
    }
}

/// One police event before it is written (sorted by time within its day).
private struct PendingEvent {
    var minuteOfDay: Int32
    var sequence: Int32
    var code: Int32
    var municipality: Int32
    /// District index, or -1 without a place.
    var district: Int32
    /// DeSO index, or -1.
    var deso: Int32
    var east: Int32
    var north: Int32
    var hasTime: Bool
    /// 0 none, 1 indoors, 2 outdoors.
    var place: UInt8
    /// Free-text index, or -1.
    var fritext: Int16
}

/// Writes one year's police export: `Ärendenummer;Brottskod;Brottsdatum;Klockslag;[Kommun;]Område;DeSO;X;Y;
/// Plats;Fritext`, Windows-1252, CRLF, events in date and time order, day by day (memory is one day's events).
struct PoliceYearWriter {
    let geography: Geography
    let codes: CrimeCodeTable
    let texts: PoliceTexts
    let withMunicipalityColumn: Bool

    static let monthWeights = [0.80, 0.75, 0.85, 0.92, 1.05, 1.25, 1.42, 1.30, 1.00, 0.95, 0.85, 0.92]

    var header: [String] {
        withMunicipalityColumn
            ? [
                "Ärendenummer", "Brottskod", "Brottsdatum", "Klockslag", "Kommun", "Område", "DeSO", "X", "Y", "Plats",
                "Fritext",
            ]
            : ["Ärendenummer", "Brottskod", "Brottsdatum", "Klockslag", "Område", "DeSO", "X", "Y", "Plats", "Fritext"]
    }

    func write(year: Int, yearIndex: Int, count: Int, path: String, seed: UInt64) throws -> PoliceFileSummary {
        var random = SampleRandom(seed: seed, stream: "police-\(year)")
        let sink = try ByteSink(path: path)
        let writer = CSVWriter(delimiter: UInt8(ascii: ";"), encoding: .windows1252, lineEnding: .crlf)
        sink.append(try writer.encodeRow(header))

        let municipalityChoice = WeightedChoice(geography.municipalities.map { Double($0.population[yearIndex]) })
        let desoChoices = geography.municipalities.map { municipality in
            WeightedChoice(municipality.desos.map { $0.weight * $0.attraction })
        }
        // Hour choices per time profile and weekday (0 = Monday).
        let hourChoices: [[WeightedChoice]] = TimeProfile.allCases.map { profile in
            (0..<7).map { weekday in
                WeightedChoice(
                    profile.hours.enumerated().map { hour, weight in
                        let boosted =
                            (hour >= 21 && (weekday == 4 || weekday == 5))
                            || (hour <= 4 && (weekday == 5 || weekday == 6))
                        return boosted ? weight * profile.weekendBoost : weight
                    })
            }
        }
        // Frauds grow over the years, as in the sample.
        let yearCodeChoice = WeightedChoice(
            codes.codes.map { $0.isFraud ? $0.weight * (1 + 0.06 * Double(yearIndex)) : $0.weight })

        let days = Calendar365.days(of: year)
        let dayWeights = days.map { day in
            Self.monthWeights[day.month - 1] * (day.weekday >= 4 ? 1.08 : 1.0)
        }
        let totalWeight = dayWeights.reduce(0, +)
        let yy = year % 100
        var serial = 100_000 + random.below(5_000)
        var cumulative = 0.0
        var written = 0
        var previousCase = -1
        let badCode = count / 3
        let badDate = (2 * count) / 3
        let shortRow = year == 2022 ? count / 2 : -1
        var summary = PoliceFileSummary(
            year: year, path: path, records: 0, shortRecords: 0, invalidRecords: 0, bytes: 0)
        var pending: [PendingEvent] = []

        for (dayIndex, day) in days.enumerated() {
            cumulative += dayWeights[dayIndex]
            let upTo = dayIndex == days.count - 1 ? count : Int(Double(count) * cumulative / totalWeight)
            let today = upTo - written
            pending.removeAll(keepingCapacity: true)
            for sequence in 0..<max(0, today) {
                pending.append(
                    makeEvent(
                        sequence: sequence, weekday: day.weekday, random: &random, codeChoice: yearCodeChoice,
                        municipalityChoice: municipalityChoice, desoChoices: desoChoices, hourChoices: hourChoices))
            }
            pending.sort { ($0.minuteOfDay, $0.sequence) < ($1.minuteOfDay, $1.sequence) }
            var caseOfDay = -1
            for event in pending {
                let index = written
                written += 1
                // About 5 % of reports hold two crimes: the same case number as the row before, same day.
                if caseOfDay >= 0, random.unit() < 0.05 {
                    // keep previousCase
                } else {
                    serial += 1 + random.below(9)
                    previousCase = serial
                }
                caseOfDay = previousCase
                sink.append(Self.casePrefix)
                sink.append(number: previousCase)
                sink.append(UInt8(ascii: "-"))
                sink.append(number: yy, width: 2)
                sink.append(Self.semicolon)
                if index == badCode {
                    sink.append(Self.unknownCode)
                    summary.invalidRecords += 1
                } else {
                    sink.append(texts.crimeCodes[Int(event.code)])
                }
                sink.append(Self.semicolon)
                if index == badDate {
                    sink.append(number: year, width: 4)
                    sink.append(Self.february30)
                    summary.invalidRecords += 1
                } else {
                    sink.append(day.text)
                }
                sink.append(Self.semicolon)
                if event.hasTime || index == shortRow {
                    let minutes = event.hasTime ? Int(event.minuteOfDay) : 14 * 60 + 20
                    sink.append(number: minutes / 60, width: 2)
                    sink.append(UInt8(ascii: ":"))
                    sink.append(number: minutes % 60, width: 2)
                }
                sink.append(Self.semicolon)
                let municipality = Int(event.municipality)
                if index == shortRow {
                    // Six fields: the export tool cut the row; the free text holds a personal number.
                    sink.append(event.district >= 0 ? texts.districts[municipality][Int(event.district)] : Self.centrum)
                    sink.append(Self.semicolon)
                    sink.append(texts.personalNumberNote)
                    sink.append(Self.lineEnd)
                    summary.shortRecords += 1
                    summary.records += 1
                    try sink.rowDone()
                    continue
                }
                if withMunicipalityColumn {
                    sink.append(texts.municipalityCodes[municipality])
                    sink.append(Self.semicolon)
                }
                if event.district >= 0 { sink.append(texts.districts[municipality][Int(event.district)]) }
                sink.append(Self.semicolon)
                if event.deso >= 0 { sink.append(texts.desoCodes[municipality][Int(event.deso)]) }
                sink.append(Self.semicolon)
                if event.district >= 0 {
                    sink.append(number: Int(event.east))
                    sink.append(Self.semicolon)
                    sink.append(number: Int(event.north))
                    sink.append(Self.semicolon)
                } else {
                    sink.append(Self.semicolon)
                    sink.append(Self.semicolon)
                }
                switch event.place {
                case 1: sink.append(texts.indoors)
                case 2: sink.append(texts.outdoors)
                default: break
                }
                sink.append(Self.semicolon)
                if event.fritext >= 0 { sink.append(texts.fritext[Int(event.fritext)]) }
                sink.append(Self.lineEnd)
                summary.records += 1
                try sink.rowDone()
            }
        }
        try sink.close()
        summary.bytes = sink.bytesWritten
        return summary
    }

    private func makeEvent(
        sequence: Int, weekday: Int, random: inout SampleRandom, codeChoice: WeightedChoice,
        municipalityChoice: WeightedChoice, desoChoices: [WeightedChoice], hourChoices: [[WeightedChoice]]
    ) -> PendingEvent {
        let codeIndex = codeChoice.pick(&random)
        let code = codes.codes[codeIndex]
        let hour = hourChoices[code.profile.rawValue][weekday].pick(&random)
        let minute = random.unit() < 0.2 ? 0 : random.below(60)
        let municipalityIndex = municipalityChoice.pick(&random)
        let municipality = geography.municipalities[municipalityIndex]
        let desoIndex = desoChoices[municipalityIndex].pick(&random)
        let deso = municipality.desos[desoIndex]
        var event = PendingEvent(
            minuteOfDay: Int32(hour * 60 + minute), sequence: Int32(sequence), code: Int32(codeIndex),
            municipality: Int32(municipalityIndex), district: Int32(deso.district), deso: Int32(desoIndex),
            east: Int32(deso.east + 400 * random.normal()), north: Int32(deso.north + 400 * random.normal()),
            hasTime: true, place: 0, fritext: -1)
        if code.isFraud, random.unit() < 0.6 {  // frauds often lack a place
            event.district = -1
            event.deso = -1
        } else if random.unit() < 0.05 {
            event.deso = -1
        }
        event.hasTime = random.unit() >= 0.03
        switch code.place {
        case .indoors: event.place = 1
        case .outdoors: event.place = 2
        case .either: event.place = random.unit() < 0.5 ? 1 : 2
        }
        if random.unit() < 0.10 { event.place = 0 }
        if random.unit() < 0.07 { event.fritext = Int16(random.below(texts.fritext.count)) }
        return event
    }

    static let semicolon = UInt8(ascii: ";")
    static let lineEnd: [UInt8] = [13, 10]
    static let casePrefix = Array("5000-K".utf8)
    static let unknownCode = Array("9999".utf8)
    static let february30 = Array("-02-30".utf8)
    static let centrum = Array("Centrum".utf8)
}

/// The days of a year with their ISO text and weekday, without Foundation's calendar.
enum Calendar365 {
    struct Day {
        var month: Int
        /// 0 = Monday … 6 = Sunday.
        var weekday: Int
        var text: [UInt8]
    }

    static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    static func days(of year: Int) -> [Day] {
        let lengths = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        var weekday = weekdayOfJanuaryFirst(year)
        var days: [Day] = []
        for month in 1...12 {
            for day in 1...lengths[month - 1] {
                let text = Array(
                    "\(Geography.pad(year, 4))-\(Geography.pad(month, 2))-\(Geography.pad(day, 2))".utf8)
                days.append(Day(month: month, weekday: weekday, text: text))
                weekday = (weekday + 1) % 7
            }
        }
        return days
    }

    /// 0 = Monday (Gauss's algorithm).
    static func weekdayOfJanuaryFirst(_ year: Int) -> Int {
        let y = year - 1
        let sundayBased = (1 + 5 * (y % 4) + 4 * (y % 100) + 6 * (y % 400)) % 7  // 0 = Sunday
        return (sundayBased + 6) % 7
    }
}
