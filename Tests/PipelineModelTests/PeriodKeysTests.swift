import LagesbildModel
import PipelineModel
import Testing

/// The period keys of the pipeline file: `periods:`, a source's `dates_as` and `period_start` /
/// `period_end`, an indicator's `periods`.
struct PeriodKeysTests {
    static let observations = """
        version: 1
        name: test
        municipality:
          code: "1380"
          name: Halmstad
        periods:
          school_year_as_year: start
        sources:
          - id: school
            supplier: schools
            kind: observations
            files: data/*.csv
            measure: elever
            dates_as: month
            columns:
              area: Kommun
              period_start: Från
              period_end: Till
              value: Antal
        indicators:
          - id: pupils
            title: Elever
            kind: count
            numerator: { measure: elever }
            periods: [year, school_year, week, term]
        """

    let loader = PipelineLoaderTests()

    @Test func readsThePeriodKeys() throws {
        let pipeline = try loader.parse(Self.observations)
        #expect(pipeline.periods.schoolYearAsYear == .start)
        let source = try #require(pipeline.source("school"))
        #expect(source.datesAs == .month)
        #expect(source.columns["period_start"]?.column == "Från")
        #expect(source.columns["period_end"]?.column == "Till")
        #expect(pipeline.indicator("pupils")?.periods == [.year, .schoolYear, .week, .term])
    }

    @Test func defaults() throws {
        let yaml = Self.observations.replacingOccurrences(of: "periods:\n  school_year_as_year: start\n", with: "")
            .replacingOccurrences(of: "    dates_as: month\n", with: "")
        let pipeline = try loader.parse(yaml)
        #expect(pipeline.periods.schoolYearAsYear == .end)
        #expect(pipeline.source("school")?.datesAs == nil)
    }

    @Test func refusesUnknownValuesWithTheirPlace() {
        loader.expectError(
            Self.observations.replacingOccurrences(of: "school_year_as_year: start", with: "school_year_as_year: mid"),
            line: 7, keyPath: "periods.school_year_as_year",
            containing: "unknown value 'mid'; use one of: end, start, none")
        loader.expectError(
            Self.observations.replacingOccurrences(of: "school_year_as_year: start", with: "school_years: start"),
            line: 7, keyPath: "periods.school_years", containing: "unknown key 'school_years'")
        loader.expectError(
            Self.observations.replacingOccurrences(of: "dates_as: month", with: "dates_as: term"),
            line: 14, keyPath: "sources[0].dates_as", containing: "use one of: year, quarter, month, week")
        loader.expectError(
            Self.observations.replacingOccurrences(of: "[year, school_year, week, term]", with: "[year, läsår]"),
            line: 25, keyPath: "indicators[0].periods[1]", containing: "unknown value 'läsår'")
    }

    @Test func datesAsIsForObservationsOnly() {
        let yaml = PipelineLoaderTests.valid.replacingOccurrences(
            of: "    encoding: windows-1252\n", with: "    encoding: windows-1252\n    dates_as: week\n")
        loader.expectError(yaml, line: 12, keyPath: "sources[0].dates_as", containing: "periods: [week]")
    }

    @Test func aRangeNeedsBothEndsAndNoPeriodColumn() {
        loader.expectError(
            Self.observations.replacingOccurrences(of: "      period_end: Till\n", with: ""),
            line: 16, keyPath: "sources[0].columns", containing: "needs both 'period_start' and 'period_end'")
        loader.expectError(
            Self.observations.replacingOccurrences(
                of: "      period_end: Till\n", with: "      period_end: Till\n      period: År\n"),
            line: 16, keyPath: "sources[0].columns", containing: "either a 'period' column or 'period_start'")
    }
}
