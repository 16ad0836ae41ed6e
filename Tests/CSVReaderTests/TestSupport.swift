import Foundation
import LagesbildModel

@testable import CSVReader

/// A temporary file holding `bytes`, removed after `body`.
func withTemporaryFile<T>(_ bytes: [UInt8], name: String = "test.csv", _ body: (String) throws -> T) throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("csvreader-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent(name).path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return try body(path)
}

/// Everything one pass over a file gives.
struct ReadResult {
    var encoding: TextEncoding
    var encodingWasDetected: Bool
    var delimiter: UInt8
    var header: [String]
    var headerLine: Int
    var titleLines: [String]
    var rows: [[String]]
    var lines: [Int]
    var rawTexts: [String]
    var rejected: [RejectedRecord]
    var summary: CSVReadSummary
}

func read(_ bytes: [UInt8], dialect: CSVDialect = CSVDialect()) throws -> ReadResult {
    try withTemporaryFile(bytes) { path in try read(path: path, dialect: dialect) }
}

func read(path: String, dialect: CSVDialect = CSVDialect()) throws -> ReadResult {
    let reader = try CSVFileReader(path: path, dialect: dialect)
    var rows: [[String]] = []
    var lines: [Int] = []
    var rawTexts: [String] = []
    var rejected: [RejectedRecord] = []
    let summary = try reader.forEachRecord { record in
        rows.append(record.strings)
        lines.append(record.line)
        rawTexts.append(record.rawText)
    } onReject: {
        rejected.append($0)
    }
    return ReadResult(
        encoding: reader.encoding, encodingWasDetected: reader.encodingWasDetected, delimiter: reader.delimiter,
        header: reader.header, headerLine: reader.headerLine, titleLines: reader.titleLines, rows: rows,
        lines: lines, rawTexts: rawTexts, rejected: rejected, summary: summary)
}

/// UTF-8 bytes of a Swift string.
func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }
