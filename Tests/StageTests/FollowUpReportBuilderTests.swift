import Foundation
import GRDB
import Publish
import Report
import Testing

/// The follow-up report's data comes from the workspace alone: `followup` and the indicators' values, the plan
/// tables, the measures' follow-up and reports, and the previous follow-up in `followup_history`.
struct FollowUpReportBuilderTests {
    static let planTables = [
        "plan_problems", "plan_measures", "plan_measure_outputs", "measure_reports", "measure_followup",
        "measure_effects", "followup_history",
    ]

    @Test func buildsFromTheWorkspaceAndSaysWhatIsMissing() async throws {
        let fixture = try PipelineFixture()
        try fixture.useSamplePipeline()
        try await fixture.run([.ingest, .normalize, .aggregate])
        let database = try fixture.database()
        let pipeline = try fixture.pipeline()
        try await database.write { db in
            for table in Self.planTables { try db.execute(sql: "DELETE FROM \(table)") }
        }

        // Empty plan tables: the targets are followed up, and the report says what is missing.
        let empty = try await database.read { db in
            try FollowUpReportBuilder(db: db, pipeline: pipeline, runID: 5).build()
        }
        #expect(empty.title == "Uppföljning av åtgärdsplanen, Halmstads kommun")
        #expect(empty.municipality.county == "Hallands län")
        #expect(empty.problems.isEmpty && empty.measures.isEmpty && empty.previous == nil)
        #expect(
            empty.targets.map(\.id) == ["brott-totalt", "vald", "andersberg-brott", "vallas-problem", "trygga-elever"])
        let andersberg = try #require(empty.target("andersberg-brott"))
        #expect(andersberg.followUp.indicatorTitle.hasSuffix(", Andersberg"))
        #expect(andersberg.followUp.commitment == .citizenPromise)
        // Rates get a Poisson interval per year when none is stored; the judgement is worded in Swedish.
        let crimes = try #require(empty.target("brott-totalt"))
        #expect(!crimes.series.isEmpty)
        #expect(crimes.series.allSatisfy { $0.status != .ok || ($0.ciLow ?? .nan) < ($0.value ?? 0) })
        #expect(crimes.followUp.note?.contains("2\u{202F}100") == true)
        let html = FollowUpReportRenderer.render(empty)
        #expect(html.contains(FollowUpReportRenderer.planMissingSentence))
        #expect(html.contains(FollowUpReportRenderer.firstFollowUpSentence))
        #expect(html.contains("<h2>Målen</h2>"))

        // Filled: the plan, the owners' reports, the measures' follow-up and effect, two earlier follow-ups.
        let current = try await database.read { db in
            try String.fetchOne(db, sql: "SELECT status FROM followup WHERE target_id = 'vald'")
        }
        let earlier = current == "too-uncertain" ? "not-on-the-way" : "too-uncertain"
        try await database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO plan_problems VALUES
                        ('andersberg', 'Otrygghet i Andersberg', 2, '["anmalda_brott_per_100k"]', '["1380D02"]',
                         'Skadegörelse kring centrum.', 'https://example.invalid/orsak', '["andersberg-brott"]'),
                        ('vald', 'Våld i centrum', 1, '["vald_per_100k"]', '[]', NULL, NULL, '["vald", "brott-totalt"]');
                    INSERT INTO plan_measures VALUES
                        ('M01', 'Trygghetsvandringar', 'measure', '["vald"]', 'Trygghetsenheten', '["police", "associations"]',
                         '2021-04', '2026-12', 300, 90000, '["vald"]', NULL, NULL),
                        ('ML1', 'Medborgarlöfte Andersberg', 'citizen-promise', '["andersberg", "vald"]', 'Polisen',
                         '["municipality"]', '2021-09', '2024-12', 400, NULL, '["andersberg-brott"]', '1380D02',
                         '2021-09-01');
                    INSERT INTO measure_followup VALUES
                        ('M01', 2022, 'trygghetsvandringar', 12, 12, 12, 300, 280, 90000, 84000, '2022K4', 'pågår', 4, 0),
                        ('M01', 2023, 'trygghetsvandringar', 12, 12, 9, 300, 310, 90000, 95000, '2023K4', 'försenad', 4, 1),
                        ('ML1', 2023, 'dialogmöten', 12, 4, 4, 400, 380, NULL, NULL, NULL, NULL, 3, 0);
                    INSERT INTO measure_reports VALUES
                        ('rapporter', 1, 2, 'ML1', '2023K3', '2023-07-01', '2023-09-30', 'genomförd', 'dialogmöten', 1,
                         90, NULL, 'Bra uppslutning på mötet.'),
                        ('rapporter', 1, 3, 'ML1', '2023K4', '2023-10-01', '2023-12-31', 'genomförd', 'dialogmöten', 1,
                         95, NULL, '');
                    INSERT INTO measure_effects VALUES
                        ('ML1', 'andersberg-brott', 'anmalda_brott_per_100k', '1380D02',
                         'the rest of Halmstad (1380 minus 1380D02)', 2020, 2023, 100, 3000, 90, 3000, 2000, 100000,
                         2000, 100000, 0.9, 0.8, 1.02, 'English note that must not be shown');
                    """)
            try db.execute(
                sql: """
                    INSERT INTO followup_history
                        SELECT 4, '2024-01-02T06:15:00Z', target_id, status, latest_period, latest_value, projected_value
                        FROM followup;
                    UPDATE followup_history SET status = ? WHERE run_id = 4 AND target_id = 'vald';
                    INSERT INTO followup_history VALUES (4, '2024-01-02T06:15:00Z', 'gammalt', 'reached', '2022', 1, NULL);
                    INSERT INTO followup_history VALUES (3, '2023-01-02T06:15:00Z', 'vald', 'reached', '2021', 1, NULL);
                    INSERT INTO followup_history
                        SELECT 5, '2024-03-01T06:15:00Z', target_id, 'reached', latest_period, latest_value, NULL
                        FROM followup;
                    """, arguments: [earlier])
        }
        let data = try await database.read { db in
            try FollowUpReportBuilder(db: db, pipeline: pipeline, runID: 5).build()
        }
        #expect(data.problems.map(\.id) == ["vald", "andersberg"])  // priority order
        #expect(data.problems[0].measureIDs == ["M01", "ML1"])
        #expect(data.problems[1].areas == ["Andersberg"])
        #expect(data.targetsOutsideProblems.map(\.id) == ["vallas-problem", "trygga-elever"])

        let walks = try #require(data.measure("M01"))
        #expect(walks.partners == ["polisen", "föreningar"])
        #expect(walks.status == .delayed && walks.statusPeriod == "2023K4" && walks.reportMissing)
        #expect(walks.production.map(\.delivered) == [12, 9])
        #expect(walks.totals.hours == 590 && walks.totals.costPlanned == 180_000)
        #expect(walks.effects.isEmpty)

        let promise = try #require(data.measure("ML1"))
        #expect(promise.kind == .citizenPromise && promise.signed == "2021-09-01" && promise.area == "Andersberg")
        #expect(promise.status == .done)  // from the latest owner's report when the follow-up has no status
        #expect(promise.comment == "Bra uppslutning på mötet." && promise.commentPeriod == "2023K3")
        let effect = try #require(promise.effects.first)
        #expect(effect.comparison == "övriga kommunen")
        #expect(effect.beforeYears == "2020" && effect.afterYears == "2023")
        #expect(effect.ratio == 0.9)

        // Compared with run 4, the latest follow-up before this run (5).
        let previous = try #require(data.previous)
        #expect(previous.runID == "4" && previous.publishedAt == "2024-01-02 06:15")
        #expect(previous.changes.map(\.targetID) == ["vald", "gammalt"])
        #expect(previous.changes[0].before?.rawValue == earlier && previous.changes[0].after?.rawValue == current)
        #expect(previous.changes[1].after == nil)
        #expect(previous.unchanged == 4)

        let filled = FollowUpReportRenderer.render(data)
        #expect(filled.contains("<h2>Prioritet 1: Våld i centrum</h2>"))
        #expect(filled.contains("Mål som inte hör till ett prioriterat problem"))
        #expect(filled.contains("undertecknat 2021-09-01"))
        #expect(filled.contains(FollowUpReportRenderer.effectCaveat))
        #expect(!filled.contains("English note"))
        #expect(!filled.lowercased().contains("<script"))
    }
}
