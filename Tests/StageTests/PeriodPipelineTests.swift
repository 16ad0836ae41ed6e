import Foundation
import GRDB
import Testing

/// A small pipeline whose sources write periods as suppliers do: school years and terms, date ranges in
/// two columns, ISO weeks and dates read as weeks, and police events counted by ISO week. Checks the
/// values published to the workspace (SQLite) and the CSV export, and what was quarantined.
struct PeriodPipelineTests {
    static func fixture() throws -> PipelineFixture {
        let fixture = try PipelineFixture()
        try fixture.write(
            "data/skola.csv",
            """
            Kommun;Läsår;Mått;Antal
            1380;2020/21;elever;100
            1380;läsåret 2021/22;elever;120
            1380;HT2022;franvaro;50
            1380;VT2023;franvaro;70
            1380;läsåret 2021/22;behoriga;82,0
            1380;HT2022;behoriga;79,0
            1380;2020-21;elever;5
            1380;ht22;franvaro;9

            """)
        try fixture.write(
            "data/besok.csv",
            """
            Kommun;Från;Till;Antal
            1380;2023-01-01;2023-01-31;40
            1380;2023-02-01;2023-02-28;45
            1380;2023-04-01;2023-06-30;100
            1380;2023-01-15;2023-02-14;7

            """)
        try fixture.write(
            "data/vandringar.csv",
            """
            Kommun;Vecka;Antal
            1380;v. 52 2022;3
            1380;2023-W01;4
            1380;vecka 2 2023;5
            1380;2023-01-16;6
            1380;2021-W53;8

            """)
        // A date range in two XML attributes.
        try fixture.write(
            "data/tillsyn.xml",
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <Export>
              <Rad kommun="1380"><Period start="2023-01-01" slut="2023-03-31"/><Antal>12</Antal></Rad>
              <Rad kommun="1380"><Period start="2023-04-01" slut="2023-06-30"/><Antal>20</Antal></Rad>
            </Export>

            """)
        // Police events: 31 Dec 2022 and 1 Jan 2023 lie in ISO week 2022-W52; 2–8 Jan in 2023-W01.
        let dates =
            ["2022-12-31", "2022-12-31", "2022-12-31", "2023-01-01"] + Array(repeating: "2023-01-02", count: 3)
            + ["2023-01-08", "2023-01-09", "2023-01-10", "2023-01-15"]
        try fixture.write(
            "data/brott.csv", "Brottskod;Datum\n" + dates.map { "1209;\($0)\n" }.joined())
        try fixture.write(
            "pipeline.yaml",
            """
            version: 1
            name: period-test
            municipality: { code: "1380", name: Halmstad, county_code: "13" }
            workspace: ws
            periods:
              school_year_as_year: end
            disclosure: { threshold: 3 }
            code_lists:
              crime_codes: \(repositoryRoot)/Pipelines/codelists/brottskoder.csv
              crime_categories: \(repositoryRoot)/Pipelines/codelists/crime_categories.csv
              areas: \(repositoryRoot)/Pipelines/codelists/areas_halmstad.csv
            sources:
              - id: police
                supplier: police
                kind: events
                files: data/brott.csv
                columns: { crime_code: Brottskod, date: Datum }
              - id: school
                supplier: schools
                kind: observations
                files: data/skola.csv
                quarantine_limit: 5
                columns: { area: Kommun, period: Läsår, measure: Mått, value: Antal }
              - id: visits
                supplier: municipality
                kind: observations
                files: data/besok.csv
                measure: besok
                quarantine_limit: 5
                columns: { area: Kommun, period_start: Från, period_end: Till, value: Antal }
              - id: walks
                supplier: municipality
                kind: observations
                files: data/vandringar.csv
                measure: vandringar
                dates_as: week
                quarantine_limit: 5
                columns: { area: Kommun, period: Vecka, value: Antal }
              - id: inspections
                supplier: county-board
                kind: observations
                format: xml
                files: data/tillsyn.xml
                record_path: Export/Rad
                measure: tillsyn
                columns: { area: "@kommun", period_start: Period/@start, period_end: Period/@slut, value: Antal }
            indicators:
              - id: tillsyn
                title: Tillsynsbesök
                kind: count
                numerator: { measure: tillsyn }
                periods: [quarter]
              - id: elever
                title: Elever
                kind: count
                numerator: { measure: elever }
                periods: [year, school_year]
              - id: franvaro
                title: Frånvarodagar
                kind: count
                numerator: { measure: franvaro }
                periods: [year, school_year, term]
              - id: behoriga
                title: Andel behöriga
                kind: value
                numerator: { measure: behoriga }
                periods: [year, school_year, term]
              - id: besok
                title: Besök
                kind: count
                numerator: { measure: besok }
                periods: [month, quarter]
              - id: vandringar
                title: Trygghetsvandringar
                kind: count
                numerator: { measure: vandringar }
                periods: [week, year]
              - id: klotter_vecka
                title: Klotter per vecka
                kind: count
                numerator: { events: klotter }
                periods: [week, year]
            """)
        return fixture
    }

    /// Published values of an indicator at the municipality: "period_type period" → value.
    func published(_ fixture: PipelineFixture, _ indicator: String) throws -> [String: Double] {
        var result: [String: Double] = [:]
        for row in try fixture.rows(
            """
            SELECT period_type, period, value FROM indicator_values
            WHERE indicator_id = '\(indicator)' AND area_code = '1380' AND breakdown = ''
            """)
        {
            result["\(row["period_type"] as String) \(row["period"] as String)"] = row["value"]
        }
        return result
    }

    @Test func schoolYearsTermsRangesAndWeeksArePublished() async throws {
        let fixture = try Self.fixture()
        try await fixture.run()

        // School years keep their kind and feed `year` by school_year_as_year: end (2020/21 → 2021).
        #expect(
            try published(fixture, "elever") == [
                "school_year 2020/21": 100, "school_year 2021/22": 120, "year 2021": 100, "year 2022": 120,
            ])
        // Counts per term are summed into their school year and their calendar year.
        #expect(
            try published(fixture, "franvaro") == [
                "term 2022-HT": 50, "term 2023-VT": 70, "school_year 2022/23": 120, "year 2022": 50, "year 2023": 70,
            ])
        // A delivered share per term stays a term figure; a school-year share feeds the year.
        #expect(
            try published(fixture, "behoriga") == [
                "school_year 2021/22": 82, "year 2022": 82, "term 2022-HT": 79,
            ])
        // Two columns read as the month or quarter they cover; months summed into their quarter.
        #expect(
            try published(fixture, "besok") == [
                "month 2023-01": 40, "month 2023-02": 45, "quarter 2023-Q1": 85, "quarter 2023-Q2": 100,
            ])
        #expect(try published(fixture, "tillsyn") == ["quarter 2023-Q1": 12, "quarter 2023-Q2": 20])
        // Weeks in every written form, a date read as its ISO week; weeks summed into their ISO week-year.
        #expect(
            try published(fixture, "vandringar") == [
                "week 2022-W52": 3, "week 2023-W01": 4, "week 2023-W02": 5, "week 2023-W03": 6, "year 2022": 3,
                "year 2023": 15,
            ])
        // Police events by the ISO week of their date: 1 January 2023 (a Sunday) is in 2022-W52. The other weeks of
        // the months the events delivery covers are published as 0 (zero is a number), none outside them.
        let weeklyValues = try published(fixture, "klotter_vecka")
        #expect(
            weeklyValues.filter { $0.value != 0 } == [
                "week 2022-W52": 4, "week 2023-W01": 4, "week 2023-W02": 3, "year 2022": 3, "year 2023": 8,
            ])
        let zeroWeeks = weeklyValues.filter { $0.value == 0 }.keys.sorted()
        #expect(!zeroWeeks.isEmpty, "the covered weeks without an event are published as 0")
        #expect(
            zeroWeeks.allSatisfy {
                $0.hasPrefix("week 2022-W4") || $0.hasPrefix("week 2022-W5") || $0.hasPrefix("week 2023-W0")
            }, "\(zeroWeeks)")

        // What could not be read is quarantined with its line and a plain reason.
        let quarantined = try fixture.rows("SELECT file, line, reason FROM quarantine ORDER BY file, line").map {
            "\(($0["file"] as String).split(separator: "/").last!):\($0["line"] as Int) \($0["reason"] as String)"
        }
        #expect(
            quarantined.contains { $0.hasPrefix("besok.csv:5 the range 2023-01-15–2023-02-14 covers no whole month") })
        #expect(quarantined.contains { $0.hasPrefix("skola.csv:8 '2020-21' is ambiguous") })
        #expect(quarantined.contains { $0.hasPrefix("skola.csv:9 'ht22' has a two-digit year") })
        #expect(quarantined.contains { $0.hasPrefix("vandringar.csv:6 '2021-W53' is not a week") })
        #expect(quarantined.count == 4, "\(quarantined)")

        // The CSV export carries the canonical period texts and kinds.
        let csv = try String(contentsOfFile: fixture.path("ws/out/franvaro.csv"), encoding: .utf8)
        let lines = csv.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.contains(",municipality,2022/23,school_year,,,120,,120,") }, "\(csv)")
        #expect(lines.contains { $0.contains(",municipality,2022-HT,term,,,50,,50,") }, "\(csv)")
        let weekly = try String(contentsOfFile: fixture.path("ws/out/klotter_vecka.csv"), encoding: .utf8)
        #expect(weekly.contains(",municipality,2022-W52,week,,,4,,4,"), "\(weekly)")
    }

    @Test func schoolYearsCanCountAsTheYearTheyStartOrNever() async throws {
        let fixture = try Self.fixture()
        let yaml = try String(contentsOfFile: fixture.path("pipeline.yaml"), encoding: .utf8)
        try fixture.write(
            "pipeline.yaml",
            yaml.replacingOccurrences(of: "school_year_as_year: end", with: "school_year_as_year: start"))
        try await fixture.run()
        #expect(try published(fixture, "elever")["year 2020"] == 100)
        #expect(try published(fixture, "elever")["year 2022"] == nil)

        try fixture.write(
            "pipeline.yaml",
            yaml.replacingOccurrences(of: "school_year_as_year: end", with: "school_year_as_year: none"))
        try await fixture.run()
        #expect(try published(fixture, "elever") == ["school_year 2020/21": 100, "school_year 2021/22": 120])
    }
}
