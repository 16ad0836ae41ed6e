import Foundation
import GRDB
import Publish
import Report
import Testing

/// The report's data comes from the workspace: series, comparisons, areas, patterns, follow-up, sources.
struct ReportBuilderTests {
    @Test func theSampleWorkspaceFillsEverySection() throws {
        let fixture = try PipelineFixture()
        try fixture.useSamplePipeline()
        try fixture.run([.ingest, .normalize, .aggregate])
        let data = try fixture.database().read { db in
            try ReportBuilder(db: db, pipeline: try fixture.pipeline(), runID: 1).build()
        }
        #expect(data.municipality.county == "Hallands län")
        let crimes = try #require(data.indicators.first { $0.id == "anmalda_brott_per_100k" })
        #expect(crimes.series.map(\.period) == ["2020", "2021", "2022", "2023"])
        #expect(crimes.comparisons.map(\.kind) == [.county, .country])
        #expect(data.schools.contains { $0.id == "trygghet_ak9" && $0.series.allSatisfy { $0.ciLow != nil } })
        #expect(data.countyBoard.count == 3)
        #expect(data.summary.targets.count == 5)
        #expect(data.summary.targets.contains { $0.commitment == .citizenPromise })
        let districts = try #require(data.areas.first { $0.indicatorID == "anmalda_brott_per_100k" })
        #expect(districts.areas.count == 12)
        #expect(districts.areas.filter(\.isHotSpot).count == 3)
        let patterns = try #require(data.patterns)
        #expect(patterns.weekdayHour.count == 7 && patterns.weekdayHour.allSatisfy { $0.count == 24 })
        #expect(patterns.monthOfYear.count == 12)
        #expect(patterns.weekdayHour.joined().contains { $0.status == .suppressed })
        #expect(data.sources.sources.count == 23)  // 15 statistics files and 8 quarterly status reports
        #expect(data.sources.sources.contains { $0.status == .partial })  // brott_2022.csv lost one row
        // Rendered, the suppressed cells are marked, never shown as a number.
        let html = ReportRenderer.render(data)
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

    @Test func theSampleReportShowsNoEnglish() throws {
        let fixture = try PipelineFixture()
        try fixture.useSamplePipeline()
        try fixture.run([.ingest, .normalize, .aggregate])
        let data = try fixture.database().read { db in
            try ReportBuilder(db: db, pipeline: try fixture.pipeline(), runID: 1).build()
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
    }
}
