import CSVReader
import Foundation
import LagesbildModel

/// The second synthetic kommun, Växjö (0780, Kronobergs län): small exports in layouts unlike
/// Halmstad's for every supplier, read by `Pipelines/vaxjo.yaml` and checked against the independent
/// `Tests/Reference/vaxjo_expected.py`. Deterministic: the same seed gives the same bytes.
///
/// Writes, under the repository root given: `SampleData/vaxjo/…` (the exports) and
/// `Pipelines/codelists/{areas_vaxjo,brottskoder_vaxjo,est_handelsetyper_vaxjo}.csv`.
public struct SecondKommunSample: Sendable {
    public var seed: UInt64
    public static let years = Array(2020...2023)

    public init(seed: UInt64 = 20_240_501) { self.seed = seed }

    /// A district of the synthetic Växjö: code, name, population at the end of 2020 and its share of
    /// police events.
    struct District {
        var code: String
        var name: String
        var population2020: Int
        var eventWeight: Double
    }

    static let districts = [
        District(code: "0780D01", name: "Centrum", population2020: 24_310, eventWeight: 0.38),
        District(code: "0780D02", name: "Teleborg", population2020: 17_850, eventWeight: 0.17),
        District(code: "0780D03", name: "Araby", population2020: 9_420, eventWeight: 0.20),
        District(code: "0780D04", name: "Öster", population2020: 33_960, eventWeight: 0.17),
        District(code: "0780D05", name: "Ingelstad", population2020: 9_870, eventWeight: 0.08),
    ]

    /// School units: synthetic skolenhetskod, name and district (index into ``districts``).
    static let schools: [(code: String, name: String, district: Int)] = [
        ("58213407", "Södra skolan", 0), ("58213415", "Teleborgsskolan", 1), ("58213423", "Araby skola", 2),
        ("58213431", "Östra skolan", 3), ("58213449", "Ingelstad skola", 4),
    ]

    /// Kronobergs läns municipalities (SCB codes and names).
    static let municipalities: [(code: String, name: String)] = [
        ("0760", "Uppvidinge"), ("0761", "Lessebo"), ("0763", "Tingsryd"), ("0764", "Alvesta"),
        ("0765", "Älmhult"), ("0767", "Markaryd"), ("0780", "Växjö"), ("0781", "Ljungby"),
    ]

    /// Writes every file; returns the paths written, relative to `root`.
    public func generate(intoRepository root: String) throws -> [String] {
        let root = URL(fileURLWithPath: root).standardizedFileURL.path
        let data = root + "/SampleData/vaxjo"
        for folder in ["polisen", "scb", "bra", "lansstyrelsen", "skolor", "est"] {
            try FileManager.default.createDirectory(atPath: data + "/" + folder, withIntermediateDirectories: true)
        }
        try FileManager.default.createDirectory(
            atPath: root + "/Pipelines/codelists", withIntermediateDirectories: true)
        var written: [String] = []
        func save(_ relative: String, _ bytes: [UInt8]) throws {
            try Data(bytes).write(to: URL(fileURLWithPath: root + "/" + relative), options: .atomic)
            written.append(relative)
        }
        try save("Pipelines/codelists/areas_vaxjo.csv", try areaList())
        try save("Pipelines/codelists/brottskoder_vaxjo.csv", try SecondKommunEvents.crimeCodeList())
        try save("Pipelines/codelists/est_handelsetyper_vaxjo.csv", try SecondKommunEvents.incidentTypeList())
        let events = SecondKommunEvents(seed: seed)
        for year in Self.years {
            try save("SampleData/vaxjo/polisen/anmalningar_\(year).csv", try events.policeFile(year: year))
        }
        try save("SampleData/vaxjo/est/est_handelser_2023.csv", try events.incidentFile(year: 2023))
        let observations = SecondKommunObservations(seed: seed)
        try save("SampleData/vaxjo/scb/folkmangd_stadsdelar.csv", try observations.population())
        try save("SampleData/vaxjo/bra/bra_kronoberg.csv", try observations.bra())
        for year in [2022, 2023] {
            try save("SampleData/vaxjo/lansstyrelsen/tillsyn_\(year).xml", observations.countyBoard(year: year))
        }
        try save("SampleData/vaxjo/skolor/slutbetyg_ak9.csv", try observations.grades())
        try save("SampleData/vaxjo/skolor/franvaro_terminer.csv", try observations.absence())
        try save("SampleData/vaxjo/skolor/skolenkat_trygghet.csv", try observations.survey())
        return written
    }

    /// `areas_vaxjo.csv`: the country, the county, its municipalities, Växjö's districts and schools.
    func areaList() throws -> [UInt8] {
        var writer = CSVWriter(delimiter: UInt8(ascii: ";"), encoding: .utf8, lineEnding: .lf)
        try writer.writeRow(["code", "name", "level", "parent", "aliases"])
        try writer.writeRow(["00", "Sverige", "country", "", "Riket|Hela landet"])
        try writer.writeRow(["07", "Kronobergs län", "county", "00", "Kronoberg|07 Kronobergs län"])
        for municipality in Self.municipalities {
            try writer.writeRow([
                municipality.code, municipality.name, "municipality", "07",
                "\(municipality.code) \(municipality.name)|\(municipality.name) kommun",
            ])
        }
        for district in Self.districts {
            try writer.writeRow([district.code, district.name, "district", "0780", ""])
        }
        for school in Self.schools {
            try writer.writeRow([school.code, school.name, "school", Self.districts[school.district].code, ""])
        }
        return Array(writer.data)
    }
}

/// Writes CSV rows into bytes: a writer, a byte-order mark when asked, and lines added as they come.
struct CSVBytes {
    var writer: CSVWriter
    var bytes: [UInt8]

    init(_ writer: CSVWriter) {
        self.writer = writer
        bytes = writer.byteOrderMarkBytes
    }

    mutating func row(_ fields: [String]) throws { bytes += try writer.encodeRow(fields) }

    /// A line written as it is (a title or a footer note), encoded like the rows.
    mutating func line(_ text: String) throws {
        var plain = writer
        plain.quoteAll = false
        plain.delimiter = 0
        bytes += try plain.encodeRow(text.isEmpty ? [] : [text])
    }
}
