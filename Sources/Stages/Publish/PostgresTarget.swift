import Dispatch
import Foundation
import GRDB
import Logging
import PipelineModel
import PostgresOutput
import StageKit
import Workspace

/// Loads the published tables into PostgreSQL, for dashboards: the indicator values, the indicator
/// definitions, the follow-up, the deliveries and the run. The connection comes from the environment
/// (`LAGESBILD_PG_URL` or the libpq `PG*` variables and password file), never from the pipeline file.
enum PostgresTarget {
    /// The tables to load, read from the workspace.
    static func tables(_ db: Database) throws -> [PublishedTable] {
        [
            try table(db, name: "indicator_values", sql: "SELECT * FROM indicator_values ORDER BY 1, 2, 5, 7, 8"),
            try table(db, name: "indicators", sql: "SELECT * FROM indicators ORDER BY id"),
            try table(db, name: "followup", sql: "SELECT * FROM followup ORDER BY indicator_id, area_code, name"),
            try table(
                db, name: "deliveries",
                sql: """
                    SELECT source_id, file_name, sha256, size, ingested_at, encoding, rows_read, rows_accepted,
                        rows_quarantined, status, message
                    FROM deliveries ORDER BY source_id, path
                    """),
        ]
    }

    /// A workspace query as a table, typed by the values it holds.
    static func table(_ db: Database, name: String, sql: String) throws -> PublishedTable {
        let statement = try db.makeStatement(sql: sql)
        let names = statement.columnNames
        let rows = try Row.fetchAll(statement)
        var types = [PublishedColumn.ColumnType](repeating: .text, count: names.count)
        for (index, _) in names.enumerated() {
            let values = rows.map { $0[index] as DatabaseValue }
            if values.allSatisfy({
                if case .int64 = $0.storage { return true }
                return $0.isNull
            }) {
                types[index] = .integer
            } else if values.allSatisfy({
                switch $0.storage {
                case .int64, .double, .null: return true
                default: return false
                }
            }) {
                types[index] = .double
            }
        }
        let columns = zip(names, types).map { PublishedColumn(name: $0.0, type: $0.1) }
        let published: [[PublishedValue]] = rows.map { row in
            (0..<names.count).map { index in
                let value = row[index] as DatabaseValue
                switch (value.storage, types[index]) {
                case (.null, _), (.blob, _): return .null
                case (.int64(let number), .integer): return .integer(number)
                case (.int64(let number), .double): return .double(Double(number))
                case (.double(let number), _): return .double(number)
                case (.string(let text), _): return .text(text)
                case (.int64(let number), _): return .text(String(number))
                }
            }
        }
        return PublishedTable(name: name, columns: columns, rows: published)
    }

    /// Publishes to PostgreSQL when it is configured; returns what happened, in words.
    static func publish(
        _ spec: PostgresOutputSpec, tables: [PublishedTable], runID: Int64, fingerprint: String, logger: Logger
    ) throws -> String {
        let settings: PostgresSettings
        do {
            settings = try PostgresSettings.fromEnvironment(ProcessInfo.processInfo.environment)
        } catch PostgresSettingsError.notConfigured where !spec.required {
            logger.notice(
                "PostgreSQL output skipped: no connection configured (LAGESBILD_PG_URL or PGHOST/PGUSER/PGDATABASE)")
            return "skipped (not configured)"
        } catch {
            throw StageDataError(stage: .publish, message: "PostgreSQL output: \(error)")
        }
        let publisher = PostgresPublisher(settings: settings, schema: spec.schema, logger: logger)
        let outcome: PublishOutcome
        do {
            outcome = try waitFor {
                try await publisher.publish(runID: runID, fingerprint: fingerprint, tables: tables)
            }
        } catch {
            throw StageDataError(stage: .publish, message: "PostgreSQL output to \(settings): \(error)")
        }
        switch outcome {
        case .unchanged: return "unchanged in \(settings) schema \(spec.schema)"
        case .published(let count, let rows):
            return "\(count) tables, \(rows) rows into \(settings) schema \(spec.schema)"
        }
    }

    /// Runs async work to its end from synchronous code (the stage protocol is synchronous).
    static func waitFor<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task {
            do { box.set(.success(try await work())) } catch { box.set(.failure(error)) }
            done.signal()
        }
        done.wait()
        return try box.get()
    }
}

/// Carries a result across the task boundary, guarded by a lock.
private final class ResultBox<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<T, any Error>?

    func set(_ value: Result<T, any Error>) { lock.withLock { result = value } }

    func get() throws -> T {
        try lock.withLock {
            guard let result else { throw CancellationError() }
            return try result.get()
        }
    }
}
