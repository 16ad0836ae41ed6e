import Foundation
import Logging
import PostgresNIO
import Testing

@testable import PostgresOutput

/// The server the integration tests use: `eval "$(scripts/test-postgres.sh start)"` sets it.
enum TestServer {
    static let environment = ProcessInfo.processInfo.environment
    static let url = environment["LAGESBILD_TEST_PG_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let isConfigured = url != nil
    static let skipReason: Comment =
        "LAGESBILD_TEST_PG_URL is not set: run eval \"$(scripts/test-postgres.sh start)\" to run these tests"

    static func settings() throws -> PostgresSettings {
        try PostgresSettings.fromEnvironment(["LAGESBILD_PG_URL": url ?? ""])
    }

    static var logger: Logger {
        var logger = Logger(label: "lagesbild.test.postgres")
        logger.logLevel = .warning
        return logger
    }

    /// Runs `body` with a publisher on a schema of its own (so that tests can run in parallel), then drops it.
    static func withPublisher(
        _ label: String, migrations: [SchemaMigration] = TestSchema.migrations,
        _ body: (PostgresPublisher) async throws -> Void
    ) async throws {
        let schema = "test_\(label)_\(UInt32.random(in: 0...UInt32.max))"
        let publisher = PostgresPublisher(
            settings: try settings(), schema: schema, migrations: migrations, logger: logger)
        do {
            try await body(publisher)
        } catch {
            try? await dropSchema(publisher)
            throw error
        }
        try await dropSchema(publisher)
    }

    static func dropSchema(_ publisher: PostgresPublisher) async throws {
        try await admin("DROP SCHEMA IF EXISTS \(publisher.schema) CASCADE")
    }

    /// Runs statements as the test server's superuser, in order; returns the first column of the last one's rows as
    /// text.
    @discardableResult
    static func admin(_ statements: String...) async throws -> [String?] {
        let publisher = PostgresPublisher(settings: try settings(), schema: "unused", migrations: [], logger: logger)
        let connection = try await publisher.connect()
        do {
            var result: [String?] = []
            for sql in statements {
                result = []
                let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
                for try await row in rows {
                    result.append(try row.makeRandomAccess()[0].decode(String?.self))
                }
            }
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw PostgresPublisher.describe(error)
        }
    }
}

/// The test tables' schema: one migration declaring each with its published columns.
enum TestSchema {
    static func declare(_ tables: [PublishedTable], version: Int = 1) -> SchemaMigration {
        SchemaMigration(
            version: version, summary: "test tables",
            steps: tables.map { table in
                .table(
                    DeclaredTable(
                        name: table.name, comment: "Test table \(table.name).",
                        columns: table.columns.map { DeclaredColumn($0.name, $0.type, "Column \($0.name).") }))
            })
    }

    static let migrations = [
        declare([
            PublishIntegrationTests.kommuner, PublishIntegrationTests.measures([]), PublishIntegrationTests.tomt,
            PublishIntegrationTests.volume(0),
        ])
    ]
}

@Suite struct TestServerRequirement {
    @Test(.enabled(if: TestServer.environment["CI"] == "true", "only CI must start the test server"))
    func ciStartsTheTestServer() {
        #expect(
            TestServer.isConfigured,
            """
            CI=true but LAGESBILD_TEST_PG_URL is not set: .ci/run must run \
            eval "$(scripts/test-postgres.sh start)" before swift test
            """
        )
    }
}

@Suite(.enabled(if: TestServer.isConfigured, TestServer.skipReason))
struct PublishIntegrationTests {
    static let kommuner = PublishedTable(
        name: "kommuner",
        columns: [
            .init(name: "id", type: .integer), .init(name: "namn", type: .text), .init(name: "andel", type: .double),
            .init(name: "uppdaterad", type: .timestamp), .init(name: "antal", type: .integer),
        ],
        rows: [
            [.integer(1), .text("Göteborg"), .double(0.1), .text("2024-03-01 13:00:00+01"), .integer(Int64.max)],
            [
                .integer(2), .text("tab\there, newline\nthere, cr\r\n, back\\slash"), .double(-2.5e-8), .null,
                .integer(Int64.min),
            ],
            [.integer(3), .text("\\N"), .double(1e300), .text("2024-12-31"), .integer(0)],
            [.integer(4), .text(""), .double(.infinity), .null, .null],
            [.integer(5), .null, .double(-.infinity), .null, .integer(-1)],
            [.integer(6), .text("åäö ÅÄÖ é 😀 \\."), .integer(3), .null, .integer(42)],
            [.integer(7), .text("  spaces  "), .null, .null, .integer(9_007_199_254_740_993)],
        ]
    )

    static let kommunerReadBack: [[PublishedValue]] = [
        [.integer(1), .text("Göteborg"), .double(0.1), .text("2024-03-01T12:00:00Z"), .integer(Int64.max)],
        [
            .integer(2), .text("tab\there, newline\nthere, cr\r\n, back\\slash"), .double(-2.5e-8), .null,
            .integer(Int64.min),
        ],
        [.integer(3), .text("\\N"), .double(1e300), .text("2024-12-31T00:00:00Z"), .integer(0)],
        [.integer(4), .text(""), .double(.infinity), .null, .null],
        [.integer(5), .null, .double(-.infinity), .null, .integer(-1)],
        [.integer(6), .text("åäö ÅÄÖ é 😀 \\."), .double(3), .null, .integer(42)],
        [.integer(7), .text("  spaces  "), .null, .null, .integer(9_007_199_254_740_993)],
    ]

    static func volume(_ count: Int) -> PublishedTable {
        PublishedTable(
            name: "volym",
            columns: [
                .init(name: "id", type: .integer), .init(name: "kommun", type: .text),
                .init(name: "varde", type: .double), .init(name: "antal", type: .integer),
            ],
            rows: (0..<count).map {
                [
                    .integer(Int64($0)), .text("Kommun \($0 % 290)"), .double(Double($0) / 7),
                    .integer(Int64($0 * 3)),
                ]
            }
        )
    }

    static let tomt = PublishedTable(name: "tomt", columns: [.init(name: "id", type: .integer)], rows: [])

    static func measures(_ values: [Double]) -> PublishedTable {
        PublishedTable(
            name: "matt",
            columns: [.init(name: "id", type: .integer), .init(name: "varde", type: .double)],
            rows: values.enumerated().map { [.integer(Int64($0.offset)), .double($0.element)] }
        )
    }

    @Test func publishesTablesAndReadsBackEveryValue() async throws {
        try await TestServer.withPublisher("values") { publisher in
            let outcome = try await publisher.publish(
                runID: 1,
                fingerprint: "f1",
                tables: [Self.kommuner, Self.measures([1.5, 2.25]), Self.tomt]
            )
            #expect(outcome == .published(tables: 3, rows: 9))
            #expect(try await readBack(Self.kommuner, publisher) == Self.kommunerReadBack)
            #expect(
                try await readBack(Self.measures([]), publisher) == [
                    [.integer(0), .double(1.5)], [.integer(1), .double(2.25)],
                ])
            #expect(try await readBack(Self.tomt, publisher) == [])
            #expect(try await runs(publisher) == [Run(runID: 1, fingerprint: "f1", tables: 3, rows: 9)])
            #expect(
                try await columnTypes("kommuner", publisher)
                    == [
                        "id bigint", "namn text", "andel double precision", "uppdaterad timestamp with time zone",
                        "antal bigint",
                    ]
            )
        }
    }

    @Test func sameFingerprintChangesNothing() async throws {
        try await TestServer.withPublisher("unchanged") { publisher async throws in
            #expect(
                try await publisher.publish(runID: 1, fingerprint: "same", tables: [Self.measures([1])])
                    == .published(tables: 1, rows: 1))
            #expect(
                try await publisher.publish(runID: 2, fingerprint: "same", tables: [Self.measures([7, 8, 9])])
                    == .unchanged)
            #expect(
                try await publisher.publish(runID: 1, fingerprint: "same", tables: [Self.measures([1])]) == .unchanged)
            #expect(try await readBack(Self.measures([]), publisher) == [[.integer(0), .double(1)]])
            #expect(try await runs(publisher) == [Run(runID: 1, fingerprint: "same", tables: 1, rows: 1)])
        }
    }

    @Test func newFingerprintReplacesTheRowsExactly() async throws {
        try await TestServer.withPublisher("replace") { publisher in
            _ = try await publisher.publish(
                runID: 1, fingerprint: "a", tables: [Self.measures([1, 2, 3, 4]), Self.kommuner])
            let second = try await publisher.publish(
                runID: 2, fingerprint: "b", tables: [Self.measures([10, 20]), Self.kommuner])
            #expect(second == .published(tables: 2, rows: 9))
            #expect(
                try await readBack(Self.measures([]), publisher) == [
                    [.integer(0), .double(10)], [.integer(1), .double(20)],
                ])
            #expect(try await readBack(Self.kommuner, publisher) == Self.kommunerReadBack)
            #expect(
                try await runs(publisher) == [
                    Run(runID: 1, fingerprint: "a", tables: 2, rows: 11),
                    Run(runID: 2, fingerprint: "b", tables: 2, rows: 9),
                ]
            )
            // Going back to an earlier fingerprint is a change too.
            #expect(
                try await publisher.publish(runID: 3, fingerprint: "a", tables: [Self.measures([5])])
                    == .published(tables: 1, rows: 1))
            #expect(try await readBack(Self.measures([]), publisher) == [[.integer(0), .double(5)]])
        }
    }

    @Test func aNewMigrationChangesTheTableInPlace() async throws {
        try await TestServer.withPublisher("columns") { publisher in
            _ = try await publisher.publish(runID: 1, fingerprint: "a", tables: [Self.measures([1])])
            let wider = PublishedTable(
                name: "matt",
                columns: [
                    .init(name: "id", type: .integer), .init(name: "varde", type: .text),
                    .init(name: "ny", type: .integer),
                ],
                rows: [[.integer(1), .text("x"), .integer(2)]]
            )
            // Without a migration the publish refuses the changed columns, and changes nothing.
            await #expect(
                throws: PostgresPublishError.schemaMismatch(
                    table: "matt", detail: "column varde is double precision, published as text")
            ) {
                try await publisher.publish(runID: 2, fingerprint: "b", tables: [wider])
            }
            let migrated = PostgresPublisher(
                settings: publisher.settings, schema: publisher.schema,
                migrations: TestSchema.migrations + [TestSchema.declare([wider], version: 2)], logger: publisher.logger)
            _ = try await migrated.publish(runID: 2, fingerprint: "b", tables: [wider])
            #expect(try await columnTypes("matt", publisher) == ["id bigint", "varde text", "ny bigint"])
            #expect(try await readBack(wider, publisher) == wider.rows)
        }
    }

    @Test func failureMidPublishLeavesThePreviousState() async throws {
        try await TestServer.withPublisher("rollback") { publisher in
            _ = try await publisher.publish(
                runID: 1, fingerprint: "good", tables: [Self.kommuner, Self.measures([1, 2])])

            // The first table loads, then the second fails in the client: a row too short.
            var shortRow = Self.kommuner
            shortRow.rows.append([.integer(8)])
            await #expect(throws: PostgresPublishError.rowWidth(table: "kommuner", row: 8, expected: 5, actual: 1)) {
                try await publisher.publish(
                    runID: 2, fingerprint: "bad1", tables: [Self.measures([7, 7, 7]), shortRow])
            }
            // A value of the wrong kind, after another table was emptied and loaded.
            var fewer = Self.kommuner
            fewer.rows.removeLast(3)
            let wrongKind = PublishedTable(
                name: "matt", columns: Self.measures([]).columns, rows: [[.text("1"), .double(1)]])
            await #expect(
                throws: PostgresPublishError.invalidValue(
                    table: "matt",
                    row: 1,
                    column: "id",
                    reason: "text value in a integer column"
                )
            ) {
                try await publisher.publish(runID: 3, fingerprint: "bad2", tables: [fewer, wrongKind])
            }
            // The server refuses a value during COPY, after the other table was replaced.
            var badTimestamp = Self.kommuner
            badTimestamp.rows[2][3] = .text("inte ett datum")
            do {
                _ = try await publisher.publish(
                    runID: 4, fingerprint: "bad3", tables: [Self.measures([9, 9]), badTimestamp])
                Issue.record("a bad timestamp was accepted")
            } catch let error as PostgresPublishError {
                guard case .server(let message) = error else {
                    Issue.record("unexpected \(error)")
                    return
                }
                #expect(message.contains("inte ett datum"))
                #expect(message.contains("SQLSTATE 22007"))
            }

            #expect(try await readBack(Self.kommuner, publisher) == Self.kommunerReadBack)
            #expect(
                try await readBack(Self.measures([]), publisher) == [
                    [.integer(0), .double(1)], [.integer(1), .double(2)],
                ])
            #expect(try await columnTypes("matt", publisher) == ["id bigint", "varde double precision"])
            #expect(try await runs(publisher) == [Run(runID: 1, fingerprint: "good", tables: 2, rows: 9)])
            // And the next good run goes through.
            #expect(
                try await publisher.publish(runID: 5, fingerprint: "good2", tables: [Self.measures([3])])
                    == .published(tables: 1, rows: 1))
        }
    }

    @Test func concurrentPublishersOfOneSchemaTakeTurns() async throws {
        try await TestServer.withPublisher("concurrent") { publisher in
            try await withThrowingTaskGroup(of: PublishOutcome.self) { group in
                for run in 1...4 {
                    group.addTask {
                        try await publisher.publish(
                            runID: Int64(run), fingerprint: "f\(run)", tables: [Self.measures([Double(run)])])
                    }
                }
                for try await outcome in group {
                    #expect(outcome == .published(tables: 1, rows: 1))
                }
            }
            let history = try await runs(publisher)
            #expect(history.count == 4)
            let last = try #require(history.last)
            #expect(try await readBack(Self.measures([]), publisher) == [[.integer(0), .double(Double(last.runID))]])
        }
    }

    @Test(
        .enabled(if: TestServer.environment["LAGESBILD_TEST_PG_SOCKET_DIR"] != nil, "no LAGESBILD_TEST_PG_SOCKET_DIR")
    )
    func connectsThroughAUnixSocket() async throws {
        let tcp = try TestServer.settings()
        let settings = try PostgresSettings.fromEnvironment([
            "PGHOST": TestServer.environment["LAGESBILD_TEST_PG_SOCKET_DIR"] ?? "",
            "PGPORT": String(tcp.port), "PGUSER": tcp.user, "PGDATABASE": tcp.database, "HOME": "/nonexistent",
        ])
        #expect(settings.usesUnixSocket)
        let publisher = PostgresPublisher(
            settings: settings,
            schema: "test_socket_\(UInt32.random(in: 0...UInt32.max))",
            migrations: TestSchema.migrations,
            logger: Logger(label: "lagesbild.test.postgres")
        )
        #expect(
            try await publisher.publish(runID: 1, fingerprint: "s", tables: [Self.measures([4])])
                == .published(tables: 1, rows: 1)
        )
        #expect(try await readBack(Self.measures([]), publisher) == [[.integer(0), .double(4)]])
        try await TestServer.dropSchema(publisher)
    }

    @Test func connectionFailureIsClearAndHidesThePassword() async throws {
        let settings = PostgresSettings(host: "127.0.0.1", port: 1, user: "u", database: "d", password: "hemligt")
        let publisher = PostgresPublisher(
            settings: settings, schema: "s", migrations: [], logger: Logger(label: "test"))
        do {
            _ = try await publisher.publish(runID: 1, fingerprint: "f", tables: [Self.tomt])
            Issue.record("connected to port 1")
        } catch {
            guard case .connection = error as? PostgresPublishError else {
                Issue.record("not a connection error: \(error)")
                return
            }
            #expect("\(error)".contains("cannot connect to PostgreSQL"))
            #expect("\(error)".contains("127.0.0.1:1"))
            #expect(!"\(error)".contains("hemligt"))
        }
    }

    @Test func loadsManyRows() async throws {
        try await TestServer.withPublisher("volume") { publisher in
            let count = 200_000
            let table = Self.volume(count)
            var encoded = ""
            let encodeStart = ContinuousClock.now
            for (index, row) in table.rows.enumerated() {
                try CopyTextEncoder.appendRow(row, of: table, rowNumber: index + 1, to: &encoded)
            }
            let encodeSeconds = (ContinuousClock.now - encodeStart) / .seconds(1)
            print("PostgresOutput: encoded \(count) rows (\(encoded.utf8.count) bytes) in \(encodeSeconds) s")
            let start = ContinuousClock.now
            #expect(
                try await publisher.publish(runID: 1, fingerprint: "v", tables: [table])
                    == .published(tables: 1, rows: count))
            let seconds = (ContinuousClock.now - start) / .seconds(1)
            print("PostgresOutput: published \(count) rows in \(seconds) s, \(Int(Double(count) / seconds)) rows/s")
            let connection = try await publisher.connect()
            let rows = try await connection.query(
                "SELECT count(*), sum(id), sum(antal) FROM \(unescaped: publisher.schema).volym",
                logger: publisher.logger
            )
            for try await (rowCount, idSum, antalSum) in rows.decode((Int64, Decimal, Decimal).self) {
                #expect(rowCount == Int64(count))
                #expect(idSum == Decimal(count * (count - 1) / 2))
                #expect(antalSum == Decimal(3 * count * (count - 1) / 2))
            }
            try await connection.close()
        }
    }
}

// MARK: - Reading back

struct Run: Equatable {
    var runID: Int64
    var fingerprint: String
    var tables: Int32
    var rows: Int64
}

/// The table's rows ordered by the first column, each value read as its column type (timestamps as UTC ISO 8601).
func readBack(_ table: PublishedTable, _ publisher: PostgresPublisher) async throws -> [[PublishedValue]] {
    let selections = table.columns.map { column in
        switch column.type {
        case .timestamp: "to_char(\"\(column.name)\" AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
        case .date: "\"\(column.name)\"::text"
        case .numeric: "\"\(column.name)\"::double precision"
        default: "\"\(column.name)\""
        }
    }
    let connection = try await publisher.connect()
    do {
        let rows = try await connection.query(
            "SELECT \(unescaped: selections.joined(separator: ", ")) FROM \(unescaped: publisher.schema).\(unescaped: table.name) ORDER BY 1",
            logger: publisher.logger
        )
        var result: [[PublishedValue]] = []
        for try await row in rows {
            let cells = row.makeRandomAccess()
            var values: [PublishedValue] = []
            for (index, column) in table.columns.enumerated() {
                switch column.type {
                case .text, .timestamp, .date:
                    values.append(try cells[index].decode(String?.self).map(PublishedValue.text) ?? .null)
                case .integer:
                    values.append(try cells[index].decode(Int64?.self).map(PublishedValue.integer) ?? .null)
                case .double, .numeric:
                    values.append(try cells[index].decode(Double?.self).map(PublishedValue.double) ?? .null)
                }
            }
            result.append(values)
        }
        try await connection.close()
        return result
    } catch {
        try? await connection.close()
        throw error
    }
}

func runs(_ publisher: PostgresPublisher) async throws -> [Run] {
    let connection = try await publisher.connect()
    let rows = try await connection.query(
        "SELECT run_id, fingerprint, tables, \"rows\" FROM \(unescaped: publisher.schema).lagesbild_runs ORDER BY published_at, run_id",
        logger: publisher.logger
    )
    var result: [Run] = []
    for try await (runID, fingerprint, tables, rowCount) in rows.decode((Int64, String, Int32, Int64).self) {
        result.append(Run(runID: runID, fingerprint: fingerprint, tables: tables, rows: rowCount))
    }
    try await connection.close()
    return result
}

func columnTypes(_ table: String, _ publisher: PostgresPublisher) async throws -> [String] {
    let connection = try await publisher.connect()
    let rows = try await connection.query(
        """
        SELECT a.attname::text || ' ' || format_type(a.atttypid, a.atttypmod) FROM pg_catalog.pg_attribute a
        WHERE a.attrelid = to_regclass(\(publisher.schema + "." + table)) AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum
        """,
        logger: publisher.logger
    )
    var result: [String] = []
    for try await column in rows.decode(String.self) { result.append(column) }
    try await connection.close()
    return result
}
