import GRDB
import LagesbildModel

/// The workspace database schema, one migration per change.
///
/// Each stage owns its tables and replaces their content inside one transaction:
/// - ingest: `deliveries`, `raw_observations`, `raw_measure_reports`, the `raw-events` column files and its
///   quarantine rows;
/// - normalize: `codelist_*`, `observations`, `measure_reports`, the `events` column files, its quarantine
///   rows and `normalize_inputs` (what each delivery's kept result was computed from);
/// - aggregate: `indicators`, `indicator_values`, `followup`, `plan_*`, `measure_followup`, `measure_effects`;
/// - publish: `publications`, and a row per target in `followup_history` on every publish (kept across runs).
/// `runs` and `stage_runs` hold the run history; `fetches` records each download of `lagesbild fetch`.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE runs (
                        id INTEGER PRIMARY KEY,
                        started_at TEXT NOT NULL,
                        finished_at TEXT,
                        status TEXT NOT NULL,
                        exit_code INTEGER,
                        command TEXT NOT NULL,
                        pipeline TEXT NOT NULL,
                        tool_version TEXT NOT NULL,
                        message TEXT
                    );
                    CREATE TABLE stage_runs (
                        id INTEGER PRIMARY KEY,
                        run_id INTEGER NOT NULL REFERENCES runs(id),
                        stage TEXT NOT NULL,
                        started_at TEXT NOT NULL,
                        finished_at TEXT,
                        status TEXT NOT NULL,
                        rows_in INTEGER NOT NULL DEFAULT 0,
                        rows_out INTEGER NOT NULL DEFAULT 0,
                        rows_quarantined INTEGER NOT NULL DEFAULT 0,
                        message TEXT,
                        fingerprint TEXT
                    );
                    CREATE INDEX stage_runs_by_stage ON stage_runs(stage, id);

                    CREATE TABLE deliveries (
                        id INTEGER PRIMARY KEY,
                        source_id TEXT NOT NULL,
                        path TEXT NOT NULL,
                        file_name TEXT NOT NULL,
                        sha256 TEXT NOT NULL,
                        config_sha256 TEXT NOT NULL,
                        size INTEGER NOT NULL,
                        ingested_at TEXT NOT NULL,
                        encoding TEXT,
                        rows_read INTEGER NOT NULL,
                        rows_accepted INTEGER NOT NULL,
                        rows_quarantined INTEGER NOT NULL,
                        status TEXT NOT NULL,
                        message TEXT,
                        UNIQUE(source_id, path)
                    );
                    CREATE TABLE quarantine (
                        id INTEGER PRIMARY KEY,
                        stage TEXT NOT NULL,
                        source_id TEXT NOT NULL,
                        delivery_id INTEGER,
                        file TEXT NOT NULL,
                        line INTEGER NOT NULL,
                        "column" INTEGER,
                        reason TEXT NOT NULL,
                        raw TEXT NOT NULL
                    );
                    CREATE INDEX quarantine_by_source ON quarantine(source_id, stage);
                    CREATE TABLE raw_events (
                        delivery_id INTEGER NOT NULL,
                        line INTEGER NOT NULL,
                        crime_code TEXT NOT NULL,
                        event_date TEXT NOT NULL,
                        event_time TEXT,
                        area TEXT,
                        deso TEXT,
                        x REAL,
                        y REAL,
                        place TEXT
                    );
                    CREATE INDEX raw_events_by_delivery ON raw_events(delivery_id);
                    CREATE TABLE raw_observations (
                        delivery_id INTEGER NOT NULL,
                        line INTEGER NOT NULL,
                        area TEXT NOT NULL,
                        period TEXT NOT NULL,
                        measure TEXT NOT NULL,
                        dimensions TEXT NOT NULL,
                        value REAL,
                        missing TEXT,
                        base REAL
                    );
                    CREATE INDEX raw_observations_by_delivery ON raw_observations(delivery_id);

                    CREATE TABLE codelist_crime_codes (
                        code TEXT PRIMARY KEY,
                        name TEXT NOT NULL,
                        retired_year INTEGER,
                        code_group TEXT
                    );
                    CREATE TABLE codelist_crime_categories (
                        category TEXT NOT NULL,
                        crime_code TEXT NOT NULL,
                        PRIMARY KEY (category, crime_code)
                    );
                    CREATE TABLE codelist_areas (
                        code TEXT PRIMARY KEY,
                        name TEXT NOT NULL,
                        level TEXT NOT NULL,
                        parent_code TEXT
                    );
                    CREATE TABLE events (
                        delivery_id INTEGER NOT NULL,
                        line INTEGER NOT NULL,
                        crime_code TEXT NOT NULL,
                        event_date TEXT NOT NULL,
                        year INTEGER NOT NULL,
                        quarter INTEGER NOT NULL,
                        month INTEGER NOT NULL,
                        week INTEGER NOT NULL,
                        weekday INTEGER NOT NULL,
                        hour INTEGER,
                        municipality_code TEXT NOT NULL,
                        district_code TEXT,
                        deso_code TEXT,
                        place TEXT
                    );
                    CREATE INDEX events_by_year ON events(municipality_code, year);
                    CREATE TABLE observations (
                        source_id TEXT NOT NULL,
                        delivery_id INTEGER NOT NULL,
                        line INTEGER NOT NULL,
                        area_code TEXT NOT NULL,
                        area_level TEXT NOT NULL,
                        period TEXT NOT NULL,
                        year INTEGER NOT NULL,
                        measure TEXT NOT NULL,
                        dimensions TEXT NOT NULL,
                        value REAL,
                        missing TEXT,
                        base REAL
                    );
                    CREATE INDEX observations_by_measure ON observations(measure, area_code, year);

                    CREATE TABLE indicators (
                        id TEXT PRIMARY KEY,
                        title TEXT NOT NULL,
                        definition TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        numerator TEXT NOT NULL,
                        denominator TEXT,
                        scale REAL NOT NULL,
                        unit TEXT NOT NULL,
                        better TEXT NOT NULL
                    );
                    CREATE TABLE indicator_values (
                        indicator_id TEXT NOT NULL,
                        area_code TEXT NOT NULL,
                        area_name TEXT NOT NULL,
                        area_level TEXT NOT NULL,
                        period TEXT NOT NULL,
                        numerator REAL,
                        denominator REAL,
                        value REAL,
                        status TEXT NOT NULL,
                        note TEXT,
                        PRIMARY KEY (indicator_id, area_code, period)
                    );

                    CREATE TABLE publications (
                        id INTEGER PRIMARY KEY,
                        kind TEXT NOT NULL,
                        path TEXT NOT NULL,
                        rows INTEGER NOT NULL,
                        written_at TEXT NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v2: indicator breakdowns, follow-up, DeSO crosswalk") { db in
            try db.execute(
                sql: """
                    DROP TABLE indicator_values;
                    CREATE TABLE indicator_values (
                        indicator_id TEXT NOT NULL,
                        area_code TEXT NOT NULL,
                        area_name TEXT NOT NULL,
                        area_level TEXT NOT NULL,
                        period TEXT NOT NULL,
                        period_type TEXT NOT NULL,
                        breakdown TEXT NOT NULL,
                        breakdown_value TEXT NOT NULL,
                        numerator REAL,
                        denominator REAL,
                        value REAL,
                        ci_low REAL,
                        ci_high REAL,
                        change_abs REAL,
                        change_pct REAL,
                        moving_avg_3 REAL,
                        status TEXT NOT NULL,
                        note TEXT,
                        flags TEXT NOT NULL DEFAULT '',
                        PRIMARY KEY (indicator_id, area_code, period, breakdown, breakdown_value)
                    );
                    ALTER TABLE indicators ADD COLUMN section TEXT NOT NULL DEFAULT 'crime';
                    CREATE TABLE followup (
                        indicator_id TEXT NOT NULL,
                        area_code TEXT NOT NULL,
                        commitment TEXT NOT NULL,
                        name TEXT NOT NULL,
                        baseline_year INTEGER NOT NULL,
                        baseline_value REAL NOT NULL,
                        target_year INTEGER NOT NULL,
                        target_value REAL NOT NULL,
                        latest_period TEXT,
                        latest_value REAL,
                        expected_value REAL,
                        change_since_baseline REAL,
                        status TEXT NOT NULL,
                        note TEXT
                    );
                    CREATE TABLE codelist_deso_crosswalk (
                        old_code TEXT NOT NULL,
                        new_code TEXT NOT NULL,
                        share REAL NOT NULL,
                        valid_from TEXT NOT NULL,
                        PRIMARY KEY (old_code, new_code)
                    );
                    """)
        }
        migrator.registerMigration("v3: stage fingerprints and gates") { db in
            try db.execute(
                sql: """
                    ALTER TABLE stage_runs ADD COLUMN inputs TEXT;
                    CREATE TABLE gate_results (
                        id INTEGER PRIMARY KEY,
                        run_id INTEGER NOT NULL REFERENCES runs(id),
                        gate TEXT NOT NULL,
                        status TEXT NOT NULL,
                        message TEXT NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v4: per-event rows in column files") { db in
            // Events moved from SQLite tables to column files listed in `store_files`. Deliveries whose
            // rows were in `raw_events` are forgotten, so the next ingest reads those files again.
            try db.execute(
                sql: """
                    DELETE FROM quarantine WHERE stage = 'ingest'
                        AND delivery_id IN (SELECT DISTINCT delivery_id FROM raw_events);
                    DELETE FROM deliveries WHERE id IN (SELECT DISTINCT delivery_id FROM raw_events);
                    DROP TABLE raw_events;
                    DROP TABLE events;
                    CREATE TABLE store_files (
                        name TEXT PRIMARY KEY,
                        kind TEXT NOT NULL,
                        source_id TEXT NOT NULL,
                        delivery_id INTEGER,
                        rows INTEGER NOT NULL
                    );
                    CREATE INDEX store_files_by_kind ON store_files(kind, source_id);
                    """)
        }
        migrator.registerMigration("v5: indicator values in key order") { db in
            // WITHOUT ROWID keeps the rows in primary-key order whatever order they are written in, so
            // aggregate need not sort a million values before writing them.
            try db.execute(
                sql: """
                    CREATE TABLE indicator_values_by_key (
                        indicator_id TEXT NOT NULL,
                        area_code TEXT NOT NULL,
                        area_name TEXT NOT NULL,
                        area_level TEXT NOT NULL,
                        period TEXT NOT NULL,
                        period_type TEXT NOT NULL,
                        breakdown TEXT NOT NULL,
                        breakdown_value TEXT NOT NULL,
                        numerator REAL,
                        denominator REAL,
                        value REAL,
                        ci_low REAL,
                        ci_high REAL,
                        change_abs REAL,
                        change_pct REAL,
                        moving_avg_3 REAL,
                        status TEXT NOT NULL,
                        note TEXT,
                        flags TEXT NOT NULL DEFAULT '',
                        PRIMARY KEY (indicator_id, area_code, period, breakdown, breakdown_value)
                    ) WITHOUT ROWID;
                    INSERT INTO indicator_values_by_key SELECT * FROM indicator_values;
                    DROP TABLE indicator_values;
                    ALTER TABLE indicator_values_by_key RENAME TO indicator_values;
                    """)
        }
        migrator.registerMigration("v6: absent deliveries, published file hashes") { db in
            // A delivery whose file went missing or empty keeps its rows until the pipeline file says it
            // was withdrawn: `absent` says which ('missing' or 'empty') and since when.
            try db.execute(
                sql: """
                    ALTER TABLE deliveries ADD COLUMN absent TEXT;
                    ALTER TABLE deliveries ADD COLUMN absent_since TEXT;
                    ALTER TABLE publications ADD COLUMN sha256 TEXT;
                    """)
        }
        migrator.registerMigration("v7: honest follow-up of targets") { db in
            // The judgement of a target (status: reached, on-the-way, not-on-the-way, too-uncertain,
            // too-little-data) with the numbers behind it: the baseline tied to the data, the latest value's
            // interval, the fitted yearly change and the projection to the target year.
            try db.execute(
                sql: """
                    DROP TABLE followup;
                    CREATE TABLE followup (
                        target_id TEXT NOT NULL,
                        indicator_id TEXT NOT NULL,
                        area_code TEXT NOT NULL,
                        commitment TEXT NOT NULL,
                        name TEXT NOT NULL,
                        baseline_year INTEGER NOT NULL,
                        baseline_value REAL,
                        baseline_source TEXT,
                        computed_baseline REAL,
                        target_year INTEGER NOT NULL,
                        target_value REAL NOT NULL,
                        latest_period TEXT,
                        latest_value REAL,
                        latest_low REAL,
                        latest_high REAL,
                        expected_value REAL,
                        change_since_baseline REAL,
                        status TEXT NOT NULL,
                        trend_model TEXT,
                        annual_change REAL,
                        annual_change_low REAL,
                        annual_change_high REAL,
                        projected_value REAL,
                        projected_low REAL,
                        projected_high REAL,
                        note TEXT,
                        defined_at TEXT NOT NULL,
                        PRIMARY KEY (target_id)
                    );
                    """)
        }
        migrator.registerMigration("v8: action plan, measure reports and their follow-up") { db in
            // The action plan as aggregate writes it from the plan file (lists as JSON arrays of text), the
            // owners' status reports as ingest reads them (raw) and normalize accepts them, and aggregate's
            // follow-up of each measure:
            // production (planned against delivered outputs, hours and cost per year), process (the latest
            // status) and effect (the measure's area against the rest of the kommun).
            try db.execute(
                sql: """
                    CREATE TABLE plan_problems (
                        id TEXT PRIMARY KEY,
                        title TEXT NOT NULL,
                        priority INTEGER NOT NULL,
                        indicators TEXT NOT NULL,
                        areas TEXT NOT NULL,
                        cause_analysis TEXT,
                        cause_analysis_link TEXT,
                        targets TEXT NOT NULL
                    );
                    CREATE TABLE plan_measures (
                        id TEXT PRIMARY KEY,
                        title TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        problems TEXT NOT NULL,
                        owner TEXT NOT NULL,
                        partners TEXT NOT NULL,
                        start_month TEXT NOT NULL,
                        end_month TEXT NOT NULL,
                        hours_per_year REAL,
                        cost_sek_per_year REAL,
                        targets TEXT NOT NULL,
                        area_code TEXT,
                        signed TEXT
                    );
                    CREATE TABLE plan_measure_outputs (
                        measure_id TEXT NOT NULL,
                        name TEXT NOT NULL,
                        per_year REAL NOT NULL,
                        PRIMARY KEY (measure_id, name)
                    );
                    CREATE TABLE raw_measure_reports (
                        delivery_id INTEGER NOT NULL,
                        line INTEGER NOT NULL,
                        measure TEXT NOT NULL,
                        period TEXT NOT NULL,
                        status TEXT NOT NULL,
                        output_name TEXT,
                        outputs REAL,
                        hours REAL,
                        cost_sek REAL,
                        comment TEXT,
                        PRIMARY KEY (delivery_id, line)
                    );
                    CREATE TABLE measure_reports (
                        source_id TEXT NOT NULL,
                        delivery_id INTEGER NOT NULL,
                        line INTEGER NOT NULL,
                        measure_id TEXT NOT NULL,
                        period TEXT NOT NULL,
                        period_start TEXT NOT NULL,
                        period_end TEXT NOT NULL,
                        status TEXT NOT NULL,
                        output_name TEXT,
                        outputs_delivered REAL,
                        hours REAL,
                        cost_sek REAL,
                        comment TEXT,
                        PRIMARY KEY (delivery_id, line)
                    );
                    CREATE TABLE measure_followup (
                        measure_id TEXT NOT NULL,
                        year INTEGER NOT NULL,
                        output_name TEXT NOT NULL DEFAULT '',
                        months INTEGER NOT NULL,
                        planned REAL,
                        delivered REAL,
                        hours_planned REAL,
                        hours REAL,
                        cost_planned REAL,
                        cost_sek REAL,
                        latest_period TEXT,
                        latest_status TEXT,
                        reports INTEGER NOT NULL,
                        missing_latest_report INTEGER NOT NULL,
                        PRIMARY KEY (measure_id, year, output_name)
                    );
                    CREATE TABLE measure_effects (
                        measure_id TEXT NOT NULL,
                        target_id TEXT NOT NULL,
                        indicator_id TEXT NOT NULL,
                        area_code TEXT NOT NULL,
                        comparison TEXT NOT NULL,
                        before_year INTEGER NOT NULL,
                        after_year INTEGER,
                        area_count_before REAL,
                        area_exposure_before REAL,
                        area_count_after REAL,
                        area_exposure_after REAL,
                        comparison_count_before REAL,
                        comparison_exposure_before REAL,
                        comparison_count_after REAL,
                        comparison_exposure_after REAL,
                        ratio REAL,
                        ratio_low REAL,
                        ratio_high REAL,
                        note TEXT NOT NULL,
                        PRIMARY KEY (measure_id, indicator_id)
                    );
                    CREATE TABLE followup_history (
                        run_id INTEGER NOT NULL,
                        published_at TEXT NOT NULL,
                        target_id TEXT NOT NULL,
                        status TEXT NOT NULL,
                        latest_period TEXT,
                        latest_value REAL,
                        projected_value REAL,
                        PRIMARY KEY (run_id, target_id)
                    );
                    """)
        }
        migrator.registerMigration("v9: gate findings name their indicator, area and period") { db in
            try db.execute(
                sql: """
                    ALTER TABLE gate_results ADD COLUMN indicator_id TEXT;
                    ALTER TABLE gate_results ADD COLUMN area_code TEXT;
                    ALTER TABLE gate_results ADD COLUMN period TEXT;
                    ALTER TABLE gate_results ADD COLUMN change_pct REAL;
                    """)
        }
        migrator.registerMigration("v10: fetches (lagesbild fetch)") { db in
            // One row per `lagesbild fetch` of a source: what was asked (the URL without credentials), how it
            // ended, the validators for the next conditional request, and the delivery file it wrote.
            try db.execute(
                sql: """
                    CREATE TABLE fetches (
                        id INTEGER PRIMARY KEY,
                        source_id TEXT NOT NULL,
                        url TEXT NOT NULL,
                        started_at TEXT NOT NULL,
                        fetched_at TEXT NOT NULL,
                        status TEXT NOT NULL,
                        http_status INTEGER,
                        requests INTEGER NOT NULL,
                        etag TEXT,
                        last_modified TEXT,
                        file TEXT,
                        bytes INTEGER,
                        sha256 TEXT,
                        message TEXT
                    );
                    CREATE INDEX fetches_by_source ON fetches(source_id, id);
                    """)
        }
        migrator.registerMigration("v11: dimensions as canonical JSON") { db in
            // `name=value;…` could not hold a value with `;` or `=`: such a row never matched and its
            // number went missing. Rewrite every stored text as the JSON object of ``Dimensions``.
            for table in ["raw_observations", "observations"] {
                let texts = try String.fetchAll(db, sql: "SELECT DISTINCT dimensions FROM \(table)")
                for text in texts where Dimensions(canonicalText: text) == nil {
                    try db.execute(
                        sql: "UPDATE \(table) SET dimensions = ? WHERE dimensions = ?",
                        arguments: [Dimensions(legacyText: text).canonicalText, text])
                }
            }
        }
        migrator.registerMigration("v12: row counts across ingest and normalize") { db in
            // Rows rejected in normalize counted for no file: each file now counts them (its quarantine rows
            // name their delivery), and an observations file its values (a wide row holds several).
            try db.execute(
                sql: """
                    ALTER TABLE deliveries ADD COLUMN values_read INTEGER;
                    ALTER TABLE deliveries ADD COLUMN normalize_rows_quarantined INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE deliveries ADD COLUMN normalize_values_quarantined INTEGER NOT NULL DEFAULT 0;
                    UPDATE deliveries SET values_read =
                        (SELECT count(*) FROM raw_observations o WHERE o.delivery_id = deliveries.id)
                    WHERE id IN (SELECT DISTINCT delivery_id FROM raw_observations);
                    UPDATE quarantine SET delivery_id =
                        (SELECT d.id FROM deliveries d WHERE d.source_id = quarantine.source_id AND d.path = quarantine.file)
                    WHERE stage = 'normalize' AND delivery_id IS NULL;
                    CREATE INDEX quarantine_by_delivery ON quarantine(stage, delivery_id, line);
                    """)
            try DeliveryCounts.recordNormalize(db)
        }
        SourceNotesSchema.register(in: &migrator)
        migrator.registerMigration("v14: event types of an events source's own list") { db in
            try db.execute(
                sql: """
                    CREATE TABLE codelist_event_types (
                        source_id TEXT NOT NULL,
                        code TEXT NOT NULL,
                        name TEXT NOT NULL,
                        PRIMARY KEY (source_id, code)
                    );
                    CREATE TABLE codelist_event_categories (
                        source_id TEXT NOT NULL,
                        category TEXT NOT NULL,
                        code TEXT NOT NULL,
                        PRIMARY KEY (source_id, category, code)
                    );
                    """)
        }
        migrator.registerMigration("v15: indicator definitions as the run used them") { db in
            // The report reads an indicator's title, unit, decimals, kind, direction, definition and section from
            // here (what the run computed with), never from today's pipeline file. An older workspace gets its
            // decimals from the kind, its levels from its values and its order from when it was written.
            try db.execute(
                sql: """
                    ALTER TABLE indicators ADD COLUMN decimals INTEGER NOT NULL DEFAULT 1;
                    ALTER TABLE indicators ADD COLUMN area_levels TEXT NOT NULL DEFAULT 'municipality';
                    ALTER TABLE indicators ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
                    UPDATE indicators SET decimals = CASE kind WHEN 'count' THEN 0 ELSE 1 END, position = rowid;
                    """)
            for id in try String.fetchAll(db, sql: "SELECT id FROM indicators") {
                let levels = try String.fetchAll(
                    db,
                    sql: """
                        SELECT DISTINCT area_level FROM indicator_values WHERE indicator_id = ? AND breakdown = ''
                        """,
                    arguments: [id]
                ).compactMap(AreaLevel.init(rawValue:)).sorted()
                guard !levels.isEmpty else { continue }
                try db.execute(
                    sql: "UPDATE indicators SET area_levels = ? WHERE id = ?",
                    arguments: [levels.map(\.rawValue).joined(separator: ","), id])
            }
        }
        MapSchema.register(in: &migrator)
        migrator.registerMigration("v17: normalize keeps each unchanged delivery's result") { db in
            // Per delivery normalized: the hash of everything its result depends on (its content, its
            // source's settings, the code lists); a delivery whose hash is unchanged keeps its result.
            try db.execute(
                sql: """
                    CREATE TABLE normalize_inputs (
                        delivery_id INTEGER PRIMARY KEY,
                        input_key TEXT NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v18: file identities, observations by measure and dimensions, count parts") { db in
            // A file whose stat identity is unchanged since it was hashed is not read again (FileIdentity).
            // Aggregate keeps each events file's counts (EventCountPart) and counts only new files, and the
            // measures it read while their observations are unchanged (MeasureCache); normalize writes the code
            // list tables again only when their settings key (code_lists_key) changed.
            // Aggregate reads a measure's rows by their dimensions: an index on both reads the 63 000
            // population totals of the national sample instead of scanning all 1.2 million rows.
            try db.execute(
                sql: """
                    ALTER TABLE deliveries ADD COLUMN file_identity TEXT;
                    DROP INDEX IF EXISTS observations_by_measure;
                    CREATE TABLE event_count_parts (
                        file TEXT NOT NULL,
                        key TEXT NOT NULL,
                        counts BLOB NOT NULL,
                        PRIMARY KEY (file, key)
                    );
                    CREATE TABLE aggregate_measures (
                        key TEXT PRIMARY KEY,
                        value BLOB NOT NULL
                    );
                    CREATE TABLE code_lists_key (key TEXT NOT NULL);
                    """)
            try db.execute(sql: ObservationsIndex.create)
        }
        return migrator
    }
}

/// The index on `observations` by measure and dimensions, which aggregate reads a measure by; normalize
/// drops it while it inserts rows and builds it once after them.
public enum ObservationsIndex {
    public static let create =
        "CREATE INDEX IF NOT EXISTS observations_by_measure_dimensions ON observations(measure, dimensions)"
    public static let drop = "DROP INDEX IF EXISTS observations_by_measure_dimensions"
}
