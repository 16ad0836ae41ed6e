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
            for indicator in indicators where context.pipeline.outputs.csv {
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT v.*, i.title, i.unit FROM indicator_values v JOIN indicators i ON i.id = v.indicator_id
                        WHERE v.indicator_id = ?
                        ORDER BY v.breakdown, v.area_level, v.area_code, v.breakdown_value, v.period
                        """,
                    arguments: [indicator])
                counts.rowsIn += rows.count
                let path = (directory as NSString).appendingPathComponent("\(indicator).csv")
                try AtomicFile.write(IndicatorTable.plainCSV(rows), to: path)
                try db.execute(
                    sql: "INSERT INTO publications (kind, path, rows, written_at) VALUES ('csv', ?, ?, ?)",
                    arguments: [path, rows.count, isoTimestamp()])
                counts.rowsOut += rows.count
                context.logger.info("published", metadata: ["file": "\(path)", "rows": "\(rows.count)"])
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

/// The indicator table as CSV.
enum IndicatorTable {
    static let columns = [
        "indicator_id", "title", "area_code", "area_name", "area_level", "period", "period_type", "breakdown",
        "breakdown_value", "numerator", "denominator", "value", "ci_low", "ci_high", "change_abs", "change_pct",
        "moving_avg_3", "unit", "status", "note", "flags",
    ]

    /// Plain dialect: UTF-8, comma, decimal point, LF.
    static func plainCSV(_ rows: [Row]) -> Data {
        var text = columns.joined(separator: ",") + "\n"
        for row in rows {
            let fields: [String] = columns.map { column in
                let value = row[column] as DatabaseValue
                switch value.storage {
                case .null: return ""
                case .int64(let number): return String(number)
                case .double(let number): return format(number)
                case .string(let string): return quote(string)
                case .blob: return ""
                }
            }
            text += fields.joined(separator: ",") + "\n"
        }
        return Data(text.utf8)
    }

    /// Whole numbers without decimals, others with up to 4 decimals.
    static func format(_ number: Double) -> String {
        if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
        return String(format: "%.4f", number)
    }

    static func quote(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
