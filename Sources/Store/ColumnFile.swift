import Foundation

/// A column file: the compact stage storage for per-event rows (millions of them at national scale),
/// kept beside the SQLite workspace, which lists the files each stage output consists of.
///
/// Written by hand because no package available here writes a columnar file from Swift (Parquet and
/// Arrow have no Swift library in the offline package set), and the need is small: a fixed set of
/// integer columns, strings dictionary-encoded, read back chunk by chunk in constant memory.
///
/// Layout (all integers little-endian):
///
///     "LBCOL001"                         8 bytes
///     chunk*                             for each column: rows × width bytes (width 1, 2 or 4)
///     footer                             JSON: ``ColumnFileFooter``
///     footer length                      UInt64
///     "LBCOLEND"                         8 bytes
///
/// Every value is an `Int32`; each chunk stores each column in the narrowest of Int8, Int16 and Int32
/// that holds its values, so a month takes one byte and a line number four.
public enum ColumnFile {
    static let magic = Array("LBCOL001".utf8)
    static let endMagic = Array("LBCOLEND".utf8)
    /// Rows per chunk: the unit of reading and writing (at most 64 K rows × columns × 4 bytes in memory).
    public static let defaultChunkRows = 1 << 16
}

/// The description of a column file, stored at its end.
public struct ColumnFileFooter: Codable, Sendable, Equatable {
    /// One chunk: where it starts, how many rows it has and the byte width of each column.
    public struct Chunk: Codable, Sendable, Equatable {
        public var offset: Int
        public var rows: Int
        public var widths: [Int]
    }

    public var columns: [String]
    public var rows: Int
    public var chunks: [Chunk]
    /// String dictionaries by name: a dictionary-encoded column stores indexes into one of them.
    public var dictionaries: [String: [String]]
    /// Free-form facts about the file (the source, the stage, …).
    public var metadata: [String: String]

    /// The index of the column named `name`.
    public func column(_ name: String) -> Int? { columns.firstIndex(of: name) }
}

/// Problems reading or writing a column file, with the file's path.
public struct ColumnFileError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
