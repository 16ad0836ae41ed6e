import Foundation
import GRDB
import LagesbildRunner
import Logging
import Testing

/// The action plan's follow-up through the pipeline, on real files: the owners' status reports checked
/// against the plan, planned against delivered per year, the missing latest report, the difference in
/// differences of a measure's area, the published files, and what `validate` finds missing.
@Suite struct ActionPlanFollowUpTests {
    /// The plan: one problem met by three measures (M1 with an area and a target, M2 without targets, a
    /// citizen promise without an area), and one problem no measure meets.
    static let plan = """
        version: 1
        title: Testplan
        problems:
          - id: P1
            title: Brott i centrum
            indicators: [crimes]
            areas: [1380D01]
            targets: [centrum]
          - id: P2
            title: Ett problem utan åtgärd
        measures:
          - id: M1
            title: Trygghetsvandringar
            problems: [P1]
            owner: Kommunen
            start: 2021-01
            end: 2023-06
            outputs: [{ name: vandringar, per_year: 12 }]
            hours_per_year: 100
            cost_sek_per_year: 12000
            targets: [centrum]
            area: 1380D01
          - id: M2
            title: Utan mål
            problems: [P1]
            owner: Kommunen
            start: 2022-04
            end: 2026-12
          - id: ML1
            kind: citizen-promise
            title: Löfte utan område
            problems: [P1]
            owner: Polisen
            signed: 2021-01-15
            start: 2021-01
            end: 2024-12
            outputs: [{ name: möten, per_year: 4 }]
            targets: [centrum]

        """

    /// The reports as Swedish Excel saves them (Windows-1252, `;`, decimal comma, CRLF), with the bad rows
    /// at known lines: 3 (a number that is none, ingest), 5 (unknown measure), 6 (status), 7 (period
    /// outside M1's months), 8 (a period that does not parse), 10 (a second report for M1 in 2022K3).
    static let reports = [
        "Åtgärd;Period;Status;Prestation;Antal;Timmar;Kostnad;Kommentar",
        "M1;2022K1;pågår;vandringar;3;25,5;3 000;\"Ring 19850412-1234; om nycklar\"",
        "M1;2022K4;pågår;vandringar;tre;;;",
        "M1;2022K2;Pågår;vandringar;2;24,5;3 000;",
        "M9;2022K1;pågår;;1;;;",
        "M1;2022K2;klar snart;vandringar;1;;;",
        "M1;2020K4;pågår;vandringar;1;;;",
        "M1;2022Q5;pågår;vandringar;1;;;",
        "M1;2022K3;pågår;vandringar;4;25;3 000;",
        "M1;2022K3;pågår;vandringar;9;;;",
        "M1;2022K4;pågår;;3;25;3 000;",
        "M1;2023K1;pågår;vandringar;3;30;;",
        "M1;2023K2;genomförd;vandringar;2;20;;",
        "M2;2022K2;pågår;;;10;;",
        "M2;2022K3;försenad;;;5;;Vänta på bygglov",
        "ML1;2023K3;pågår;;1;;;",
    ]

    /// Police events: Centrum (1380D01) 10 in 2020 and 5 in 2023, Andersberg 20 and 25.
    static func events() -> String {
        var rows = "Ärendenummer;Brottskod;Brottsdatum;Klockslag;Område;DeSO;Fritext\r\n"
        for (year, area, count) in [
            (2020, "Centrum", 10), (2020, "Andersberg", 20), (2023, "Centrum", 5), (2023, "Andersberg", 25),
        ] {
            for index in 0..<count { rows += "\(area)\(index);0857;\(year)-05-0\(index % 9 + 1);14:00;\(area);;\r\n" }
        }
        return rows
    }

    func fixture() throws -> PipelineFixture {
        let fixture = try PipelineFixture()
        try fixture.writePipeline(
            sources: policeSource + """

                  - id: reports
                    supplier: municipality
                    kind: measure-reports
                    files: reports/*.csv
                    quarantine_limit: 10
                    columns:
                      measure: Åtgärd
                      period: Period
                      status: Status
                      output: Prestation
                      outputs: Antal
                      hours: Timmar
                      cost: Kostnad
                      comment: Kommentar
                """,
            indicators: """
                  - id: crimes
                    title: Anmälda brott
                    kind: count
                    numerator: { events: all }
                    area_levels: [municipality, district]
                action_plan: plan.yaml
                targets:
                  - id: centrum
                    indicator: crimes
                    area: 1380D01
                    commitment: action-plan
                    baseline: { year: 2020 }
                    target: { year: 2026, value: 3 }
                  - id: wrong-way
                    indicator: crimes
                    commitment: action-plan
                    baseline: { year: 2020 }
                    target: { year: 2026, value: 40 }
                  - id: no-baseline
                    indicator: crimes
                    commitment: action-plan
                    baseline: { year: 2019 }
                    target: { year: 2026, value: 20 }
                """)
        try fixture.write("plan.yaml", Self.plan)
        try fixture.writeWindows1252("reports/status_2022-2023.csv", Self.reports.joined(separator: "\r\n") + "\r\n")
        try fixture.writeWindows1252("police/events.csv", Self.events())
        return fixture
    }

    @Test func badRowsAreQuarantinedWithFileLineAndReasonAndTheCountsBalance() async throws {
        let fixture = try fixture()
        try await fixture.run()
        let file = fixture.path("reports/status_2022-2023.csv")
        let quarantined = try fixture.rows(
            "SELECT stage, file, line, reason FROM quarantine WHERE source_id = 'reports' ORDER BY line")
        let lines = quarantined.map { ($0["stage"] as String, $0["line"] as Int) }
        #expect(
            lines.map { "\($0.0):\($0.1)" } == [
                "ingest:3", "normalize:5", "normalize:6", "normalize:7", "normalize:8", "normalize:10",
            ])
        #expect(quarantined.allSatisfy { ($0["file"] as String) == file })
        let reasons = quarantined.map { $0["reason"] as String }
        #expect(reasons[0] == "Antal is not a number of 0 or more: 'tre'")
        #expect(reasons[1].hasPrefix("unknown measure 'M9': not in the action plan"))
        #expect(reasons[2].hasPrefix("the status 'klar snart' is not one of: ej påbörjad, pågår"))
        #expect(reasons[3] == "the period 2020K4 lies outside the months measure M1 runs (2021-01–2023-06)")
        #expect(reasons[4].hasPrefix("the period '2022Q5' is not a quarter"))
        #expect(reasons[5].hasPrefix("a second report for measure M1 in 2022K3 (vandringar); the first is at "))
        #expect(reasons[5].hasSuffix("status_2022-2023.csv:9"))
        // Rows read = accepted + quarantined at ingest; what ingest accepted = normalize's in = out + quarantined.
        try fixture.expectDeliveriesBalance()
        let delivery = try #require(
            try fixture.rows(
                "SELECT rows_read, rows_accepted, rows_quarantined FROM deliveries WHERE source_id = 'reports'"
            )
            .first)
        #expect(delivery["rows_read"] as Int == Self.reports.count - 1)
        #expect(delivery["rows_quarantined"] as Int == 1)
        let accepted = try fixture.count("SELECT count(*) FROM measure_reports")
        let normalizeQuarantine = try fixture.count(
            "SELECT count(*) FROM quarantine WHERE source_id = 'reports' AND stage = 'normalize'")
        #expect(delivery["rows_accepted"] as Int == accepted + normalizeQuarantine)
        #expect(accepted == 9)
    }

    @Test func plannedAgainstDeliveredPerYearAndTheMissingLatestReport() async throws {
        let fixture = try fixture()
        try await fixture.run()
        let rows = try await fixture.database().read { db in
            try MeasureFollowUpRow.fetchAll(db, sql: "SELECT * FROM measure_followup ORDER BY measure_id, year")
        }
        let m1 = rows.filter { $0.measureId == "M1" }
        // The latest period anyone reported on is 2023K3 (ML1). By hand, M1 (12 walks, 100 hours, 12 000 kr a
        // year, January 2021 – June 2023): 2022 runs 12 months, plans 12, delivered 3 + 2 + 4 + 3 = 12 with
        // 25,5 + 24,5 + 25 + 25 = 100 hours and 4 × 3 000 kr; 2023 runs 6 months: plans 6 walks, 50 hours,
        // 6 000 kr; delivered 3 + 2 = 5 in 30 + 20 hours.
        #expect(m1.map(\.year) == [2022, 2023])
        #expect(m1[0].months == 12 && m1[0].planned == 12 && m1[0].delivered == 12)
        #expect(m1[0].hoursPlanned == 100 && m1[0].hours == 100)
        #expect(m1[0].costPlanned == 12000 && m1[0].costSek == 12000)
        #expect(m1[0].reports == 4 && m1[0].latestPeriod == "2022K4" && m1[0].latestStatus == "pågår")
        #expect(m1[1].months == 6 && m1[1].planned == 6 && m1[1].delivered == 5)
        #expect(m1[1].hoursPlanned == 50 && m1[1].hours == 50 && m1[1].costPlanned == 6000 && m1[1].costSek == nil)
        #expect(m1[1].latestStatus == "genomförd")
        // M1 ended in June 2023: no report is missing. M2 runs in 2023K3 and has none: flagged. ML1 has it.
        #expect(m1.allSatisfy { $0.missingLatestReport == 0 })
        let m2 = rows.filter { $0.measureId == "M2" }
        #expect(m2.map(\.year) == [2022, 2023])
        #expect(m2[0].months == 9 && m2[0].outputName == "" && m2[0].planned == nil && m2[0].hours == 15)
        #expect(m2[0].latestStatus == "försenad" && m2[0].missingLatestReport == 0)
        #expect(m2[1].months == 9 && m2[1].reports == 0 && m2[1].missingLatestReport == 1)
        let ml1 = try #require(rows.first { $0.measureId == "ML1" && $0.year == 2023 })
        // An output left out of a row is the measure's only planned one.
        #expect(ml1.outputName == "möten" && ml1.delivered == 1 && ml1.missingLatestReport == 0)
        #expect(ml1.planned == 3)  // 4 a year, January–September 2023
    }

    @Test func differenceInDifferencesOfTheMeasuresAreaComputedByHand() async throws {
        let fixture = try fixture()
        try await fixture.run()
        let effect = try #require(
            try fixture.rows("SELECT * FROM measure_effects WHERE measure_id = 'M1'").first)
        // M1 started in 2021: 2020 against 2023. Centrum 10 → 5, the rest of the kommun 20 → 25 (counts,
        // exposure 1). Ratio (5 / 10) / (25 / 20) = 0.4; SE = √(1/10 + 1/5 + 1/20 + 1/25) = √0.39;
        // interval 0.4 · exp(∓1.959964 · √0.39).
        #expect(effect["before_year"] as Int == 2020 && effect["after_year"] as Int == 2023)
        #expect(effect["area_count_before"] as Double == 10 && effect["area_count_after"] as Double == 5)
        #expect(effect["comparison_count_before"] as Double == 20 && effect["comparison_count_after"] as Double == 25)
        let ratio: Double = effect["ratio"]
        let low: Double = effect["ratio_low"]
        let high: Double = effect["ratio_high"]
        let half = 1.959964 * 0.39.squareRoot()
        #expect(abs(ratio - 0.4) < 1e-9)
        #expect(abs(low - 0.4 * exp(-half)) < 1e-5)
        #expect(abs(high - 0.4 * exp(half)) < 1e-5)
        let note: String = effect["note"]
        #expect(note.hasPrefix("An indication, not proof of effect"))
        #expect(note.contains("within what chance alone gives"))
        // The citizen promise has no area: no effect row; M2 has no target: none either.
        #expect(try fixture.count("SELECT count(*) FROM measure_effects") == 1)
    }

    @Test func theFakePersonalNumberIsNeverStored() async throws {
        let fixture = try fixture()
        try await fixture.run()
        let comment =
            try fixture.rows("SELECT comment FROM measure_reports WHERE line = 2").first?["comment"] as String?
        #expect(comment == "Ring ********-****; om nycklar")
        // Nowhere in the workspace: the database, the column files, the published files.
        let needles = ["850412-1234", "8504121234"]
        let enumerator = try #require(FileManager.default.enumerator(atPath: fixture.path("ws")))
        var checked = 0
        for case let name as String in enumerator {
            let path = fixture.path("ws/" + name)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue,
                let data = FileManager.default.contents(atPath: path)
            else { continue }
            checked += 1
            let text = String(decoding: data, as: UTF8.self)
            for needle in needles { #expect(!text.contains(needle), "\(name) holds \(needle)") }
        }
        #expect(checked > 3)
    }

    @Test func publishWritesTheFollowUpFilesAndKeepsTheHistoryAcrossRuns() async throws {
        let fixture = try fixture()
        try await fixture.run()
        let out = fixture.path("ws/out")
        for name in ["atgardsplan_atgarder", "uppfoljning_atgarder", "uppfoljning_effekter", "uppfoljning_mal"] {
            for suffix in [".csv", ".excel-sv.csv", ".json"] {
                #expect(FileManager.default.fileExists(atPath: "\(out)/\(name)\(suffix)"), "\(name)\(suffix)")
            }
        }
        let csv = try String(contentsOfFile: out + "/uppfoljning_atgarder.csv", encoding: .utf8)
        #expect(csv.hasPrefix("measure_id,year,output_name,months,planned,delivered,"))
        #expect(csv.contains("\nM1,2022,vandringar,12,12,12,100,100,12000,12000,2022K4,pågår,4,0\n"))
        let excel = try String(contentsOfFile: out + "/uppfoljning_effekter.excel-sv.csv", encoding: .utf8)
        #expect(excel.contains(";0,4;"))
        #expect(
            try fixture.count("SELECT count(*) FROM publications WHERE path LIKE '%uppfoljning_atgarder%'") == 3)
        #expect(try fixture.count("SELECT count(*) FROM publications WHERE sha256 IS NULL") == 0)
        #expect(try fixture.count("SELECT count(*) FROM followup_history") == 3)
        // A second publish appends its snapshot; the first stays.
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let runner = PipelineRunner(
            pipeline: try fixture.pipeline(), workspaceDirectory: fixture.path("ws"), logger: logger)
        _ = try await runner.run(RunOptions(stages: [.publish], force: true, command: "test"))
        #expect(try fixture.count("SELECT count(DISTINCT run_id) FROM followup_history") == 2)
        #expect(try fixture.count("SELECT count(*) FROM followup_history") == 6)
    }

    @Test func validateListsWhatThePlanAndTheTargetsLack() async throws {
        let fixture = try fixture()
        let pipeline = try fixture.pipeline()
        // Before any run there is no workspace: the baselines cannot be checked yet.
        let before = try #require(
            try PipelineValidator.validate(pipeline, workspaceDirectory: fixture.path("ws")).plan)
        #expect(before.workspaceDatabase == nil)
        #expect(before.findings.filter { !$0.checked }.map(\.subject) == ["centrum", "wrong-way", "no-baseline"])
        try await fixture.run()
        let plan = try #require(try PipelineValidator.validate(pipeline, workspaceDirectory: fixture.path("ws")).plan)
        #expect(plan.workspaceDatabase != nil)
        #expect(plan.findings.allSatisfy { $0.checked })
        let found = plan.findings.map { "\($0.check) \($0.subject)" }
        #expect(
            found == [
                "problem-without-measures P2", "measure-without-targets M2", "citizen-promise-without-area ML1",
                "target-not-in-plan wrong-way", "target-direction wrong-way", "target-not-in-plan no-baseline",
                "target-baseline no-baseline",
            ])
        let direction = try #require(plan.findings.first { $0.check == "target-direction" })
        #expect(direction.message.contains("crimes is better when lower, but the target 40 is above the baseline 30"))
        let baseline = try #require(plan.findings.first { $0.check == "target-baseline" })
        #expect(baseline.message.contains("crimes has no published value for 1380 in 2019"))
    }
}

/// A `measure_followup` row as the tests read it.
struct MeasureFollowUpRow: Decodable, FetchableRecord {
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase

    var measureId: String
    var year: Int
    var outputName: String
    var months: Int
    var planned: Double?
    var delivered: Double?
    var hoursPlanned: Double?
    var hours: Double?
    var costPlanned: Double?
    var costSek: Double?
    var latestPeriod: String?
    var latestStatus: String?
    var reports: Int
    var missingLatestReport: Int
}
