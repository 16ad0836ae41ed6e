import Foundation
import Logging
import PostgresNIO
import Testing

@testable import PostgresOutput

/// What the server's errors become: the exit status depends on it.
@Suite struct ErrorClassificationTests {
    @Test(arguments: [
        ("28P01", PostgresPublishError.refused("m")), ("28000", .refused("m")), ("42501", .refused("m")),
        ("3D000", .unavailable("m")), ("08006", .unavailable("m")), ("57P03", .unavailable("m")),
        ("53300", .unavailable("m")), ("55P03", .unavailable("m")), ("22007", .server("m")), ("", .server("m")),
    ])
    func sqlStates(_ state: String, _ expected: PostgresPublishError) {
        #expect(PostgresPublisher.classify("m", sqlState: state) == expected)
    }

    @Test func personalIdentityNumbersInServerMessagesAreMasked() {
        let error = PostgresPublisher.classify("invalid input syntax: \"19121212-1212\"", sqlState: "22P02")
        #expect(!"\(error)".contains("1212-1212"))
    }

    @Test func migrationsAreChecked() {
        let table = DeclaredTable(
            name: "t", comment: "c", columns: [DeclaredColumn("a", .text, "c")], primaryKey: ["b"])
        #expect(throws: PostgresPublishError.invalidName("b", what: "key column of t")) {
            try PostgresPublisher.validate([SchemaMigration(version: 1, summary: "s", steps: [.table(table)])])
        }
        let runs = DeclaredTable(name: "lagesbild_runs", comment: "c", columns: [DeclaredColumn("a", .text, "c")])
        #expect(throws: PostgresPublishError.reservedName("lagesbild_runs")) {
            try PostgresPublisher.validate([SchemaMigration(version: 1, summary: "s", steps: [.table(runs)])])
        }
        #expect(throws: PostgresPublishError.duplicateName("migration version 1", what: "migration")) {
            try PostgresPublisher.validate([
                SchemaMigration(version: 1, summary: "a", steps: []),
                SchemaMigration(version: 1, summary: "b", steps: []),
            ])
        }
    }

    @Test func literalsDoubleTheirQuotes() {
        #expect(literal("indicator's \\ value") == "'indicator''s \\ value'")
    }
}

/// Migrations, views, grants and roles against the real test server.
@Suite(.enabled(if: TestServer.isConfigured, TestServer.skipReason))
struct SchemaMigrationTests {
    static let measures = PublishIntegrationTests.measures([])

    /// `matt` with a new column: a second migration adds it in place.
    static let wider = PublishedTable(
        name: "matt",
        columns: measures.columns + [.init(name: "ny", type: .text)],
        rows: [[.integer(0), .double(5), .text("x")], [.integer(1), .double(6), .null]]
    )

    func role(_ label: String) -> String { "test_\(label)_\(UInt32.random(in: 0...UInt32.max))" }

    @Test func analystViewsAndReadOnlyGrantsSurviveAPublishAndAMigration() async throws {
        let reader = role("reader")
        try await TestServer.withPublisher("grants") { publisher in
            let schema = publisher.schema
            _ = try await publisher.publish(
                runID: 1, fingerprint: "a", tables: [PublishIntegrationTests.measures([1, 2])])
            try await TestServer.admin(
                "CREATE ROLE \(reader) NOLOGIN", "GRANT USAGE ON SCHEMA \(schema) TO \(reader)",
                "GRANT SELECT ON ALL TABLES IN SCHEMA \(schema) TO \(reader)",
                "CREATE VIEW \(schema).analys AS SELECT id, varde * 2 AS dubbel FROM \(schema).matt",
                "GRANT SELECT ON \(schema).analys TO \(reader)")

            // New data, and a migration that adds a column.
            let migrated = PostgresPublisher(
                settings: publisher.settings, schema: schema,
                migrations: TestSchema.migrations + [TestSchema.declare([Self.wider], version: 2)],
                logger: TestServer.logger)
            #expect(
                try await migrated.publish(runID: 2, fingerprint: "b", tables: [Self.wider])
                    == .published(tables: 1, rows: 2))
            #expect(
                try await TestServer.admin(
                    "SET ROLE \(reader)",
                    "SELECT string_agg(dubbel::text, ',' ORDER BY id) FROM \(schema).analys") == ["10,12"])
            #expect(
                try await TestServer.admin(
                    "SELECT has_table_privilege('\(reader)', '\(schema).matt', 'SELECT')::text") == ["true"])
            #expect(
                try await TestServer.admin(
                    "SELECT string_agg(version::text, ',') FROM \(schema).lagesbild_schema_version")
                    == ["1,2"])
            try await TestServer.admin("DROP OWNED BY \(reader)", "DROP ROLE \(reader)")
        }
    }

    @Test func aViewOnAColumnWhoseTypeMustChangeStopsTheMigrationWithItsName() async throws {
        try await TestServer.withPublisher("viewtype") { publisher in
            let schema = publisher.schema
            _ = try await publisher.publish(runID: 1, fingerprint: "a", tables: [PublishIntegrationTests.measures([1])])
            try await TestServer.admin("CREATE VIEW \(schema).analys AS SELECT varde FROM \(schema).matt")
            var numeric = PublishIntegrationTests.measures([3])
            numeric.columns[1].type = .numeric
            let migrated = PostgresPublisher(
                settings: publisher.settings, schema: schema,
                migrations: TestSchema.migrations + [TestSchema.declare([numeric], version: 2)],
                logger: TestServer.logger)
            do {
                _ = try await migrated.publish(runID: 2, fingerprint: "b", tables: [numeric])
                Issue.record("the type changed under a view")
            } catch let PostgresPublishError.schemaMismatch(table, detail) {
                #expect(table == "matt")
                #expect(detail.contains("\(schema).analys"))
                #expect(detail.contains("varde"))
            }
            #expect(try await columnTypes("matt", publisher) == ["id bigint", "varde double precision"])
            #expect(try await readBack(PublishIntegrationTests.measures([]), publisher) == [[.integer(0), .double(1)]])
        }
    }

    @Test func migratesATableOfTheOldStyleInPlace() async throws {
        let declared = DeclaredTable(
            name: "matt", comment: "Mätningar.",
            columns: [
                DeclaredColumn("id", .integer, nullable: false, "Id."), DeclaredColumn("varde", .numeric, "Värde."),
                DeclaredColumn("notering", .text, "Alltid tom."), DeclaredColumn("antal", .numeric, "Antal."),
                DeclaredColumn("datum", .date, "Ny kolumn."),
            ],
            primaryKey: ["id"], indexes: [["antal"]])
        let migrations = [SchemaMigration(version: 1, summary: "declared", steps: [.table(declared)])]
        try await TestServer.withPublisher("legacy", migrations: migrations) { publisher in
            let schema = publisher.schema
            // What the previous version made: types guessed from the data (an all-NULL column became bigint).
            try await TestServer.admin(
                "CREATE SCHEMA \(schema)",
                "CREATE TABLE \(schema).matt (id bigint, varde bigint, notering bigint, antal text)",
                "INSERT INTO \(schema).matt VALUES (1, 7, NULL, '5'), (2, NULL, NULL, ''), (3, 8, NULL, ' 2.5 ')",
                """
                CREATE TABLE \(schema).lagesbild_runs (run_id bigint NOT NULL, fingerprint text NOT NULL,
                    published_at timestamp with time zone NOT NULL DEFAULT clock_timestamp(), tables integer NOT NULL,
                    "rows" bigint NOT NULL)
                """,
                "INSERT INTO \(schema).lagesbild_runs (run_id, fingerprint, tables, \"rows\") VALUES (1, 'same', 1, 3)",
                "CREATE VIEW \(schema).analys AS SELECT id FROM \(schema).matt")
            let table = PublishedTable(
                name: "matt", columns: declared.publishedColumns,
                rows: [
                    [.integer(1), .double(0.5), .null, .integer(4), .text("2024-01-01")],
                    [.integer(2), .null, .null, .null, .null],
                ])
            // The same fingerprint as the old load: the migration still makes it load again.
            #expect(
                try await publisher.publish(runID: 2, fingerprint: "same", tables: [table])
                    == .published(tables: 1, rows: 2))
            #expect(
                try await columnTypes("matt", publisher) == [
                    "id bigint", "varde numeric", "notering text", "antal numeric", "datum date",
                ])
            #expect(
                try await readBack(table, publisher) == [
                    [.integer(1), .double(0.5), .null, .double(4), .text("2024-01-01")],
                    [.integer(2), .null, .null, .null, .null],
                ])
            #expect(try await TestServer.admin("SELECT count(*)::text FROM \(schema).analys") == ["2"])
            #expect(
                try await TestServer.admin(
                    "SELECT string_agg(contype::text, ',') FROM pg_constraint WHERE conrelid = '\(schema).matt'::regclass"
                ) == ["p"])
            #expect(
                try await TestServer.admin(
                    "SELECT indexname::text FROM pg_indexes WHERE schemaname = '\(schema)' AND indexname LIKE '%antal'")
                    == ["matt_by_antal"])
            #expect(try await TestServer.admin("SELECT obj_description('\(schema).matt'::regclass)") == ["Mätningar."])
            #expect(
                try await TestServer.admin("SELECT col_description('\(schema).matt'::regclass, 3)") == ["Alltid tom."])
            #expect(try await runs(publisher).map(\.fingerprint) == ["same", "same"])
            // Now at version 1: the same content again changes nothing.
            #expect(try await publisher.publish(runID: 3, fingerprint: "same", tables: [table]) == .unchanged)
        }
    }

    @Test func anAllNullColumnKeepsItsDeclaredType() async throws {
        let table = PublishedTable(
            name: "tomma",
            columns: [
                .init(name: "id", type: .integer), .init(name: "tal", type: .numeric), .init(name: "text", type: .text),
                .init(name: "dag", type: .date), .init(name: "tid", type: .timestamp),
            ],
            rows: [[.integer(1), .null, .null, .null, .null], [.integer(2), .null, .null, .null, .null]])
        try await TestServer.withPublisher("nulls", migrations: [TestSchema.declare([table])]) { publisher in
            _ = try await publisher.publish(runID: 1, fingerprint: "a", tables: [table])
            #expect(
                try await columnTypes("tomma", publisher) == [
                    "id bigint", "tal numeric", "text text", "dag date", "tid timestamp with time zone",
                ])
        }
    }

    @Test func aLeastPrivilegeLoaderPublishesIntoASchemaMadeForIt() async throws {
        let loader = role("loader")
        let schema = role("schema")
        let missing = role("missing")
        try await TestServer.admin(
            "CREATE ROLE \(loader) LOGIN", "CREATE SCHEMA \(schema)",
            "GRANT USAGE, CREATE ON SCHEMA \(schema) TO \(loader)")
        do {
            var settings = try TestServer.settings()
            settings.user = loader
            let publisher = PostgresPublisher(
                settings: settings, schema: schema, migrations: TestSchema.migrations, logger: TestServer.logger)
            #expect(
                try await TestServer.admin(
                    "SELECT has_database_privilege('\(loader)', current_database(), 'CREATE')::text") == ["false"])
            for run in 1...2 {
                #expect(
                    try await publisher.publish(
                        runID: Int64(run), fingerprint: "f\(run)",
                        tables: [PublishIntegrationTests.measures([Double(run)])])
                        == .published(tables: 1, rows: 1))
            }
            #expect(try await readBack(PublishIntegrationTests.measures([]), publisher) == [[.integer(0), .double(2)]])

            // A schema that is not there, and that the loader may not create: refused, saying what to do.
            let elsewhere = PostgresPublisher(
                settings: settings, schema: missing, migrations: TestSchema.migrations, logger: TestServer.logger)
            do {
                _ = try await elsewhere.publish(runID: 3, fingerprint: "x", tables: [PublishIntegrationTests.tomt])
                Issue.record("a loader without CREATE on the database created a schema")
            } catch let PostgresPublishError.refused(message) {
                #expect(message.contains("CREATE SCHEMA \(missing) AUTHORIZATION \(loader)"))
                #expect(message.contains("42501"))
            }
        } catch {
            Issue.record("\(error)")
        }
        try await TestServer.admin("DROP SCHEMA \(schema) CASCADE", "DROP OWNED BY \(loader)", "DROP ROLE \(loader)")
    }

    @Test func aTableLockedByAnotherSessionTimesOutAsUnavailable() async throws {
        try await TestServer.withPublisher("locked") { publisher in
            _ = try await publisher.publish(runID: 1, fingerprint: "a", tables: [PublishIntegrationTests.measures([1])])
            let holder = try await publisher.connect()
            try await holder.query("BEGIN", logger: TestServer.logger)
            try await holder.query(
                "LOCK TABLE \(unescaped: publisher.schema).matt IN ACCESS EXCLUSIVE MODE", logger: TestServer.logger)
            let impatient = PostgresPublisher(
                settings: publisher.settings, schema: publisher.schema, migrations: publisher.migrations,
                lockTimeout: .milliseconds(300), logger: TestServer.logger)
            do {
                _ = try await impatient.publish(
                    runID: 2, fingerprint: "b", tables: [PublishIntegrationTests.measures([2])])
                Issue.record("published into a locked table")
            } catch let PostgresPublishError.unavailable(message) {
                #expect(message.contains("55P03"))
            }
            try await holder.query("ROLLBACK", logger: TestServer.logger)
            try await holder.close()
            #expect(try await readBack(PublishIntegrationTests.measures([]), publisher) == [[.integer(0), .double(1)]])
        }
    }

    @Test func anUnknownRoleIsRefusedAndAMissingDatabaseIsUnavailable() async throws {
        var unknown = try TestServer.settings()
        unknown.user = role("nobody")
        let refused = PostgresPublisher(settings: unknown, schema: "s", migrations: [], logger: TestServer.logger)
        let refusedError = await #expect(throws: PostgresPublishError.self) {
            try await refused.publish(runID: 1, fingerprint: "f", tables: [])
        }
        guard case .refused(let refusal) = refusedError else {
            Issue.record("not refused: \(String(describing: refusedError))")
            return
        }
        #expect(refusal.contains("28000"))
        var noDatabase = try TestServer.settings()
        noDatabase.database = "no_such_database"
        let unavailable = PostgresPublisher(
            settings: noDatabase, schema: "s", migrations: [], logger: TestServer.logger)
        let unavailableError = await #expect(throws: PostgresPublishError.self) {
            try await unavailable.publish(runID: 1, fingerprint: "f", tables: [])
        }
        guard case .unavailable(let message) = unavailableError else {
            Issue.record("not unavailable: \(String(describing: unavailableError))")
            return
        }
        #expect(message.contains("3D000") && message.contains("no_such_database"))
    }

    @Test(
        .enabled("the test server asks lagesbild_test_password for its password") { try await PasswordRole.isSetUp() })
    func aWrongPasswordIsRefusedWithoutShowingIt() async throws {
        try await PasswordRole.create()
        var settings = try TestServer.settings()
        settings.user = PasswordRole.name
        settings.password = "fel-lösenord"
        let publisher = PostgresPublisher(settings: settings, schema: "s", migrations: [], logger: TestServer.logger)
        do {
            _ = try await publisher.publish(runID: 1, fingerprint: "f", tables: [])
            Issue.record("a wrong password was accepted")
        } catch let PostgresPublishError.refused(message) {
            #expect(message.contains("password authentication failed"))
            #expect(!message.contains("fel-lösenord"))
        }
        settings.password = PasswordRole.password
        let right = PostgresPublisher(
            settings: settings, schema: "test_password_\(UInt32.random(in: 0...UInt32.max))", migrations: [],
            logger: TestServer.logger)
        #expect(try await right.publish(runID: 1, fingerprint: "f", tables: []) == .published(tables: 0, rows: 0))
        try await TestServer.dropSchema(right)
    }
}

/// The role that `scripts/test-postgres.sh` makes log in with a password (scram-sha-256); trust for every other.
enum PasswordRole {
    static let name = "lagesbild_test_password"
    static let password = "rätt-lösenord"

    static func isSetUp() async throws -> Bool {
        guard TestServer.isConfigured else { return false }
        let rules = try await TestServer.admin(
            "SELECT count(*)::text FROM pg_hba_file_rules WHERE '\(name)' = ANY(user_name) AND auth_method <> 'trust'")
        return rules == ["1"]
    }

    /// Creates the role with ``password`` (both tests that use it may run at once).
    static func create() async throws {
        try await TestServer.admin(
            """
            DO $$ BEGIN CREATE ROLE \(name) LOGIN CREATEDB;
            EXCEPTION WHEN duplicate_object THEN NULL; END $$
            """,
            "ALTER ROLE \(name) LOGIN PASSWORD '\(password)'", "GRANT CREATE ON DATABASE postgres TO \(name)")
    }
}
