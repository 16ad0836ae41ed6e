import Foundation

/// The synthetic status reports of Halmstad's action plan measures, `SampleData/atgarder/
/// statusrapport_YYYYKQ.csv`, one per quarter 2022K1–2023K4, as measure owners save them from Swedish
/// Excel: `;`, decimal comma, thousands with a space, CRLF; 2022 in Windows-1252, 2023 as "CSV UTF-8"
/// with a byte-order mark. No randomness. Planted: M02 late in 2023K3–K4; M06 without a report for
/// 2023K4; a fake personal identity number in M04's comment of 2023K2; three bad rows (M03 on 2021K4,
/// the unknown M99, the status "nästan klar").
enum HalmstadMeasureReports {
    static let header = ["Åtgärd", "Period", "Status", "Prestation", "Antal", "Timmar", "Kostnad (kr)", "Kommentar"]
    static let quarters = [2022, 2023].flatMap { year in (1...4).map { "\(year)K\($0)" } }

    /// Measure, output name, and per quarter: outputs, hours, cost (nil: nothing reported).
    static let measures: [(id: String, output: String, counts: [Double?], hours: [Double?], costs: [Double?])] = [
        (
            "M01", "trygghetsvandringar", [3, 3, 2, 4, 3, 2, 3, 3], [75, 80.5, 70, 74.5, 75, 75, 75, 75],
            Array(repeating: 22500, count: 8)
        ),
        (
            "M02", "tillsynsbesök nattetid", [10, 11, 9, 10, 10, 10, 4, 3], Array(repeating: 130, count: 8),
            Array(repeating: 65000, count: 6) + [30000, 25000]
        ),
        (
            "M03", "nya belysningspunkter", [4, 8, 7, 6, 5, 9, 6, 5], Array(repeating: nil, count: 8),
            [280000, 310000, 300000, 310000, 280000, 310000, 300000, 310000]
        ),
        (
            "M04", "nattvandringspass", [18, 22, 24, 16, 19, 21, 25, 17], [36, 40, 42, 32, 37, 38.5, 41, 33.5],
            Array(repeating: 15000, count: 8)
        ),
        (
            "M05", "kvällar med öppet efter kl. 21", [24, 25, 26, 25, 25, 24, 25, 26],
            Array(repeating: 450, count: 8), Array(repeating: 237500, count: 8)
        ),
        (
            "M06", "samverkansmöten", [2, 3, 2, 3, 2, 3, 2, nil], Array(repeating: 50, count: 8),
            Array(repeating: 30000, count: 8)
        ),
        (
            "M07", "saneringar", [35, 41, 39, 33, 38, 40, nil, 36], Array(repeating: nil, count: 8),
            Array(repeating: 100000, count: 8)
        ),
        (
            "M08", "skolor med rastvärdar", [3, 3, 2, 4, 3, 3, 3, 3], Array(repeating: 600, count: 8),
            Array(repeating: 275000, count: 8)
        ),
        (
            "ML1", "dialogmöten", Array(repeating: 1, count: 8), Array(repeating: 100, count: 8),
            Array(repeating: nil, count: 8)
        ),
        (
            "ML2", "trygghetsvandringar", [0, 2, 1, 2, 1, 2, 1, 2], [20, 30, 30, 30, 30, 30, 30, 30],
            Array(repeating: nil, count: 8)
        ),
    ]

    static let status = [
        "M02|2023K3": "försenad", "M02|2023K4": "försenad", "M03|2023K4": "genomförd", "ML2|2022K1": "ej påbörjad",
        "M01|2022K2": "Pågår",
    ]

    static let comments = [
        "M02|2023K3": "Två av tre tillsynsinspektörer sjukskrivna; besöken återupptas i februari.",
        "M02|2023K4": "Fortsatt underbemanning. Ny inspektör börjar 2024-02-01.",
        "M03|2023K4": "Sista etappen på Storgatan klar i november.",
        "M04|2023K2": "Kontaktperson 19850412-1234 har slutat; föreningen utser en ny.",
        "M01|2022K3": "Färre vandringar under semestern.",
        "ML2|2022K1": "Löftet undertecknat 1 mars; första vandringen i april.",
    ]

    /// Rows that normalize must quarantine, by the quarter of the file they are in.
    static let badRows = [
        "2022K1": [
            ["M03", "2021K4", "genomförd", "nya belysningspunkter", "3", "", "90 000", "Förstudie hösten 2021."]
        ],
        "2023K2": [["M99", "2023K2", "pågår", "", "5", "10", "", "Okänd åtgärd."]],
        "2023K3": [["M07", "2023K3", "nästan klar", "saneringar", "37", "", "100 000", ""]],
    ]

    /// A number as Swedish Excel writes it: decimal comma, thousands separated by a space.
    static func number(_ value: Double?) -> String {
        guard let value else { return "" }
        guard value != value.rounded(.towardZero) else {
            return PythonFormat.svNumber(value).replacingOccurrences(of: PythonFormat.nbsp, with: " ")
        }
        return "\(value)".replacingOccurrences(of: ".", with: ",")
    }

    /// Every file: path relative to the repository and bytes.
    static func files() throws -> [(path: String, bytes: [UInt8])] {
        try quarters.enumerated().map { index, quarter in
            var rows = [header]
            for measure in measures {
                guard let count = measure.counts[index] else { continue }
                let key = "\(measure.id)|\(quarter)"
                rows.append([
                    measure.id, quarter, status[key] ?? "pågår", measure.output, number(count),
                    number(measure.hours[index]), number(measure.costs[index]), comments[key] ?? "",
                ])
            }
            rows += badRows[quarter] ?? []
            let text = rows.map { $0.map { PythonFormat.csvField($0, separator: ";") }.joined(separator: ";") + "\r\n" }
                .joined()
            let bytes = quarter.hasPrefix("2022") ? try PythonFormat.windows1252(text) : PythonFormat.utf8BOM(text)
            return ("SampleData/atgarder/statusrapport_\(quarter).csv", bytes)
        }
    }
}
