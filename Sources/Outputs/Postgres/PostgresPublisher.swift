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
/// In that transaction: `CREATE SCHEMA IF NOT EXISTS`, the run history table `<schema>.lagesbild_runs`; if its latest
/// row has the same fingerprint, nothing else (``PublishOutcome/unchanged``). Otherwise each table is created (or
/// dropped and created again when its columns changed), emptied with `DELETE` (readers keep seeing the old rows until
/// the commit, unlike after `TRUNCATE`), loaded with `COPY … FROM STDIN`, and a history row is inserted. Any error
/// rolls everything back. Tables of earlier runs that this run does not publish are left as they are.
///
/// Concurrent publishers of the same schema wait for each other (a transaction-level advisory lock).
public struct PostgresPublisher: Sendable {
    public let settings: PostgresSettings
    public let schema: String
    let logger: Logger

    /// Bytes of COPY data sent in one message.
    static let copyChunkSize = 256 * 1024
    static let runsTable = "lagesbild_runs"

    public init(settings: PostgresSettings, schema: String, logger: Logger) {
        self.settings = settings
        self.schema = schema
        self.logger = logger
    }

    public func publish(runID: Int64, fingerprint: String, tables: [PublishedTable]) async throws -> PublishOutcome {
        try Self.validate(schema: schema, tables: tables)
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
        try await connection.query("CREATE SCHEMA IF NOT EXISTS \(unescaped: schemaSQL)", logger: logger)
        // COPY names the table without a schema: search_path points it at ours, for this transaction only.
        try await connection.query("SET LOCAL search_path TO \(unescaped: schemaSQL)", logger: logger)
        try await connection.query("SET LOCAL TimeZone TO 'UTC'", logger: logger)
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS \(unescaped: runsSQL) (
                run_id bigint NOT NULL,
                fingerprint text NOT NULL,
                published_at timestamp with time zone NOT NULL DEFAULT clock_timestamp(),
                tables integer NOT NULL,
                "rows" bigint NOT NULL
            )
            """,
            logger: logger
        )
        let latest = try await connection.query(
            "SELECT fingerprint FROM \(unescaped: runsSQL) ORDER BY published_at DESC, run_id DESC LIMIT 1",
            logger: logger
        )
        for try await previous in latest.decode(String.self) where previous == fingerprint {
            return .unchanged
        }

        var rowCount = 0
        for table in tables {
            try await prepare(table, on: connection)
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

    /// Leaves `table` existing, empty and with exactly its columns.
    private func prepare(_ table: PublishedTable, on connection: PostgresConnection) async throws {
        let tableSQL = "\"\(schema)\".\"\(table.name)\""
        let rows = try await connection.query(
            """
            SELECT a.attname::text, format_type(a.atttypid, a.atttypmod)
            FROM pg_catalog.pg_attribute a
            WHERE a.attrelid = to_regclass(\(tableSQL)) AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum
            """,
            logger: logger
        )
        var existing: [String] = []
        for try await (name, type) in rows.decode((String, String).self) {
            existing.append("\(name) \(type)")
        }
        let wanted = table.columns.map { "\($0.name) \($0.type.sqlType)" }
        if existing == wanted {
            try await connection.query("DELETE FROM \(unescaped: tableSQL)", logger: logger)
            return
        }
        if !existing.isEmpty {
            logger.notice(
                "Columns changed: dropping and recreating the table",
                metadata: ["table": "\(schema).\(table.name)"]
            )
            try await connection.query("DROP TABLE \(unescaped: tableSQL)", logger: logger)
        }
        let columnsSQL = table.columns.map { "\"\($0.name)\" \($0.type.sqlType)" }.joined(separator: ", ")
        try await connection.query(
            "CREATE TABLE IF NOT EXISTS \(unescaped: tableSQL) (\(unescaped: columnsSQL))", logger: logger)
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
            throw PostgresPublishError.connection("\(settings): \(Self.describe(error))")
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
            return PostgresPublishError.server(message)
        }
        if let underlying = postgres.underlying {
            return PostgresPublishError.server("\(postgres.code): \(underlying)")
        }
        return PostgresPublishError.server("\(postgres.code)")
    }
}

extension Duration {
    fileprivate var secondsText: String {
        let (seconds, attoseconds) = components
        let milliseconds = attoseconds / 1_000_000_000_000_000
        return "\(seconds).\(String(milliseconds + 1000).dropFirst())"
    }
}
