/// Cell references in A1 style: `C17` is column 3, row 17.
public enum CellReference {
    /// The column letters of a 1-based column number: 1 → `A`, 27 → `AA`.
    public static func letters(_ column: Int) -> String {
        var number = column
        var result: [Character] = []
        while number > 0 {
            let remainder = (number - 1) % 26
            result.insert(Character(Unicode.Scalar(UInt8(65 + remainder))), at: 0)
            number = (number - 1) / 26
        }
        return String(result)
    }

    /// The 1-based column and row of a reference such as `C17` (`$C$17` too); nil when it is not one.
    /// A reference without digits (`C`) gives row 0.
    public static func parse(_ text: some StringProtocol) -> (column: Int, row: Int)? {
        var column = 0
        var row = 0
        var sawDigit = false
        for byte in text.utf8 where byte != UInt8(ascii: "$") {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z") where !sawDigit:
                column = column * 26 + Int(byte - 64)
            case UInt8(ascii: "a")...UInt8(ascii: "z") where !sawDigit:
                column = column * 26 + Int(byte - 96)
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                sawDigit = true
                row = row * 10 + Int(byte - 48)
            default:
                return nil
            }
            guard column <= 16_384, row <= 1_048_576 else { return nil }
        }
        return column > 0 ? (column, row) : nil
    }

    /// The column of a reference's bytes (`C17` → 3); nil when it has no letters.
    static func column(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var column = 0
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): column = column * 26 + Int(byte - 64)
            case UInt8(ascii: "$"): continue
            default: return column > 0 ? column : nil
            }
            if column > 16_384 { return nil }
        }
        return column > 0 ? column : nil
    }
}

/// A rectangle of cells, `A3:F200` (both corners included); one cell (`B2`) is a range too.
public struct CellRange: Sendable, Hashable, CustomStringConvertible {
    public var firstColumn: Int
    public var firstRow: Int
    public var lastColumn: Int
    public var lastRow: Int

    public init(firstColumn: Int, firstRow: Int, lastColumn: Int, lastRow: Int) {
        self.firstColumn = firstColumn
        self.firstRow = firstRow
        self.lastColumn = lastColumn
        self.lastRow = lastRow
    }

    /// Parses `A3:F200` or `B2`; nil when it is neither, or the corners are the wrong way round.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let first = CellReference.parse(parts[0]),
            let last = CellReference.parse(parts[parts.count - 1]), first.row > 0, last.row > 0,
            first.column <= last.column, first.row <= last.row
        else { return nil }
        self.init(firstColumn: first.column, firstRow: first.row, lastColumn: last.column, lastRow: last.row)
    }

    public func contains(column: Int, row: Int) -> Bool {
        (firstColumn...lastColumn).contains(column) && (firstRow...lastRow).contains(row)
    }

    public var description: String {
        "\(CellReference.letters(firstColumn))\(firstRow):\(CellReference.letters(lastColumn))\(lastRow)"
    }
}
