import Foundation

/// Text helpers that write numbers, CSV fields, encodings and JSON the way the Python script that first
/// wrote the Halmstad sample did, so that the files keep their bytes.
enum PythonFormat {
    static let nbsp = "\u{00A0}"

    /// `round(x)`: to the nearest whole number, halves to even.
    static func round(_ value: Double) -> Int { Int(value.rounded(.toNearestOrEven)) }

    /// `f"{value:.{decimals}f}"` (correctly rounded, as C's printf).
    static func fixed(_ value: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", value) }

    /// A Swedish number: thousands separated by a no-break space, decimal comma (`f"{v:,.{d}f}"`).
    static func svNumber(_ value: Double, decimals: Int = 0) -> String {
        let text = fixed(value, decimals)
        let parts = text.split(separator: ".", maxSplits: 1)
        var whole = String(parts[0])
        let negative = whole.hasPrefix("-")
        if negative { whole.removeFirst() }
        var grouped = ""
        for (offset, digit) in whole.enumerated() {
            if offset > 0, (whole.count - offset) % 3 == 0 { grouped += nbsp }
            grouped.append(digit)
        }
        return (negative ? "-" : "") + grouped + (parts.count > 1 ? "," + parts[1] : "")
    }

    /// A decimal with a comma (`f"{v:.{d}f}".replace(".", ",")`).
    static func svDecimal(_ value: Double, decimals: Int = 1) -> String {
        fixed(value, decimals).replacingOccurrences(of: ".", with: ",")
    }

    /// A CSV field, quoted (quotes doubled) when it holds the separator, a quote or a line break.
    static func csvField(_ value: String, separator: Character) -> String {
        guard value.contains(where: { $0 == separator || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return value
        }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Python's ordering of strings: by Unicode code points.
    static func codePointsAscending(_ lhs: String, _ rhs: String) -> Bool {
        lhs.unicodeScalars.lexicographicallyPrecedes(rhs.unicodeScalars) { $0.value < $1.value }
    }

    private static let windows1252High: [UInt32: UInt8] = [
        0x20AC: 0x80, 0x201A: 0x82, 0x0192: 0x83, 0x201E: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87,
        0x02C6: 0x88, 0x2030: 0x89, 0x0160: 0x8A, 0x2039: 0x8B, 0x0152: 0x8C, 0x017D: 0x8E, 0x2018: 0x91,
        0x2019: 0x92, 0x201C: 0x93, 0x201D: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97, 0x02DC: 0x98,
        0x2122: 0x99, 0x0161: 0x9A, 0x203A: 0x9B, 0x0153: 0x9C, 0x017E: 0x9E, 0x0178: 0x9F,
    ]

    /// Text in Windows-1252; a character it cannot hold is an error.
    static func windows1252(_ text: String) throws -> [UInt8] {
        try text.unicodeScalars.map { scalar in
            if scalar.value < 0x80 || (0xA0...0xFF).contains(scalar.value) { return UInt8(scalar.value) }
            if let byte = windows1252High[scalar.value] { return byte }
            throw SampleGeneratorError("U+\(String(scalar.value, radix: 16)) cannot be written in Windows-1252")
        }
    }

    /// Text in ISO-8859-1; a character it cannot hold is an error.
    static func latin1(_ text: String) throws -> [UInt8] {
        try text.unicodeScalars.map { scalar in
            guard scalar.value <= 0xFF else {
                throw SampleGeneratorError("U+\(String(scalar.value, radix: 16)) cannot be written in ISO-8859-1")
            }
            return UInt8(scalar.value)
        }
    }

    /// UTF-8 with a byte-order mark.
    static func utf8BOM(_ text: String) -> [UInt8] { [0xEF, 0xBB, 0xBF] + Array(text.utf8) }

    /// UTF-16LE with a byte-order mark (FF FE).
    static func utf16LEBOM(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in text.utf16 {
            bytes.append(UInt8(unit & 0xFF))
            bytes.append(UInt8(unit >> 8))
        }
        return bytes
    }
}

/// A JSON value whose objects keep their keys' order, written as Python's `json.dump(…,
/// ensure_ascii=False, indent=n)` writes it.
indirect enum PythonJSON {
    case int(Int)
    /// A float, written as Python's `repr` (the shortest text that reads back the same).
    case double(Double)
    case string(String)
    case null
    case array([PythonJSON])
    case object([(String, PythonJSON)])

    /// The text, without a trailing newline.
    func text(indent: Int) -> String {
        var out = ""
        write(into: &out, indent: indent, depth: 0)
        return out
    }

    private func write(into out: inout String, indent: Int, depth: Int) {
        let inner = String(repeating: " ", count: indent * (depth + 1))
        let outer = String(repeating: " ", count: indent * depth)
        switch self {
        case .int(let value): out += String(value)
        case .double(let value): out += "\(value)"
        case .string(let value): out += Self.quoted(value)
        case .null: out += "null"
        case .array(let items):
            guard !items.isEmpty else {
                out += "[]"
                return
            }
            out += "[\n"
            for (offset, item) in items.enumerated() {
                out += inner
                item.write(into: &out, indent: indent, depth: depth + 1)
                out += offset == items.count - 1 ? "\n" : ",\n"
            }
            out += outer + "]"
        case .object(let members):
            guard !members.isEmpty else {
                out += "{}"
                return
            }
            out += "{\n"
            for (offset, (key, value)) in members.enumerated() {
                out += inner + Self.quoted(key) + ": "
                value.write(into: &out, indent: indent, depth: depth + 1)
                out += offset == members.count - 1 ? "\n" : ",\n"
            }
            out += outer + "}"
        }
    }

    private static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
