import GRDB

/// The workspace tables of the report's maps (one migration, kept apart from the others): the boundary
/// files read, each area's simplified geometry, and events counted in grid squares.
enum MapSchema {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v16: map boundaries and event grid") { db in
            try db.execute(
                sql: """
                    -- One row per boundary file read: which file (and its SHA-256), how many areas, the
                    -- simplification tolerance in metres and who made the boundaries.
                    CREATE TABLE map_boundaries (
                        area_level TEXT PRIMARY KEY,
                        file TEXT NOT NULL,
                        sha256 TEXT NOT NULL,
                        attribution TEXT,
                        features INTEGER NOT NULL,
                        tolerance_m REAL NOT NULL,
                        read_at TEXT NOT NULL
                    );
                    -- Each area's geometry, simplified: little-endian WKB MultiPolygon in SWEREF 99 TM metres.
                    CREATE TABLE map_areas (
                        area_level TEXT NOT NULL,
                        code TEXT NOT NULL,
                        feature TEXT NOT NULL,
                        geometry BLOB NOT NULL,
                        points_read INTEGER NOT NULL,
                        points_kept INTEGER NOT NULL,
                        PRIMARY KEY (area_level, code)
                    );
                    -- Events per square of SCB's grid (square id: easting and northing of the lower-left
                    -- corner, 6 + 7 digits); `events` is NULL where the count is below the disclosure
                    -- threshold (suppressed, never drawn).
                    CREATE TABLE map_grid (
                        source_id TEXT NOT NULL,
                        year INTEGER NOT NULL,
                        size INTEGER NOT NULL,
                        square TEXT NOT NULL,
                        x INTEGER NOT NULL,
                        y INTEGER NOT NULL,
                        events INTEGER,
                        suppressed INTEGER NOT NULL,
                        PRIMARY KEY (source_id, year, size, square)
                    );
                    -- Per source and year: events counted, events without usable coordinates, and the events
                    -- and squares suppressed, so nothing is lost silently.
                    CREATE TABLE map_grid_years (
                        source_id TEXT NOT NULL,
                        year INTEGER NOT NULL,
                        size INTEGER NOT NULL,
                        events INTEGER NOT NULL,
                        without_coordinates INTEGER NOT NULL,
                        squares_shown INTEGER NOT NULL,
                        squares_suppressed INTEGER NOT NULL,
                        events_suppressed INTEGER NOT NULL,
                        threshold INTEGER NOT NULL,
                        PRIMARY KEY (source_id, year, size)
                    );
                    """)
        }
    }
}
