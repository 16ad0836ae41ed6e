import ArgumentParser
import Foundation
import SampleGenerator

/// `lagesbild sample`: writes synthetic exports of every source at a scale, with a pipeline file to read them.
struct SampleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Generate synthetic source exports (police, population, Brå SOL, county board) at a scale.",
        discussion: """
            Writes, deterministically from the seed, files in the layouts of SampleData/ into the output folder: \
            police/brott_YYYY.csv (Windows-1252; with a Kommun column when several municipalities share the \
            files), population/befolkning.csv (PX-Web), bra/anmalda_brott_sol.csv, \
            county-board/alkoholtillsyn_LL_YYYY.xml, codelists/ and pipeline.yaml (run it with \
            `lagesbild run -p OUTPUT/pipeline.yaml`). Scales: municipality = Halmstad, ~2 500 events a year; \
            county = Hallands län's 6 municipalities, ~49 000 a year; national = all 290 municipalities, \
            ~6 000 DeSO, ~1.5 million a year. Brå's figures agree with themselves: a county's count is the \
            sum of its municipalities (plus its inhabitants outside the sample), the country's the sum of the \
            counties (plus the rest), every rate the count per 100 000 of the population written.

            `--kommun halmstad` instead writes the committed Halmstad sample into a repository, byte for byte: \
            Pipelines/codelists/crime_categories.csv, areas_halmstad.csv and deso_crosswalk.csv, and every \
            Halmstad file under SampleData/ with SampleData/expected_counts.json \
            (`lagesbild sample --kommun halmstad -o .`; it reads brottskoder.csv and scb_kommuner_lan.csv \
            from --code-lists). \
            `--kommun vaxjo` writes the second synthetic kommun (Växjö, Kronobergs län, layouts \
            unlike Halmstad's) into a repository: SampleData/vaxjo/ and its code lists in \
            Pipelines/codelists/, read by Pipelines/vaxjo.yaml (`lagesbild sample --kommun vaxjo -o .`).
            """)

    @Option(name: .long, help: "municipality, county or national.")
    var scale: String?

    @Option(
        name: .long,
        help:
            "halmstad (the committed sample) or vaxjo (the second synthetic kommun), written into the repository at --output."
    )
    var kommun: String?

    @Flag(
        name: .long,
        help: """
            Write only the Halmstad sample's events that are not crime statistics: the weekly incident export \
            (\(IncidentSample.path)) and a page of the police's events API (\(PoliceNoticeSample.path)).
            """)
    var incidents = false

    @Flag(
        name: .long,
        help: """
            Write only the Halmstad sample's synthetic boundary files (\(BoundarySample.districtPath) and \
            \(BoundarySample.desoPath)), for its map, from the areas in --code-lists.
            """)
    var boundaries = false

    @Option(name: [.short, .long], help: "The folder to write into (created if missing).", completion: .directory)
    var output: String

    @Option(name: .long, help: "Seed of the random numbers: the same seed gives the same bytes.")
    var seed: UInt64 = 20_240_501

    @Option(name: .long, help: "The years, e.g. 2014-2023 or 2023.")
    var years: String = "2014-2023"

    @Option(
        name: .long,
        help:
            "The folder with areas_halmstad.csv, brottskoder.csv, crime_categories.csv (and scb_kommuner_lan.csv for --kommun halmstad).",
        completion: .directory)
    var codeLists: String = "Pipelines/codelists"

    @Option(name: .long, help: "Files written at the same time (default: the number of processors).")
    var jobs: Int?

    @Flag(name: .long, help: "Print the report as JSON.")
    var json = false

    func run() async throws {
        if let kommun {
            try writeSampleKommun(kommun)
            return
        }
        if boundaries {
            let (districts, desos) = try BoundarySample.write(into: output, codeLists: codeLists)
            Output.print(
                "Wrote \(output)/\(BoundarySample.districtPath) (\(districts) districts) and "
                    + "\(output)/\(BoundarySample.desoPath) (\(desos) DeSO areas).")
            return
        }
        if incidents {
            let rows = try IncidentSample.write(into: output, seed: seed)
            Output.print("Wrote \(output)/\(IncidentSample.path): \(rows) incidents.")
            let notices = try PoliceNoticeSample.write(into: output, seed: seed)
            Output.print("Wrote \(output)/\(PoliceNoticeSample.path): \(notices) police notices.")
            return
        }
        guard let scale, let preset = SampleScale.named(scale) else {
            FileHandle.standardError.write(
                Data(
                    "error: \(scale.map { "unknown scale '\($0)'" } ?? "give --scale"); use municipality, county or national, or --kommun vaxjo\n"
                        .utf8))
            throw ExitCode(64)
        }
        do {
            let generator = SampleGenerator(
                scale: preset, years: try SampleYears(parsing: years), seed: seed, codeListDirectory: codeLists,
                parallelism: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
            let report = try generator.generate(into: output)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                Output.print(String(decoding: try encoder.encode(report), as: UTF8.self))
                return
            }
            Output.print(
                "Wrote \(report.scale) scale to \(output) in \(String(format: "%.1f", report.seconds)) s: "
                    + "\(report.municipalities) municipalities, \(report.counties) counties, "
                    + "\(report.districts) districts, \(report.desos) DeSO, \(report.policeRecords) police records.")
            for file in report.files {
                Output.print("  \(file.path): \(file.rows) rows, \(file.bytes) bytes")
            }
            Output.print("Run it with: lagesbild run -p \(output)/pipeline.yaml")
        } catch let error as SampleGeneratorError {
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            throw ExitCode(error.message.contains("years") ? 64 : 66)
        }
    }

    /// `--kommun halmstad` or `vaxjo`: a committed sample kommun, written into the repository at `output`.
    func writeSampleKommun(_ kommun: String) throws {
        guard kommun == "vaxjo" || kommun == "halmstad", scale == nil else {
            FileHandle.standardError.write(
                Data("error: --kommun takes halmstad or vaxjo (the sample kommuner), without --scale\n".utf8))
            throw ExitCode(64)
        }
        guard kommun == "vaxjo" || Int(exactly: seed) != nil else {
            FileHandle.standardError.write(Data("error: --seed must be at most \(Int.max)\n".utf8))
            throw ExitCode(64)
        }
        do {
            let paths =
                kommun == "halmstad"
                ? try HalmstadSample(seed: Int(seed)).generate(intoRepository: output, codeLists: codeLists)
                : try SecondKommunSample(seed: seed).generate(intoRepository: output)
            for path in paths {
                Output.print("  \(path)")
            }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(74)
        }
    }
}
