import Foundation
import GRDB
import Testing

/// Targets as a kommunstyrelse reads them, from the command line: the baseline is tied to the data, and
/// the sample's rising violence never reads as on track.
@Suite(.serialized)
struct TargetFollowUpTests {
    let root = CommandLineTool.repositoryRoot

    /// The sample pipeline with its paths made absolute, so it runs from a scratch folder.
    func samplePipeline(in scratch: ScratchFolder, editing edit: (String) -> String = { $0 }) throws {
        let text = try String(contentsOfFile: root + "/Pipelines/halmstad.yaml", encoding: .utf8)
        try scratch.write(
            "pipeline.yaml",
            edit(
                text.replacingOccurrences(of: "../SampleData/", with: root + "/SampleData/")
                    .replacingOccurrences(of: ": codelists/", with: ": " + root + "/Pipelines/codelists/")
                    .replacingOccurrences(
                        of: "action_plan: halmstad-atgardsplan.yaml",
                        with: "action_plan: \(root)/Pipelines/halmstad-atgardsplan.yaml"
                    )
                    .replacingOccurrences(of: "workspace: ../workspace/halmstad", with: "workspace: ws")
                    + "\ndata_roots: [\(scratch.path), \(root)]\n"))
    }

    @Test func theSampleViolenceTargetIsNotOnTheWay() throws {
        let scratch = try ScratchFolder()
        try samplePipeline(in: scratch)
        let run = try CommandLineTool.run(
            ["run", "-p", "pipeline.yaml", "-q", "--until", "aggregate"], in: scratch.path)
        #expect(run.status == 0, "\(run.standardError)")
        let rows = try DatabaseQueue(path: scratch.file("ws/lagesbild.sqlite")).read { db in
            try Row.fetchAll(db, sql: "SELECT target_id, status, baseline_value FROM followup ORDER BY target_id")
        }
        let status = Dictionary(uniqueKeysWithValues: rows.map { ($0["target_id"] as String, $0["status"] as String) })
        // 214.0 → 226.6 → 236.8 → 250.5 per 100 000: rising every year against a target of 190.
        #expect(status["vald"] == "not-on-the-way")
        let baseline = try #require(rows.first { ($0["target_id"] as String) == "vald" }?["baseline_value"] as Double?)
        #expect(abs(baseline - 222.0 / 103_754 * 100_000) < 1e-9)  // the indicator's own 2020 value
        #expect(!status.values.contains("on-track"))

        let explain = try CommandLineTool.run(["explain", "vald", "-p", "pipeline.yaml"], in: scratch.path)
        #expect(explain.status == 0)
        #expect(explain.standardOutput.contains("2020: 214 (186.7–244)  numerator 222, denominator 103754"))
        #expect(explain.standardOutput.contains("judgement: not-on-the-way"))
    }

    @Test func aDeclaredBaselineThatDisagreesWithTheDataFailsNamingTheTarget() throws {
        let scratch = try ScratchFolder()
        try samplePipeline(in: scratch) {
            $0.replacingOccurrences(
                of: "    name: Åtgärdsplan 2021–2026 – minskat våld\n    baseline: { year: 2020 }",
                with: "    name: Åtgärdsplan 2021–2026 – minskat våld\n    baseline: { year: 2020, value: 380 }")
        }
        let run = try CommandLineTool.run(["run", "-p", "pipeline.yaml", "-q"], in: scratch.path)
        #expect(run.status == 65)
        #expect(run.standardError.contains("target 'Åtgärdsplan 2021–2026 – minskat våld' (pipeline.yaml:"))
        #expect(
            run.standardError.contains(
                "the declared baseline 380 for 2020 differs from the indicator's own value 214.0"))

        // Naming where the figure comes from makes it the baseline, printed in the report.
        try samplePipeline(in: scratch) {
            $0.replacingOccurrences(
                of: "    name: Åtgärdsplan 2021–2026 – minskat våld\n    baseline: { year: 2020 }",
                with: "    name: Åtgärdsplan 2021–2026 – minskat våld\n"
                    + "    baseline: { year: 2020, value: 380, source: \"Brå, preliminär statistik\" }")
        }
        let named = try CommandLineTool.run(["run", "-p", "pipeline.yaml", "-q"], in: scratch.path)
        #expect(named.status == 0, "\(named.standardError)")
        let report = try String(contentsOfFile: scratch.file("ws/out/lagesbild.html"), encoding: .utf8)
        #expect(report.contains("källa: Brå, preliminär statistik"))
    }
}
