import Foundation

/// The committed Halmstad sample (1380, Hallands län, 2020–2023), written into a repository:
/// `Pipelines/codelists/crime_categories.csv`, `areas_halmstad.csv` and `deso_crosswalk.csv`, and under `SampleData/` the police
/// exports, the safety survey, population (PX-Web CSV and JSON-stat), Brå (SOL CSV and a workbook),
/// Kolada, the county board's XML, the school files, the incident export, a page of the police's events
/// API, the action plan's status reports and `expected_counts.json`. Everything is synthetic except the
/// reference lists it reads and the published population totals.
///
/// Every file draws from its own Python-compatible generator (``PythonRandom``) with a fixed seed, so the
/// output is byte-for-byte the one the earlier Python script wrote, and regenerating one file does not
/// shift another. Reads `brottskoder.csv` and `scb_kommuner_lan.csv` from the code list folder and
/// also writes `crime_categories.csv`, built from the former's names (``CrimeCategories``).
public struct HalmstadSample: Sendable {
    public var seed: Int
    public static let defaultSeed = 20_240_501
    static let years = [2020, 2021, 2022, 2023]

    public init(seed: Int = HalmstadSample.defaultSeed) { self.seed = seed }

    /// Every file, path relative to the repository and bytes, in the order written.
    public func files(codeLists: String) throws -> [(path: String, bytes: [UInt8])] {
        let scb = try HalmstadAreas.readSCB(codeLists + "/scb_kommuner_lan.csv")
        let categoryList = try CrimeCategories.list(codeList: codeLists + "/brottskoder.csv")
        let categories = try Self.categories(categoryList)
        let knownCodes = try Self.readCurrentCodes(codeLists + "/brottskoder.csv")
        for code in HalmstadPolice.codes.map(\.code) where !knownCodes.contains(code) {
            throw SampleGeneratorError("crime code \(code) is not a current code in brottskoder.csv")
        }
        let units = HalmstadSchools.units(seed: seed)
        let areas = try HalmstadAreas.areaRows(scb: scb, schools: units)
        var files: [(path: String, bytes: [UInt8])] = [
            ("Pipelines/codelists/crime_categories.csv", categoryList),
            ("Pipelines/codelists/areas_halmstad.csv", HalmstadAreas.areaList(areas.rows)),
            ("Pipelines/codelists/deso_crosswalk.csv", HalmstadAreas.crosswalk()),
        ]
        var police: [(String, PythonJSON)] = []
        for (index, year) in Self.years.enumerated() {
            let file = try HalmstadPolice.year(year, yearIndex: index, seed: seed, categories: categories)
            files.append(("SampleData/police/brott_\(year).csv", file.bytes))
            police.append((String(year), file.expected))
        }
        let population = try HalmstadPopulation.file(seed: seed)
        let sol = try HalmstadPopulation.sol(seed: seed)
        let safety = HalmstadSurveys.safety(seed: seed)
        let skolverket = try HalmstadSchools.skolverket(units, seed: seed)
        let absence = HalmstadSchools.absence(units, seed: seed)
        let survey = HalmstadSchools.survey(units, seed: seed)
        files += [
            ("SampleData/population/befolkning_halmstad.csv", population.bytes),
            ("SampleData/bra/anmalda_brott_sol.csv", sol.bytes),
            ("SampleData/police/trygghetsmatning_halmstad.csv", safety.bytes),
        ]
        for year in [2022, 2023] {
            files.append(
                (
                    "SampleData/county-board/alkoholtillsyn_\(year).xml",
                    try HalmstadSurveys.licensing(year: year, seed: seed, scb: scb)
                ))
        }
        files += [
            ("SampleData/schools/skolverket_behorighet.csv", skolverket.bytes),
            ("SampleData/schools/franvaro_ss12000.xml", absence.bytes),
            ("SampleData/schools/skolenkaten.csv", survey.bytes),
        ]
        let expected = PythonJSON.object([
            ("generator", .string("lagesbild sample --kommun halmstad")),
            ("seed", .int(seed)),
            (
                "note",
                .string(
                    "Counts for the synthetic police exports. A good row has 10 fields, a crime code that exists in "
                        + "Pipelines/codelists/brottskoder.csv and a real calendar date. 'line' is the physical line "
                        + "number in the file (header = line 1; embedded line breaks inside quoted Fritext count as "
                        + "lines); 'record' is the 1-based data record.")
            ),
            ("police", .object(police)),
            ("population", population.expected),
            ("bra_sol", sol.expected),
            ("trygghetsmatning", safety.expected),
            (
                "alkoholtillsyn",
                .array([
                    .string("SampleData/county-board/alkoholtillsyn_2022.xml"),
                    .string("SampleData/county-board/alkoholtillsyn_2023.xml"),
                ])
            ),
            ("skolverket", skolverket.expected),
            ("franvaro", absence.expected),
            ("skolenkaten", survey.expected),
            (
                "areas",
                .object([
                    ("rows", .int(areas.rows.count)),
                    ("skipped_county_short_names", .array(areas.skipped.map { .string($0) })),
                ])
            ),
        ])
        files.append(("SampleData/expected_counts.json", Array((expected.text(indent: 2) + "\n").utf8)))
        files += try HalmstadFormatSamples.files()
        files += try HalmstadMeasureReports.files()
        files.append(("SampleData/" + IncidentSample.path, IncidentSample.csv(seed: UInt64(seed))))
        files.append(("SampleData/" + PoliceNoticeSample.path, PoliceNoticeSample.json(seed: UInt64(seed))))
        return files
    }

    /// Writes every file under `root` (the repository); returns the paths written, relative to it.
    public func generate(intoRepository root: String, codeLists: String) throws -> [String] {
        let root = URL(fileURLWithPath: root).standardizedFileURL.path
        let files = try files(codeLists: URL(fileURLWithPath: codeLists).standardizedFileURL.path)
        for (path, bytes) in files {
            let url = URL(fileURLWithPath: root + "/" + path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url, options: .atomic)
        }
        return files.map(\.path)
    }

    /// The categories of each crime code, in the order of `crime_categories.csv`.
    static func categories(_ list: [UInt8]) throws -> [String: [String]] {
        var categories: [String: [String]] = [:]
        for line in String(decoding: list, as: UTF8.self).split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ";").map(String.init)
            guard fields.count == 2 else { throw SampleGeneratorError("crime_categories.csv: bad row \(line)") }
            categories[fields[1], default: []].append(fields[0])
        }
        return categories
    }

    /// The current (not retired) codes of `brottskoder.csv` (`brottskod;benamning;upphord;kodgrupp`).
    static func readCurrentCodes(_ path: String) throws -> Set<String> {
        var codes: Set<String> = []
        for fields in try semicolonRows(path, header: "brottskod;benamning;upphord;kodgrupp")
        where fields.count >= 3 && fields[fields.count - 2].trimmingCharacters(in: .whitespaces).isEmpty {
            codes.insert(fields[0])
        }
        return codes
    }

    private static func semicolonRows(_ path: String, header: String) throws -> [[String]] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SampleGeneratorError("cannot read \(path)")
        }
        let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init)
        guard lines.first == header else { throw SampleGeneratorError("\(path): the header is not \(header)") }
        return lines.dropFirst().map { $0.split(separator: ";", omittingEmptySubsequences: false).map(String.init) }
    }
}
