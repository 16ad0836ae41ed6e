/// A table that the publish stage loads into PostgreSQL: its name, its columns and its rows.
///
/// Names are validated before anything is sent to the server (``SQLName/validate(_:what:)``): COPY and
/// `CREATE TABLE` interpolate them into SQL.
public struct PublishedTable: Sendable, Equatable {
    public var name: String
    public var columns: [PublishedColumn]
    public var rows: [[PublishedValue]]

    public init(name: String, columns: [PublishedColumn], rows: [[PublishedValue]]) {
        self.name = name
        self.columns = columns
        self.rows = rows
    }
}

/// One column of a ``PublishedTable``.
public struct PublishedColumn: Sendable, Equatable {
    public enum ColumnType: String, Sendable, Equatable, CaseIterable {
        /// `text`; takes ``PublishedValue/text(_:)``.
        case text
        /// `bigint`; takes ``PublishedValue/integer(_:)``.
        case integer
        /// `double precision`; takes ``PublishedValue/double(_:)`` and ``PublishedValue/integer(_:)``.
        case double
        /// `numeric` (exact decimal, any precision); takes ``PublishedValue/double(_:)`` (its shortest
        /// round-tripping spelling) and ``PublishedValue/integer(_:)``.
        case numeric
        /// `date`; takes ``PublishedValue/text(_:)`` as `YYYY-MM-DD`.
        case date
        /// `timestamp with time zone`; takes ``PublishedValue/text(_:)`` in a form PostgreSQL reads, such as
        /// `2024-03-01 12:00:00+01` or `2024-03-01` (text without an offset is read as UTC).
        case timestamp

        /// The PostgreSQL type, spelled as `information_schema.columns.data_type` spells it.
        var sqlType: String {
            switch self {
            case .text: return "text"
            case .integer: return "bigint"
            case .double: return "double precision"
            case .numeric: return "numeric"
            case .date: return "date"
            case .timestamp: return "timestamp with time zone"
            }
        }
    }

    public var name: String
    public var type: ColumnType

    public init(name: String, type: ColumnType) {
        self.name = name
        self.type = type
    }
}

/// One cell of a ``PublishedTable``.
public enum PublishedValue: Sendable, Equatable {
    case null
    case text(String)
    case integer(Int64)
    case double(Double)
}

/// SQL identifiers the publisher accepts: lowercase ASCII letters, digits and `_`, starting with a letter, at
/// most 63 bytes (PostgreSQL's limit). Anything else is refused rather than quoted, since COPY and DDL interpolate
/// the names.
public enum SQLName {
    public static let maximumLength = 63

    public static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= maximumLength, isLetter(first) else { return false }
        return bytes.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") }
    }

    /// Throws ``PostgresPublishError/invalidName(_:what:)`` unless `name` is valid.
    public static func validate(_ name: String, what: String) throws(PostgresPublishError) {
        guard isValid(name) else { throw .invalidName(name, what: what) }
    }

    private static func isLetter(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") }
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
