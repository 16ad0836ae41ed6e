import GRDB

/// The workspace tables of `table_ends` and `texts` (one migration, kept apart from the others).
enum SourceNotesSchema {
    /// Registers the migration: `deliveries.lines_skipped` counts the lines after a table's end, and
    /// `observation_texts` keeps a source row's text attributes (ingest owns both).
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v13: lines skipped after a table's end, observation texts") { db in
            try db.execute(
                sql: """
                    ALTER TABLE deliveries ADD COLUMN lines_skipped INTEGER NOT NULL DEFAULT 0;
                    CREATE TABLE observation_texts (
                        delivery_id INTEGER NOT NULL,
                        line INTEGER NOT NULL,
                        name TEXT NOT NULL,
                        text TEXT NOT NULL,
                        PRIMARY KEY (delivery_id, line, name)
                    );
                    """)
        }
    }
}
