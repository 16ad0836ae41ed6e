import CLibZ
import Foundation

/// The Halmstad sample's workbook and JSON answers, no randomness:
/// - `SampleData/bra/anmalda_brott_halmstad.xlsx`: a Brå-style table saved from Excel. Sheet `Info`
///   first, then `Tabell1`: a title merged across the table (rich text), an empty row, a two-row header
///   (merged cells), shared strings, whole and decimal numbers, formulas with cached values, a `..`
///   marker as an inline string, an empty row and a source note.
/// - `SampleData/kolada/kolada_N07403.json`: a Kolada v3 answer (violent crimes per 100 000).
/// - `SampleData/population/befolkning_scb_api.json`: a JSON-stat 2.0 answer of SCB's PxWebApi 2 with
///   the real population totals.
enum HalmstadFormatSamples {
    static let years = [2020, 2021, 2022, 2023]
    static let population: [String: [Int]] = [
        "Halmstad": [103_754, 104_573, 105_148, 105_796],
        "Hallands län": [336_212, 339_811, 342_805, 343_746],
        "Hela landet": [10_379_295, 10_452_326, 10_521_556, 10_551_707],
    ]
    /// Reported crimes; nil is `..` (not published).
    static let reported: [(region: String, crime: String, counts: [Int?])] = [
        ("Halmstad", "Olaga hot", [812, 845, 903, 877]),
        ("Halmstad", "Ofredande", [402, 388, 420, 415]),
        ("Hallands län", "Olaga hot", [2640, 2702, 2851, 2790]),
        ("Hallands län", "Ofredande", [1301, 1275, 1344, 1322]),
        ("Hela landet", "Olaga hot", [96210, 98342, 101_567, 99874]),
        ("Hela landet", "Ofredande", [41210, 40876, 42354, nil]),
    ]

    static func files() throws -> [(path: String, bytes: [UInt8])] {
        [
            ("SampleData/bra/anmalda_brott_halmstad.xlsx", try ZipArchive(entries: workbookParts()).bytes()),
            ("SampleData/kolada/kolada_N07403.json", Array((kolada().text(indent: 1) + "\n").utf8)),
            ("SampleData/population/befolkning_scb_api.json", Array((jsonStat().text(indent: 1) + "\n").utf8)),
        ]
    }

    static func kolada() -> PythonJSON {
        let values: [(String, [Double])] = [
            ("1380", [1004.3, 978.1, 1012.5, 965.2]), ("0013", [912.4, 880.0, 901.7, 873.3]),
            ("0000", [1125.6, 1098.2, 1120.4, 1087.9]),
        ]
        var items: [PythonJSON] = []
        for (municipality, series) in values {
            for (year, value) in zip(years, series) {
                func missing(_ gender: String) -> PythonJSON {
                    .object([
                        ("gender", .string(gender)), ("count", .int(0)), ("status", .string("Missing")),
                        ("value", .null),
                    ])
                }
                items.append(
                    .object([
                        ("kpi", .string("N07403")), ("municipality", .string(municipality)), ("period", .int(year)),
                        (
                            "values",
                            .array([
                                .object([
                                    ("gender", .string("T")), ("count", .int(1)), ("status", .string("")),
                                    ("value", .double(value)),
                                ]),
                                missing("K"), missing("M"),
                            ])
                        ),
                    ]))
            }
        }
        return .object([
            ("count", .int(items.count)), ("values", .array(items)), ("next_url", .null), ("previous_url", .null),
        ])
    }

    static func jsonStat() -> PythonJSON {
        let regions = [("00", "Riket"), ("13", "Hallands län"), ("1380", "Halmstad")]
        let totals = ["Hela landet", "Hallands län", "Halmstad"].flatMap { population[$0]! }
        return .object([
            ("version", .string("2.0")), ("class", .string("dataset")),
            ("label", .string("Folkmängden efter region och år (syntetiskt svar med verkliga totaler)")),
            ("source", .string("SCB")), ("updated", .string("2024-02-22T07:00:00Z")),
            ("id", .array(["Region", "ContentsCode", "Tid"].map { .string($0) })),
            ("size", .array([3, 1, 4].map { .int($0) })),
            (
                "dimension",
                .object([
                    (
                        "Region",
                        .object([
                            ("label", .string("region")),
                            (
                                "category",
                                .object([
                                    ("index", .object(regions.enumerated().map { ($0.element.0, .int($0.offset)) })),
                                    ("label", .object(regions.map { ($0.0, .string($0.1)) })),
                                ])
                            ),
                        ])
                    ),
                    // One category: JSON-stat allows the index to be left out.
                    (
                        "ContentsCode",
                        .object([
                            ("label", .string("tabellinnehåll")),
                            ("category", .object([("label", .object([("BE0101N1", .string("Folkmängd"))]))])),
                        ])
                    ),
                    (
                        "Tid",
                        .object([
                            ("label", .string("år")),
                            (
                                "category",
                                .object([
                                    ("index", .array(years.map { .string(String($0)) })),
                                    ("label", .object(years.map { (String($0), .string(String($0))) })),
                                ])
                            ),
                        ])
                    ),
                ])
            ),
            ("value", .array(totals.map { .int($0) })),
            (
                "role",
                .object([
                    ("time", .array([.string("Tid")])), ("metric", .array([.string("ContentsCode")])),
                    ("geo", .array([.string("Region")])),
                ])
            ),
        ])
    }
}
