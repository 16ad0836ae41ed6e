import LagesbildModel

/// How a CSV file is written: delimiter, encoding, title lines and whether it has a header.
///
/// Every `nil` property is detected when the file is opened; ``CSVFileReader`` reports what it chose.
public struct CSVDialect: Sendable, Hashable {
    /// The field delimiter byte (`;`, `,` or tab); `nil` detects it among these three.
    public var delimiter: UInt8?
    /// The text encoding; `nil` detects it: a byte-order mark, else UTF-8 when the bytes are valid
    /// UTF-8, else Windows-1252.
    public var encoding: TextEncoding?
    /// The number of physical lines above the header to skip; `nil` detects title lines.
    public var titleLines: Int?
    /// Whether the first row after the title lines names the columns; when `false` the columns are
    /// named `"1"`, `"2"`, ...
    public var hasHeader: Bool
    /// The longest record accepted, in UTF-8 bytes. A quoted field that stays open for longer is
    /// reported as an unterminated quote, which keeps memory bounded on a broken file.
    public var maxRecordBytes: Int
    /// Where the table ends when notes follow it; nil reads to the end of the file.
    public var tableEnd: TableEnd?

    public init(
        delimiter: UInt8? = nil,
        encoding: TextEncoding? = nil,
        titleLines: Int? = nil,
        hasHeader: Bool = true,
        maxRecordBytes: Int = 16 << 20,
        tableEnd: TableEnd? = nil
    ) {
        self.delimiter = delimiter
        self.encoding = encoding
        self.titleLines = titleLines
        self.hasHeader = hasHeader
        self.maxRecordBytes = maxRecordBytes
        self.tableEnd = tableEnd
    }

    /// The delimiters ``CSVFileReader`` detects, in order of preference on a tie.
    public static let detectableDelimiters: [UInt8] = [UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: ",")]
}

/// A CSV file that cannot be read at all: it cannot be opened, is empty, or has no header.
///
/// Problems with single rows are not errors: they become ``RejectedRecord``s and reading goes on.
public struct CSVError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where the problem is (line 1 when it concerns the whole file).
    public var location: SourceLocation
    /// A sentence saying what is wrong.
    public var message: String

    public init(location: SourceLocation, message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(message)" }
}

/// What one pass over a CSV file found.
///
/// Invariant: `rowsRead == rowsDelivered + rowsRejected`; blank lines are not rows.
public struct CSVReadSummary: Sendable, Hashable, Codable {
    /// Data rows read (after the header), delivered or rejected.
    public var rowsRead: Int
    /// Rows handed to the record closure.
    public var rowsDelivered: Int
    /// Rows handed to the reject closure.
    public var rowsRejected: Int
    /// Blank lines skipped anywhere in the file (empty lines and lines of delimiters only).
    public var blankLines: Int
    /// Bytes read from the file.
    public var bytesRead: Int
    /// Non-blank lines after the table's end (``CSVDialect/tableEnd``): skipped, not rows.
    public var linesSkipped: Int = 0

    public init(
        rowsRead: Int = 0, rowsDelivered: Int = 0, rowsRejected: Int = 0, blankLines: Int = 0, bytesRead: Int = 0
    ) {
        self.rowsRead = rowsRead
        self.rowsDelivered = rowsDelivered
        self.rowsRejected = rowsRejected
        self.blankLines = blankLines
        self.bytesRead = bytesRead
    }
}
