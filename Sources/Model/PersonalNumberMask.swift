/// Masks Swedish personal identity numbers (personnummer and samordningsnummer) in free text.
///
/// Every text read from a delivery goes through here before it is stored, logged or printed: the
/// fields of events (as bytes, before they are interned into a column file), observations, header and
/// title lines, rejected rows, file errors, log lines and command output.
///
/// Recognised forms, not preceded or followed by another digit:
///
/// - `YYMMDD-NNNN`, `YYMMDD+NNNN` (a person of 100 or more), `YYMMDDNNNN`;
/// - `YYYYMMDD-NNNN`, `YYYYMMDDNNNN` (century 18, 19 or 20);
/// - `YYMMDD NNNN` and `YYYYMMDD NNNN`, with a space.
///
/// The date part must look like a date (month 01–12, day 01–31, or 61–91 for a samordningsnummer).
/// The check digit is **not** required for the forms without a space: a number with a typo in it is
/// still a person's number, and no other value of these shapes occurs in the exports (dates are
/// written `2023-01-01`, DeSO codes `1380C0120`, crime codes `0301`, organisation numbers have a month
/// of 20 or more). With a space the shape is also that of a date and a clock time (`20230105 1430`,
/// which `date_format: yyyyMMdd` reads), so there the check digit (Luhn) must be right: every correctly
/// written number is masked, and nine of ten such timestamps are kept intact.
///
/// A match keeps its length and separator with every digit turned into `*` — the birth date too, since
/// it narrows down who a person is — so `850412-1234` becomes `******-****`. Written by hand: a regular
/// expression per value would cost far more on the hot path, and no library does this.
public enum PersonalNumberMask {
    /// Returns `text` with every personal identity number masked.
    public static func mask(_ text: String) -> String {
        var text = text
        let masked = text.withUTF8 { bytes -> [UInt8]? in
            guard mightContain(bytes) else { return nil }
            var copy = Array(bytes)
            return maskInPlace(&copy) ? copy : nil
        }
        return masked.map { String(decoding: $0, as: UTF8.self) } ?? text
    }

    /// True when `text` holds at least one personal identity number.
    public static func containsPersonalNumber(_ text: String) -> Bool {
        var bytes = Array(text.utf8)
        return maskInPlace(&bytes)
    }

    /// Calls `body` with `bytes`, or with a masked copy when they hold a personal identity number.
    ///
    /// For the hot path of reading millions of fields: a field that cannot hold a number (shorter than
    /// ten bytes, or without ten digits and a run of six) is passed on as it is, without copying.
    @inlinable
    public static func withMasked<Result>(
        _ bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) rethrows -> Result {
        guard mightContain(bytes) else { return try body(bytes) }
        var copy = Array(bytes)
        guard maskInPlace(&copy) else { return try body(bytes) }
        return try copy.withUnsafeBufferPointer(body)
    }

    /// A quick test that rules out almost every field: a personal identity number needs at least ten
    /// digits, six of them in a row (the birth date).
    @inlinable
    public static func mightContain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 10 else { return false }
        var digits = 0
        var run = 0
        var longestRun = 0
        for byte in bytes {
            if byte &- 48 < 10 {
                digits &+= 1
                run &+= 1
                if run > longestRun { longestRun = run }
                if digits >= 10, longestRun >= 6 { return true }
            } else {
                run = 0
            }
        }
        return false
    }

    /// Masks in place; returns whether anything was masked.
    @usableFromInline
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
        case 6, 8:  // YYMMDD-NNNN, YYMMDD+NNNN, YYMMDD NNNN and the same with the century
            let separator = start + firstRun
            guard separator < bytes.count else { return nil }
            let mark = bytes[separator]
            guard mark == UInt8(ascii: "-") || mark == UInt8(ascii: "+") || mark == UInt8(ascii: " ") else {
                return nil
            }
            let tail = separator + 1
            guard tail + 4 <= bytes.count else { return nil }
            for offset in 0..<4 where !isDigit(bytes[tail + offset]) { return nil }
            if tail + 4 < bytes.count, isDigit(bytes[tail + 4]) { return nil }
            let dateStart = firstRun == 8 ? start + 4 : start + 2
            if firstRun == 8, !plausibleCentury(bytes, at: start) { return nil }
            guard plausibleDate(bytes, at: dateStart) else { return nil }
            if mark == UInt8(ascii: " "), !luhnValid(bytes, date: dateStart - 2, tail: tail) { return nil }
            return firstRun + 5
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

    /// The Luhn check of the ten digits `YYMMDD` at `date` and `NNNN` at `tail`: weights 2, 1, 2, …
    /// from the left, the digits of each product summed, a multiple of ten in all.
    private static func luhnValid(_ bytes: [UInt8], date: Int, tail: Int) -> Bool {
        let positions = Array(date..<(date + 6)) + Array(tail..<(tail + 4))
        var sum = 0
        for (index, position) in positions.enumerated() {
            let product = Int(bytes[position] - 48) * (index % 2 == 0 ? 2 : 1)
            sum += product / 10 + product % 10
        }
        return sum % 10 == 0
    }

    private static func maskRange(_ bytes: inout [UInt8], start: Int, length: Int) {
        for index in start..<(start + length) where isDigit(bytes[index]) {
            bytes[index] = UInt8(ascii: "*")
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
}
