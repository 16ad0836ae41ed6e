import LagesbildModel
import Logging
import PostgresNIO

/// What a publish did.
public enum PublishOutcome: Sendable, Equatable {
    /// The tables were replaced and a row added to `<schema>.lagesbild_runs`.
    case published(tables: Int, rows: Int)
    /// The latest published run has the same fingerprint: nothing was changed.
    case unchanged
}

/// Loads a run's tables into one PostgreSQL schema, in one transaction, so that dashboards reading the schema see
/// either the previous run or this one, never a mix.
///
/// In that transaction: a transaction-level advisory lock (concurrent publishers of one schema take turns), then
/// `lock_timeout` (``lockTimeout``, 10 s by default) so that a table locked by another session fails the publish instead of hanging
/// it; `CREATE SCHEMA` only when the schema does not exist; the schema ``migrations`` not yet recorded in
/// `<schema>.lagesbild_schema_version`; the run history `<schema>.lagesbild_runs`: if its latest row has the same
/// fingerprint and no migration ran, nothing else (``PublishOutcome/unchanged``). Otherwise each table is checked
/// against its declared columns, emptied with `DELETE` (readers keep seeing the old rows until the commit, and no
/// ownership is needed, unlike `TRUNCATE`), loaded with `COPY … FROM STDIN`, and a history row is inserted. Any
/// error rolls everything back. Tables are never dropped, so analysts' views on them and the grants on them stay.
///
/// What the loader role needs: `CONNECT` on the database; `USAGE` and `CREATE` on an existing schema (or `CREATE`
/// on the database, to create the schema). It owns the tables it creates; with no migration pending, `SELECT`,
/// `INSERT` and `DELETE` on them suffice.
public struct PostgresPublisher: Sendable {
    public let settings: PostgresSettings
    public let schema: String
    /// The schema's versions; every published table must be declared by one of them.
    public let migrations: [SchemaMigration]
    let logger: Logger

    /// Bytes of COPY data sent in one message.
    static let copyChunkSize = 256 * 1024
    static let runsTable = "lagesbild_runs"
    /// How long a statement of the publish waits for a lock another session holds (`lock_timeout`) before the
    /// publish fails with ``PostgresPublishError/unavailable(_:)``.
    public let lockTimeout: Duration

    public init(
        settings: PostgresSettings, schema: String, migrations: [SchemaMigration], lockTimeout: Duration = .seconds(10),
        logger: Logger
    ) {
        self.settings = settings
        self.schema = schema
        self.migrations = migrations
        self.lockTimeout = lockTimeout
        self.logger = logger
    }

    public func publish(runID: Int64, fingerprint: String, tables: [PublishedTable]) async throws -> PublishOutcome {
        try Self.validate(schema: schema, tables: tables)
        try Self.validate(migrations)
        let start = ContinuousClock.now
        logger.info(
            "Publishing to PostgreSQL",
            metadata: [
                "server": "\(settings)", "schema": "\(schema)", "run": "\(runID)", "tables": "\(tables.count)",
            ]
        )
        let connection = try await connect()
        let outcome: PublishOutcome
        do {
            outcome = try await connection.withTransaction(logger: logger) { connection in
                try await self.load(runID: runID, fingerprint: fingerprint, tables: tables, on: connection)
            }
        } catch {
            try? await connection.close()
            let described = Self.describe(error)
            logger.error(
                "PostgreSQL publish rolled back",
                metadata: ["schema": "\(schema)", "run": "\(runID)", "error": "\(described)"]
            )
            throw described
        }
        try? await connection.close()

        let elapsed = ContinuousClock.now - start
        switch outcome {
        case .unchanged:
            logger.info(
                "PostgreSQL already holds this run's data; nothing changed",
                metadata: ["schema": "\(schema)", "run": "\(runID)"]
            )
        case .published(let tableCount, let rows):
            logger.info(
                "Published to PostgreSQL",
                metadata: [
                    "schema": "\(schema)", "run": "\(runID)", "tables": "\(tableCount)", "rows": "\(rows)",
                    "seconds": "\(elapsed.secondsText)",
                ]
            )
        }
        return outcome
    }

    // MARK: - Steps

    private func load(
        runID: Int64,
        fingerprint: String,
        tables: [PublishedTable],
        on connection: PostgresConnection
    ) async throws -> PublishOutcome {
        let schemaSQL = "\"\(schema)\""
        let runsSQL = "\(schemaSQL).\"\(Self.runsTable)\""
        try await connection.query(
            "SELECT pg_advisory_xact_lock(hashtext(\("lagesbild publish " + schema)))", logger: logger)
        let milliseconds =
            lockTimeout.components.seconds * 1000 + lockTimeout.components.attoseconds / 1_000_000_000_000_000
        try await connection.query(
            "SET LOCAL lock_timeout TO \(unescaped: String(max(1, milliseconds)))", logger: logger)
        try await connection.query("SET LOCAL standard_conforming_strings TO on", logger: logger)
        try await createSchemaIfMissing(on: connection)
        // COPY names the table without a schema: search_path points it at ours, for this transaction only.
        try await connection.query("SET LOCAL search_path TO \(unescaped: schemaSQL)", logger: logger)
        try await connection.query("SET LOCAL TimeZone TO 'UTC'", logger: logger)
        let migrator = SchemaMigrator(schema: schema, connection: connection, logger: logger)
        let applied = try await migrator.migrate(migrations)
        if try await migrator.columns(of: Self.runsTable).isEmpty {
            try await connection.query(
                """
                CREATE TABLE \(unescaped: runsSQL) (
                    run_id bigint NOT NULL,
                    fingerprint text NOT NULL,
                    published_at timestamp with time zone NOT NULL DEFAULT clock_timestamp(),
                    tables integer NOT NULL,
                    "rows" bigint NOT NULL
                )
                """,
                logger: logger
            )
            try await connection.query(
                PostgresQuery(
                    unsafeSQL: "COMMENT ON TABLE \(runsSQL) IS "
                        + literal(
                            "Each load by lagesbild: its run id in the workspace, a fingerprint of the content, "
                                + "when, and how many tables and rows. The same content again adds no row.")),
                logger: logger)
        }
        let latest = try await connection.query(
            "SELECT fingerprint FROM \(unescaped: runsSQL) ORDER BY published_at DESC, run_id DESC LIMIT 1",
            logger: logger
        )
        for try await previous in latest.decode(String.self) where previous == fingerprint && applied.isEmpty {
            return .unchanged
        }

        var rowCount = 0
        for table in tables {
            try await check(table, migrator: migrator)
            try await connection.query(
                "DELETE FROM \(unescaped: schemaSQL).\"\(unescaped: table.name)\"", logger: logger)
            try await copy(table, on: connection)
            rowCount += table.rows.count
        }
        // clock_timestamp(), not now() (the transaction's start): taken under the advisory lock, so that a later
        // publish always has a later time and "latest" is the last one committed.
        try await connection.query(
            """
            INSERT INTO \(unescaped: runsSQL) (run_id, fingerprint, published_at, tables, "rows")
            VALUES (\(runID), \(fingerprint), clock_timestamp(), \(tables.count), \(Int64(rowCount)))
            """,
            logger: logger
        )
        return .published(tables: tables.count, rows: rowCount)
    }

    /// `CREATE SCHEMA` only when there is none of that name: a loader role without `CREATE` on the database can
    /// publish into a schema made for it.
    private func createSchemaIfMissing(on connection: PostgresConnection) async throws {
        let rows = try await connection.query(
            "SELECT count(*) FROM pg_catalog.pg_namespace WHERE nspname = \(schema)", logger: logger)
        var count: Int64 = 0
        for try await value in rows.decode(Int64.self) { count = value }
        guard count == 0 else { return }
        do {
            try await connection.query("CREATE SCHEMA \"\(unescaped: schema)\"", logger: logger)
        } catch {
            if case .refused(let message) = Self.describe(error) as? PostgresPublishError {
                throw PostgresPublishError.refused(
                    "\(message); the schema \(schema) does not exist and this role may not create it: create it for "
                        + "the loader (CREATE SCHEMA \(schema) AUTHORIZATION \(settings.user))")
            }
            throw error
        }
    }

    /// Checks that the schema has `table` with each of its columns, of its type.
    private func check(_ table: PublishedTable, migrator: SchemaMigrator) async throws {
        let existing = try await migrator.columns(of: table.name)
        guard !existing.isEmpty else { throw PostgresPublishError.undeclaredTable(table.name) }
        for column in table.columns {
            guard let found = existing.first(where: { $0.name == column.name }) else {
                throw PostgresPublishError.schemaMismatch(table: table.name, detail: "no column \(column.name)")
            }
            guard found.type == column.type.sqlType else {
                throw PostgresPublishError.schemaMismatch(
                    table: table.name,
                    detail: "column \(column.name) is \(found.type), published as \(column.type.sqlType)")
            }
        }
    }

    private func copy(_ table: PublishedTable, on connection: PostgresConnection) async throws {
        try await connection.copyFrom(table: table.name, columns: table.columns.map(\.name), logger: logger) { writer in
            var chunk = ""
            chunk.reserveCapacity(Self.copyChunkSize + 4096)
            for index in table.rows.indices {
                try CopyTextEncoder.appendRow(table.rows[index], of: table, rowNumber: index + 1, to: &chunk)
                if chunk.utf8.count >= Self.copyChunkSize {
                    try await writer.write(ByteBuffer(string: chunk))
                    chunk.removeAll(keepingCapacity: true)
                }
            }
            if !chunk.isEmpty {
                try await writer.write(ByteBuffer(string: chunk))
            }
        }
    }

    // MARK: - Connection

    func connect() async throws -> PostgresConnection {
        let configuration: PostgresConnection.Configuration
        do {
            configuration = try connectionConfiguration()
        } catch {
            throw PostgresPublishError.connection("TLS setup failed: \(error)")
        }
        do {
            return try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        } catch {
            switch Self.describe(error) {
            case PostgresPublishError.refused(let message):
                throw PostgresPublishError.refused("\(settings): \(message)")
            case PostgresPublishError.unavailable(let message):
                throw PostgresPublishError.unavailable("\(settings): \(message)")
            case PostgresPublishError.connection(let message):
                throw PostgresPublishError.connection("\(settings): \(message)")
            case let other: throw PostgresPublishError.connection("\(settings): \(other)")
            }
        }
    }

    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if settings.usesUnixSocket {
            configuration = .init(
                unixSocketPath: settings.unixSocketPath,
                username: settings.user,
                password: settings.password,
                database: settings.database
            )
        } else {
            let tls: PostgresConnection.Configuration.TLS
            switch settings.tls {
            case .disable:
                tls = .disable
            case .prefer:
                var unverified = TLSConfiguration.makeClientConfiguration()
                unverified.certificateVerification = .none
                tls = .prefer(try NIOSSLContext(configuration: unverified))
            case .require:
                tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
            configuration = .init(
                host: settings.host,
                port: settings.port,
                username: settings.user,
                password: settings.password,
                database: settings.database,
                tls: tls
            )
        }
        configuration.options.additionalStartupParameters = [
            ("client_encoding", "UTF8"), ("application_name", "lagesbild"),
        ]
        return configuration
    }

    // MARK: - Checks and errors

    static func validate(schema: String, tables: [PublishedTable]) throws(PostgresPublishError) {
        try SQLName.validate(schema, what: "schema")
        var tableNames: Set<String> = []
        for table in tables {
            try SQLName.validate(table.name, what: "table")
            guard table.name != runsTable else { throw .reservedName(table.name) }
            guard tableNames.insert(table.name).inserted else { throw .duplicateName(table.name, what: "table") }
            guard !table.columns.isEmpty else { throw .noColumns(table: table.name) }
            var columnNames: Set<String> = []
            for column in table.columns {
                try SQLName.validate(column.name, what: "column")
                guard columnNames.insert(column.name).inserted else {
                    throw .duplicateName("\(table.name).\(column.name)", what: "column")
                }
            }
        }
    }

    static func validate(_ migrations: [SchemaMigration]) throws(PostgresPublishError) {
        var versions: Set<Int> = []
        for migration in migrations {
            guard migration.version > 0, versions.insert(migration.version).inserted else {
                throw .duplicateName("migration version \(migration.version)", what: "migration")
            }
            for case .table(let table) in migration.steps {
                try SQLName.validate(table.name, what: "table")
                guard table.name != runsTable, table.name != SchemaMigrator.versionTable else {
                    throw .reservedName(table.name)
                }
                let names = table.columns.map(\.name)
                for name in names + table.primaryKey + table.indexes.flatMap({ $0 }) {
                    try SQLName.validate(name, what: "column")
                }
                for name in table.primaryKey + table.indexes.flatMap({ $0 }) where !names.contains(name) {
                    throw .invalidName(name, what: "key column of \(table.name)")
                }
            }
        }
    }

    /// The most telling error inside what postgres-nio threw: the transaction's cause, and a server error's own
    /// message (postgres-nio's `description` hides it).
    static func describe(_ error: any Error) -> any Error {
        if let transaction = error as? PostgresTransactionError {
            if let cause = transaction.closureError ?? transaction.commitError ?? transaction.beginError {
                return describe(cause)
            }
            return PostgresPublishError.server("transaction failed")
        }
        guard let postgres = error as? PSQLError else { return error }
        if let info = postgres.serverInfo {
            var message = info[.message] ?? "error"
            if let detail = info[.detail] { message += "; \(detail)" }
            if let context = info[.locationContext] { message += " (\(context))" }
            if let state = info[.sqlState] { message += " [SQLSTATE \(state)]" }
            return classify(message, sqlState: info[.sqlState] ?? "")
        }
        switch postgres.code {
        case .authMechanismRequiresPassword:
            return PostgresPublishError.refused("the server asks for a password and none is configured")
        case .unsupportedAuthMechanism, .saslError:
            return PostgresPublishError.refused("authentication failed: \(postgres.code)")
        case .connectionError, .serverClosedConnection, .uncleanShutdown, .sslUnsupported:
            let cause = postgres.underlying.map { ": \($0)" } ?? ""
            return PostgresPublishError.connection("\(postgres.code)\(cause)")
        default:
            if let underlying = postgres.underlying {
                return PostgresPublishError.server("\(postgres.code): \(underlying)")
            }
            return PostgresPublishError.server("\(postgres.code)")
        }
    }

    /// The error for a server's message by its SQLSTATE: refused credentials or privileges, an unavailable
    /// database or server, or any other server error. Personal identity numbers in the message (a rejected value
    /// quoted by COPY) are masked.
    static func classify(_ message: String, sqlState: String) -> PostgresPublishError {
        let message = PersonalNumberMask.mask(message)
        switch sqlState {
        case "42501": return .refused(message)
        case _ where sqlState.hasPrefix("28"): return .refused(message)
        case "3D000", "53300", "55P03", "57P01", "57P02", "57P03": return .unavailable(message)
        case _ where sqlState.hasPrefix("08"): return .unavailable(message)
        default: return .server(message)
        }
    }
}

extension Duration {
    fileprivate var secondsText: String {
        let (seconds, attoseconds) = components
        let milliseconds = attoseconds / 1_000_000_000_000_000
        return "\(seconds).\(String(milliseconds + 1000).dropFirst())"
    }
}
