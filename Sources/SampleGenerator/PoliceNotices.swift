import Foundation
import LagesbildModel

/// A page of the police's open events API for Halmstad (press notices, not the reported-crime
/// statistics): the root array of `{id, datetime, name, summary, url, type, location: {name, gps}}` as
/// `https://polisen.se/api/events?locationname=Halmstad` answers, newest first. `location.gps` is the
/// municipality's centre point, as in the API. Synthetic, written deterministically from the seed.
public enum PoliceNoticeSample {
    public static let year = 2023
    /// The file's path under the sample folder.
    public static let path = "police/handelser_polisen_2023.json"

    /// The event types of the page and how common they are (`type` in the API).
    static let types: [(type: String, weight: Double)] = [
        ("Misshandel", 14), ("Misshandel, grov", 3), ("Rån", 3), ("Olaga hot", 6), ("Skadegörelse", 10),
        ("Brand", 8), ("Trafikolycka", 15), ("Stöld", 10), ("Inbrott", 8), ("Narkotikabrott", 8),
        ("Rattfylleri", 6), ("Sammanfattning natt", 5),
    ]

    static let months = [
        "januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
        "november", "december",
    ]

    /// The number of events on the page.
    public static let count = 150

    /// The whole page as bytes (UTF-8, pretty-printed like the API's answer saved by a browser).
    public static func json(seed: UInt64 = 20_240_501) -> [UInt8] {
        var random = SampleRandom(seed: seed, stream: "police-notices-\(year)")
        let choice = WeightedChoice(types.map(\.weight))
        var events: [(day: Int, minute: Int, type: String)] = []
        for _ in 0..<count {
            let day = random.below(CalendarDate.isLeapYear(year) ? 366 : 365)
            events.append((day, random.below(24 * 60), types[choice.pick(&random)].type))
        }
        events.sort { ($0.day, $0.minute) > ($1.day, $1.minute) }
        let first = CalendarDate(year: year, month: 1, day: 1)!.dayNumber
        var items: [String] = []
        for (index, event) in events.enumerated() {
            let date = IncidentSample.date(dayNumber: first + event.day)
            let hour = event.minute / 60
            let minute = event.minute % 60
            func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
            // Summer time (CEST) from the last Sunday of March to the last Sunday of October, roughly.
            let offset = (4...9).contains(date.month) ? "+02:00" : "+01:00"
            let monthName = months[date.month - 1]
            let name = "\(two(date.day)) \(monthName) \(two(hour)).\(two(minute)), \(event.type), Halmstad"
            let slug =
                "\(two(date.day))-\(monthName)-\(two(hour))\(two(minute))-"
                + event.type.lowercased().replacingOccurrences(of: ", ", with: "-")
                .replacingOccurrences(of: " ", with: "-").replacingOccurrences(of: "å", with: "a")
                .replacingOccurrences(of: "ä", with: "a").replacingOccurrences(of: "ö", with: "o") + "-halmstad"
            items.append(
                """
                  {
                    "id": \(400_000 + count - index),
                    "datetime": "\(date) \(two(hour)):\(two(minute)):00 \(offset)",
                    "name": "\(name)",
                    "summary": "Syntetisk händelse i Halmstad.",
                    "url": "/aktuellt/handelser/\(year)/\(monthName)/\(date.day)/\(slug)/",
                    "type": "\(event.type)",
                    "location": {
                      "name": "Halmstad",
                      "gps": "56.674375,12.857788"
                    }
                  }
                """)
        }
        return Array(("[\n" + items.joined(separator: ",\n") + "\n]\n").utf8)
    }

    /// Writes the page under `folder` (``path``); returns its number of events.
    @discardableResult
    public static func write(into folder: String, seed: UInt64 = 20_240_501) throws -> Int {
        let target = URL(fileURLWithPath: folder).appendingPathComponent(path)
        try FileManager.default.createDirectory(
            at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(json(seed: seed)).write(to: target, options: .atomic)
        return count
    }
}
