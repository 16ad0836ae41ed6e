import Dispatch
import Foundation
import GRDB
import LagesbildModel
import Logging
import PipelineModel
import PostgresOutput
import StageKit
import Workspace

/// Loads the published tables into PostgreSQL, for dashboards: the indicator values, the indicator
/// definitions, the follow-up and the deliveries, the action plan and its measures' follow-up, with the types, keys and comments of ``PostgresSchema``. The
/// connection comes from the environment (`LAGESBILD_PG_URL` or the libpq `PG*` variables and password file), never
/// from the pipeline file.
enum PostgresTarget {
    /// What the output did: a summary in words, and a warning when it failed without being required.
    struct Result: Sendable {
        var summary: String
        var warning: String?
    }

    /// The tables to load, read from the workspace, each with the columns its ``PostgresSchema`` definition declares.
    static func tables(_ db: Database) throws -> [PublishedTable] {
        var values = try table(
            db, PostgresSchema.indicatorValues,
            sql: """
                SELECT indicator_id, area_code, area_name, area_level, period, period_type, breakdown, breakdown_value,
                    numerator, denominator, value, ci_low, ci_high, change_abs, change_pct, moving_avg_3, status, note,
                    flags, period AS period_start
                FROM indicator_values ORDER BY indicator_id, area_code, period, breakdown, breakdown_value
                """)
        if let start = values.columns.firstIndex(where: { $0.name == "period_start" }) {
            for index in values.rows.indices {
                guard case .text(let period) = values.rows[index][start] else { continue }
                values.rows[index][start] = periodStart(period).map(PublishedValue.text) ?? .null
            }
        }
        return [
            values,
            try table(
                db, PostgresSchema.indicators,
                sql: """
                    SELECT id, title, definition, kind, numerator, denominator, scale, unit, better, section
                    FROM indicators ORDER BY id
                    """),
            try table(
                db, PostgresSchema.followup,
                sql: "SELECT \(PostgresSchema.followup.columns.map(\.name).joined(separator: ", ")) FROM followup "
                    + "ORDER BY indicator_id, area_code, name, commitment"),
            try table(
                db, PostgresSchema.deliveries,
                sql: """
                    SELECT source_id, file_name, sha256, size, ingested_at, encoding, rows_read,
                        rows_accepted - normalize_rows_quarantined AS rows_accepted,
                        rows_quarantined + normalize_rows_quarantined AS rows_quarantined, status, message
                    FROM deliveries ORDER BY source_id, path
                    """),
            try declared(db, PostgresSchema.planProblems, orderBy: "id"),
            try declared(db, PostgresSchema.planMeasures, orderBy: "id"),
            try declared(db, PostgresSchema.measureFollowup, orderBy: "measure_id, year, output_name"),
            try declared(db, PostgresSchema.measureEffects, orderBy: "measure_id, indicator_id"),
            try declared(db, PostgresSchema.followupHistory, orderBy: "run_id, target_id"),
        ]
    }

    /// The workspace table of the same name with the columns `definition` declares, in its order.
    static func declared(_ db: Database, _ definition: DeclaredTable, orderBy: String) throws -> PublishedTable {
        try table(
            db, definition,
            sql: "SELECT \(definition.columns.map(\.name).joined(separator: ", ")) FROM \(definition.name) "
                + "ORDER BY \(orderBy)")
    }

    /// A workspace query as the table `definition` declares: the query must give its columns, in its order; each
    /// value is converted to its column's type where that loses nothing (the COPY encoder refuses the rest).
    static func table(_ db: Database, _ definition: DeclaredTable, sql: String) throws -> PublishedTable {
        let statement = try db.makeStatement(sql: sql)
        let names = definition.columns.map(\.name)
        guard statement.columnNames == names else {
            throw StageDataError(
                stage: .publish,
                message: "PostgreSQL table \(definition.name): the workspace gives the columns "
                    + "\(statement.columnNames.joined(separator: ", ")), the schema declares \(names.joined(separator: ", "))"
            )
        }
        let columns = definition.publishedColumns
        let rows = try Row.fetchAll(statement).map { row in
            columns.indices.map { index in value(row[index], as: columns[index].type) }
        }
        return PublishedTable(name: definition.name, columns: columns, rows: rows)
    }

    static func value(_ value: DatabaseValue, as type: PublishedColumn.ColumnType) -> PublishedValue {
        switch (value.storage, type) {
        case (.null, _), (.blob, _): return .null
        case (.int64(let number), .text): return .text(String(number))
        case (.int64(let number), _): return .integer(number)
        case (.double(let number), .integer) where number.rounded() == number && abs(number) < 9e18:
            return .integer(Int64(number))
        case (.double(let number), _): return .double(number)
        case (.string(let text), _): return .text(text)
        }
    }

    /// The first day of a canonical period (`2023`, `2023-Q2`, `2023-05`, `2023-W05`, `2020/21`, `2021-VT`) as
    /// `YYYY-MM-DD`; nil for a text that is no period.
    static func periodStart(_ period: String) -> String? {
        Period(period)?.firstDay.description
    }

    /// Publishes to PostgreSQL when it is configured.
    ///
    /// With `required: false`, a missing connection is a notice and any failure (an unreachable server, a refused
    /// login, a schema that cannot be migrated) a warning: everything else is still published. With `required: true`
    /// they fail the stage: ``PostgresPublishError`` for what went wrong with the server (the exit status tells
    /// unreachable, refused and other failures apart), `StageDataError` for a missing or malformed connection.
    static func publish(
        _ spec: PostgresOutputSpec, tables: [PublishedTable], runID: Int64, fingerprint: String, logger: Logger
    ) async throws -> Result {
        do {
            let settings = try PostgresSettings.fromEnvironment(ProcessInfo.processInfo.environment)
            let publisher = PostgresPublisher(
                settings: settings, schema: spec.schema, migrations: PostgresSchema.migrations, logger: logger)
            let outcome = try await publisher.publish(runID: runID, fingerprint: fingerprint, tables: tables)
            switch outcome {
            case .unchanged: return Result(summary: "unchanged in \(settings) schema \(spec.schema)")
            case .published(let count, let rows):
                return Result(summary: "\(count) tables, \(rows) rows into \(settings) schema \(spec.schema)")
            }
        } catch PostgresSettingsError.notConfigured where !spec.required {
            logger.notice(
                "PostgreSQL output skipped: no connection configured (LAGESBILD_PG_URL or PGHOST/PGUSER/PGDATABASE)")
            return Result(summary: "skipped (not configured)")
        } catch let error where !spec.required {
            let message = PersonalNumberMask.mask("\(error)")
            logger.warning(
                "PostgreSQL output failed; everything else is published, and the next run publishes again",
                metadata: ["schema": "\(spec.schema)", "error": "\(message)"])
            return Result(
                summary: "failed: \(message)",
                warning: "PostgreSQL output to schema \(spec.schema) failed (not required; everything else was "
                    + "published): \(message)")
        } catch let error as PostgresPublishError {
            throw error
        } catch {
            throw StageDataError(stage: .publish, message: "PostgreSQL output: \(error)")
        }
    }
}
