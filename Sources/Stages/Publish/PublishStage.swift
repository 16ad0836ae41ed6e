import Foundation
import GRDB
import LagesbildModel
import Logging
import PipelineModel
import StageKit
import Workspace

/// Publish: writes each indicator's table from the workspace to the output folder, each file under a
/// temporary name renamed into place, so a reader never sees half a file.
public struct PublishStage: PipelineStage {
    public var stage: Stage { .publish }

    public init() {}

    public func run(_ context: StageContext) throws -> StageCounts {
        let directory = context.outputDirectory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var counts = StageCounts()
        try context.workspace.database.write { db in
            try db.execute(sql: "DELETE FROM publications")
            let indicators = try String.fetchAll(db, sql: "SELECT id FROM indicators ORDER BY id")
            for indicator in indicators {
                let rows = try IndicatorExport.rows(db, indicator: indicator)
                counts.rowsIn += rows.count
                var files: [(kind: String, path: String, data: Data)] = []
                if context.pipeline.outputs.csv {
                    for dialect in IndicatorExport.Dialect.allCases {
                        files.append(
                            (
                                "csv-\(dialect.rawValue)", "\(indicator)\(dialect.suffix).csv",
                                try IndicatorExport.csv(rows, dialect: dialect)
                            ))
                    }
                }
                if context.pipeline.outputs.json {
                    files.append(("json", "\(indicator).json", try IndicatorExport.json(rows)))
                }
                for file in files {
                    let path = (directory as NSString).appendingPathComponent(file.path)
                    try AtomicFile.write(file.data, to: path)
                    try db.execute(
                        sql: "INSERT INTO publications (kind, path, rows, written_at) VALUES (?, ?, ?, ?)",
                        arguments: [file.kind, path, rows.count, isoTimestamp()])
                }
                counts.rowsOut += rows.count
                context.logger.info("published", metadata: ["indicator": "\(indicator)", "rows": "\(rows.count)"])
            }
        }
        return counts
    }
}

/// Writes files so that readers see either the old or the new content, never half of it.
public enum AtomicFile {
    /// Writes `data` to a temporary file beside `path`, flushes it, and renames it over `path`.
    public static func write(_ data: Data, to path: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary])
        }
        if rename(temporary, path) != 0 {
            let code = errno
            unlink(temporary)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
    }
}
