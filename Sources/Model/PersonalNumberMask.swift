/// Masks Swedish personal identity numbers (personnummer and samordningsnummer) in free text.
///
/// Recognised forms: `YYMMDD-NNNN`, `YYMMDD+NNNN`, `YYMMDDNNNN`, `YYYYMMDD-NNNN` and `YYYYMMDDNNNN`,
/// not preceded or followed by another digit. The date part must look like a date (month 01–12, day
/// 01–31, or 61–91 for a samordningsnummer). A match keeps its length and separator with every digit
/// turned into `*` — the birth date too, since it narrows down who a person is — so `850412-1234`
/// becomes `******-****`. Written by hand: a regular expression per value would cost far more on
/// the hot path of every quarantined row, and no library does this.
public enum PersonalNumberMask {
    /// Returns `text` with every personal identity number masked.
    public static func mask(_ text: String) -> String {
        var bytes = Array(text.utf8)
        guard bytes.count >= 10, maskInPlace(&bytes) else { return text }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// True when `text` holds at least one personal identity number.
    public static func containsPersonalNumber(_ text: String) -> Bool {
        var bytes = Array(text.utf8)
        return maskInPlace(&bytes)
    }

    /// Masks in place; returns whether anything was masked.
    static func maskInPlace(_ bytes: inout [UInt8]) -> Bool {
        var masked = false
        var index = 0
        while index < bytes.count {
            guard isDigit(bytes[index]), index == 0 || !isDigit(bytes[index - 1]) else {
                index += 1
                continue
            }
            // Length of the digit run starting here.
            var end = index
            while end < bytes.count, isDigit(bytes[end]) { end += 1 }
            let run = end - index
            if let length = matchLength(bytes, start: index, firstRun: run) {
                maskRange(&bytes, start: index, length: length)
                masked = true
                index += length
            } else {
                index = end
            }
        }
        return masked
    }

    /// The length of a personal number starting at `start`, or nil.
    private static func matchLength(_ bytes: [UInt8], start: Int, firstRun: Int) -> Int? {
        switch firstRun {
        case 10:  // YYMMDDNNNN
            return plausibleDate(bytes, at: start + 2) ? 10 : nil
        case 12:  // YYYYMMDDNNNN
            return plausibleCentury(bytes, at: start) && plausibleDate(bytes, at: start + 4) ? 12 : nil
        case 6, 8:  // YYMMDD-NNNN or YYYYMMDD-NNNN
            let separator = start + firstRun
            guard separator < bytes.count else { return nil }
            guard bytes[separator] == UInt8(ascii: "-") || bytes[separator] == UInt8(ascii: "+") else { return nil }
            let tail = separator + 1
            guard tail + 4 <= bytes.count else { return nil }
            for offset in 0..<4 where !isDigit(bytes[tail + offset]) { return nil }
            if tail + 4 < bytes.count, isDigit(bytes[tail + 4]) { return nil }
            let dateStart = firstRun == 8 ? start + 4 : start + 2
            if firstRun == 8, !plausibleCentury(bytes, at: start) { return nil }
            return plausibleDate(bytes, at: dateStart) ? firstRun + 5 : nil
        default:
            return nil
        }
    }

    private static func plausibleCentury(_ bytes: [UInt8], at index: Int) -> Bool {
        bytes[index] == UInt8(ascii: "1")
            && (bytes[index + 1] == UInt8(ascii: "8") || bytes[index + 1] == UInt8(ascii: "9"))
            || bytes[index] == UInt8(ascii: "2") && bytes[index + 1] == UInt8(ascii: "0")
    }

    /// MMDD at `index`: month 01–12, day 01–31 or 61–91 (samordningsnummer).
    private static func plausibleDate(_ bytes: [UInt8], at index: Int) -> Bool {
        let month = Int(bytes[index] - 48) * 10 + Int(bytes[index + 1] - 48)
        let day = Int(bytes[index + 2] - 48) * 10 + Int(bytes[index + 3] - 48)
        return (1...12).contains(month) && ((1...31).contains(day) || (61...91).contains(day))
    }

    private static func maskRange(_ bytes: inout [UInt8], start: Int, length: Int) {
        for index in start..<(start + length) where isDigit(bytes[index]) {
            bytes[index] = UInt8(ascii: "*")
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
}
