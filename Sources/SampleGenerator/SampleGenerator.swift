import Dispatch
import Foundation
import LagesbildModel

/// What `lagesbild sample` wrote.
public struct SampleReport: Sendable, Codable {
    public struct File: Sendable, Codable, Hashable {
        /// Relative to the output folder.
        public var path: String
        /// Data rows (CSV) or records (XML); 0 for other files.
        public var rows: Int
        public var bytes: Int
    }

    public var scale: String
    public var seed: UInt64
    public var years: [Int]
    public var municipalities: Int
    public var counties: Int
    public var districts: Int
    public var desos: Int
    public var police: [PoliceFileSummary]
    public var files: [File]
    public var seconds: Double

    public var policeRecords: Int { police.reduce(0) { $0 + $1.records } }
}

/// Generates synthetic exports of the lägesbild's sources at a scale, in the layouts of `SampleData/`,
/// deterministically from a seed, plus `pipeline.yaml` and the code lists that read them.
///
/// Writes under `output`: `police/brott_YYYY.csv` (one per year, written in parallel, streaming),
/// `population/befolkning.csv`, `bra/anmalda_brott_sol.csv`, `county-board/alkoholtillsyn_LL_YYYY.xml`,
/// `codelists/{areas,brottskoder,crime_categories}.csv` and `pipeline.yaml`.
public struct SampleGenerator: Sendable {
    public var scale: SampleScale
    public var years: SampleYears
    public var seed: UInt64
    /// The folder with `areas_halmstad.csv`, `brottskoder.csv` and `crime_categories.csv`.
    public var codeListDirectory: String
    /// Parallel tasks (default: the active processor count).
    public var parallelism: Int

    public init(
        scale: SampleScale, years: SampleYears = .standard, seed: UInt64 = 20_240_501, codeListDirectory: String,
        parallelism: Int = ProcessInfo.processInfo.activeProcessorCount
    ) {
        self.scale = scale
        self.years = years
        self.seed = seed
        self.codeListDirectory = codeListDirectory
        self.parallelism = max(1, parallelism)
    }

    public func generate(into output: String) throws -> SampleReport {
        let started = Date()
        let output = URL(fileURLWithPath: output).standardizedFileURL.path
        let lists = URL(fileURLWithPath: codeListDirectory).standardizedFileURL.path
        let areaList = lists + "/areas_halmstad.csv"
        let codeList = lists + "/brottskoder.csv"
        let categoryList = lists + "/crime_categories.csv"
        for path in [areaList, codeList, categoryList] where !FileManager.default.isReadableFile(atPath: path) {
            throw SampleGeneratorError("code list \(path) does not exist or cannot be read (see --code-lists)")
        }
        let geography = try Geography(areaList: areaList, scale: scale, years: years, seed: seed)
        let codes = try CrimeCodeTable(codeList: codeList, lastYear: years.last)
        let texts = try PoliceTexts(geography: geography, codes: codes)
        for folder in ["police", "population", "bra", "county-board", "codelists"] {
            try FileManager.default.createDirectory(
                atPath: output + "/" + folder, withIntermediateDirectories: true)
        }
        let police = PoliceYearWriter(
            geography: geography, codes: codes, texts: texts,
            withMunicipalityColumn: geography.municipalities.count > 1)

        // One task per year (the big ones) and one for everything else.
        let results = ResultBox()
        let yearList = years.all
        let queue = DispatchQueue(label: "lagesbild.sample", attributes: .concurrent)
        let group = DispatchGroup()
        let slots = DispatchSemaphore(value: parallelism)
        let seed = self.seed
        let scale = self.scale
        let years = self.years
        for task in 0...yearList.count {
            slots.wait()
            queue.async(group: group) {
                defer { slots.signal() }
                do {
                    if task < yearList.count {
                        let year = yearList[task]
                        let summary = try police.write(
                            year: year, yearIndex: task,
                            count: scale.eventCount(yearIndex: task, yearCount: years.count),
                            path: output + "/police/brott_\(year).csv", seed: seed)
                        results.add(police: summary)
                    } else {
                        let writers = ObservationWriters(geography: geography, years: years, seed: seed)
                        let population = try writers.writePopulation(to: output + "/population/befolkning.csv")
                        results.add(file: "population/befolkning.csv", rows: population)
                        let sol = try writers.writeSOL(to: output + "/bra/anmalda_brott_sol.csv")
                        results.add(file: "bra/anmalda_brott_sol.csv", rows: sol)
                        for (path, records) in try writers.writeCountyBoard(directory: output + "/county-board") {
                            results.add(file: String(path.dropFirst(output.count + 1)), rows: records)
                        }
                        let areas = geography.areaRows
                        try Self.writeText(
                            (["code;name;level;parent;aliases"] + areas.map(\.line)).joined(separator: "\n") + "\n",
                            to: output + "/codelists/areas.csv")
                        results.add(file: "codelists/areas.csv", rows: areas.count)
                        for name in ["brottskoder.csv", "crime_categories.csv"] {
                            let target = output + "/codelists/" + name
                            try? FileManager.default.removeItem(atPath: target)
                            try FileManager.default.copyItem(atPath: lists + "/" + name, toPath: target)
                            results.add(file: "codelists/" + name, rows: 0)
                        }
                    }
                } catch {
                    results.add(error: error)
                }
            }
        }
        group.wait()
        if let error = results.errors.first { throw error }

        var pipelineFile = PipelineFile(
            scale: scale, years: years, multiMunicipality: geography.municipalities.count > 1)
        if let groups = try pipelineFile.copyMunicipalityGroups(from: lists, to: output + "/codelists") {
            results.add(file: "codelists/" + groups, rows: 0)
        }
        let pipeline = pipelineFile.text
        try Self.writeText(pipeline, to: output + "/pipeline.yaml")
        results.add(file: "pipeline.yaml", rows: 0)

        var files: [SampleReport.File] = []
        for police in results.police.sorted(by: { $0.year < $1.year }) {
            files.append(.init(path: "police/brott_\(police.year).csv", rows: police.records, bytes: police.bytes))
        }
        for (path, rows) in results.files.sorted(by: { $0.0 < $1.0 }) {
            let attributes = try? FileManager.default.attributesOfItem(atPath: output + "/" + path)
            let size = (attributes?[.size] as? Int) ?? 0
            files.append(.init(path: path, rows: rows, bytes: size))
        }
        return SampleReport(
            scale: scale.name, seed: seed, years: years.all, municipalities: geography.municipalities.count,
            counties: geography.counties.count,
            districts: geography.municipalities.reduce(0) { $0 + $1.districts.count },
            desos: geography.municipalities.reduce(0) { $0 + $1.desos.count },
            police: results.police.sorted { $0.year < $1.year }
                .map {
                    var summary = $0
                    summary.path = "police/brott_\($0.year).csv"
                    return summary
                },
            files: files, seconds: Date().timeIntervalSince(started))
    }

    static func writeText(_ text: String, to path: String) throws {
        let sink = try ByteSink(path: path)
        sink.append(Array(text.utf8))
        try sink.close()
    }
}

/// Collects the tasks' results under a lock.
private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var _police: [PoliceFileSummary] = []
    private var _files: [(String, Int)] = []
    private var _errors: [any Error] = []

    func add(police summary: PoliceFileSummary) { lock.withLock { _police.append(summary) } }
    func add(file: String, rows: Int) { lock.withLock { _files.append((file, rows)) } }
    func add(error: any Error) { lock.withLock { _errors.append(error) } }
    var police: [PoliceFileSummary] { lock.withLock { _police } }
    var files: [(String, Int)] { lock.withLock { _files } }
    var errors: [any Error] { lock.withLock { _errors } }
}
