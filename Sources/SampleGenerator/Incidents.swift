import Foundation
import LagesbildModel

/// The Halmstad sample's weekly incident export (the EST method): the kommun's own reports of vandalism,
/// graffiti, unsafe places, fires reported by the rescue service and reports from security guards and
/// housing companies, one row per incident, coded by the kommun's type list
/// (`Pipelines/codelists/est_handelsetyper.csv`).
///
/// Written deterministically from the seed: UTF-8 with a byte-order mark, `;`, CRLF, the header
/// `Vecka;Datum;Klockslag;Typ;Område;Plats;Rapportör`. `Vecka` is the ISO week the report was collected
/// in (`2023-W05`); `Klockslag` is empty where the reporter did not know the time.
public enum IncidentSample {
    /// The year the export covers.
    public static let year = 2023
    /// The file's path under the sample folder.
    public static let path = "incidents/handelser_2023.csv"

    /// An event type: its code in the type list, how common it is, when and where it happens, who
    /// reports it.
    struct Kind {
        var code: String
        var weight: Double
        /// Hours it is likely in (drawn uniformly from these).
        var hours: [Int]
        /// Share outdoors.
        var outdoors: Double
        var reporters: [String]
        /// Share of reports without a time.
        var noTime: Double
    }

    static let kinds: [Kind] = [
        Kind(
            code: "E01", weight: 14, hours: Array(18...23) + Array(0...3), outdoors: 0.55,
            reporters: ["Bostadsbolag", "Fastighetsförvaltningen", "Väktare"], noTime: 0.5),
        Kind(
            code: "E02", weight: 9, hours: Array(19...23) + Array(0...2), outdoors: 1,
            reporters: ["Parkförvaltningen", "Väktare"], noTime: 0.6),
        Kind(
            code: "E03", weight: 22, hours: Array(20...23) + Array(0...4), outdoors: 0.9,
            reporters: ["Bostadsbolag", "Fastighetsförvaltningen", "Parkförvaltningen"], noTime: 0.7),
        Kind(
            code: "E04", weight: 3, hours: Array(20...23) + Array(0...4), outdoors: 0.9,
            reporters: ["Fastighetsförvaltningen", "Bostadsbolag"], noTime: 0.7),
        Kind(
            code: "E05", weight: 8, hours: Array(17...23), outdoors: 1,
            reporters: ["Trygghetsvandring", "Väktare", "Bostadsbolag"], noTime: 0.3),
        Kind(
            code: "E06", weight: 10, hours: Array(18...23) + [0, 1], outdoors: 0.8,
            reporters: ["Väktare", "Ordningsvakter", "Bostadsbolag"], noTime: 0.1),
        Kind(
            code: "E07", weight: 8, hours: Array(20...23) + Array(0...4), outdoors: 1,
            reporters: ["Räddningstjänsten"], noTime: 0),
        Kind(
            code: "E08", weight: 4, hours: Array(21...23) + Array(0...4), outdoors: 1,
            reporters: ["Räddningstjänsten"], noTime: 0),
        Kind(
            code: "E09", weight: 2, hours: Array(0...23), outdoors: 0,
            reporters: ["Räddningstjänsten"], noTime: 0),
        Kind(
            code: "E10", weight: 7, hours: Array(6...18), outdoors: 1,
            reporters: ["Parkförvaltningen", "Bostadsbolag"], noTime: 0.8),
        Kind(
            code: "E11", weight: 5, hours: Array(0...23), outdoors: 0,
            reporters: ["Bostadsbolag", "Väktare"], noTime: 0.6),
    ]

    /// Districts and their weights (the town's centre and the larger housing areas report most).
    static let districts: [(name: String, weight: Double)] = [
        ("Centrum", 20), ("Andersberg", 16), ("Vallås", 12), ("Linehed", 10), ("Sannarp", 8), ("Söndrum", 6),
        ("Fyllinge", 5), ("Getinge", 4), ("Oskarström", 6), ("Harplinge", 2), ("Simlångsdalen", 1), ("Kvibille", 1),
    ]

    /// The whole file as bytes.
    public static func csv(seed: UInt64 = 20_240_501) -> [UInt8] {
        var random = SampleRandom(seed: seed, stream: "incidents-\(year)")
        let kindChoice = WeightedChoice(kinds.map(\.weight))
        let districtChoice = WeightedChoice(districts.map(\.weight))
        let first = CalendarDate(year: year, month: 1, day: 1)!.dayNumber
        let days = CalendarDate.isLeapYear(year) ? 366 : 365
        var rows: [(day: Int, minute: Int, fields: [String])] = []
        for dayIndex in 0..<days {
            let date = Self.date(dayNumber: first + dayIndex)
            // More in the summer half-year and on Fridays and Saturdays.
            let season = 1 + 0.5 * sin(Double(dayIndex - 80) / Double(days) * 2 * .pi)
            let weekend = date.weekday >= 5 && date.weekday <= 6 ? 1.6 : 1
            let expected = 1.0 * season * weekend
            var count = 0
            // A Poisson number of reports (Knuth's method).
            let threshold = exp(-expected)
            var product = random.unit()
            while product > threshold, count < 8 {
                count += 1
                product *= random.unit()
            }
            for _ in 0..<count {
                let kind = kinds[kindChoice.pick(&random)]
                let hour = kind.hours[random.below(kind.hours.count)]
                let minute = random.below(60)
                let knowsTime = random.unit() >= kind.noTime
                let place = random.unit() < kind.outdoors ? "Utomhus" : "Inomhus"
                let reporter = kind.reporters[random.below(kind.reporters.count)]
                let district = districts[districtChoice.pick(&random)].name
                let week = date.isoWeek
                let time = knowsTime ? "\(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute)" : ""
                rows.append(
                    (
                        dayIndex, knowsTime ? hour * 60 + minute : -1,
                        [
                            "\(week.year)-W\(week.week < 10 ? "0" : "")\(week.week)", date.description, time, kind.code,
                            district, place, reporter,
                        ]
                    ))
            }
        }
        rows.sort { ($0.day, $0.minute) < ($1.day, $1.minute) }
        var text = "\u{FEFF}Vecka;Datum;Klockslag;Typ;Område;Plats;Rapportör\r\n"
        for row in rows { text += row.fields.joined(separator: ";") + "\r\n" }
        return Array(text.utf8)
    }

    /// Writes the export under `folder` (``path``); returns its number of data rows.
    @discardableResult
    public static func write(into folder: String, seed: UInt64 = 20_240_501) throws -> Int {
        let target = URL(fileURLWithPath: folder).appendingPathComponent(path)
        try FileManager.default.createDirectory(
            at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let bytes = csv(seed: seed)
        try Data(bytes).write(to: target, options: .atomic)
        return bytes.reduce(0) { $0 + ($1 == 10 ? 1 : 0) } - 1
    }

    /// The date of a day number of ``year`` (days since 1970-01-01).
    static func date(dayNumber: Int) -> CalendarDate {
        var date = CalendarDate(year: year, month: 1, day: 1)!
        var remaining = dayNumber - date.dayNumber
        while remaining >= CalendarDate.daysInMonth(year: date.year, month: date.month) - date.day + 1 {
            remaining -= CalendarDate.daysInMonth(year: date.year, month: date.month) - date.day + 1
            date =
                date.month == 12
                ? CalendarDate(year: date.year + 1, month: 1, day: 1)!
                : CalendarDate(year: date.year, month: date.month + 1, day: 1)!
        }
        return CalendarDate(year: date.year, month: date.month, day: date.day + remaining)!
    }
}
