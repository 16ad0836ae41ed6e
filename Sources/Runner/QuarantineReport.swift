import Foundation
import GRDB
import Workspace

/// The quarantined rows of a workspace, for an analyst to send back to the supplier.
public struct QuarantineReport: Sendable, Codable {
    /// One quarantined row: where it was, why, and its raw text (personal identity numbers masked).
    public struct Entry: Sendable, Codable {
        public var stage: String
        public var source: String
        public var file: String
        public var line: Int
        public var column: Int?
        public var reason: String
        public var raw: String
    }

    /// A file with quarantined rows and its counts, the same as `lagesbild status` shows.
    public struct FileCounts: Sendable, Codable {
        public var source: String
        public var file: String
        public var counts: DeliveryCounts
    }

    public var workspace: String
    /// True when the rows come from the last run, which failed and published nothing.
    public var fromFailedRun: Bool
    /// The entries: one per rejected row, and for an observations row rejected in normalize one per
    /// rejected value (a wide row holds several).
    public var total: Int
    public var entries: [Entry]
    /// The files (of the source and file asked for) with quarantined rows: rows read = accepted +
    /// quarantined.
    public var files: [FileCounts] = []

    /// Reads the quarantine, narrowed to a source, a file name (or path suffix) and a stage when given.
    public static func read(
        directory: String, source: String? = nil, file: String? = nil, stage: String? = nil, limit: Int? = nil
    ) throws -> QuarantineReport {
        let main = try Workspace(directory: directory, create: false)
        let failed = Workspace.failedRun(directory: directory)
        let workspace = failed ?? main
        var (conditions, arguments) = narrowing(source: source, file: file, fileColumn: "file")
        if let stage {
            conditions.append("stage = ?")
            _ = arguments.append(contentsOf: [stage])
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return try workspace.database.read { db in
            let total =
                try Int.fetchOne(db, sql: "SELECT count(*) FROM quarantine \(filter)", arguments: arguments) ?? 0
            let limitClause = limit.map { " LIMIT \($0)" } ?? ""
            let entries = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM quarantine \(filter)
                    ORDER BY source_id, file, line, stage\(limitClause)
                    """,
                arguments: arguments
            ).map { row in
                Entry(
                    stage: row["stage"], source: row["source_id"], file: row["file"], line: row["line"],
                    column: row["column"], reason: row["reason"], raw: row["raw"])
            }
            var (fileConditions, fileArguments) = narrowing(source: source, file: file, fileColumn: "path")
            fileConditions.append("(rows_quarantined > 0 OR normalize_rows_quarantined > 0)")
            let files = try DeliveryRecord.fetchAll(
                db,
                sql:
                    "SELECT * FROM deliveries WHERE \(fileConditions.joined(separator: " AND ")) ORDER BY source_id, path",
                arguments: fileArguments
            ).map { FileCounts(source: $0.sourceID, file: $0.path, counts: $0.counts) }
            return QuarantineReport(
                workspace: workspace.directory, fromFailedRun: failed != nil, total: total, entries: entries,
                files: files)
        }
    }

    /// SQL conditions for a source id and a file name or path suffix (in `fileColumn`), when given.
    static func narrowing(source: String?, file: String?, fileColumn: String) -> ([String], StatementArguments) {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let source {
            conditions.append("source_id = ?")
            _ = arguments.append(contentsOf: [source])
        }
        if let file {
            conditions.append("(\(fileColumn) = ? OR \(fileColumn) LIKE ?)")
            _ = arguments.append(contentsOf: [file, "%/" + file])
        }
        return (conditions, arguments)
    }
}
