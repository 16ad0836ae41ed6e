import PostgresNIO

/// Writes rows in the text format of `COPY … FROM STDIN`: values separated by tab, rows ended by newline, `\N` for
/// NULL, and backslash, tab, carriage return and newline escaped inside values.
enum CopyTextEncoder {
    /// The text format spelling of `text`, escaped. Throws for a NUL character, which PostgreSQL text cannot hold.
    static func escape(_ text: String) throws(CopyValueError) -> String {
        var buffer = ByteBuffer()
        try appendEscaped(text, to: &buffer)
        return buffer.readString(length: buffer.readableBytes) ?? ""
    }

    static func appendEscaped(_ text: String, to buffer: inout ByteBuffer) throws(CopyValueError) {
        let needsWork = text.utf8.contains {
            $0 == backslash || $0 == tab || $0 == newline || $0 == carriageReturn || $0 == 0
        }
        guard needsWork else {
            buffer.writeString(text)
            return
        }
        for byte in text.utf8 {
            switch byte {
            case backslash: buffer.writeBytes([backslash, backslash])
            case tab: buffer.writeBytes([backslash, UInt8(ascii: "t")])
            case newline: buffer.writeBytes([backslash, UInt8(ascii: "n")])
            case carriageReturn: buffer.writeBytes([backslash, UInt8(ascii: "r")])
            case 0: throw .nulCharacter
            default: buffer.writeInteger(byte)
            }
        }
    }

    /// Appends one row, checking each value against its column's type. `rowNumber` (from 1) is for errors.
    static func appendRow(
        _ row: [PublishedValue],
        of table: PublishedTable,
        rowNumber: Int,
        to buffer: inout ByteBuffer
    ) throws(PostgresPublishError) {
        guard row.count == table.columns.count else {
            throw .rowWidth(table: table.name, row: rowNumber, expected: table.columns.count, actual: row.count)
        }
        for (index, value) in row.enumerated() {
            if index > 0 { buffer.writeInteger(tab) }
            let column = table.columns[index]
            do {
                try appendValue(value, type: column.type, to: &buffer)
            } catch {
                throw .invalidValue(table: table.name, row: rowNumber, column: column.name, reason: error.description)
            }
        }
        buffer.writeInteger(newline)
    }

    static func appendValue(
        _ value: PublishedValue,
        type: PublishedColumn.ColumnType,
        to buffer: inout ByteBuffer
    ) throws(CopyValueError) {
        switch (value, type) {
        case (.null, _):
            buffer.writeBytes([backslash, UInt8(ascii: "N")])
        case (.text(let text), .text), (.text(let text), .timestamp):
            try appendEscaped(text, to: &buffer)
        case (.integer(let number), .integer), (.integer(let number), .double):
            buffer.writeString(String(number))
        case (.double(let number), .double):
            buffer.writeString(spelling(of: number))
        default:
            throw .typeMismatch(value: value.kindName, column: type)
        }
    }

    /// Swift's shortest round-tripping spelling, which PostgreSQL reads back exactly; the special values spelled
    /// as PostgreSQL spells them.
    static func spelling(of number: Double) -> String {
        if number.isNaN { return "NaN" }
        if number.isInfinite { return number < 0 ? "-Infinity" : "Infinity" }
        return number.description
    }

    private static let backslash = UInt8(ascii: "\\")
    private static let tab = UInt8(ascii: "\t")
    private static let newline = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")
}

enum CopyValueError: Error, Equatable, CustomStringConvertible {
    case nulCharacter
    case typeMismatch(value: String, column: PublishedColumn.ColumnType)

    var description: String {
        switch self {
        case .nulCharacter:
            return "text contains a NUL character, which PostgreSQL cannot store"
        case .typeMismatch(let value, let column):
            return "\(value) value in a \(column.rawValue) column"
        }
    }
}

extension PublishedValue {
    var kindName: String {
        switch self {
        case .null: return "null"
        case .text: return "text"
        case .integer: return "integer"
        case .double: return "double"
        }
    }
}
