import Logging
import PostgresNIO

/// Brings the target schema to the version of the migrations, inside the publisher's transaction, with
/// `search_path` set to the schema. Creates nothing that exists already, so that a loader role that owns its tables
/// but may not create anything needs no privilege it does not use.
struct SchemaMigrator {
    let schema: String
    let connection: PostgresConnection
    let logger: Logger

    static let versionTable = "lagesbild_schema_version"

    /// A column as the catalog has it.
    struct CatalogColumn: Equatable {
        var name: String
        /// As `format_type` spells it: `bigint`, `numeric`, `timestamp with time zone`, …
        var type: String
        var notNull: Bool
    }

    /// Creates the version table when missing, applies every migration above the recorded version in order, and
    /// returns the versions applied.
    func migrate(_ migrations: [SchemaMigration]) async throws -> [Int] {
        if try await columns(of: Self.versionTable).isEmpty {
            try await run(
                """
                CREATE TABLE \(Self.versionTable) (
                    version integer PRIMARY KEY,
                    summary text NOT NULL,
                    applied_at timestamp with time zone NOT NULL DEFAULT clock_timestamp()
                )
                """)
            try await run(
                "COMMENT ON TABLE \(Self.versionTable) IS "
                    + literal("Schema migrations applied by lagesbild to this schema, one row per version."))
        }
        var current = 0
        let rows = try await connection.query(
            "SELECT coalesce(max(version), 0) FROM \(unescaped: Self.versionTable)", logger: logger)
        for try await version in rows.decode(Int.self) { current = version }
        let known = migrations.map(\.version).max() ?? 0
        guard current <= known else {
            throw PostgresPublishError.schemaTooNew(schema: schema, version: current, known: known)
        }
        var applied: [Int] = []
        for migration in migrations.sorted(by: { $0.version < $1.version }) where migration.version > current {
            logger.notice(
                "Migrating the PostgreSQL schema",
                metadata: [
                    "schema": "\(schema)", "version": "\(migration.version)", "summary": "\(migration.summary)",
                ])
            for step in migration.steps {
                switch step {
                case .table(let table): try await apply(table)
                case .sql(let sql): try await run(sql)
                }
            }
            try await connection.query(
                """
                INSERT INTO \(unescaped: Self.versionTable) (version, summary)
                VALUES (\(migration.version), \(migration.summary))
                """,
                logger: logger
            )
            applied.append(migration.version)
        }
        return applied
    }

    /// Creates `table`, or brings the existing table of that name to it in place; see ``SchemaMigration/Step/table(_:)``.
    func apply(_ table: DeclaredTable) async throws {
        let existing = try await columns(of: table.name)
        let name = quoted(table.name)
        if existing.isEmpty {
            var parts = table.columns.map { "\(quoted($0.name)) \($0.type.sqlType)\($0.nullable ? "" : " NOT NULL")" }
            if !table.primaryKey.isEmpty { parts.append("PRIMARY KEY (\(list(table.primaryKey)))") }
            try await run("CREATE TABLE \(name) (\n    \(parts.joined(separator: ",\n    "))\n)")
        } else {
            try await adopt(table, existing: existing)
        }
        for columns in table.indexes {
            let index = "\(table.name)_by_\(columns.joined(separator: "_"))"
            try SQLName.validate(index, what: "index")
            try await run("CREATE INDEX IF NOT EXISTS \(quoted(index)) ON \(name) (\(list(columns)))")
        }
        try await run("COMMENT ON TABLE \(name) IS \(literal(table.comment))")
        for column in table.columns {
            try await run("COMMENT ON COLUMN \(name).\(quoted(column.name)) IS \(literal(column.comment))")
        }
    }

    /// Changes an existing table's columns to the definition with one `ALTER TABLE`: types by `USING` casts (through
    /// text, an empty text becoming NULL), `NOT NULL`, missing columns, and the primary key when it has none.
    private func adopt(_ table: DeclaredTable, existing: [CatalogColumn]) async throws {
        var actions: [String] = []
        var retyped: [String] = []
        for column in table.columns {
            let name = quoted(column.name)
            guard let found = existing.first(where: { $0.name == column.name }) else {
                actions.append("ADD COLUMN \(name) \(column.type.sqlType)\(column.nullable ? "" : " NOT NULL")")
                continue
            }
            if found.type != column.type.sqlType {
                let cast =
                    column.type == .text
                    ? "\(name)::text" : "NULLIF(btrim(\(name)::text), '')::\(column.type.sqlType)"
                actions.append("ALTER COLUMN \(name) TYPE \(column.type.sqlType) USING \(cast)")
                retyped.append(column.name)
            }
            if !column.nullable, !found.notNull { actions.append("ALTER COLUMN \(name) SET NOT NULL") }
            if column.nullable, found.notNull { actions.append("ALTER COLUMN \(name) DROP NOT NULL") }
        }
        if !table.primaryKey.isEmpty, try await !hasPrimaryKey(table.name) {
            actions.append("ADD PRIMARY KEY (\(list(table.primaryKey)))")
        }
        guard !actions.isEmpty else { return }
        let views = try await viewsUsing(table.name, columns: retyped)
        guard views.isEmpty else {
            throw PostgresPublishError.schemaMismatch(
                table: table.name,
                detail: "the types of \(retyped.joined(separator: ", ")) must change, and views use them: "
                    + "\(views.joined(separator: ", ")). Drop those views, publish, and create them again")
        }
        logger.notice(
            "Changing an existing table to its declared columns",
            metadata: ["table": "\(schema).\(table.name)", "changes": "\(actions.joined(separator: "; "))"]
        )
        try await run("ALTER TABLE \(quoted(table.name)) \(actions.joined(separator: ", "))")
    }

    // MARK: - Catalog

    /// The table's columns in order; empty when there is no such table.
    func columns(of table: String) async throws -> [CatalogColumn] {
        let rows = try await connection.query(
            """
            SELECT a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull
            FROM pg_catalog.pg_attribute a
            WHERE a.attrelid = to_regclass(\(qualified(table))) AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum
            """,
            logger: logger
        )
        var result: [CatalogColumn] = []
        for try await (name, type, notNull) in rows.decode((String, String, Bool).self) {
            result.append(CatalogColumn(name: name, type: type, notNull: notNull))
        }
        return result
    }

    private func hasPrimaryKey(_ table: String) async throws -> Bool {
        let rows = try await connection.query(
            """
            SELECT count(*) FROM pg_catalog.pg_constraint
            WHERE conrelid = to_regclass(\(qualified(table))) AND contype = 'p'
            """,
            logger: logger
        )
        var count: Int64 = 0
        for try await value in rows.decode(Int64.self) { count = value }
        return count > 0
    }

    /// Views (of any schema) that use one of `columns` of `table`: PostgreSQL refuses to change those columns' types.
    private func viewsUsing(_ table: String, columns: [String]) async throws -> [String] {
        guard !columns.isEmpty else { return [] }
        let rows = try await connection.query(
            """
            SELECT DISTINCT format('%I.%I', n.nspname, view.relname)
            FROM pg_catalog.pg_depend d
            JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid
            JOIN pg_catalog.pg_class view ON view.oid = r.ev_class
            JOIN pg_catalog.pg_namespace n ON n.oid = view.relnamespace
            JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
            WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.refobjid = to_regclass(\(qualified(table)))
                AND view.oid <> d.refobjid AND a.attname::text = ANY(\(columns))
            ORDER BY 1
            """,
            logger: logger
        )
        var result: [String] = []
        for try await view in rows.decode(String.self) { result.append(view) }
        return result
    }

    // MARK: - SQL text

    private func run(_ sql: String) async throws {
        try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
    }

    /// `"schema"."table"`, for `to_regclass`.
    private func qualified(_ table: String) -> String { "\(quoted(schema)).\(quoted(table))" }

    private func quoted(_ name: String) -> String { "\"\(name)\"" }

    private func list(_ names: [String]) -> String { names.map(quoted).joined(separator: ", ") }
}

/// A string literal for statements that take no parameters (`COMMENT ON`), with `standard_conforming_strings` on
/// (the publisher sets it): quotes doubled, backslashes as they are.
func literal(_ text: String) -> String {
    var output = "'"
    for character in text {
        output.append(character == "'" ? "''" : String(character))
    }
    return output + "'"
}
