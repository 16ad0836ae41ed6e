/// A table as a migration declares it: its columns with their PostgreSQL types, its primary key and indexes, and
/// the comments analysts see in their tools (`\d+` in psql, the column descriptions of Power BI or Metabase).
public struct DeclaredTable: Sendable, Equatable {
    public var name: String
    /// `COMMENT ON TABLE`: what a row is, in plain words.
    public var comment: String
    public var columns: [DeclaredColumn]
    /// The primary key's columns; empty for a table without a natural key.
    public var primaryKey: [String]
    /// Further indexes, each a list of columns, named `<table>_by_<first column>`.
    public var indexes: [[String]]

    public init(
        name: String, comment: String, columns: [DeclaredColumn], primaryKey: [String] = [], indexes: [[String]] = []
    ) {
        self.name = name
        self.comment = comment
        self.columns = columns
        self.primaryKey = primaryKey
        self.indexes = indexes
    }

    /// The columns as a ``PublishedTable`` of this table has them.
    public var publishedColumns: [PublishedColumn] { columns.map { PublishedColumn(name: $0.name, type: $0.type) } }
}

/// One column of a ``DeclaredTable``.
public struct DeclaredColumn: Sendable, Equatable {
    public var name: String
    public var type: PublishedColumn.ColumnType
    /// Whether the column may hold NULL; `false` adds `NOT NULL`.
    public var nullable: Bool
    /// `COMMENT ON COLUMN`: what the value means, with its unit where it has one.
    public var comment: String

    public init(_ name: String, _ type: PublishedColumn.ColumnType, nullable: Bool = true, _ comment: String) {
        self.name = name
        self.type = type
        self.nullable = nullable
        self.comment = comment
    }
}

/// One version of the target schema. The publisher applies, in one transaction with the load, every migration
/// whose version is above the one recorded in `<schema>.lagesbild_schema_version`, and records it there.
///
/// A migration never changes once released: a later change to the tables is a new migration. Migrations never drop
/// a table an analyst can see, so views built on the tables and the grants given on them survive.
public struct SchemaMigration: Sendable, Equatable {
    public enum Step: Sendable, Equatable {
        /// Creates the table; or, when a table of that name exists (made by a version of lagesbild that guessed the
        /// types from the data), brings it to this definition in place: adds the missing columns, changes column
        /// types with `ALTER COLUMN … TYPE … USING` casts, sets `NOT NULL`, adds the primary key when it has none
        /// and creates the indexes. Sets the comments in both cases. Columns it does not declare are left alone.
        case table(DeclaredTable)
        /// Runs one SQL statement with `search_path` set to the target schema, so names need no schema.
        case sql(String)
    }

    /// From 1, increasing by 1.
    public var version: Int
    /// What the migration does, recorded in `lagesbild_schema_version`.
    public var summary: String
    public var steps: [Step]

    public init(version: Int, summary: String, steps: [Step]) {
        self.version = version
        self.summary = summary
        self.steps = steps
    }

}
