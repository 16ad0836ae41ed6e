import Foundation
import GRDB
import Logging
import StageKit
import Testing
import Workspace

@testable import LagesbildRunner

/// Incremental runs, atomic publishing and gates.
@Suite struct NightlyRunTests {
    let header = "Ärendenummer;Brottskod;Brottsdatum;Klockslag;Område;DeSO;Fritext\r\n"
    let indicator = """
          - id: crimes
            title: Anmälda brott
            kind: count
            numerator: { events: all }
        """

    func fixture() throws -> PipelineFixture {
        let fixture = try PipelineFixture()
        try fixture.writePipeline(sources: policeSource, indicators: indicator)
        try fixture.writeWindows1252(
            "police/2022.csv",
            header + "1;0857;2022-03-01;;Vallås;;\r\n2;0857;2022-04-01;;;;\r\n3;0857;2022-05-01;;;;\r\n")
        try fixture.writeWindows1252(
            "police/2023.csv",
            header + "1;0857;2023-03-01;;Vallås;;\r\n2;0857;2023-04-01;;;;\r\n3;1201;2023-05-01;;;;\r\n")
        return fixture
    }

    func skipped(_ report: RunReport) -> [Stage] { report.stages.filter { $0.skippedBecause != nil }.map(\.stage) }

    @Test func anUnchangedSecondRunSkipsEveryStage() async throws {
        let fixture = try fixture()
        let first = try await fixture.run()
        #expect(skipped(first).isEmpty)
        let second = try await fixture.run()
        #expect(skipped(second) == Stage.allCases)
        // --force runs them anyway.
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let forced = try await PipelineRunner(
            pipeline: try fixture.pipeline(), workspaceDirectory: fixture.path("ws"), logger: logger
        )
        .run(RunOptions(force: true))
        #expect(skipped(forced).isEmpty)
    }

    @Test func changingOneSourceFileRerunsOnlyWhatDependsOnIt() async throws {
        let fixture = try fixture()
        try await fixture.run()
        let before = try fixture.rows("SELECT path, id, sha256 FROM deliveries ORDER BY path")
        // A new 2023 delivery: ingest re-reads only that file; the rest of the pipeline follows.
        try fixture.writeWindows1252(
            "police/2023.csv",
            header
                + "1;0857;2023-03-01;;Vallås;;\r\n2;0857;2023-04-01;;;;\r\n3;1201;2023-05-01;;;;\r\n4;1201;2023-06-01;;;;\r\n"
        )
        let plan = try RunPlan.make(
            pipeline: try fixture.pipeline(), directory: fixture.path("ws"), options: RunOptions())
        #expect(plan.steps[0].decision == "run")
        #expect(plan.steps[0].reasons == ["file police/police/2023.csv changed"])
        let report = try await fixture.run()
        #expect(skipped(report).isEmpty)
        // Only the changed file was read, and of it only the row appended to its last delivery.
        #expect(report.stages[0].counts.rowsIn == 1)
        let after = try fixture.rows("SELECT path, id, sha256 FROM deliveries ORDER BY path")
        #expect((after[0]["sha256"] as String) == (before[0]["sha256"] as String))
        #expect((after[1]["sha256"] as String) != (before[1]["sha256"] as String))
        #expect(try fixture.count("SELECT CAST(numerator AS INTEGER) FROM indicator_values WHERE period = '2023'") == 4)
        // A change to an indicator re-runs aggregate and publish, not ingest and normalize.
        try fixture.writePipeline(
            sources: policeSource, indicators: indicator.replacingOccurrences(of: "Anmälda brott", with: "Brott"))
        await #expect(skipped(try fixture.run()) == [.ingest, .normalize])
    }

    @Test func aJumpOnFewEventsIsNoiseNotAFinding() async throws {
        let fixture = try PipelineFixture()
        try fixture.writePipeline(sources: policeSource, indicators: indicator)
        try fixture.write(
            "pipeline.yaml",
            try String(contentsOfFile: fixture.path("pipeline.yaml"), encoding: .utf8) + "\ngates: { jumps: fail }\n")
        // 3 → 5 events is +66.7 %, beyond the 25 % threshold, but well within Poisson noise.
        var rows = ""
        for index in 0..<3 { rows += "p\(index);0857;2022-04-0\(index + 1);;;;\r\n" }
        for index in 0..<5 { rows += "x\(index);0857;2023-03-0\(index + 1);;;;\r\n" }
        try fixture.writeWindows1252("police/all.csv", header + rows)
        try await fixture.run()
        #expect(try fixture.count("SELECT count(*) FROM gate_results") == 0)
        #expect(try fixture.count("SELECT count(*) FROM indicator_values WHERE flags LIKE '%jump%'") > 0)
    }

    @Test func manyFindingsAreSummarizedPerGateWithTheLargest() {
        let findings = (0..<400).map { index in
            Gates.Finding(
                gate: "jumps", action: .warn, message: "ran_per_100k changed +\(index) % in Kommun \(index)",
                indicator: index % 4 == 0 ? "vald" : "ran_per_100k", area: "\(1000 + index)", period: "2023",
                changePercent: Double(index))
        }
        let lines = PipelineRunner.summarize(findings)
        #expect(lines.count == 1)
        #expect(lines[0].hasPrefix("jumps: 400 findings (ran_per_100k 300, vald 100); largest: "))
        #expect(lines[0].contains("+399 % in Kommun 399"))
        #expect(!lines[0].contains("+394 %"))
        #expect(PipelineRunner.summarize(Array(findings.prefix(3))).count == 3)
    }

    @Test func aFailingGatePublishesNothing() async throws {
        let fixture = try PipelineFixture()
        try fixture.writePipeline(sources: policeSource, indicators: indicator)
        try fixture.write(
            "pipeline.yaml",
            try String(contentsOfFile: fixture.path("pipeline.yaml"), encoding: .utf8) + "\ngates: { jumps: fail }\n")
        // 2022: 40 events, 2023: 100 events: +150 %, beyond the default jump threshold of 25 % and beyond chance.
        var rows = ""
        for index in 0..<40 { rows += "p\(index);0857;2022-04-0\(index % 9 + 1);;;;\r\n" }
        for index in 0..<100 { rows += "x\(index);0857;2023-03-0\(index % 9 + 1);;;;\r\n" }
        try fixture.writeWindows1252("police/all.csv", header + rows)
        do {
            try await fixture.run()
            Issue.record("expected the jump gate to fail")
        } catch let error as GateFailedError {
            #expect(error.gate == "jumps")
            #expect(error.description.contains("crimes changed +150.0 % in Halmstad (1380) 2023"))
        }
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: fixture.path("ws/out"))) ?? []).isEmpty)
        #expect(try fixture.count("SELECT count(*) FROM indicator_values") == 0)  // the working copy was discarded
        let gate = try #require(try fixture.rows("SELECT * FROM gate_results").first)
        #expect((gate["gate"] as String) == "jumps" && (gate["status"] as String) == "fail")
        #expect((gate["indicator_id"] as String) == "crimes" && (gate["area_code"] as String) == "1380")
        #expect((gate["period"] as String) == "2023" && (gate["change_pct"] as Double) == 150)
        let run = try #require(try fixture.rows("SELECT status, exit_code FROM runs").first)
        #expect((run["status"] as String) == "failed" && (run["exit_code"] as Int) == 65)
    }

    @Test func aStaleDeliveryWarns() async throws {
        let fixture = try fixture()
        try fixture.writePipeline(sources: policeSource + "\n    max_age_days: 30", indicators: indicator)
        let old = Date(timeIntervalSinceNow: -90 * 86_400)
        for file in ["police/2022.csv", "police/2023.csv"] {
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: fixture.path(file))
        }
        let report = try await fixture.run()
        #expect(report.warnings.count == 1)
        #expect(report.warnings[0].contains("stale_deliveries: source police: the newest file is 90 days old"))
        #expect(FileManager.default.fileExists(atPath: fixture.path("ws/out/crimes.csv")))
    }
}
