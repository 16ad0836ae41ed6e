import Foundation
import GRDB
import Testing

/// The sample pipeline publishes its tables to a real PostgreSQL server (started by `.ci/run` through
/// `scripts/test-postgres.sh`), and publishing the same run again changes nothing.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["LAGESBILD_TEST_PG_URL"] != nil, "no test PostgreSQL server"))
struct PostgresPublishTests {
    static let url = ProcessInfo.processInfo.environment["LAGESBILD_TEST_PG_URL"] ?? ""
    var url: String { Self.url }

    func psql(_ sql: String) throws -> String { try Self.psql(sql) }

    static func psql(_ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", url, "-tA", "-v", "ON_ERROR_STOP=1", "-c", sql]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw PSQLFailed(sql: sql) }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The tables as the previous version made them for a county run without targets: types guessed from the data,
    /// so that every column of the empty `followup` became bigint; no version table.
    func createOldStyleSchema(_ schema: String) throws {
        let followup = [
            "indicator_id", "area_code", "commitment", "name", "baseline_year", "baseline_value", "target_year",
            "target_value", "latest_period", "latest_value", "expected_value", "change_since_baseline", "status",
            "note",
        ].map { "\($0) bigint" }.joined(separator: ", ")
        _ = try psql(
            """
            CREATE SCHEMA \(schema);
            CREATE TABLE \(schema).indicator_values (indicator_id text, area_code text, area_name text, area_level text,
                period text, period_type text, breakdown text, breakdown_value text, numerator double precision,
                denominator double precision, value double precision, ci_low bigint, ci_high bigint,
                change_abs double precision, change_pct double precision, moving_avg_3 double precision, status text,
                note text, flags text);
            INSERT INTO \(schema).indicator_values VALUES ('old', '1380', 'Halmstad', 'municipality', '2020', 'year', '',
                '', 3, 100, 3, NULL, NULL, NULL, NULL, NULL, 'ok', NULL, '');
            CREATE TABLE \(schema).indicators (id text, title text, definition text, kind text, numerator text,
                denominator text, scale double precision, unit text, better text, section text);
            CREATE TABLE \(schema).followup (\(followup));
            CREATE TABLE \(schema).deliveries (source_id text, file_name text, sha256 text, size bigint, ingested_at text,
                encoding text, rows_read bigint, rows_accepted bigint, rows_quarantined bigint, status text,
                message bigint);
            CREATE TABLE \(schema).lagesbild_runs (run_id bigint NOT NULL, fingerprint text NOT NULL,
                published_at timestamp with time zone NOT NULL DEFAULT clock_timestamp(), tables integer NOT NULL,
                "rows" bigint NOT NULL);
            INSERT INTO \(schema).lagesbild_runs (run_id, fingerprint, tables, "rows") VALUES (1, 'old', 4, 1);
            CREATE VIEW \(schema).analyst_view AS SELECT indicator_id, area_code, period FROM \(schema).indicator_values;
            """)
    }

    @Test func samplePipelineMigratesAnOldSchemaLoadsDeclaredTypesAndRepublishingChangesNothing() throws {
        let scratch = try ScratchFolder()
        let workspace = scratch.file("ws")
        let schema = "lagesbild_halmstad"
        _ = try psql("DROP SCHEMA IF EXISTS \(schema) CASCADE")
        try createOldStyleSchema(schema)
        let environment = ["LAGESBILD_PG_URL": url]
        let pipeline = CommandLineTool.repositoryRoot + "/Pipelines/halmstad.yaml"
        let first = try CommandLineTool.run(
            ["run", "-p", pipeline, "--workspace", workspace], in: scratch.path, environment: environment)
        #expect(first.status == 0, "\(first.standardError)")
        let database = try DatabaseQueue(path: workspace + "/lagesbild.sqlite")
        let (values, followUps, sum) = try database.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM indicator_values") ?? 0,
                try Int.fetchOne(db, sql: "SELECT count(*) FROM followup") ?? 0,
                try Double.fetchOne(db, sql: "SELECT sum(value) FROM indicator_values") ?? 0
            )
        }
        #expect(try psql("SELECT count(*) FROM \(schema).indicator_values") == String(values))
        #expect(try psql("SELECT count(*) FROM \(schema).followup") == String(followUps))
        let postgresSum = Double(try psql("SELECT sum(value) FROM \(schema).indicator_values")) ?? 0
        #expect(abs(postgresSum - sum) < 1e-6 * max(1, abs(sum)))
        // Zero is a number here too: the districts without a robbery in a year the police files cover.
        let zeroCondition = "indicator_id = 'ran_per_100k' AND numerator = 0 AND value = 0 AND status = 'ok'"
        let zeros = try database.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM indicator_values WHERE \(zeroCondition)") ?? 0
        }
        #expect(zeros == 19)
        #expect(try psql("SELECT count(*) FROM \(schema).indicator_values WHERE \(zeroCondition)") == String(zeros))
        #expect(try psql("SELECT count(*) FROM \(schema).lagesbild_runs") == "2")
        #expect(try psql("SELECT string_agg(version::text, ',') FROM \(schema).lagesbild_schema_version") == "1,2,3")

        // The declared types, whatever the data held or the old tables had.
        func types(_ table: String) throws -> String {
            try psql(
                """
                SELECT string_agg(column_name || ' ' || data_type, ', ' ORDER BY ordinal_position)
                FROM information_schema.columns WHERE table_schema = '\(schema)' AND table_name = '\(table)'
                """)
        }
        // Migration 2 added the follow-up's new columns at the end of the old table.
        #expect(
            Set(try types("followup").components(separatedBy: ", "))
                == [
                    "target_id text", "indicator_id text", "area_code text", "commitment text", "name text",
                    "baseline_year bigint", "baseline_value numeric", "baseline_source text",
                    "computed_baseline numeric", "target_year bigint", "target_value numeric", "latest_period text",
                    "latest_value numeric", "latest_low numeric", "latest_high numeric", "expected_value numeric",
                    "change_since_baseline numeric", "status text", "trend_model text", "annual_change numeric",
                    "annual_change_low numeric", "annual_change_high numeric", "projected_value numeric",
                    "projected_low numeric", "projected_high numeric", "note text", "defined_at text",
                ])
        #expect(
            try types("indicator_values")
                == "indicator_id text, area_code text, area_name text, area_level text, period text, period_type text, "
                + "breakdown text, breakdown_value text, numerator numeric, denominator numeric, value numeric, "
                + "ci_low numeric, ci_high numeric, change_abs numeric, change_pct numeric, moving_avg_3 numeric, "
                + "status text, note text, flags text, period_start date")
        #expect(try types("deliveries").contains("ingested_at timestamp with time zone, encoding text"))
        #expect(try types("deliveries").hasSuffix("message text"))
        // The follow-up joins the indicators; the analyst's view survived; the dashboard view has every series.
        #expect(
            try psql(
                "SELECT count(*) FROM \(schema).followup f JOIN \(schema).indicators i ON i.id = f.indicator_id")
                == String(followUps))
        #expect(try psql("SELECT count(*) FROM \(schema).analyst_view") == String(values))
        #expect(
            try psql(
                """
                SELECT count(*) FROM (SELECT DISTINCT indicator_id, area_code, period_type, breakdown, breakdown_value
                FROM \(schema).indicator_values) series
                """) == psql("SELECT count(*) FROM \(schema).indicator_values_latest"))
        #expect(
            try psql(
                """
                SELECT count(*) FROM \(schema).indicator_values
                WHERE period_start <> CASE period_type WHEN 'year' THEN (period || '-01-01')::date
                    WHEN 'month' THEN (period || '-01')::date WHEN 'week' THEN to_date(period, 'IYYY-"W"IW')
                    ELSE make_date(left(period, 4)::int, right(period, 1)::int * 3 - 2, 1) END
                """) == "0")
        #expect(try psql("SELECT count(*) FROM \(schema).indicator_values WHERE period_start IS NULL") == "0")
        #expect(
            try psql("SELECT obj_description('\(schema).indicator_values_latest'::regclass)").contains("latest period"))
        #expect(
            try psql(
                """
                SELECT string_agg(conrelid::regclass::text, ', ' ORDER BY conrelid::regclass::text)
                FROM pg_constraint WHERE contype = 'p' AND connamespace = '\(schema)'::regnamespace
                """)
                == [
                    "followup_history", "indicator_values", "indicators", "lagesbild_schema_version", "measure_effects",
                    "measure_followup", "plan_measures", "plan_problems",
                ].map { "\(schema).\($0)" }.joined(separator: ", "))
        // The action plan's follow-up (migration 3): every row, with declared types.
        let (measureRows, effectRows) = try database.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM measure_followup") ?? 0,
                try Int.fetchOne(db, sql: "SELECT count(*) FROM measure_effects") ?? 0
            )
        }
        #expect(measureRows > 0 && effectRows > 0)
        #expect(try psql("SELECT count(*) FROM \(schema).measure_followup") == String(measureRows))
        #expect(try psql("SELECT count(*) FROM \(schema).measure_effects") == String(effectRows))
        #expect(
            try types("followup_history")
                == "run_id bigint, published_at timestamp with time zone, target_id text, status text, "
                + "latest_period text, latest_value numeric, projected_value numeric")

        // The same workspace published again: nothing changes in PostgreSQL.
        let again = try CommandLineTool.run(
            ["run", "-p", pipeline, "--workspace", workspace, "--stage", "publish"], in: scratch.path,
            environment: environment)
        #expect(again.status == 0, "\(again.standardError)")
        #expect(try psql("SELECT count(*) FROM \(schema).lagesbild_runs") == "2")
    }

    @Test(.enabled("the test server asks lagesbild_test_password for its password") { try Self.passwordRoleIsSetUp() })
    func aRefusedPasswordExits77AndAMissingDatabase69() throws {
        let scratch = try ScratchFolder()
        try PostgresExitStatusTests.writePipeline(in: scratch, required: true)
        _ = try psql(
            """
            DO $$ BEGIN CREATE ROLE lagesbild_test_password LOGIN;
            EXCEPTION WHEN duplicate_object THEN NULL; END $$;
            ALTER ROLE lagesbild_test_password LOGIN PASSWORD 'rätt-lösenord';
            """)
        var wrongPassword = try #require(URLComponents(string: url))
        wrongPassword.user = "lagesbild_test_password"
        wrongPassword.password = "fel-lösenord"
        let refused = try CommandLineTool.run(
            ["run", "-p", "pipeline.yaml"], in: scratch.path,
            environment: ["LAGESBILD_PG_URL": try #require(wrongPassword.string)])
        #expect(refused.status == 77, "\(refused.standardError)")
        #expect(refused.standardError.contains("password authentication failed"))
        #expect(!FileManager.default.fileExists(atPath: scratch.file("ws/out/crimes.csv")))

        #expect(!refused.standardError.contains("fel-lösenord"))
        var missingDatabase = try #require(URLComponents(string: url))
        missingDatabase.path = "/no_such_database"
        let noDatabase = try CommandLineTool.run(
            ["run", "-p", "pipeline.yaml"], in: scratch.path,
            environment: ["LAGESBILD_PG_URL": try #require(missingDatabase.string)])
        #expect(noDatabase.status == 69, "\(noDatabase.standardError)")
        #expect(noDatabase.standardError.contains("no_such_database"))
    }

    static func passwordRoleIsSetUp() throws -> Bool {
        guard !url.isEmpty else { return false }
        return try psql(
            """
            SELECT count(*) FROM pg_hba_file_rules
            WHERE 'lagesbild_test_password' = ANY(user_name) AND auth_method <> 'trust'
            """) == "1"
    }
}

struct PSQLFailed: Error, CustomStringConvertible {
    var sql: String
    var description: String { "psql failed (its message is on standard error): \(sql)" }
}

/// CI must start the server: without it the PostgreSQL round trip would silently not run.
@Test(.enabled(if: ProcessInfo.processInfo.environment["CI"] == "true", "only CI must start the test server"))
func continuousIntegrationStartsTheTestPostgresServer() {
    let environment = ProcessInfo.processInfo.environment
    #expect(environment["LAGESBILD_TEST_PG_URL"] != nil, "CI=true but LAGESBILD_TEST_PG_URL is not set")
}
