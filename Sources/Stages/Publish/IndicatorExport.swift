import CSVReader
import Foundation
import GRDB

/// The exported forms of an indicator table: plain CSV, Swedish Excel CSV and JSON.
public enum IndicatorExport {
    /// The columns of an exported indicator table, in order.
    public static let columns = [
        "indicator_id", "title", "area_code", "area_name", "area_level", "period", "period_type", "breakdown",
        "breakdown_value", "numerator", "denominator", "value", "ci_low", "ci_high", "change_abs", "change_pct",
        "moving_avg_3", "unit", "status", "note", "flags",
    ]

    /// A CSV dialect for exports.
    public enum Dialect: String, Sendable, CaseIterable {
        /// UTF-8, comma, decimal point, LF: for programs.
        case plain
        /// UTF-8 with a byte-order mark, semicolon, decimal comma, CRLF: what Swedish Excel opens directly.
        case swedishExcel = "excel-sv"

        /// The file name suffix, before `.csv`.
        public var suffix: String { self == .plain ? "" : ".excel-sv" }
    }

    /// One exported cell: text, a number, or nothing.
    public enum Field: Sendable, Hashable {
        case text(String)
        case number(Double)
        case null
    }

    /// Reads the exported rows of an indicator table from the workspace.
    static func rows(_ db: Database, indicator: String) throws -> [[Field]] {
        let statement = try db.makeStatement(
            sql: """
                SELECT v.*, i.title, i.unit FROM indicator_values v JOIN indicators i ON i.id = v.indicator_id
                WHERE v.indicator_id = ?
                ORDER BY v.breakdown, v.area_level, v.area_code, v.breakdown_value, v.period
                """)
        statement.arguments = [indicator]
        // Each export column's position, found once: a look-up by name on every row lowercases the names
        // (a tenth of a national-scale publish). The first column of a name wins, as in a look-up by name;
        // a column the query lacks is exported empty.
        let names = statement.columnNames.map { $0.lowercased() }
        let positions = columns.map { names.firstIndex(of: $0.lowercased()) }
        return try Row.fetchAll(statement).map { row in
            positions.map { position in position.map { field(row[$0]) } ?? .null }
        }
    }

    /// Reads the rows of any workspace query as exported fields, with its column names.
    static func rows(_ db: Database, sql: String) throws -> (columns: [String], rows: [[Field]]) {
        let statement = try db.makeStatement(sql: sql)
        let names = statement.columnNames
        let rows = try Row.fetchAll(statement).map { row in names.indices.map { field(row[$0]) } }
        return (names, rows)
    }

    /// A stored value as an exported cell (a blob is exported empty).
    static func field(_ value: DatabaseValue) -> Field {
        switch value.storage {
        case .null, .blob: return .null
        case .int64(let number): return .number(Double(number))
        case .double(let number): return .number(number)
        case .string(let string): return .text(string)
        }
    }

    /// The table as CSV in `dialect`, with `columns` as the header (an indicator table's by default).
    public static func csv(_ rows: [[Field]], columns: [String] = IndicatorExport.columns, dialect: Dialect) throws
        -> Data
    {
        var writer =
            dialect == .plain
            ? CSVWriter(delimiter: UInt8(ascii: ","), encoding: .utf8, byteOrderMark: false, lineEnding: .lf)
            : CSVWriter(delimiter: UInt8(ascii: ";"), encoding: .utf8, byteOrderMark: true, lineEnding: .crlf)
        try writer.writeRow(columns)
        for row in rows {
            try writer.writeRow(
                row.map { field in
                    switch field {
                    case .null: return ""
                    case .text(let text): return text
                    case .number(let number): return format(number, decimalComma: dialect == .swedishExcel)
                    }
                })
        }
        return writer.data
    }

    /// The table as JSON: an array of objects keyed by column (keys sorted), numbers as numbers, nulls
    /// as null, two-space indentation.
    ///
    /// Written by hand: Foundation's `JSONSerialization` with sorted keys compares keys through
    /// `NSString` with a locale on Linux and took 8 of the 13 seconds of a national-scale publish.
    public static func json(_ rows: [[Field]], columns: [String] = IndicatorExport.columns) throws -> Data {
        let order = columns.indices.sorted { columns[$0] < columns[$1] }
        let keys = order.map { "    " + quoted(columns[$0]) + " : " }
        var text = "["
        for (rowIndex, row) in rows.enumerated() {
            text += rowIndex == 0 ? "\n  {\n" : ",\n  {\n"
            for (position, column) in order.enumerated() {
                text += keys[position]
                switch column < row.count ? row[column] : .null {
                case .null: text += "null"
                case .text(let value): text += quoted(value)
                case .number(let value): text += value.isFinite ? "\(value)" : "null"
                }
                text += position + 1 < order.count ? ",\n" : "\n"
            }
            text += "  }"
        }
        text += rows.isEmpty ? "]" : "\n]"
        return Data(text.utf8)
    }

    /// A JSON string literal.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// A number as exported: whole numbers without decimals, others with up to 6 decimals (trailing
    /// zeros dropped), never in exponent form.
    public static func format(_ number: Double, decimalComma: Bool) -> String {
        if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
        let separator = decimalComma ? "," : "."
        // Millionths in an integer: the usual case, without `String(format:)` (slow on Linux).
        let micro = (abs(number) * 1_000_000).rounded()
        if number.isFinite, micro < 1e15 {
            let millionths = Int64(micro)
            var fraction = String(millionths % 1_000_000)
            fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
            while fraction.hasSuffix("0") { fraction.removeLast() }
            let sign = number < 0 && millionths != 0 ? "-" : ""
            return sign + String(millionths / 1_000_000) + (fraction.isEmpty ? "" : separator + fraction)
        }
        var text = String(format: "%.6f", number)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return decimalComma ? text.replacingOccurrences(of: ".", with: ",") : text
    }
}
