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
}
