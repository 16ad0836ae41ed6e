import Dispatch
import Foundation
import PipelineModel
import StageKit
import Workspace

/// One table to export: its files' base name, columns and rows, and the prefix of its files' kinds.
struct ExportTable: Sendable {
    var name: String
    var columns: [String]
    var rows: [[IndicatorExport.Field]]
    var kindPrefix: String = ""
    /// The metadata key its log line names it by: `indicator` or `table`.
    var logKey: String = "table"
}

/// What `publications` records of one exported file.
struct WrittenExport: Sendable {
    var kind: String
    /// Its file name in the output folder.
    var name: String
    var rows: Int
    var writtenAt: String
    var sha256: String
}

/// Formats and writes the exports on a thread of their own, so the reports are built from the database
/// meanwhile: the files need only the rows, already read. ``wait()`` returns what was written, in order.
final class ExportWriting: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    /// Set once by the writing thread before it signals `done`; read only after `done`.
    private var result: Result<(files: [WrittenExport], reuse: ExportReuse), any Error>?

    /// Starts writing `tables` into `staging` as `outputs` asks, reusing the previous generation's files.
    static func start(_ tables: [ExportTable], reuse: ExportReuse, outputs: OutputSpec, staging: String)
        -> ExportWriting
    {
        let writing = ExportWriting()
        DispatchQueue.global(qos: .userInitiated).async {
            writing.result = Result {
                var reuse = reuse
                let files = try tables.flatMap { table in
                    try write(table, outputs: outputs, staging: staging, reuse: &reuse)
                }
                return (files, reuse)
            }
            writing.done.signal()
        }
        return writing
    }

    /// Waits for the files to be written; rethrows what failed.
    func wait() throws -> (files: [WrittenExport], reuse: ExportReuse) {
        done.wait()
        return try result!.get()
    }

    /// Writes a table's exported files into the staging folder — or links the previous generation's where
    /// they were made from the same rows.
    static func write(_ table: ExportTable, outputs: OutputSpec, staging: String, reuse: inout ExportReuse) throws
        -> [WrittenExport]
    {
        let files = PublishStage.files(
            table.name, rows: table.rows, columns: table.columns, outputs: outputs, kindPrefix: table.kindPrefix)
        guard !files.isEmpty else { return [] }
        let digest = ExportReuse.digest(columns: table.columns, rows: table.rows)
        return try files.map { file in
            let fileDigest = ExportReuse.digest(table: digest, kind: file.kind)
            if let reused = reuse.reuse(file.path, kind: file.kind, digest: fileDigest, staging: staging) {
                return WrittenExport(
                    kind: file.kind, name: file.path, rows: table.rows.count, writtenAt: reused.writtenAt,
                    sha256: reused.sha256)
            }
            let data = try file.data()
            let path = (staging as NSString).appendingPathComponent(file.path)
            try AtomicFile.write(data, to: path)
            let entry = ExportReuse.Entry(
                kind: file.kind, digest: fileDigest, sha256: PublishStage.sha256(data), rows: table.rows.count,
                writtenAt: isoTimestamp(), size: Int64(data.count), modified: 0)
            reuse.record(file.path, path: path, entry: entry)
            return WrittenExport(
                kind: file.kind, name: file.path, rows: table.rows.count, writtenAt: entry.writtenAt,
                sha256: entry.sha256)
        }
    }
}
