/// A number read from an export cell, or the reason it is missing.
///
/// Suppressed and missing markers are never read as zero: `..` (suppressed or too uncertain),
/// `.` (missing), `-` (nothing to report), `XX` (suppressed in NTU) and an empty cell each become
/// ``missing(_:)`` with their own reason.
public enum CellNumber: Sendable, Hashable {
    case value(Double)
    case missing(MissingReason)
    /// The cell holds text that is neither a number nor a known marker.
    case invalid(String)

    /// The number, or nil when missing or invalid.
    public var value: Double? {
        if case .value(let number) = self { return number }
        return nil
    }
}

/// Why a cell has no number.
public enum MissingReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// `..`: suppressed by the publisher (too few observations or too uncertain).
    case suppressed
    /// `.`: the value is missing (not reported).
    case notAvailable = "not-available"
    /// `-`: nothing to report (no value exists for this cell).
    case notApplicable = "not-applicable"
    /// `XX`: suppressed in a survey (NTU) because of too few answers.
    case surveySuppressed = "survey-suppressed"
    /// The cell is empty.
    case empty

    /// The marker as it appears in exports.
    public var marker: String {
        switch self {
        case .suppressed: return ".."
        case .notAvailable: return "."
        case .notApplicable: return "-"
        case .surveySuppressed: return "XX"
        case .empty: return ""
        }
    }

    /// A sentence for reports and quarantine lists.
    public var explanation: String {
        switch self {
        case .suppressed: return "suppressed by the publisher (..)"
        case .notAvailable: return "missing in the source (.)"
        case .notApplicable: return "nothing to report (-)"
        case .surveySuppressed: return "suppressed survey cell (XX)"
        case .empty: return "empty cell"
        }
    }
}

/// Parses numbers as Swedish exports write them.
///
/// Accepts a decimal comma or point, thousands separated by a space, a non-breaking space (U+00A0) or a
/// narrow no-break space (U+202F), a leading minus or the Unicode minus (U+2212), and a trailing `%`
/// (kept as the number before it: `12,5 %` is 12.5). Written by hand because Foundation's
/// `NumberFormatter` is locale-bound, slow and accepts partial input.
public enum SwedishNumber {
    /// Parses one cell.
    public static func parse<S: StringProtocol>(_ text: S) -> CellNumber {
        var utf8 = Array(text.utf8)
        trimSpaces(&utf8)
        if utf8.isEmpty { return .missing(.empty) }
        if let marker = missingMarker(utf8) { return .missing(marker) }
        if let number = parseDigits(utf8) { return .value(number) }
        return .invalid(String(text))
    }

    private static func missingMarker(_ bytes: [UInt8]) -> MissingReason? {
        switch bytes {
        case [46, 46]: return .suppressed
        case [46]: return .notAvailable
        case [45]: return .notApplicable
        case [0xE2, 0x80, 0x93]: return .notApplicable  // en dash, as Excel sometimes writes "-"
        case [88, 88], [120, 120]: return .surveySuppressed
        default: return nil
        }
    }

    /// Removes ASCII spaces, tabs and the two no-break spaces at both ends.
    private static func trimSpaces(_ bytes: inout [UInt8]) {
        while let last = bytes.last, last == 32 || last == 9 || endsWithNoBreakSpace(bytes) {
            if last == 32 || last == 9 {
                bytes.removeLast()
            } else {
                bytes.removeLast(bytes.suffix(3) == [0xE2, 0x80, 0xAF] ? 3 : 2)
            }
        }
        var start = 0
        while start < bytes.count {
            if bytes[start] == 32 || bytes[start] == 9 {
                start += 1
            } else if start + 1 < bytes.count, bytes[start] == 0xC2, bytes[start + 1] == 0xA0 {
                start += 2
            } else if start + 2 < bytes.count, bytes[start] == 0xE2, bytes[start + 1] == 0x80, bytes[start + 2] == 0xAF
            {
                start += 3
            } else {
                break
            }
        }
        if start > 0 { bytes.removeFirst(start) }
    }

    private static func endsWithNoBreakSpace(_ bytes: [UInt8]) -> Bool {
        bytes.suffix(2) == [0xC2, 0xA0] || bytes.suffix(3) == [0xE2, 0x80, 0xAF]
    }

    /// Parses sign, digits with optional group separators, one decimal separator, optional `%`.
    private static func parseDigits(_ bytes: [UInt8]) -> Double? {
        var index = 0
        var negative = false
        if bytes.starts(with: [0xE2, 0x88, 0x92]) {  // U+2212 minus sign
            negative = true
            index = 3
        } else if bytes[0] == 45 || bytes[0] == 43 {
            negative = bytes[0] == 45
            index = 1
        }
        var end = bytes.count
        if bytes[end - 1] == 37 {  // %
            end -= 1
            // Spaces between the number and the sign: space, no-break space, narrow no-break space.
            while end > index {
                if bytes[end - 1] == 32 {
                    end -= 1
                } else if end >= 2, bytes[end - 2] == 0xC2, bytes[end - 1] == 0xA0 {
                    end -= 2
                } else if end >= 3, bytes[end - 3] == 0xE2, bytes[end - 2] == 0x80, bytes[end - 1] == 0xAF {
                    end -= 3
                } else {
                    break
                }
            }
        }
        // All digits go into one mantissa, divided once by a power of ten at the end, so that
        // "12,34" gives exactly the Double nearest 12.34.
        var mantissa: Double = 0
        var decimals = 0
        var digits = 0
        var seenDecimal = false
        var digitsSinceGroup = 0
        var sawGroup = false
        while index < end {
            let byte = bytes[index]
            if byte >= 48 && byte <= 57 {
                mantissa = mantissa * 10 + Double(byte - 48)
                if seenDecimal { decimals += 1 } else { digitsSinceGroup += 1 }
                digits += 1
                index += 1
            } else if byte == 44 || byte == 46 {  // , or .
                guard !seenDecimal else { return nil }
                if sawGroup && digitsSinceGroup != 3 { return nil }
                seenDecimal = true
                index += 1
            } else if let width = groupSeparatorWidth(bytes, at: index, end: end), !seenDecimal, digits > 0 {
                if sawGroup && digitsSinceGroup != 3 { return nil }
                sawGroup = true
                digitsSinceGroup = 0
                index += width
            } else {
                return nil
            }
        }
        guard digits > 0 else { return nil }
        if sawGroup && !seenDecimal && digitsSinceGroup != 3 { return nil }
        var divisor: Double = 1
        for _ in 0..<decimals { divisor *= 10 }
        let number = mantissa / divisor
        return negative ? -number : number
    }

    private static func groupSeparatorWidth(_ bytes: [UInt8], at index: Int, end: Int) -> Int? {
        if bytes[index] == 32 { return 1 }
        if index + 1 < end, bytes[index] == 0xC2, bytes[index + 1] == 0xA0 { return 2 }
        if index + 2 < end, bytes[index] == 0xE2, bytes[index + 1] == 0x80, bytes[index + 2] == 0xAF { return 3 }
        return nil
    }
}
