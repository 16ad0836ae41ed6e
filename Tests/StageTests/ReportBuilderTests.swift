import Foundation
import GRDB
import LagesbildRunner
import Report
import Testing
import Workspace

@testable import Publish

/// The report's data comes from the workspace: series, comparisons, areas, patterns, follow-up, sources.
struct ReportBuilderTests {
    @Test func theSampleWorkspaceFillsEverySection() async throws {
        let fixture = try PipelineFixture()
        try fixture.useSamplePipeline()
        try await fixture.run([.ingest, .normalize, .aggregate])
        let pipeline = try fixture.pipeline()
        let data = try await fixture.database().read { db in
            try ReportBuilder(db: db, pipeline: pipeline, runID: 1).build()
        }
        #expect(data.municipality.county == "Hallands län")
        let crimes = try #require(data.indicators.first { $0.id == "anmalda_brott_per_100k" })
        #expect(crimes.series.map(\.period) == ["2020", "2021", "2022", "2023"])
        // Like with like: Brå's Halmstad beside Brå's county and country; the police export is its own line.
        #expect(crimes.comparisons.map(\.kind) == [.municipality, .county, .country])
        #expect(crimes.comparisons.map(\.name) == ["Halmstad (Brå)", "Hallands län (Brå)", "Sverige (Brå)"])
        #expect(crimes.seriesName == "Halmstad (polisens export)")
        #expect(crimes.comparisonNote?.contains("Jämför därför kommunen med län och riket i Brås serie") == true)
        // The same delivered measure as its comparison: the kommun's value is not drawn twice.
        let population = try #require(data.indicators.first { $0.id == "folkmangd" })
        #expect(population.comparisons.map(\.kind) == [.county, .country])
        #expect(population.seriesName == "Halmstad" && population.comparisonNote == nil)
        #expect(data.schools.contains { $0.id == "trygghet_ak9" && $0.series.allSatisfy { $0.ciLow != nil } })
        #expect(data.countyBoard.count == 3)
        #expect(data.summary.targets.count == 5)
        #expect(data.summary.targets.contains { $0.commitment == .citizenPromise })
        let districts = try #require(data.areas.first { $0.indicatorID == "anmalda_brott_per_100k" })
        #expect(districts.areas.count == 12)
        // Areas are marked by a test against the rest of the kommun, never by rank.
        #expect(districts.areas.filter(\.isHotSpot).allSatisfy { $0.hotSpotReason?.hasPrefix("signifikant") == true })
        let patterns = try #require(data.patterns.first)
        #expect(patterns.weekdayHour.count == 7 && patterns.weekdayHour.allSatisfy { $0.count == 24 })
        #expect(patterns.monthOfYear.count == 12)
        #expect(patterns.weekdayHour.joined().contains { $0.status == .suppressed })
        // Every indicator with patterns gets its own, with the breakdowns it has (place only where counted).
        #expect(data.patterns.map(\.indicatorID) == ["anmalda_brott_per_100k", "vald_per_100k", "skadegorelse_est"])
        #expect(patterns.places.map(\.place) == ["Inomhus", "Utomhus"])
        #expect(patterns.places.map(\.cell.value) == [854, 1_471])
        let violence = try #require(data.patterns.first { $0.indicatorID == "vald_per_100k" })
        #expect(violence.weekdayHour.count == 7 && violence.monthOfYear.isEmpty && violence.places.isEmpty)
        // Each note speaks of the breakdowns shown: no word of places where none are counted.
        #expect(violence.note?.contains("plats") == false && patterns.note?.contains("känd plats") == true)
        #expect(data.sources.sources.count == 25)  // 17 statistics files and 8 quarterly status reports
        #expect(data.sources.sources.contains { $0.status == .partial })  // brott_2022.csv lost one row
        // Suppliers as the pipeline file names them (supplier_name), else by their usual Swedish name.
        #expect(data.sources.sources.first { $0.fileName == "skolenkaten.csv" }?.supplier == "Skolinspektionen")
        #expect(data.sources.sources.first { $0.fileName == "brott_2023.csv" }?.supplier == "Polisen")
        // Values by month and week are shown where the indicator has them (monthly absence, weekly EST reports).
        let absence = try #require(data.schools.first { $0.id == "ogiltig_franvaro" })
        #expect(absence.finerSeries?.map(\.kindName) == ["månad"])
        #expect(absence.finerSeries?.first?.points.count == 11)
        let vandalism = try #require(data.indicators.first { $0.id == "skadegorelse_est" })
        #expect(vandalism.finerSeries?.map(\.kindName) == ["månad", "vecka"])
        // Rendered, the suppressed cells are marked, never shown as a number.
        let html = ReportRenderer.render(data)
        // A school indicator without a kommun value points to its values per school instead of saying "none".
        #expect(html.contains("inte för kommunen som helhet. <a href=\"#omr-behorighet_yrkesprogram\">"))
        #expect(html.contains("id=\"omr-behorighet_yrkesprogram\""))
        #expect(!html.contains("Det finns inga värden för den här indikatorn"))
        #expect(html.contains("<h4>Plats</h4>") && html.contains("<h4>Per vecka</h4>"))
        // The problem index is partial in 2021 and 2023 (11 of 12 areas): no change is shown against or from them.
        let index = try #require(data.indicators.first { $0.id == "problemindex" })
        #expect(index.series.filter(\.isPartial).map(\.period) == ["2021", "2023"])
        #expect(!data.summary.largestChanges.contains { $0.indicatorID == "problemindex" })
        let indexArticle = try #require(
            html.components(separatedBy: "id=\"ind-problemindex\"").dropFirst().first?
                .components(separatedBy: "</article>").first)
        #expect(indexArticle.components(separatedBy: "Förändringen visas inte").count - 1 == 3)
        // The kommun chart draws the kommun's own targets, never a district's (Andersberg's citizen promise).
        let crimeArticle = try #require(
            html.components(separatedBy: "id=\"ind-anmalda_brott_per_100k\"").dropFirst().first?
                .components(separatedBy: "</article>").first)
        #expect(crimeArticle.contains(">Mål 2026 (åtgärdsplan)</text>"))
        #expect(!crimeArticle.contains("Mål 2024 (medborgarlöfte)"))
        #expect(data.summary.targets.contains { $0.areaCode == "1380D02" })
        #expect(html.contains("prickad"))
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"))
    }

    /// The text a reader sees: tags, scripts and styles removed, entities for quotes and angle brackets
    /// decoded, identifiers in code elements left out; tooltips (title attributes and SVG titles) are kept, since they show on hover.
    static func visibleText(_ html: String) -> String {
        var text = html
        // Scripts and styles are not shown; code elements hold the pipeline file's identifiers (a source's
        // or an indicator's id, as the kommun wrote it and the tools take it), not prose.
        for element in ["script", "style", "code"] {
            text = text.replacingOccurrences(
                of: "<\(element)[^>]*>[\\s\\S]*?</\(element)>", with: " ", options: .regularExpression)
        }
        var tooltips: [String] = []
        var rest = text[...]
        while let start = rest.range(of: "title=\""), let end = rest[start.upperBound...].firstIndex(of: "\"") {
            tooltips.append(String(rest[start.upperBound..<end]))
            rest = rest[rest.index(after: end)...]
        }
        text = text.replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression)
        return (text + " " + tooltips.joined(separator: " "))
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }

    @Test func theSampleReportShowsNoEnglish() async throws {
        let fixture = try PipelineFixture()
        try fixture.useSamplePipeline()
        try await fixture.run([.ingest, .normalize, .aggregate])
        let pipeline = try fixture.pipeline()
        let data = try await fixture.database().read { db in
            try ReportBuilder(db: db, pipeline: pipeline, runID: 1).build()
        }
        let text = Self.visibleText(ReportRenderer.render(data)).lowercased()
        let english = [
            "fewer than", "suppressed", "hot spot", "secondary", "retired", "events", "source has", "would reveal",
            "county-board", "on track", "not enough data", "denominator", "respondents",
        ]
        for phrase in english {
            let count = text.components(separatedBy: phrase).count - 1
            var context = ""
            if let found = text.range(of: phrase) {
                let start = text.index(found.lowerBound, offsetBy: -60, limitedBy: text.startIndex) ?? text.startIndex
                context = String(text[start..<found.upperBound])
            }
            #expect(count == 0, "the report shows \"\(phrase)\" \(count) times, e.g. …\(context)")
        }
        #expect(text.contains("länsstyrelsen"))
        #expect(text.contains("färre än 3 händelser"))
        // Areas stand out by a test, and the method says how.
        #expect(!text.contains("utpekat"))
        #expect(text.contains("signifikant högre än kommunen som helhet"))
        #expect(text.contains("jämförelser och slumpens roll"))
        // The sample's changes are all within the noise: none is called better or worse.
        #expect(text.contains("inom normal variation"))
    }

    // MARK: Areas that stand out

    typealias Counts = ReportBuilder.Counts

    @Test func aSmallCountAreaIsNotMarkedThoughItRanksFirst() {
        // 3 events in 2 000 inhabitants (150 per 100 000) against 97 in the other 98 000 (99 per 100 000):
        // ratio 1,52, SE √(1/3 + 1/97) = 0,586, 95 % interval 0,48–4,8: spans 1.
        let reason = ReportBuilder.standsOut(
            kind: .rate, lowerIsBetter: true, scale: 100_000,
            area: Counts(numerator: 3, denominator: 2_000, value: 150),
            kommun: Counts(numerator: 100, denominator: 100_000, value: 100))
        #expect(reason == nil)
    }

    @Test func aLargeCountAreaAboveTheRestIsMarked() {
        // 60 events in 10 000 against 140 in the other 90 000: ratio 540/140 = 3,857,
        // SE √(1/60 + 1/140) = 0,1543, interval exp(1,3499 ± 0,3024) = 2,85–5,22.
        let area = Counts(numerator: 60, denominator: 10_000, value: 600)
        let kommun = Counts(numerator: 200, denominator: 100_000, value: 200)
        let reason = ReportBuilder.standsOut(
            kind: .rate, lowerIsBetter: true, scale: 100_000, area: area, kommun: kommun)
        #expect(
            reason == "signifikant högre än kommunen som helhet: 3,86 gånger nivån i övriga kommunen "
                + "(95 % intervall 2,85–5,22)")
        // Where higher is better, a high level is no problem to mark.
        #expect(
            ReportBuilder.standsOut(kind: .rate, lowerIsBetter: false, scale: 100_000, area: area, kommun: kommun)
                == nil)
        // A count without a population has no rate to compare; a delivered value has no model.
        #expect(
            ReportBuilder.standsOut(
                kind: .count, lowerIsBetter: true, scale: 1, area: Counts(numerator: 60, denominator: nil, value: 60),
                kommun: Counts(numerator: 200, denominator: nil, value: 200)) == nil)
        #expect(
            ReportBuilder.standsOut(kind: .value, lowerIsBetter: true, scale: 1, area: area, kommun: kommun) == nil)
    }

    @Test func aSchoolIsJudgedByItsShareInterval() {
        // 60 % of 100 respondents: Wilson 50,2–69,1 %, wholly below the kommun's 80 %.
        let kommun = Counts(numerator: 80, denominator: 1_000, value: 80)
        let reason = ReportBuilder.standsOut(
            kind: .share, lowerIsBetter: false, scale: 100,
            area: Counts(numerator: 60, denominator: 100, value: 60, respondents: true), kommun: kommun)
        #expect(reason == "signifikant lägre än kommunen som helhet: 95 % intervall 50,2–69,1, kommunen 80,0")
        // 60 % of 10 respondents: Wilson 31,3–83,2 %, which holds 80 %.
        #expect(
            ReportBuilder.standsOut(
                kind: .share, lowerIsBetter: false, scale: 100,
                area: Counts(numerator: 60, denominator: 10, value: 60, respondents: true), kommun: kommun)
                == nil)
        // A share of minutes (no respondents behind it) is not judged by a binomial model.
        #expect(
            ReportBuilder.standsOut(
                kind: .share, lowerIsBetter: false, scale: 100,
                area: Counts(numerator: 6_000, denominator: 10_000, value: 60), kommun: kommun) == nil)
    }

    // MARK: Changes beyond chance

    @Test func aSmallFallOnFewEventsIsWithinNormalVariation() {
        // 45 robberies after 47: −4,3 %, ratio 0,957, SE √(1/45 + 1/47) = 0,2086,
        // interval exp(−0,0435 ± 0,4088) = 0,64–1,44: holds 1.
        let (test, note) = ReportBuilder.changeTest(
            kind: .count, scale: 1, current: Counts(numerator: 45, denominator: nil, value: 45),
            previous: Counts(numerator: 47, denominator: nil, value: 47))
        #expect(test == .withinNoise)
        #expect(note == "kvot mot föregående år 0,96 (95 % intervall 0,64–1,44)")
        let change = IndicatorChange(
            indicatorID: "ran", title: "Rån", period: "2023", value: 45, unit: "antal", changeAbsolute: -2,
            changePercent: -4.3, better: .lower, test: test, testNote: note)
        #expect(change.assessment == .withinNoise)
        let html = ReportRenderer.render(
            ReportData(
                title: "T", municipality: Municipality(name: "H", code: "1380"), generatedAt: "", runID: "1",
                suppressionThreshold: 3, summary: Summary(largestChanges: [change])))
        #expect(html.contains("<span class=\"neutral\">▼ inom normal variation</span>"))
        #expect(!html.contains("class=\"better\"") && !html.contains("class=\"worse\""))
    }

    @Test func theSameFallOnManyEventsIsBeyondChance() {
        // 5 400 after 5 640: −4,3 %, SE √(1/5400 + 1/5640) = 0,01904, interval 0,92–0,99.
        let (test, note) = ReportBuilder.changeTest(
            kind: .count, scale: 1, current: Counts(numerator: 5_400, denominator: nil, value: 5_400),
            previous: Counts(numerator: 5_640, denominator: nil, value: 5_640))
        #expect(test == .beyondChance)
        #expect(note == "kvot mot föregående år 0,96 (95 % intervall 0,92–0,99)")
        // A rate needs both years' populations; without them it cannot be tested.
        #expect(
            ReportBuilder.changeTest(
                kind: .rate, scale: 100_000, current: Counts(numerator: 5_400, denominator: nil, value: 5_400),
                previous: Counts(numerator: 5_640, denominator: nil, value: 5_640)
            ).0 == .notTestable)
        #expect(
            ReportBuilder.changeTest(
                kind: .value, scale: 1, current: Counts(numerator: 5, denominator: nil, value: 5),
                previous: Counts(numerator: 4, denominator: nil, value: 4)
            ).0 == .notTestable)
    }

    @Test func sharesAreComparedWithATwoProportionTest() {
        // 80 % of 200 after 70 % of 200: pooled 0,75, SE √(0,75 · 0,25 · 2/200) = 0,0433, z = 2,31.
        let (test, note) = ReportBuilder.changeTest(
            kind: .share, scale: 100, current: Counts(numerator: 80, denominator: 200, value: 80, respondents: true),
            previous: Counts(numerator: 70, denominator: 200, value: 70, respondents: true))
        #expect(test == .beyondChance)
        #expect(note == "skillnad mellan andelarna z = +2,31")
        // 80 % of 20 after 70 % of 20: z = 0,73, within the noise.
        #expect(
            ReportBuilder.changeTest(
                kind: .share, scale: 100, current: Counts(numerator: 80, denominator: 20, value: 80, respondents: true),
                previous: Counts(numerator: 70, denominator: 20, value: 70, respondents: true)
            ).0 == .withinNoise)
    }

    // MARK: Which run the report shows

    /// The summary lists the action plan's problems in priority order and says what is new since the last
    /// published report: deliveries that came after it and targets judged otherwise.
    @Test func theSummaryListsTheProblemsAndWhatIsNewSinceTheLastReport() async throws {
        let fixture = try PipelineFixture()
        try fixture.useSamplePipeline()
        try await fixture.run()  // run 1 publishes the first report
        let pipeline = try fixture.pipeline()
        let first = try await fixture.database().read { db in
            try ReportBuilder(db: db, pipeline: pipeline, runID: 1).build()
        }
        #expect(first.summary.sinceLast == nil)
        #expect(first.summary.problems.map(\.priority) == [1, 2, 3, 4])
        #expect(first.summary.problems.first?.title == "Våld i offentlig miljö, främst i centrum på helgnätter")
        #expect(first.summary.problems.allSatisfy { !$0.targetStatuses.isEmpty })
        #expect(ReportRenderer.render(first).contains("Det här är den första rapporten ur arbetsytan"))
        // A police file delivered again after that report, and a target judged otherwise in it.
        try await fixture.database().write { db in
            try db.execute(
                sql: "UPDATE deliveries SET ingested_at = '2099-01-01T00:00:00Z' WHERE file_name = 'brott_2023.csv'")
            try db.execute(
                sql: "UPDATE followup_history SET status = 'on-the-way' WHERE run_id = 1 AND target_id = 'vald'")
        }
        let next = try await fixture.database().read { db in
            try ReportBuilder(db: db, pipeline: pipeline, runID: 2).build()
        }
        let since = try #require(next.summary.sinceLast)
        #expect(since.previousRunID == "1")
        #expect(since.newDeliveries == ["brott_2023.csv (Polisen)"])
        #expect(since.targetChanges.map(\.targetID) == ["vald"])
        #expect(since.targetChanges.first?.before == .onTheWay && since.targetChanges.first?.after == .notOnTheWay)
        let html = ReportRenderer.render(next)
        #expect(html.contains("<h3>Prioriterade problem i åtgärdsplanen</h3>"))
        #expect(html.contains("En ny eller ändrad leverans sedan förra rapporten (körning 1, "))
    }

    @Test func theReportNamesTheLastSuccessfulRunNotTheMostRecent() async throws {
        let fixture = try PipelineFixture()
        try fixture.useSamplePipeline()
        try await fixture.run([.ingest, .normalize, .aggregate])
        let path = fixture.path("report.html")
        let computed = try ReportWriter.write(pipeline: try fixture.pipeline(), directory: fixture.path("ws"), to: path)
        #expect(computed.runID == 1 && !computed.published)
        try await fixture.run()
        let published = try ReportWriter.write(
            pipeline: try fixture.pipeline(), directory: fixture.path("ws"), to: path)
        #expect(published.runID == 2 && published.published)
        #expect(published.finishedAt?.isEmpty == false)
        #expect(published.newerUnsuccessfulRun == nil)
        // A later run that failed left the workspace as it was: the report still names run 2.
        try await fixture.database().write { db in
            try db.execute(
                sql: """
                    INSERT INTO runs (id, started_at, finished_at, status, exit_code, command, pipeline, tool_version)
                    VALUES (3, '2030-01-01T00:00:00Z', '2030-01-01T00:01:00Z', 'failed', 65, 'test', 'x', 'test')
                    """)
        }
        let afterFailure = try ReportWriter.write(
            pipeline: try fixture.pipeline(), directory: fixture.path("ws"), to: path)
        #expect(afterFailure.runID == 2)
        #expect(afterFailure.newerUnsuccessfulRun?.id == 3 && afterFailure.newerUnsuccessfulRun?.status == "failed")
        let html = try String(contentsOfFile: path, encoding: .utf8)
        #expect(html.contains("<dt>Körning</dt><dd><code>2</code></dd>"))
    }

    // MARK: The report is built from the workspace alone

    @Test func theReportShowsTheDefinitionsTheRunStoredNotTodaysPipelineFile() async throws {
        let fixture = try PipelineFixture()
        try fixture.useSamplePipeline()
        try await fixture.run()
        // Edit the pipeline file without running: a new title, unit and section for one indicator.
        let file = try String(contentsOfFile: fixture.path("pipeline.yaml"), encoding: .utf8)
        let stored = "title: Anmälda brott per 100 000 invånare"
        #expect(file.contains(stored))
        try fixture.write(
            "pipeline.yaml", file.replacingOccurrences(of: stored, with: "title: Ny rubrik som ingen körde"))
        #expect(try fixture.pipeline().indicators.contains { $0.title == "Ny rubrik som ingen körde" })
        let path = fixture.path("report.html")
        let written = try ReportWriter.write(pipeline: try fixture.pipeline(), directory: fixture.path("ws"), to: path)
        #expect(written.runID == 1 && written.published)
        let html = try String(contentsOfFile: path, encoding: .utf8)
        #expect(html.contains("Anmälda brott per 100 000 invånare"))
        #expect(!html.contains("Ny rubrik som ingen körde"))
        // The stored definition is what the run used, typed.
        let record = try #require(
            try await fixture.database().read { db in try IndicatorRecord.fetchOne(db, key: "anmalda_brott_per_100k") })
        #expect(record.title == "Anmälda brott per 100 000 invånare" && record.kind == .rate && record.decimals == 1)
        #expect(record.areaLevels.first == .municipality && record.section == .crime && record.better == .lower)
    }

    @Test func anUnknownStoredWordIsAnErrorNotADefault() async throws {
        let fixture = try PipelineFixture()
        try fixture.useSamplePipeline()
        try await fixture.run()
        try await fixture.database().write { db in
            try db.execute(
                sql: "UPDATE indicator_values SET status = 'okay' WHERE indicator_id = 'anmalda_brott_per_100k'")
        }
        #expect(throws: (any Error).self) {
            try ReportWriter.write(
                pipeline: try fixture.pipeline(), directory: fixture.path("ws"), to: fixture.path("report.html"))
        }
        try await fixture.database().write { db in
            try db.execute(sql: "UPDATE indicator_values SET status = 'ok' WHERE status = 'okay'")
            try db.execute(
                sql: "UPDATE indicator_values SET flags = 'jump,hop' WHERE indicator_id = 'anmalda_brott_per_100k'")
        }
        #expect(throws: (any Error).self) {
            try fixture.database().read { db in try IndicatorValueRecord.fetchAll(db) }
        }
    }
}
