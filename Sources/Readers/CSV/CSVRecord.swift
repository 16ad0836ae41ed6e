import LagesbildModel

/// One data row, as a view into the reader's buffer.
///
/// Valid only inside the closure it is passed to: copy out what you need. Strings are built only for
/// the fields you ask for.
public struct CSVRecord {
    @usableFromInline let bytes: UnsafePointer<UInt8>
    @usableFromInline let fields: UnsafePointer<FieldSpan>
    @usableFromInline let rawRange: Range<Int>
    /// The 1-based physical line where the row starts.
    public let line: Int
    /// The number of fields.
    public let count: Int

    init(bytes: UnsafePointer<UInt8>, fields: UnsafePointer<FieldSpan>, count: Int, rawRange: Range<Int>, line: Int) {
        self.bytes = bytes
        self.fields = fields
        self.count = count
        self.rawRange = rawRange
        self.line = line
    }

    /// The field at `index` (0-based), decoded and unquoted; `""` when `index` is out of range.
    @inlinable
    public func string(at index: Int) -> String {
        guard index >= 0, index < count else { return "" }
        let span = fields[index]
        if !span.hasDoubledQuotes {
            return String(
                decoding: UnsafeBufferPointer(start: bytes + span.start, count: span.end - span.start), as: UTF8.self)
        }
        return withUTF8(at: index) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the UTF-8 bytes of the field at `index` (unquoted; empty when out of range),
    /// without building a String. The buffer is valid only inside `body`.
    @inlinable
    public func withUTF8<Result>(at index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows
        -> Result
    {
        guard index >= 0, index < count else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        let span = fields[index]
        let field = UnsafeBufferPointer(start: bytes + span.start, count: span.end - span.start)
        guard span.hasDoubledQuotes else { return try body(field) }
        var undoubled: [UInt8] = []
        undoubled.reserveCapacity(field.count)
        var position = 0
        while position < field.count {
            let byte = field[position]
            undoubled.append(byte)
            position += byte == UInt8(ascii: "\"") && position + 1 < field.count && field[position + 1] == byte ? 2 : 1
        }
        return try undoubled.withUnsafeBufferPointer(body)
    }

    /// True when the field at `index` is empty (or out of range).
    @inlinable
    public func isEmpty(at index: Int) -> Bool {
        guard index >= 0, index < count else { return true }
        return fields[index].start == fields[index].end
    }

    /// The field at `index` as a Swedish number (see `SwedishNumber.parse`); plain numbers such as
    /// `-12` or `3,25` take a fast path that gives the same result.
    @inlinable
    public func number(at index: Int) -> CellNumber {
        guard index >= 0, index < count else { return .missing(.empty) }
        let span = fields[index]
        if span.start == span.end { return .missing(.empty) }
        if !span.hasDoubledQuotes,
            let value = FastNumber.plainDecimal(
                UnsafeBufferPointer(start: bytes + span.start, count: span.end - span.start))
        {
            return .value(value)
        }
        return SwedishNumber.parse(string(at: index))
    }

    /// The field at `index` as an integer: optional sign and ASCII digits only; nil otherwise.
    @inlinable
    public func integer(at index: Int) -> Int? {
        guard index >= 0, index < count else { return nil }
        let span = fields[index]
        return FastNumber.integer(UnsafeBufferPointer(start: bytes + span.start, count: span.end - span.start))
    }

    /// The row as it was in the file (decoded, quotes kept, without its line break).
    public var rawText: String {
        String(decoding: UnsafeBufferPointer(start: bytes + rawRange.lowerBound, count: rawRange.count), as: UTF8.self)
    }

    /// All fields as strings.
    public var strings: [String] { (0..<count).map { string(at: $0) } }
}

/// Number parsing on UTF-8 bytes without allocating.
public enum FastNumber {
    /// An optional sign and 1–18 ASCII digits; nil for anything else.
    @inlinable
    public static func integer(_ field: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        var negative = false
        guard let first = field.first else { return nil }
        if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            index = 1
        }
        let digits = field.count - index
        guard digits > 0, digits <= 18 else { return nil }
        var value = 0
        while index < field.count {
            let digit = field[index] &- 48
            guard digit < 10 else { return nil }
            value = value &* 10 &+ Int(digit)
            index += 1
        }
        return negative ? -value : value
    }

    /// An optional sign, ASCII digits and at most one decimal comma or point, with at most 15 digits;
    /// nil for anything else (group separators, `%`, markers), which `SwedishNumber.parse` handles.
    /// Computes the value as `SwedishNumber` does (one mantissa divided by a power of ten), so both give
    /// the same Double.
    @inlinable
    public static func plainDecimal(_ field: UnsafeBufferPointer<UInt8>) -> Double? {
        var index = 0
        var negative = false
        guard let first = field.first else { return nil }
        if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            index = 1
        }
        var mantissa: Int = 0
        var digits = 0
        var decimals = 0
        var seenSeparator = false
        while index < field.count {
            let byte = field[index]
            let digit = byte &- 48
            if digit < 10 {
                mantissa = mantissa &* 10 &+ Int(digit)
                digits += 1
                if seenSeparator { decimals += 1 }
            } else if (byte == UInt8(ascii: ",") || byte == UInt8(ascii: ".")) && !seenSeparator {
                seenSeparator = true
            } else {
                return nil
            }
            index += 1
        }
        guard digits > 0, digits <= 15 else { return nil }
        var divisor: Double = 1
        for _ in 0..<decimals { divisor *= 10 }
        let number = Double(mantissa) / divisor
        return negative ? -number : number
    }
}
