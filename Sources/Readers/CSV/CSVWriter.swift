import Foundation
import LagesbildModel

/// Writes rows as CSV in a given dialect: delimiter, encoding (optionally with a byte-order mark),
/// quoting where needed and CRLF or LF line breaks.
///
/// A field is quoted when it holds the delimiter, a quote, CR or LF (quotes are doubled inside), or
/// when every field of its row is empty (so that the row is not read back as a blank line).
///
/// ```swift
/// var writer = CSVWriter(delimiter: UInt8(ascii: ";"), encoding: .windows1252)
/// try writer.writeRow(["Kommun", "Antal"])
/// try writer.writeRow(["Halmstad", "1 234"])
/// try writer.write(toFile: "/tmp/ut.csv")
/// ```
public struct CSVWriter: Sendable {
    /// The line break written after each row.
    public enum LineEnding: String, Sendable, Hashable, CaseIterable {
        case crlf
        case lf

        var bytes: [UInt8] { self == .crlf ? [13, 10] : [10] }
    }

    public var delimiter: UInt8
    public var encoding: TextEncoding
    /// Whether the output starts with a byte-order mark (UTF-8 and UTF-16 only).
    public var byteOrderMark: Bool
    public var lineEnding: LineEnding
    /// Quote every field, not only those that need it.
    public var quoteAll: Bool
    /// The encoded rows written so far, without the byte-order mark.
    public private(set) var body: [UInt8] = []
    /// Rows written so far.
    public private(set) var rowCount = 0

    public init(
        delimiter: UInt8 = UInt8(ascii: ";"),
        encoding: TextEncoding = .utf8,
        byteOrderMark: Bool = false,
        lineEnding: LineEnding = .crlf,
        quoteAll: Bool = false
    ) {
        self.delimiter = delimiter
        self.encoding = encoding
        self.byteOrderMark = byteOrderMark
        self.lineEnding = lineEnding
        self.quoteAll = quoteAll
    }

    /// Appends one row; throws ``CSVWriterError`` when a character cannot be written in ``encoding``.
    public mutating func writeRow<Row: Sequence>(_ fields: Row) throws where Row.Element: StringProtocol {
        rowCount += 1
        body += try encodeRow(fields, rowNumber: rowCount)
    }

    /// The byte-order mark for ``encoding``, or nothing.
    public var byteOrderMarkBytes: [UInt8] {
        guard byteOrderMark else { return [] }
        switch encoding {
        case .utf8: return [0xEF, 0xBB, 0xBF]
        case .utf16LittleEndian: return [0xFF, 0xFE]
        case .utf16BigEndian: return [0xFE, 0xFF]
        case .windows1252, .iso88591: return []
        }
    }

    /// Everything written so far, with the byte-order mark.
    public var data: Data { Data(byteOrderMarkBytes + body) }

    /// Writes ``data`` to `path`, replacing the file atomically.
    public func write(toFile path: String) throws {
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// One row, encoded and terminated, without touching the writer: for callers that stream rows to a
    /// file themselves (write ``byteOrderMarkBytes`` first).
    public func encodeRow<Row: Sequence>(_ fields: Row, rowNumber: Int = 1) throws -> [UInt8]
    where Row.Element: StringProtocol {
        var utf8: [UInt8] = []
        let fields = Array(fields)
        let allEmpty = fields.allSatisfy(\.isEmpty)
        for (index, field) in fields.enumerated() {
            if index > 0 { utf8.append(delimiter) }
            let bytes = Array(field.utf8)
            if quoteAll || (allEmpty && index == 0) || needsQuotes(bytes) {
                utf8.append(34)
                for byte in bytes {
                    utf8.append(byte)
                    if byte == 34 { utf8.append(34) }
                }
                utf8.append(34)
            } else {
                utf8 += bytes
            }
        }
        utf8 += lineEnding.bytes
        return try Self.encode(utf8, as: encoding, rowNumber: rowNumber)
    }

    private func needsQuotes(_ bytes: [UInt8]) -> Bool {
        bytes.contains { $0 == delimiter || $0 == 34 || $0 == 10 || $0 == 13 }
    }

    /// Transcodes UTF-8 to `encoding`.
    static func encode(_ utf8: [UInt8], as encoding: TextEncoding, rowNumber: Int) throws -> [UInt8] {
        switch encoding {
        case .utf8:
            return utf8
        case .utf16LittleEndian, .utf16BigEndian:
            var out: [UInt8] = []
            out.reserveCapacity(utf8.count * 2)
            for unit in String(decoding: utf8, as: UTF8.self).utf16 {
                if encoding == .utf16LittleEndian {
                    out += [UInt8(unit & 0xFF), UInt8(unit >> 8)]
                } else {
                    out += [UInt8(unit >> 8), UInt8(unit & 0xFF)]
                }
            }
            return out
        case .windows1252, .iso88591:
            var out: [UInt8] = []
            out.reserveCapacity(utf8.count)
            for scalar in String(decoding: utf8, as: UTF8.self).unicodeScalars {
                guard let byte = singleByte(scalar.value, encoding) else {
                    throw CSVWriterError(
                        message:
                            "row \(rowNumber) holds “\(Character(scalar))” (U+\(String(scalar.value, radix: 16, uppercase: true))),"
                            + " which \(encoding.rawValue) cannot encode")
                }
                out.append(byte)
            }
            return out
        }
    }

    /// The byte for `scalar` in Windows-1252 or ISO-8859-1, or nil.
    static func singleByte(_ scalar: UInt32, _ encoding: TextEncoding) -> UInt8? {
        if scalar < 0x80 { return UInt8(scalar) }
        if encoding == .iso88591 { return scalar <= 0xFF ? UInt8(scalar) : nil }
        if scalar >= 0xA0 && scalar <= 0xFF { return UInt8(scalar) }
        if let offset = SingleByteDecoding.windows1252High.firstIndex(of: scalar), scalar != 0 {
            return UInt8(0x80 + offset)
        }
        return nil
    }
}

/// A row that cannot be written: a character the encoding cannot represent.
public struct CSVWriterError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
