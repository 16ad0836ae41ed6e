import Foundation
import GRDB
import LagesbildRunner
import Logging
import PipelineModel
import StageKit
import Testing
import Workspace

/// The repository's root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// A temporary folder with a pipeline file and its inputs, and a runner over a workspace inside it.
final class PipelineFixture {
    let folder: String

    init() throws {
        folder =
            FileManager.default.temporaryDirectory.appendingPathComponent("lagesbild-stage-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }

    /// Writes raw bytes (for encodings other than UTF-8).
    func write(_ name: String, bytes: [UInt8]) throws {
        let target = path(name)
        try FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: target))
    }

    func write(_ name: String, _ text: String) throws { try write(name, bytes: Array(text.utf8)) }

    /// Writes `text` in Windows-1252 (Swedish letters only).
    func writeWindows1252(_ name: String, _ text: String) throws {
        try write(name, bytes: text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })
    }

    /// Writes a pipeline file with the given sources block (YAML list items) and indicators.
    func writePipeline(sources: String, indicators: String = "", codeLists: Bool = true) throws {
        let lists =
            codeLists
            ? """
            code_lists:
              crime_codes: \(repositoryRoot)/Pipelines/codelists/brottskoder.csv
              crime_categories: \(repositoryRoot)/Pipelines/codelists/crime_categories.csv
              areas: \(repositoryRoot)/Pipelines/codelists/areas_halmstad.csv
            """ : ""
        try write(
            "pipeline.yaml",
            """
            version: 1
            name: stage-test
            municipality: { code: "1380", name: Halmstad, county_code: "13" }
            workspace: ws
            \(lists)
            sources:
            \(sources)
            \(indicators.isEmpty ? "" : "indicators:\n" + indicators)
            """)
    }

    /// Uses the repository's Halmstad pipeline over the sample data, with the workspace in this folder.
    func useSamplePipeline() throws {
        let pipeline = try String(contentsOfFile: repositoryRoot + "/Pipelines/halmstad.yaml", encoding: .utf8)
        try write(
            "pipeline.yaml",
            pipeline.replacingOccurrences(of: "../SampleData/", with: repositoryRoot + "/SampleData/")
                .replacingOccurrences(of: ": codelists/", with: ": " + repositoryRoot + "/Pipelines/codelists/")
                .replacingOccurrences(of: "workspace: ../workspace/halmstad", with: "workspace: ws")
                .replacingOccurrences(
                    of: "action_plan: halmstad-atgardsplan.yaml",
                    with: "action_plan: \(repositoryRoot)/Pipelines/halmstad-atgardsplan.yaml")
                + "\ndata_roots: [\(folder), \(repositoryRoot)/SampleData, \(repositoryRoot)/Pipelines]\n")
    }

    func pipeline() throws -> Pipeline { try PipelineLoader.load(path: path("pipeline.yaml")) }

    /// Runs `stages` against the fixture's workspace.
    @discardableResult
    func run(_ stages: [Stage] = Stage.allCases, source: String? = nil) async throws -> RunReport {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let runner = PipelineRunner(pipeline: try pipeline(), workspaceDirectory: path("ws"), logger: logger)
        return try await runner.run(stages: stages, sourceFilter: source, command: "test")
    }

    func database() throws -> DatabaseQueue { try DatabaseQueue(path: path("ws/lagesbild.sqlite")) }

    func rows(_ sql: String) throws -> [Row] { try database().read { db in try Row.fetchAll(db, sql: sql) } }

    func count(_ sql: String) throws -> Int { try database().read { db in try Int.fetchOne(db, sql: sql) ?? -1 } }

    /// The normalized events in the workspace's column files.
    func events() throws -> [StoredEvent] {
        try EventStore.events(Workspace(directory: path("ws"), create: false))
    }

    /// The raw events ingest stored: role → text.
    func rawEvents() throws -> [[String: String]] {
        try EventStore.rawEvents(Workspace(directory: path("ws"), create: false))
    }

    /// Every delivery's rows read equal rows accepted plus quarantined.
    func expectDeliveriesBalance() throws {
        for row in try rows("SELECT file_name, rows_read, rows_accepted, rows_quarantined FROM deliveries") {
            let read: Int = row["rows_read"]
            let accepted: Int = row["rows_accepted"]
            let quarantined: Int = row["rows_quarantined"]
            #expect(read == accepted + quarantined, "\(row["file_name"] as String)")
        }
    }
}

/// The police source of the fixtures: Windows-1252, semicolons, like the sample.
let policeSource = """
      - id: police
        supplier: police
        kind: events
        files: police/*.csv
        encoding: windows-1252
        delimiter: ";"
        quarantine_limit: 100%
        columns:
          crime_code: Brottskod
          date: Brottsdatum
          time: Klockslag
          area: Område
          deso: DeSO
    """
