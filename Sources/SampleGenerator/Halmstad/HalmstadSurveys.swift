import Foundation

/// The Halmstad sample's police safety survey (`police/trygghetsmatning_halmstad.csv`) and the county
/// board's alcohol licensing exports (`county-board/alkoholtillsyn_YYYY.xml`).
enum HalmstadSurveys {
    static let years = [2020, 2021, 2022, 2023]
    static let problemLevel: [String: Double] = [
        "Centrum": 2.7, "Andersberg": 3.3, "Vallås": 3.0, "Linehed": 2.0, "Sannarp": 1.8, "Söndrum": 1.3,
        "Fyllinge": 1.4, "Getinge": 1.2, "Oskarström": 1.9, "Harplinge": 1.0, "Simlångsdalen": 0.9, "Kvibille": 0.9,
    ]
    static let suppressed: Set<String> = ["Simlångsdalen|2021", "Kvibille|2023"]

    /// UTF-8 with BOM, `;`, CRLF; the problem index with a decimal comma, `..` where too few answered.
    static func safety(seed: Int) -> (bytes: [UInt8], expected: PythonJSON) {
        var random = PythonRandom(seed + 4)
        var lines = ["Område;År;Problemindex;Antal svarande"]
        var marks: [PythonJSON] = []
        var baseRespondents: [String: Int] = [:]
        for district in HalmstadAreas.districts {
            baseRespondents[district.name] =
                HalmstadAreas.urbanDistricts.contains(district.name)
                ? random.randint(140, 320) : random.randint(35, 80)
        }
        for district in HalmstadAreas.districts {
            let name = district.name
            for (yearIndex, year) in years.enumerated() {
                let trend =
                    ["Andersberg", "Vallås"].contains(name) ? -0.08 * Double(yearIndex) : 0.02 * Double(yearIndex)
                let value = max(0.0, min(6.0, problemLevel[name]! + trend + random.uniform(-0.25, 0.25)))
                var respondents = PythonFormat.round(Double(baseRespondents[name]!) * random.uniform(0.85, 1.15))
                if suppressed.contains("\(name)|\(year)") {
                    respondents = random.randint(6, 14)
                    lines.append("\(name);\(year);..;\(respondents)")
                    marks.append(.object([("line", .int(lines.count)), ("area", .string(name)), ("year", .int(year))]))
                } else {
                    lines.append("\(name);\(year);\(PythonFormat.svDecimal(value));\(respondents)")
                }
            }
        }
        return (
            PythonFormat.utf8BOM(lines.joined(separator: "\r\n") + "\r\n"),
            .object([
                ("file", .string("SampleData/police/trygghetsmatning_halmstad.csv")),
                ("data_rows", .int(lines.count - 1)), ("suppressed", .array(marks)),
            ])
        )
    }

    static let licensingBase: [String: [Int]] = [
        "1315": [14, 0, 9], "1380": [192, 14, 205], "1381": [58, 2, 41], "1382": [96, 4, 88], "1383": [148, 7, 150],
        "1384": [121, 3, 112],
    ]
    static let licensingMeasures = [
        ("serveringstillstand", "Serveringstillstånd till allmänheten (stadigvarande)"),
        ("oppet_efter_0100", "Serveringsställen med serveringstid efter kl. 01.00"),
        ("tillsynsbesok", "Tillsynsbesök (förebyggande och inre tillsyn på plats)"),
    ]

    /// One year's export for Hallands län's six municipalities (UTF-8, a prefixed namespace, LF).
    static func licensing(year: Int, seed: Int, scb: [HalmstadAreas.SCBRow]) throws -> [UInt8] {
        var random = PythonRandom(seed + 5 + year)
        let municipalities = scb.filter { $0.countyCode == "13" }
        guard municipalities.count == 6 else { throw SampleGeneratorError("Hallands län should have 6 municipalities") }
        let drift = year == 2022 ? 1.0 : 1.04
        var out = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<!-- Syntetiska exempeldata för Lagesbild; inga verkliga tillståndshavare -->",
            "<lst:Export xmlns:lst=\"urn:se:lansstyrelsen:alkoholtillsyn:1\" ar=\"\(year)\" lan=\"13\" "
                + "lansnamn=\"Hallands län\" skapad=\"\(year + 1)-02-14\">",
            "  <lst:Avsandare>Länsstyrelsen i Hallands län, enheten för tillståndsfrågor</lst:Avsandare>",
        ]
        for municipality in municipalities {
            out.append(
                "  <lst:Kommun kod=\"\(municipality.municipalityCode)\" namn=\"\(municipality.municipalityName)\">")
            for ((key, label), base) in zip(licensingMeasures, licensingBase[municipality.municipalityCode]!) {
                let value = max(0, PythonFormat.round(Double(base) * drift * (1 + random.uniform(-0.05, 0.05))))
                out += [
                    "    <lst:Uppgift typ=\"\(key)\">", "      <lst:Benamning>\(label)</lst:Benamning>",
                    "      <lst:Antal>\(value)</lst:Antal>", "    </lst:Uppgift>",
                ]
            }
            if municipality.municipalityCode == "1380" {
                out.append(
                    "    <lst:Kommentar><![CDATA[Två tillstånd återkallade under året; tillsynen samordnad med "
                        + "polisen i lokalpolisområde Halmstad-Laholm (s.k. \"krogtillsyn\" & restaurangkontroller "
                        + "<fredagar>).]]></lst:Kommentar>")
            }
            out.append("  </lst:Kommun>")
        }
        out.append("</lst:Export>")
        return Array((out.joined(separator: "\n") + "\n").utf8)
    }
}
