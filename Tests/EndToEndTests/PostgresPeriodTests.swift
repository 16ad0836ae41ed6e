import Foundation
import Testing

/// School years, terms and ISO weeks reach PostgreSQL with their canonical text, their kind and the first
/// day of the period as `period_start`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["LAGESBILD_TEST_PG_URL"] != nil, "no test PostgreSQL server"))
struct PostgresPeriodTests {
    @Test func schoolYearsTermsAndWeeksHaveTheirFirstDay() throws {
        let scratch = try ScratchFolder()
        let schema = "lagesbild_period_test"
        _ = try PostgresPublishTests.psql("DROP SCHEMA IF EXISTS \(schema) CASCADE")
        try scratch.write(
            "data/skola.csv", "Kommun;Period;Antal\n1380;läsåret 2020/21;100\n1380;HT2021;50\n1380;v. 5 2023;7\n")
        try scratch.write(
            "pipeline.yaml",
            """
            version: 1
            name: period-test
            municipality: { code: "1380", name: Halmstad }
            workspace: ws
            sources:
              - id: school
                supplier: schools
                kind: observations
                files: data/skola.csv
                measure: elever
                columns: { area: Kommun, period: Period, value: Antal }
            indicators:
              - id: elever
                title: Elever
                kind: count
                numerator: { measure: elever }
                periods: [school_year, term, week]
            outputs:
              postgres: { schema: \(schema), required: true }
            """)
        let result = try CommandLineTool.run(
            ["run", "-p", "pipeline.yaml", "-q"], in: scratch.path,
            environment: ["LAGESBILD_PG_URL": PostgresPublishTests.url])
        #expect(result.status == 0, "\(result.standardError)")
        let rows = try PostgresPublishTests.psql(
            "SELECT period || ' ' || period_type || ' ' || period_start || ' ' || value FROM \(schema).indicator_values "
                + "ORDER BY period_start")
        #expect(
            rows.split(separator: "\n") == [
                "2020/21 school_year 2020-08-01 100.0", "2021-HT term 2021-08-01 50.0", "2023-W05 week 2023-01-30 7.0",
            ], "\(rows)")
        _ = try PostgresPublishTests.psql("DROP SCHEMA IF EXISTS \(schema) CASCADE")
    }
}
