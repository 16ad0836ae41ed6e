import Foundation
import GRDB
import LagesbildRunner
import PipelineModel
import Testing

/// Zero is a number, shares over events and the disclosure settings, over real pipeline runs on small
/// files: the values in SQLite, the CSV export and `explain`, checked against numbers computed here
/// from the rows written (not by the code under test).
@Suite struct EventsMathTests {
    /// One police event as the test writes it.
    struct Event {
        var code: String
        var date: String
        var time: String
        var area: String
        var place: String

        var year: String { String(date.prefix(4)) }
        var hour: Int? { Int(time.prefix(2)) }
        var violent: Bool { code == "0357" }
    }

    /// 2022 and 2023, one file each. Vallås has no violence in 2022, Andersberg none in 2023; Centrum
    /// has 2 (suppressed) in 2023. Dates run from January to December in both years.
    static let events: [Event] = {
        var events: [Event] = []
        func add(_ code: String, _ date: String, _ times: [String], _ area: String, _ places: [String]) {
            for (time, place) in zip(times, places) {
                events.append(Event(code: code, date: date, time: time, area: area, place: place))
            }
        }
        // 2022
        add(
            "0357", "2022-01-02", ["23:10", "01:30", "14:00", "22:00", ""], "Centrum",
            ["Utomhus", "Utomhus", "Utomhus", "Inomhus", ""])
        add(
            "0357", "2022-06-15", ["12:00", "05:59", "06:00", "21:59"], "Andersberg",
            ["Utomhus", "Inomhus", "Inomhus", "Inomhus"])
        add("0857", "2022-12-30", ["03:00", "10:00", "11:00"], "Vallås", ["Inomhus", "Inomhus", "Inomhus"])
        // 2023
        add("0357", "2023-01-05", ["02:00", "13:00"], "Centrum", ["Utomhus", "Utomhus"])
        add("0857", "2023-04-01", ["09:00", "23:30", "04:00"], "Andersberg", ["Inomhus", "Inomhus", "Inomhus"])
        add(
            "0357", "2023-12-20", ["22:30", "00:15", "03:00", "12:00", "15:00", "18:00", "20:00"], "Vallås",
            ["Utomhus", "Utomhus", "Utomhus", "Utomhus", "Inomhus", "Inomhus", "Inomhus"])
        return events
    }()

    static let districts = ["Centrum": "1380D01", "Andersberg": "1380D02", "Vallås": "1380D03"]

    /// A pipeline over `events` (files per year), a district population for 2021–2023 and `indicators`.
    func fixture(
        indicators: String, disclosure: String = "", contract: Bool = true, events: [Event] = EventsMathTests.events
    ) throws -> PipelineFixture {
        let fixture = try PipelineFixture()
        let delivery = contract ? "delivery: { expect: \"police/brott_{year}.csv\", years: 2022-2023 }" : ""
        try fixture.writePipeline(
            sources: """
                  - id: police
                    supplier: police
                    kind: events
                    files: police/*.csv
                    encoding: utf-8
                    delimiter: ";"
                    area_codes: name
                    \(delivery)
                    columns: { crime_code: Brottskod, date: Brottsdatum, time: Klockslag, area: Område, place: Plats }
                  - id: population
                    supplier: scb
                    kind: observations
                    files: population.csv
                    encoding: utf-8
                    delimiter: ","
                    area_codes: name
                    measure: population
                    columns: { area: region }
                    wide: { pattern: "^(?<period>[0-9]{4})$" }
                """,
            indicators: indicators)
        if !disclosure.isEmpty {
            let text = try String(contentsOfFile: fixture.path("pipeline.yaml"), encoding: .utf8)
            try fixture.write(
                "pipeline.yaml", text.replacingOccurrences(of: "sources:\n", with: disclosure + "\nsources:\n"))
        }
        try fixture.write(
            "population.csv",
            """
            region,2021,2022,2023
            Halmstad,104000,105148,105796
            Centrum,20000,20100,20200
            Andersberg,9000,9100,9200
            Vallås,11000,11100,11200

            """)
        for year in Set(events.map(\.year)) {
            let rows = events.filter { $0.year == year }.map {
                "\($0.code);\($0.date);\($0.time);\($0.area);\($0.place)\n"
            }
            try fixture.write(
                "police/brott_\(year).csv", "Brottskod;Brottsdatum;Klockslag;Område;Plats\n" + rows.joined())
        }
        return fixture
    }

    func value(_ fixture: PipelineFixture, _ indicator: String, _ area: String, _ period: String) throws -> Row? {
        try fixture.rows(
            "SELECT * FROM indicator_values WHERE indicator_id = '\(indicator)' AND area_code = '\(area)' "
                + "AND period = '\(period)' AND breakdown = ''"
        ).first
    }

    static let violenceRate = """
          - id: vald_rate
            title: Våld per 100 000
            kind: rate
            numerator: { events: vald }
            denominator: { measure: population }
            area_levels: [municipality, district]
        """

    // MARK: - Zero is a number

    @Test func aCoveredPeriodWithoutEventsHasCountAndRateZeroAndAnUncoveredOneIsMissing() async throws {
        let fixture = try fixture(
            indicators: Self.violenceRate + """

                  - id: vald_antal
                    title: Våld, antal
                    kind: count
                    numerator: { events: vald }
                    area_levels: [district]
                """)
        try await fixture.run()
        // Vallås 2022 and Andersberg 2023: no violence, a population, a delivery for the year → 0.
        for (area, period) in [("1380D03", "2022"), ("1380D02", "2023")] {
            let row = try #require(try value(fixture, "vald_rate", area, period), "\(area) \(period)")
            #expect(row["status"] as String == "ok")
            #expect(row["numerator"] as Double? == 0)
            #expect(row["value"] as Double? == 0)
            #expect(row["note"] as String? == nil)
        }
        // The count computed here from the rows: Centrum 2022 has 5 violent events.
        let centrum = Self.events.filter { $0.violent && $0.area == "Centrum" && $0.year == "2022" }.count
        #expect(try value(fixture, "vald_rate", "1380D01", "2022")?["numerator"] as Double? == Double(centrum))
        // 2021 has a population but no police file: missing, never 0 (no row at all).
        #expect(try value(fixture, "vald_rate", "1380D03", "2021") == nil)
        #expect(try value(fixture, "vald_rate", "1380", "2021") == nil)
        // A count has a 0 for every district of the area list in each covered year, and nothing in 2021.
        #expect(try fixture.count("SELECT count(*) FROM indicator_values WHERE indicator_id = 'vald_antal'") == 12 * 2)
        let sannarp = try #require(try value(fixture, "vald_antal", "1380D05", "2023"))
        #expect(sannarp["value"] as Double? == 0)
        #expect(sannarp["status"] as String == "ok")
        // A change to 0 is a change: Andersberg went from 4 to 0.
        let andersberg = try #require(try value(fixture, "vald_antal", "1380D02", "2023"))
        #expect(andersberg["change_abs"] as Double? == -4)
        #expect(andersberg["change_pct"] as Double? == -100)

        // The CSV export publishes the 0 as a number with status ok.
        let csv = try String(contentsOfFile: fixture.path("ws/out/vald_rate.csv"), encoding: .utf8)
        let lines = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let header = lines[0].map(String.init)
        let column = { (name: String) in header.firstIndex(of: name)! }
        let vallas = try #require(
            lines.first { $0[column("area_code")] == "1380D03" && $0[column("period")] == "2022" })
        #expect(vallas[column("numerator")] == "0")
        #expect(vallas[column("value")] == "0")
        #expect(vallas[column("status")] == "ok")
        #expect(!lines.contains { $0[column("period")] == "2021" })

        // explain says why it is 0, and why 2021 has no value.
        let pipeline = try fixture.pipeline()
        let explanation = try Explanation.read(
            directory: fixture.path("ws"), pipeline: pipeline, indicator: "vald_rate", area: "1380D03", period: "2022")
        #expect(explanation.value == 0)
        #expect(explanation.text.contains("0 händelser i kategorin vald i Vallås (1380D03) 2022"))
        #expect(explanation.text.contains("(brott_2022.csv)"))
        #expect(explanation.text.contains("inte saknat"))
        do {
            _ = try Explanation.read(
                directory: fixture.path("ws"), pipeline: pipeline, indicator: "vald_rate", area: "1380D03",
                period: "2021")
            Issue.record("explain found a value for 2021, which no delivery covers")
        } catch {
            #expect("\(error)".contains("no accepted delivery of events covers all of 2021"), "\(error)")
        }
    }

    @Test func withoutAContractADeliveryCoversTheMonthsFromItsFirstToItsLastEvent() async throws {
        let spring = [
            Event(code: "0357", date: "2023-03-01", time: "12:00", area: "Centrum", place: "Utomhus"),
            Event(code: "0857", date: "2023-05-31", time: "12:00", area: "Vallås", place: "Utomhus"),
        ]
        let fixture = try fixture(
            indicators: """
                  - id: vald_antal
                    title: Våld, antal
                    kind: count
                    numerator: { events: vald }
                    area_levels: [district]
                    periods: [year, month]
                """, contract: false, events: spring)
        try await fixture.run()
        let periods = try fixture.rows(
            "SELECT DISTINCT period FROM indicator_values WHERE area_code = '1380D03' ORDER BY period"
        ).map { $0["period"] as String }
        #expect(periods == ["2023-03", "2023-04", "2023-05"])
        #expect(try value(fixture, "vald_antal", "1380D03", "2023-04")?["value"] as Double? == 0)
        #expect(try value(fixture, "vald_antal", "1380D01", "2023-03")?["status"] as String? == "suppressed")
        // The year is not covered (January, February and June–December are not): Centrum's 1 stays a
        // (suppressed) count, but no district gets a 0 for 2023.
        #expect(try value(fixture, "vald_antal", "1380D03", "2023") == nil)
        #expect(try value(fixture, "vald_antal", "1380D01", "2023")?["status"] as String? == "suppressed")
    }

    @Test func aTargetWithABaselineOfZeroIsFollowedUpWithoutDivisionByZero() async throws {
        // 2021 has a file too (Centrum only, January to December): Vallås has no violence in 2021 and
        // 2022, then 7 in 2023.
        let earlier = ["2021-01-10", "2021-06-10", "2021-12-10"].map {
            Event(code: "0357", date: $0, time: "12:00", area: "Centrum", place: "Utomhus")
        }
        let fixture = try fixture(
            indicators: Self.violenceRate + """

                targets:
                  - id: vallas-vald
                    indicator: vald_rate
                    area: 1380D03
                    commitment: citizen-promise
                    baseline: { year: 2021 }
                    target: { year: 2025, value: 0 }
                """, disclosure: "disclosure: { secondary: false }", contract: false, events: earlier + Self.events)
        try await fixture.run()
        let rates = try fixture.rows(
            "SELECT period, value FROM indicator_values WHERE indicator_id = 'vald_rate' AND area_code = '1380D03' "
                + "ORDER BY period")
        let latest = 7 / 11_200.0 * 100_000
        #expect(rates.map { $0["period"] as String } == ["2021", "2022", "2023"])
        #expect(rates.map { $0["value"] as Double? } == [0, 0, latest])
        let row = try #require(try fixture.rows("SELECT * FROM followup WHERE target_id = 'vallas-vald'").first)
        #expect(row["computed_baseline"] as Double? == 0)
        #expect(row["baseline_value"] as Double? == 0)
        #expect(abs((row["change_since_baseline"] as Double? ?? 0) - latest) < 1e-9)
        // 0, 0, 7: no trend can be fitted (it would run off to infinity), so "too uncertain", not a crash.
        #expect(row["status"] as String == "too-uncertain")
        #expect(row["latest_low"] as Double? ?? 0 > 0)
        for (column, value) in row {
            if case .double(let number) = value.storage { #expect(number.isFinite, "\(column)") }
        }
    }

    // MARK: - Disclosure settings

    struct DisclosureCase: Sendable, CustomTestStringConvertible {
        var secondary: Bool
        var suppressZeros: Bool
        /// Expected status of (area, period) cells of the district rate.
        var statuses: [String: String]

        var testDescription: String { "secondary: \(secondary), suppress_zeros: \(suppressZeros)" }
    }

    static let disclosureCases = [
        // Defaults: 0 published; Centrum's 2 in 2023 suppressed, and Vallås (the smallest count above 0,
        // not Andersberg's 0) with it.
        DisclosureCase(
            secondary: true, suppressZeros: false,
            statuses: [
                "1380D01 2023": "suppressed", "1380D02 2023": "ok", "1380D03 2023": "suppressed",
                "1380D02 2022": "ok", "1380D03 2022": "ok",
            ]),
        DisclosureCase(
            secondary: false, suppressZeros: false,
            statuses: [
                "1380D01 2023": "suppressed", "1380D02 2023": "ok", "1380D03 2023": "ok", "1380D02 2022": "ok",
                "1380D03 2022": "ok",
            ]),
        // Zeros suppressed: two suppressed cells in 2023 protect each other; in 2022 Vallås's 0 is the
        // only one, so Andersberg's 4 goes too.
        DisclosureCase(
            secondary: true, suppressZeros: true,
            statuses: [
                "1380D01 2023": "suppressed", "1380D02 2023": "suppressed", "1380D03 2023": "ok",
                "1380D02 2022": "suppressed", "1380D03 2022": "suppressed",
            ]),
        DisclosureCase(
            secondary: false, suppressZeros: true,
            statuses: [
                "1380D01 2023": "suppressed", "1380D02 2023": "suppressed", "1380D03 2023": "ok",
                "1380D02 2022": "ok", "1380D03 2022": "suppressed",
            ]),
    ]

    @Test(arguments: disclosureCases) func disclosureSettings(_ setting: DisclosureCase) async throws {
        let fixture = try fixture(
            indicators: Self.violenceRate,
            disclosure: "disclosure: { threshold: 3, secondary: \(setting.secondary), "
                + "suppress_zeros: \(setting.suppressZeros) }")
        try await fixture.run()
        for (cell, status) in setting.statuses {
            let parts = cell.split(separator: " ").map(String.init)
            let row = try #require(try value(fixture, "vald_rate", parts[0], parts[1]), "\(cell)")
            #expect(row["status"] as String == status, "\(cell)")
            if status == "suppressed" {
                #expect(row["value"] as Double? == nil && row["numerator"] as Double? == nil, "\(cell)")
            }
        }
        // Centrum's 5 in 2022 is always published.
        #expect(try value(fixture, "vald_rate", "1380D01", "2022")?["status"] as String? == "ok")
    }

    // MARK: - Shares over events

    /// The 95 % Wilson score interval, written out here from its textbook formula.
    func wilson(_ successes: Int, _ trials: Int) -> (Double, Double) {
        let z = 1.959_963_985
        let n = Double(trials)
        let p = Double(successes) / n
        let denominator = 1 + z * z / n
        let centre = p + z * z / (2 * n)
        let spread = z * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot()
        return ((centre - spread) / denominator * 100, (centre + spread) / denominator * 100)
    }

    @Test func sharesOverEventsWithTheirWilsonInterval() async throws {
        let fixture = try fixture(
            indicators: """
                  - id: vald_utomhus_andel
                    title: Våld utomhus, andel
                    kind: share
                    numerator: { events: vald, where: { place: Utomhus } }
                    denominator: { events: vald, where: { place: [Utomhus, Inomhus] } }
                    area_levels: [municipality, district]
                  - id: nattetid_andel
                    title: Brott nattetid, andel
                    kind: share
                    numerator: { events: all, where: { hours: "22-05" } }
                    denominator: { events: all, where: { hours: "0-23" } }
                """)
        try await fixture.run()
        for year in ["2022", "2023"] {
            let known = Self.events.filter {
                $0.violent && $0.year == year && ["Utomhus", "Inomhus"].contains($0.place)
            }
            let outdoors = known.filter { $0.place == "Utomhus" }
            let row = try #require(try value(fixture, "vald_utomhus_andel", "1380", year))
            #expect(row["status"] as String == "ok")
            #expect(row["numerator"] as Double? == Double(outdoors.count))
            #expect(row["denominator"] as Double? == Double(known.count))
            let share = try #require(row["value"] as Double?)
            #expect(abs(share - Double(outdoors.count) / Double(known.count) * 100) < 1e-9)
            let (low, high) = wilson(outdoors.count, known.count)
            #expect(abs((row["ci_low"] as Double? ?? -1) - low) < 1e-6)
            #expect(abs((row["ci_high"] as Double? ?? -1) - high) < 1e-6)

            let timed = Self.events.filter { $0.year == year && $0.hour != nil }
            let night = timed.filter { $0.hour! >= 22 || $0.hour! <= 5 }
            let nightRow = try #require(try value(fixture, "nattetid_andel", "1380", year))
            #expect(nightRow["numerator"] as Double? == Double(night.count))
            #expect(nightRow["denominator"] as Double? == Double(timed.count))
            let (nightLow, nightHigh) = wilson(night.count, timed.count)
            #expect(abs((nightRow["ci_low"] as Double? ?? -1) - nightLow) < 1e-6)
            #expect(abs((nightRow["ci_high"] as Double? ?? -1) - nightHigh) < 1e-6)
        }
        // Hand check of 2022: 4 of 8 violent events with a known place were outdoors; 5 of 11 timed events
        // were at night (23:10, 01:30, 22:00, 05:59, 03:00).
        #expect(try value(fixture, "vald_utomhus_andel", "1380", "2022")?["value"] as Double? == 50)
        #expect(try value(fixture, "nattetid_andel", "1380", "2022")?["numerator"] as Double? == 5)
        // Centrum 2022: 3 of 4 outdoors, 1 indoors: the indoor count is below 3, so the share is hidden.
        let centrum = try #require(try value(fixture, "vald_utomhus_andel", "1380D01", "2022"))
        #expect(centrum["status"] as String == "suppressed")
        #expect(centrum["ci_low"] as Double? == nil)
        // Vallås 2022 has no violence: no share (no row), not 0 %.
        #expect(try value(fixture, "vald_utomhus_andel", "1380D03", "2022") == nil)
        // explain shows the share, its numerator, denominator and interval.
        let explanation = try Explanation.read(
            directory: fixture.path("ws"), pipeline: try fixture.pipeline(), indicator: "vald_utomhus_andel",
            period: "2022")
        #expect(explanation.text.contains("value for Halmstad (1380), 2022: 50 [ok]"))
        #expect(explanation.text.contains("numerator: events in category 'vald' where place = Utomhus = 4"))
        #expect(explanation.text.contains("where place in [Utomhus, Inomhus] = 8"))
        let (low, high) = wilson(4, 8)
        #expect(explanation.text.contains(String(format: "95 %% interval: %.4f–%.4f", low, high)))
        let csv = try String(contentsOfFile: fixture.path("ws/out/nattetid_andel.csv"), encoding: .utf8)
        #expect(csv.contains("ci_low"))
        #expect(csv.split(separator: "\n").count == 3)  // header, 2022, 2023
    }

    @Test func aZeroShareHasAnIntervalAndANumeratorOutsideTheDenominatorStopsAggregate() async throws {
        let fixture = try fixture(
            indicators: """
                  - id: andel_inomhus_natt
                    title: Inomhus bland våld, andel
                    kind: share
                    numerator: { events: vald, where: { place: Inomhus, area: Vallås } }
                    denominator: { events: vald, where: { area: [Vallås, 1380D01] } }
                """)
        try await fixture.run()
        // 2023: 3 of Vallås's 7 indoors among 9 (Vallås 7 + Centrum 2); 2022: 1 indoor in Centrum only → 0.
        let zero = try #require(try value(fixture, "andel_inomhus_natt", "1380", "2022"))
        let centrum2022 = Self.events.filter { $0.violent && $0.year == "2022" && $0.area == "Centrum" }.count
        #expect(zero["numerator"] as Double? == 0)
        #expect(zero["denominator"] as Double? == Double(centrum2022))
        #expect(zero["value"] as Double? == 0)
        #expect(zero["status"] as String == "ok")
        #expect(zero["ci_low"] as Double? == 0)
        #expect(abs((zero["ci_high"] as Double? ?? -1) - wilson(0, centrum2022).1) < 1e-6)

        let broken = try self.fixture(
            indicators: """
                  - id: fel
                    title: Fel
                    kind: share
                    numerator: { events: all, where: { place: Utomhus } }
                    denominator: { events: vald, where: { area: Centrum } }
                """)
        // 2023: 6 events outdoors in the kommun, but only 2 violent ones in Centrum.
        do {
            try await broken.run()
            Issue.record("a numerator larger than its denominator was published")
        } catch {
            #expect("\(error)".contains("must be a subset of the denominator's"), "\(error)")
        }
    }
}
