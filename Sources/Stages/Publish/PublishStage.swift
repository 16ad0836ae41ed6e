import Crypto
import Foundation
import GRDB
import LagesbildModel
import Logging
import Maps
import PipelineModel
import PostgresOutput
import Report
import StageKit
import Workspace

/// Publish: writes each indicator's table and the follow-up tables (``FollowUpExport``) from the workspace
/// to the output folder, each file under a temporary name renamed into place, so a reader never sees half
/// a file; records the targets' follow-up in `followup_history`.
public struct PublishStage: PipelineStage {
    public var stage: Stage { .publish }

    /// The report's file name in the output folder.
    public static let reportFileName = "lagesbild.html"
    /// The follow-up report's file name, beside the lägesbild.
    public static let followUpFileName = "uppfoljning.html"

    public init() {}

    public func run(_ context: StageContext) async throws -> StageCounts {
        var counts = try writeFiles(context)
        if let postgres = context.pipeline.outputs.postgres {
            let tables = try await context.workspace.database.read { db in try PostgresTarget.tables(db) }
            let fingerprint = Self.fingerprint(tables)
            let result = try await PostgresTarget.publish(
                postgres, tables: tables, runID: context.runID, fingerprint: fingerprint, logger: context.logger)
            context.logger.info("PostgreSQL output", metadata: ["result": "\(result.summary)"])
            if let warning = result.warning { counts.warnings.append(warning) }
        }
        return counts
    }

    /// Writes the exports and the reports into the staging folder and records them in `publications`.
    /// An export made from the same rows as the previous generation's is linked from there (``ExportReuse``).
    func writeFiles(_ context: StageContext) throws -> StageCounts {
        let directory = context.stagingDirectory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var counts = StageCounts()
        var reuse = ExportReuse(staging: directory, workspace: context.workspace.directory)
        try context.workspace.database.write { db in
            try db.execute(sql: "DELETE FROM publications")
            let indicators = try String.fetchAll(db, sql: "SELECT id FROM indicators ORDER BY id")
            for indicator in indicators {
                let rows = try IndicatorExport.rows(db, indicator: indicator)
                counts.rowsIn += rows.count
                try Self.export(
                    indicator, columns: IndicatorExport.columns, rows: rows, reuse: &reuse, context: context, db: db)
                counts.rowsOut += rows.count
                context.logger.info("published", metadata: ["indicator": "\(indicator)", "rows": "\(rows.count)"])
            }
            try FollowUpExport.recordHistory(db, runID: context.runID, at: isoTimestamp())
            let indicatorIDs = Set(indicators)
            for table in FollowUpExport.tables(context.pipeline) {
                guard !indicatorIDs.contains(table.name) else {
                    throw StageDataError(
                        stage: .publish,
                        message:
                            "the indicator id '\(table.name)' names a follow-up file; give the indicator another id")
                }
                let (columns, rows) = try IndicatorExport.rows(db, sql: table.sql)
                try Self.export(
                    table.name, columns: columns, rows: rows, kindPrefix: "followup-", reuse: &reuse,
                    context: context, db: db)
                context.logger.info("published", metadata: ["table": "\(table.name)", "rows": "\(rows.count)"])
            }
            if let sql = ObservationTextExport.sql(context.pipeline) {
                let (columns, rows) = try IndicatorExport.rows(db, sql: sql)
                try Self.export(
                    ObservationTextExport.name, columns: columns, rows: rows, kindPrefix: "texts-", reuse: &reuse,
                    context: context, db: db)
                context.logger.info(
                    "published", metadata: ["table": "\(ObservationTextExport.name)", "rows": "\(rows.count)"])
            }
            try reuse.writeManifest()
            try MapData.store(db, context: context)
            if context.pipeline.outputs.report {
                let report = try LagesbildReport.html(db: db, pipeline: context.pipeline, runID: context.runID)
                let name = PublishStage.reportFileName
                let html = Data(report.html.utf8)
                try AtomicFile.write(html, to: (directory as NSString).appendingPathComponent(name))
                try db.execute(
                    sql: """
                        INSERT INTO publications (kind, path, rows, written_at, sha256) VALUES ('report', ?, ?, ?, ?)
                        """,
                    arguments: [
                        (context.outputDirectory as NSString).appendingPathComponent(name), report.indicators,
                        isoTimestamp(), Self.sha256(html),
                    ])
                context.logger.info("report written", metadata: ["file": "\(name)"])
                let followUp = try FollowUpReportBuilder(db: db, pipeline: context.pipeline, runID: context.runID)
                    .build()
                let followUpHTML = Data(FollowUpReportRenderer.render(followUp).utf8)
                let followUpPath = (context.outputDirectory as NSString).appendingPathComponent(Self.followUpFileName)
                try AtomicFile.write(
                    followUpHTML, to: (directory as NSString).appendingPathComponent(Self.followUpFileName))
                try db.execute(
                    sql:
                        "INSERT INTO publications (kind, path, rows, written_at, sha256) VALUES ('followup-report', ?, ?, ?, ?)",
                    arguments: [followUpPath, followUp.targets.count, isoTimestamp(), Self.sha256(followUpHTML)])
            }
        }
        return counts
    }

    /// The exported forms of one table named `name`, as the outputs settings ask: CSV in each dialect, JSON;
    /// each file's kind, name and how to make its bytes.
    static func files(
        _ name: String, rows: [[IndicatorExport.Field]], columns: [String], outputs: OutputSpec, kindPrefix: String = ""
    ) -> [(kind: String, path: String, data: () throws -> Data)] {
        var files: [(kind: String, path: String, data: () throws -> Data)] = []
        if outputs.csv {
            for dialect in IndicatorExport.Dialect.allCases {
                files.append(
                    (
                        "\(kindPrefix)csv-\(dialect.rawValue)", "\(name)\(dialect.suffix).csv",
                        { try IndicatorExport.csv(rows, columns: columns, dialect: dialect) }
                    ))
            }
        }
        if outputs.json {
            files.append(("\(kindPrefix)json", "\(name).json", { try IndicatorExport.json(rows, columns: columns) }))
        }
        return files
    }

    /// Writes a table's exported files into the staging folder — or links the previous generation's where
    /// they were made from the same rows — and records each in `publications` under its final path.
    static func export(
        _ name: String, columns: [String], rows: [[IndicatorExport.Field]], kindPrefix: String = "",
        reuse: inout ExportReuse, context: StageContext, db: Database
    ) throws {
        let files = files(name, rows: rows, columns: columns, outputs: context.pipeline.outputs, kindPrefix: kindPrefix)
        guard !files.isEmpty else { return }
        let table = ExportReuse.digest(columns: columns, rows: rows)
        let staging = context.stagingDirectory
        for file in files {
            let digest = ExportReuse.digest(table: table, kind: file.kind)
            let entry: ExportReuse.Entry
            if let reused = reuse.reuse(file.path, kind: file.kind, digest: digest, staging: staging) {
                entry = reused
            } else {
                let data = try file.data()
                let path = (staging as NSString).appendingPathComponent(file.path)
                try AtomicFile.write(data, to: path)
                entry = ExportReuse.Entry(
                    kind: file.kind, digest: digest, sha256: sha256(data), rows: rows.count, writtenAt: isoTimestamp(),
                    size: Int64(data.count), modified: 0)
                reuse.record(file.path, path: path, entry: entry)
            }
            try db.execute(
                sql: "INSERT INTO publications (kind, path, rows, written_at, sha256) VALUES (?, ?, ?, ?, ?)",
                arguments: [
                    file.kind, (context.outputDirectory as NSString).appendingPathComponent(file.path), rows.count,
                    entry.writtenAt, entry.sha256,
                ])
        }
    }

    static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// A fingerprint of what is published: a hash over every row of every loaded table, so the same
    /// content gives the same fingerprint and re-publishing it changes nothing.
    static func fingerprint(_ tables: [PublishedTable]) -> String {
        var hasher = SHA256()
        for table in tables {
            hasher.update(data: Data("\u{1}\(table.name)|\(table.columns.map(\.name).joined(separator: ","))".utf8))
            for row in table.rows {
                let text = row.map { value -> String in
                    switch value {
                    case .null: return "\u{0}"
                    case .text(let text): return "t" + text
                    case .integer(let number): return "i\(number)"
                    case .double(let number): return "d\(number)"
                    }
                }.joined(separator: "\u{2}")
                hasher.update(data: Data((text + "\u{3}").utf8))
            }
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
