import Foundation
import ReportTestSupport
import Testing

@testable import Report

struct ReportRendererTests {
    let html = ReportRenderer.render(.sample)

    @Test func isOneSwedishHTML5DocumentWithEveryMainSection() {
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"sv\">"))
        #expect(html.contains("<meta charset=\"utf-8\">"))
        #expect(html.contains("<h1>Lägesbild brottslighet Halmstads kommun 2023 (exempeldata)</h1>"))
        for (id, heading) in ReportRenderer.sections {
            #expect(html.contains("<section class=\"main\" id=\"\(id)\">\n<h2>\(HTMLText.escape(heading))</h2>"))
        }
        #expect(html.contains("@media print"))
        #expect(html.contains("section.main { break-before: page; }"))
        #expect(html.contains("@page { size: A4;"))
        #expect(!html.contains(ReportRenderer.noDataSentence))  // the sample fills every section
    }

    @Test func isSelfContained() {
        let lower = html.lowercased()
        #expect(!lower.contains("http://"))
        #expect(!lower.contains("https://"))
        #expect(!lower.contains("<script"))
        #expect(!lower.contains("src="))
        #expect(!lower.contains("<link"))
        #expect(!lower.contains("@import"))
        // Every url() is a reference to a pattern inside the document.
        var rest = lower[...]
        while let range = rest.range(of: "url(") {
            #expect(rest[range.upperBound...].hasPrefix("#"))
            rest = rest[range.upperBound...]
        }
        #expect(!lower.contains("href=\"http"))
        #expect(!lower.contains("href=\"//"))
    }

    @Test func escapesEverythingUserSupplied() {
        var data = ReportData.sample
        data.title = "<script>alert('x')</script>"
        data.indicators[0].title = "Våld & \"hot\" <b>"
        data.areas[0].areas[0].name = "<img src=x onerror=alert(1)>"
        data.sources.limitations.append("Ring 850412-1234 om du undrar")
        let html = ReportRenderer.render(data)
        #expect(!html.contains("<script"))
        #expect(html.contains("<h1>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</h1>"))
        #expect(html.contains("<title>&lt;script&gt;"))
        #expect(html.contains("Våld &amp; &quot;hot&quot; &lt;b&gt;"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("850412-1234"))
        #expect(html.contains("******-****"))
    }

    @Test func suppressedValuesShowAsSuppressedWithTheReasonNeverAsZero() throws {
        var data = ReportData(
            title: "T", municipality: Municipality(name: "Halmstad", code: "1380"), generatedAt: "nu", runID: "r1",
            suppressionThreshold: 5)
        data.indicators = [
            IndicatorSection(
                id: "ran", title: "Rån", definition: "Rån.", unit: "antal", decimals: 0, better: .lower,
                series: [
                    SeriesPoint(period: "2021", value: 12),
                    SeriesPoint(period: "2022", value: 0, status: .suppressed, note: "Färre än 5 anmälningar."),
                    SeriesPoint(period: "2023", value: 9),
                ], seriesName: "Centrum")
        ]
        let html = ReportRenderer.render(data)
        let row = try #require(html.components(separatedBy: "<tr><th scope=\"row\">2022</th>").dropFirst().first)
        let cell = String(row.prefix { $0 != "\n" })
        #expect(cell.contains(".. prickad"))
        #expect(cell.contains("title=\"Prickad: Färre än 5 anmälningar.\""))
        #expect(!cell.contains(">0<"))
        #expect(!cell.contains(">0,0<"))
        #expect(html.contains("<li>2022: Prickad – Färre än 5 anmälningar.</li>"))
        // The chart shows no point for 2022 (the stored 0 must not leak into the drawing).
        #expect(!html.contains("data-period=\"2022\" cx="))
    }

    @Test func aSuppressedPointWithoutReasonGetsTheThreshold() {
        var data = ReportData.sample
        data.indicators = [
            IndicatorSection(
                id: "x", title: "X", definition: "X.", unit: "antal", better: .lower,
                series: [.suppressed("2023")], seriesName: "Halmstad")
        ]
        let html = ReportRenderer.render(data)
        #expect(html.contains("prickningsgräns 5"))
    }

    @Test func emptySectionsSaySoInsteadOfAnEmptyBox() {
        let data = ReportData(
            title: "Tom", municipality: Municipality(name: "Halmstad", code: "1380"), generatedAt: "nu", runID: "r1",
            suppressionThreshold: 5)
        let html = ReportRenderer.render(data)
        // Indicators, areas, patterns, schools, county board.
        #expect(html.components(separatedBy: ReportRenderer.noDataSentence).count - 1 == 5)
        #expect(html.contains("Det finns inga förändringar att visa"))
        #expect(html.contains("Inga källor är registrerade"))
        #expect(!html.contains("<table"))
        #expect(!html.contains("<svg"))
    }

    @Test func summaryJudgesChangesByTheDirection() {
        #expect(ChangeAssessment(change: -72, better: .lower) == .better)
        #expect(ChangeAssessment(change: -3.6, better: .higher) == .worse)
        #expect(ChangeAssessment(change: 0.3, better: .lower) == .worse)
        #expect(ChangeAssessment(change: 2, better: .higher) == .better)
        #expect(ChangeAssessment(change: 0, better: .higher) == .unchanged)
        #expect(ChangeAssessment(change: nil, better: .higher) == .unknown)
        let change = IndicatorChange(
            indicatorID: "ran", title: "Rån", period: "2023", value: 45, unit: "antal", changeAbsolute: -2,
            changePercent: -4.3, better: .lower, test: .withinNoise)
        #expect(change.assessment == .withinNoise)
        #expect(html.contains("<span class=\"better\">▼ bättre</span>"))
        #expect(html.contains("<span class=\"worse\">▼ sämre</span>"))
        // Within the noise, or untested: never green or red.
        #expect(html.contains("<span class=\"neutral\">▼ inom normal variation</span>"))
        #expect(html.contains("<span class=\"neutral\">▲ åt det sämre hållet, kan inte prövas</span>"))
        #expect(!html.contains("▲ sämre"))
        #expect(html.contains("kvot mot föregående år 0,96 (95 % intervall 0,91–1,01)"))
        #expect(html.contains("På väg mot målet"))
        #expect(html.contains("✗ Inte på väg mot målet"))
        #expect(html.contains("För lite data"))
        #expect(html.contains("medborgarlöfte"))
        #expect(html.contains("\u{2212}6,7\u{00A0}%"))
    }

    @Test func numbersInTablesAreSwedishAndRightAligned() {
        #expect(html.contains("<td class=\"num\">10\u{202F}960</td>"))
        #expect(html.contains("<td class=\"num\">\u{2212}460</td>"))
        #expect(html.contains(".num { text-align: right;"))
        #expect(!html.contains("10960"))
    }

    @Test func sourcesShowShortAndFullChecksumsAndRowCounts() {
        let full = "a94b2c7d1e0f3a5b8c6d9e2f4a7b1c3d5e8f0a2b4c6d8e1f3a5b7c9d0e2f4a6b"
        #expect(html.contains("<code title=\"\(full)\">a94b2c7d1e0f…</code>"))
        #expect(html.contains("<td class=\"num\">48\u{202F}230</td>"))
        #expect(html.contains("Inte använd"))
        #expect(html.contains("Vad uppgifterna inte kan visa"))
    }

    @Test func patternsAndAreasAreDrawn() {
        #expect(html.components(separatedBy: "class=\"cell").count - 1 == 7 * 24)
        #expect(html.contains("class=\"cell suppressed\""))
        #expect(html.contains(">sön</text>"))
        #expect(html.contains(">dec</text>"))
        #expect(html.contains("class=\"bar-row highlighted\" data-label=\"Centrum\""))
        #expect(html.contains("Kvibille (S12): <span class=\"supp\">.. prickad</span>"))
        // Places as a table with each place's share of the events with a known place.
        #expect(
            html.contains(
                "<th scope=\"row\">Utomhus</th><td class=\"num\">1\u{202F}187</td><td class=\"num\">74,2\u{00A0}%</td>")
        )
    }

    /// A target of the action plan is drawn in its indicator's chart: the straight path from the baseline to
    /// the target, with the years up to the target year on the axis (the data's own lines end with the data).
    @Test func targetPathIsDrawnInTheIndicatorChart() throws {
        let article = try #require(
            html.components(separatedBy: "<article class=\"indicator\" id=\"ind-valdsbrott\">").dropFirst().first?
                .components(separatedBy: "</article>").first)
        #expect(article.contains(">Mål 2025 (åtgärdsplan)</text>"))
        #expect(article.contains("<title>Mål 2025 (åtgärdsplan) 2020: 1\u{202F}051</title>"))
        #expect(article.contains("<title>Mål 2025 (åtgärdsplan) 2025: 950</title>"))
        #expect(article.contains("<title>Mål 2025 (åtgärdsplan) 2023: 990</title>"))  // 1 051 − 3/5 × 101, rounded
        #expect(article.contains("vägen från utgångsvärdet 2020 till målet för 2025 (prickad linje)"))
        #expect(!article.contains("data-period=\"2024\"><title>Halmstad 2024: saknas"))
        // The table lists the data's years only.
        #expect(!article.contains("<th scope=\"row\">2025</th>"))
    }

    /// The county's and the country's population beside the kommun's would flatten its line: they are left
    /// to the table, and the caption says so; comparisons of the same order are drawn.
    @Test func comparisonsOfAnotherOrderOfSizeAreLeftToTheTable() {
        func points(_ values: [Double]) -> [SeriesPoint] {
            values.enumerated().map { SeriesPoint(period: String(2020 + $0.offset), value: $0.element, status: .ok) }
        }
        let population = IndicatorSection(
            id: "folkmangd", title: "Folkmängd", definition: "Folkmängd 31 december.", unit: "invånare", decimals: 0,
            better: .higher, series: points([103_754, 104_573]), seriesName: "Halmstad",
            comparisons: [
                ComparisonSeries(kind: .county, name: "Hallands län", points: points([336_212, 339_811])),
                ComparisonSeries(kind: .country, name: "Sverige", points: points([10_379_295, 10_452_326])),
            ])
        var data = ReportData.sample
        data.indicators = [population]
        let html = ReportRenderer.render(data)
        #expect(!html.contains(">Sverige</text>") && html.contains(">Hallands län</text>"))
        #expect(html.contains("jämfört med Hallands län. Sverige finns i tabellen"))
        #expect(html.contains("<th class=\"num\">Sverige</th>"))
    }

    @Test func codableRoundTrip() throws {
        let data = try JSONEncoder().encode(ReportData.sample)
        let decoded = try JSONDecoder().decode(ReportData.self, from: data)
        #expect(decoded == ReportData.sample)
    }

    /// Writes the sample report for `scripts/check-report.sh` (to `$LAGESBILD_REPORT_SAMPLE` or the temp directory).
    @Test func writesTheSampleReport() throws {
        let path =
            ProcessInfo.processInfo.environment["LAGESBILD_REPORT_SAMPLE"]
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("lagesbild-report-sample.html").path
        try html.write(toFile: path, atomically: true, encoding: .utf8)
        let back = try String(contentsOfFile: path, encoding: .utf8)
        #expect(back == html)
    }
}
