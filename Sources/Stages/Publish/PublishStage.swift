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
    /// The exports are written on a thread of their own while the reports are built (``ExportWriting``).
    func writeFiles(_ context: StageContext) throws -> StageCounts {
        let directory = context.stagingDirectory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var counts = StageCounts()
        try context.workspace.database.write { db in
            try db.execute(sql: "DELETE FROM publications")
            let tables = try Self.exportTables(db, context: context)
            for table in tables where table.logKey == "indicator" {
                counts.rowsIn += table.rows.count
                counts.rowsOut += table.rows.count
            }
            let writing = ExportWriting.start(
                tables, reuse: ExportReuse(staging: directory, workspace: context.workspace.directory),
                outputs: context.pipeline.outputs, staging: directory)
            // Whatever happens to the reports, the writing thread is waited for before the stage goes on.
            let reports = Result { try Self.writeReports(db, context: context) }
            let (files, reuse) = try writing.wait()
            try reuse.writeManifest()
            for file in files + (try reports.get()) {
                try db.execute(
                    sql: "INSERT INTO publications (kind, path, rows, written_at, sha256) VALUES (?, ?, ?, ?, ?)",
                    arguments: [
                        file.kind, (context.outputDirectory as NSString).appendingPathComponent(file.name), file.rows,
                        file.writtenAt, file.sha256,
                    ])
            }
            for table in tables {
                context.logger.info(
                    "published", metadata: [table.logKey: "\(table.name)", "rows": "\(table.rows.count)"])
            }
        }
        return counts
    }

    /// The tables to export, read from the workspace: each indicator's, the follow-up tables, the texts.
    /// Records the targets' follow-up in `followup_history` on the way.
    static func exportTables(_ db: Database, context: StageContext) throws -> [ExportTable] {
        var tables: [ExportTable] = []
        let indicators = try String.fetchAll(db, sql: "SELECT id FROM indicators ORDER BY id")
        for indicator in indicators {
            tables.append(
                ExportTable(
                    name: indicator, columns: IndicatorExport.columns,
                    rows: try IndicatorExport.rows(db, indicator: indicator), logKey: "indicator"))
        }
        try FollowUpExport.recordHistory(db, runID: context.runID, at: isoTimestamp())
        let indicatorIDs = Set(indicators)
        for table in FollowUpExport.tables(context.pipeline) {
            guard !indicatorIDs.contains(table.name) else {
                throw StageDataError(
                    stage: .publish,
                    message: "the indicator id '\(table.name)' names a follow-up file; give the indicator another id")
            }
            let (columns, rows) = try IndicatorExport.rows(db, sql: table.sql)
            tables.append(ExportTable(name: table.name, columns: columns, rows: rows, kindPrefix: "followup-"))
        }
        if let sql = ObservationTextExport.sql(context.pipeline) {
            let (columns, rows) = try IndicatorExport.rows(db, sql: sql)
            tables.append(
                ExportTable(name: ObservationTextExport.name, columns: columns, rows: rows, kindPrefix: "texts-"))
        }
        return tables
    }

    /// Stores the map data and writes the two reports (when the outputs ask for them); returns what
    /// `publications` is to record of them.
    static func writeReports(_ db: Database, context: StageContext) throws -> [WrittenExport] {
        try MapData.store(db, context: context)
        guard context.pipeline.outputs.report else { return [] }
        let directory = context.stagingDirectory
        let report = try LagesbildReport.html(db: db, pipeline: context.pipeline, runID: context.runID)
        let html = Data(report.html.utf8)
        try AtomicFile.write(html, to: (directory as NSString).appendingPathComponent(reportFileName))
        context.logger.info("report written", metadata: ["file": "\(reportFileName)"])
        let written = WrittenExport(
            kind: "report", name: reportFileName, rows: report.indicators, writtenAt: isoTimestamp(),
            sha256: sha256(html))
        let followUp = try FollowUpReportBuilder(db: db, pipeline: context.pipeline, runID: context.runID).build()
        let followUpHTML = Data(FollowUpReportRenderer.render(followUp).utf8)
        try AtomicFile.write(followUpHTML, to: (directory as NSString).appendingPathComponent(followUpFileName))
        return [
            written,
            WrittenExport(
                kind: "followup-report", name: followUpFileName, rows: followUp.targets.count,
                writtenAt: isoTimestamp(), sha256: sha256(followUpHTML)),
        ]
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
