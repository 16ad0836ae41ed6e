import Foundation
import GRDB
import LagesbildRunner
import StageKit
import Testing
import Workspace

/// The indicator engine over a small workspace whose numbers are computed by hand.
@Suite struct AggregateTests {
    /// Events in three DeSO of Vallås (1380D03) and Andersberg (1380D02), and a population file.
    func fixture(indicators: String, population: String? = nil, crosswalk: String? = nil) throws -> PipelineFixture {
        let fixture = try PipelineFixture()
        try fixture.write(
            "crosswalk.csv",
            crosswalk
                ?? "old_code;new_code;share;valid_from\n1380C0120;1380C0121;0.6;2024-01-01\n1380C0120;1380C0122;0.4;2024-01-01\n"
        )
        try fixture.writePipeline(
            sources: policeSource + """

                  - id: population
                    supplier: scb
                    kind: observations
                    files: population.csv
                    encoding: utf-8
                    delimiter: ","
                    area_codes: scb
                    measure: population
                    columns: { area: region }
                    wide: { pattern: "^(?<period>[0-9]{4})$" }
                """,
            indicators: indicators)
        // Add the crosswalk to the code lists.
        let pipeline = try String(contentsOfFile: fixture.path("pipeline.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "code_lists:\n", with: "code_lists:\n  deso_crosswalk: crosswalk.csv\n")
        try fixture.write("pipeline.yaml", pipeline)
        try fixture.write(
            "population.csv",
            population
                ?? """
                region,2022,2023
                1380 Halmstad,105148,105796
                1380C0120 Halmstad,2000,2100
                1380C0090 Halmstad,1500,1500
                1380C0100 Halmstad,1000,1000
                1380C0070 Halmstad,3000,3000

                """)
        let header = "Ärendenummer;Brottskod;Brottsdatum;Klockslag;Område;DeSO;Fritext\r\n"
        var rows = ""
        // 2023: 10 events in DeSO 1380C0120 (split 60/40 in 2024), 2 in 1380C0090, 20 in 1380C0100, 5 in 1380C0070.
        for (deso, count) in [("1380C0120", 10), ("1380C0090", 2), ("1380C0100", 20), ("1380C0070", 5)] {
            for index in 0..<count { rows += "\(deso)-\(index);0857;2023-05-0\(index % 9 + 1);14:00;;\(deso);\r\n" }
        }
        // 2022: 8 events in 1380C0120.
        for index in 0..<8 { rows += "x\(index);0857;2022-05-0\(index % 9 + 1);02:00;;1380C0120;\r\n" }
        try fixture.writeWindows1252("police/events.csv", header + rows)
        return fixture
    }

    func value(_ fixture: PipelineFixture, _ condition: String) throws -> Row? {
        try fixture.rows("SELECT * FROM indicator_values WHERE \(condition)").first
    }

    @Test func ratesPerAreaLevelWithCrosswalkAndSuppression() async throws {
        let fixture = try fixture(
            indicators: """
                  - id: crimes
                    title: Anmälda brott
                    kind: rate
                    numerator: { events: all }
                    denominator: { measure: population }
                    area_levels: [municipality, district, deso]
                """)
        try await fixture.run()
        let areas = try fixture.rows(
            "SELECT code, parent_code FROM codelist_areas WHERE code LIKE '1380C01%' OR code LIKE '1380C00%'")
        #expect(!areas.isEmpty)
        // Municipality 2023: 37 events / 105 796 × 100 000.
        let municipality = try #require(try value(fixture, "area_level = 'municipality' AND period = '2023'"))
        #expect((municipality["numerator"] as Double) == 37)
        #expect(abs((municipality["value"] as Double) - 37.0 / 105_796 * 100_000) < 1e-9)
        // DeSO 1380C0120 was split: 60 % of its 10 events and 2 100 inhabitants go to 1380C0121.
        let split = try #require(try value(fixture, "area_code = '1380C0121' AND period = '2023'"))
        #expect(abs((split["numerator"] as Double) - 6) < 1e-9)
        #expect(abs((split["denominator"] as Double) - 1260) < 1e-9)
        #expect((split["flags"] as String).contains("area-changed"))
        // 1380C0090 has 2 events: suppressed with its rate, never 0 or absent.
        let small = try #require(try value(fixture, "area_code = '1380C0090' AND period = '2023'"))
        #expect((small["status"] as String) == "suppressed")
        #expect((small["value"] as Double?) == nil)
        #expect((small["note"] as String) == "fewer than 3 events")
        #expect(
            try fixture.count(
                "SELECT count(*) FROM indicator_values WHERE area_level = 'deso' AND period = '2023' AND status = 'suppressed'"
            ) == 2)
        // The change against 2022 of the split DeSO: 6 vs 4.8 events per 1 260 / 1 200 inhabitants.
        let change = try #require(split["change_pct"] as Double?)
        let expected = ((6.0 / 1260) - (4.8 / 1200)) / (4.8 / 1200) * 100
        #expect(abs(change - expected) < 1e-9)
    }

    @Test func secondarySuppressionAmongDistricts() async throws {
        // DeSO 1380C0090 has 2 events in 2023; the other DeSO (5, 20, and 6 + 4 after the split) are larger.
        let fixture = try fixture(
            indicators: """
                  - id: crimes
                    title: Anmälda brott
                    kind: count
                    numerator: { events: all }
                    area_levels: [municipality, deso]
                """)
        try await fixture.run()
        let districts = try fixture.rows(
            "SELECT area_code, numerator, status, note FROM indicator_values WHERE area_level = 'deso' AND period = '2023'"
        )
        let suppressed = districts.filter { ($0["status"] as String) == "suppressed" }
        #expect(suppressed.count == 2, "\(districts)")
        #expect(suppressed.contains { ($0["note"] as String).contains("secondary suppression") })
        // The smallest other cell is the one suppressed in second place: 1380C0122 with 4 (0.4 × 10).
        #expect(Set(suppressed.map { $0["area_code"] as String }) == ["1380C0090", "1380C0122"])
        // What is published does not give away either suppressed district: the total minus the rest is a sum of two.
        let published = districts.compactMap { $0["numerator"] as Double? }.reduce(0, +)
        let total = try #require(try value(fixture, "area_level = 'municipality' AND period = '2023'"))
        #expect((total["numerator"] as Double) - published > 2)
    }

    @Test func missingDenominatorFailsAggregateNamingAreaAndYear() async throws {
        let fixture = try fixture(
            indicators: """
                  - id: crimes
                    title: Anmälda brott
                    kind: rate
                    numerator: { events: all }
                    denominator: { measure: population }
                """,
            population: "region,2023\n1380 Halmstad,105796\n")
        do {
            try await fixture.run()
            Issue.record("expected a data error")
        } catch let error as StageDataError {
            #expect(error.stage == .aggregate)
            #expect(error.description.contains("Halmstad (1380) in 2022"))
        }
    }

    @Test func patternsByWeekdayAndHour() async throws {
        let fixture = try fixture(
            indicators: """
                  - id: crimes
                    title: Anmälda brott
                    kind: count
                    numerator: { events: all }
                    patterns: [weekday_hour, month_of_year]
                """)
        try await fixture.run()
        // 2022: 8 events at 02:00 on 1–8 May 2022 (Sun 1 May … Sun 8 May): Sunday 02 has two, so it is
        // suppressed, shown as suppressed (not absent).
        let sunday = try #require(
            try value(fixture, "breakdown = 'weekday_hour' AND period = '2022' AND breakdown_value = '7-2'"))
        #expect((sunday["status"] as String) == "suppressed")
        #expect((sunday["numerator"] as Double?) == nil)
        // 2023: 37 events at 14:00 on 1–9 May 2023; Monday 1 May and Monday 8 May hold 10 of them.
        let monday = try #require(
            try value(fixture, "breakdown = 'weekday_hour' AND period = '2023' AND breakdown_value = '1-14'"))
        #expect((monday["numerator"] as Double) == 10)
        let may = try #require(
            try value(fixture, "breakdown = 'month_of_year' AND period = '2023' AND breakdown_value = '05'"))
        #expect((may["numerator"] as Double) == 37)
    }

    @Test func explainShowsHowAValueWasComputed() async throws {
        let fixture = try fixture(
            indicators: """
                  - id: crimes
                    title: Anmälda brott
                    kind: rate
                    numerator: { events: all }
                    denominator: { measure: population }
                """)
        try await fixture.run()
        let explanation = try Explanation.read(
            directory: fixture.path("ws"), pipeline: try fixture.pipeline(), indicator: "crimes", area: "1380",
            period: "2023")
        let text = explanation.text
        #expect(text.contains("numerator: events in category 'all' = 37"))
        #expect(text.contains("denominator: measure 'population' = 105796"))
        #expect(text.contains("events.csv"))
        #expect(text.contains("population.csv"))
    }

    @Test func aMeasureDeliveredForDistrictsAndDeSOIsNotCountedTwice() async throws {
        // No municipality row: the kommun's number comes from the coarsest rows below it, the districts
        // (4 000 + 5 000), not from districts and DeSO together (which would give 11 500).
        let fixture = try fixture(
            indicators: """
                  - id: inhabitants
                    title: Folkmängd
                    kind: count
                    numerator: { measure: population }
                    area_levels: [municipality, district]
                """,
            population: """
                region,2023
                1380D02 Andersberg,4000
                1380D03 Vallås,5000
                1380C0090 Andersberg 3,1500
                1380C0100 Andersberg 4,1000

                """)
        try await fixture.run([.ingest, .normalize, .aggregate])
        let kommun = try #require(try value(fixture, "indicator_id = 'inhabitants' AND area_code = '1380'"))
        #expect((kommun["value"] as Double?) == 9000)
        let andersberg = try #require(try value(fixture, "indicator_id = 'inhabitants' AND area_code = '1380D02'"))
        #expect((andersberg["value"] as Double?) == 4000)  // delivered for the district itself
    }

    @Test func aTargetForAnAreaNotInTheCodeListFailsAggregateNamingIt() async throws {
        let fixture = try fixture(
            indicators: """
                  - id: crimes
                    title: Anmälda brott
                    kind: count
                    numerator: { events: all }
                targets:
                  - indicator: crimes
                    commitment: action-plan
                    name: Färre brott i Vallås
                    area: 1380D99
                    baseline: { year: 2022, value: 8 }
                    target: { year: 2026, value: 5 }
                """)
        await #expect {
            try await fixture.run([.ingest, .normalize, .aggregate])
        } throws: { error in
            "\(error)".contains("target 'Färre brott i Vallås'")
                && "\(error)".contains("the area '1380D99' is not in the area code list")
        }
    }

    /// A dimension value with `;` and `=` in it (a place such as "Torget; norra delen") is matched exactly;
    /// stored as `name=value;…` text it never matched and its number went missing.
    @Test func aDimensionValueWithSemicolonsAndEqualSignsIsFound() async throws {
        let fixture = try PipelineFixture()
        try fixture.writePipeline(
            sources: """
                  - id: places
                    supplier: municipality
                    kind: observations
                    files: places.csv
                    encoding: utf-8
                    delimiter: ","
                    area_codes: scb
                    measure: incidents
                    columns: { area: kommun, period: år, value: antal }
                    dimensions: { plats: plats }
                """,
            indicators: """
                  - id: torget
                    title: Händelser vid torget
                    kind: count
                    numerator: { measure: incidents, dimensions: { plats: "Torget; norra delen" } }
                  - id: likhet
                    title: Händelser vid a=b
                    kind: count
                    numerator: { measure: incidents, dimensions: { plats: "a=b" } }
                """)
        try fixture.write(
            "places.csv",
            "kommun,år,plats,antal\n1380,2023,\"Torget; norra delen\",7\n1380,2023,a=b,4\n1380,2023,Stationen,9\n")
        try await fixture.run([.ingest, .normalize, .aggregate])
        let values = try fixture.rows(
            "SELECT indicator_id, value FROM indicator_values WHERE area_code = '1380' AND period = '2023'"
        ).map { "\($0["indicator_id"] as String)=\(($0["value"] as Double?).map { Int($0) } ?? -1)" }.sorted()
        #expect(values == ["likhet=4", "torget=7"])
        let stored = try fixture.rows("SELECT DISTINCT dimensions FROM observations ORDER BY 1").map {
            $0["dimensions"] as String
        }
        #expect(stored.contains(#"{"plats":"Torget; norra delen"}"#))
    }

}
