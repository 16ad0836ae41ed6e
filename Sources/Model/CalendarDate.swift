/// A date without time zone, as exports write it, with the periods the lägesbild breaks down by.
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    /// Creates a date; nil when it does not exist (30 February, month 13, ...).
    public init?(year: Int, month: Int, day: Int) {
        guard (1900...2200).contains(year), (1...12).contains(month), day >= 1,
            day <= CalendarDate.daysInMonth(year: year, month: month)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public static func isLeapYear(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// ISO weekday: 1 Monday … 7 Sunday.
    public var weekday: Int {
        let monday0 = (dayNumber + 3) % 7  // 1970-01-01 was a Thursday
        return (monday0 < 0 ? monday0 + 7 : monday0) + 1
    }

    /// Quarter 1–4.
    public var quarter: Int { (month - 1) / 3 + 1 }

    /// ISO 8601 week number and its year (week 1 holds the year's first Thursday).
    public var isoWeek: (year: Int, week: Int) {
        let thursday = dayNumber - (weekday - 1) + 3
        let weekYear = CalendarDate(dayNumber: thursday).year
        let firstDay = CalendarDate(year: weekYear, month: 1, day: 1)!.dayNumber
        return (weekYear, (thursday - firstDay) / 7 + 1)
    }

    /// `yyyy-MM-dd`.
    public var description: String {
        "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

/// A date pattern as users write it in the pipeline file: `yyyy`, `MM`, `M`, `dd`, `d` and literal
/// separators, e.g. `yyyy-MM-dd`, `yyyyMMdd`, `dd/MM/yyyy`, `d.M.yyyy`.
public struct DateFormat: Sendable, Hashable {
    enum Token: Sendable, Hashable {
        case year
        case month(fixedWidth: Bool)
        case day(fixedWidth: Bool)
        case literal(UInt8)
    }

    let tokens: [Token]
    /// The pattern as written, e.g. `yyyy-MM-dd`.
    public let pattern: String

    /// Nil when the pattern is not one this reader understands (each of year, month, day exactly once).
    public init?(_ pattern: String) {
        var tokens: [Token] = []
        let bytes = Array(pattern.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            var run = 0
            while index + run < bytes.count, bytes[index + run] == byte { run += 1 }
            switch (byte, run) {
            case (UInt8(ascii: "y"), 4): tokens.append(.year)
            case (UInt8(ascii: "M"), 1), (UInt8(ascii: "M"), 2): tokens.append(.month(fixedWidth: run == 2))
            case (UInt8(ascii: "d"), 1), (UInt8(ascii: "d"), 2): tokens.append(.day(fixedWidth: run == 2))
            case (UInt8(ascii: "y"), _), (UInt8(ascii: "M"), _), (UInt8(ascii: "d"), _): return nil
            default:
                if (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) { return nil }
                for _ in 0..<run { tokens.append(.literal(byte)) }
            }
            index += run
        }
        let counts = tokens.reduce(into: (0, 0, 0)) { counts, token in
            switch token {
            case .year: counts.0 += 1
            case .month: counts.1 += 1
            case .day: counts.2 += 1
            case .literal: break
            }
        }
        guard counts == (1, 1, 1) else { return nil }
        self.tokens = tokens
        self.pattern = pattern
    }

    /// Parses `text`; nil when it does not match the pattern or the date does not exist.
    /// A time after the date (`2023-04-05 13:45` or `2023-04-05T13:45:00`) is ignored.
    public func parse<S: StringProtocol>(_ text: S) -> CalendarDate? {
        let bytes = Array(text.utf8)
        var index = 0
        var year = 0
        var month = 0
        var day = 0
        func number(maxDigits: Int, fixed: Bool) -> Int? {
            var value = 0
            var digits = 0
            while digits < maxDigits, index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                value = value * 10 + Int(bytes[index] - 48)
                digits += 1
                index += 1
            }
            if digits == 0 || (fixed && digits != maxDigits) { return nil }
            return value
        }
        for token in tokens {
            switch token {
            case .year:
                guard let value = number(maxDigits: 4, fixed: true) else { return nil }
                year = value
            case .month(let fixed):
                guard let value = number(maxDigits: 2, fixed: fixed) else { return nil }
                month = value
            case .day(let fixed):
                guard let value = number(maxDigits: 2, fixed: fixed) else { return nil }
                day = value
            case .literal(let byte):
                guard index < bytes.count, bytes[index] == byte else { return nil }
                index += 1
            }
        }
        if index < bytes.count, bytes[index] != UInt8(ascii: " "), bytes[index] != UInt8(ascii: "T") { return nil }
        return CalendarDate(year: year, month: month, day: day)
    }
}

/// Reads a time of day as exports write it: `HH:mm`, `HH:mm:ss`, `HH.mm`, `HHmm` or just `HH`.
public enum TimeOfDay {
    /// The hour 0–23 and minute, or nil when `text` is not a time.
    public static func parse<S: StringProtocol>(_ text: S) -> (hour: Int, minute: Int)? {
        let digits = text.utf8.filter { $0 >= 48 && $0 <= 57 }.map { Int($0 - 48) }
        let separators = text.utf8.filter { !($0 >= 48 && $0 <= 57) }
        guard separators.allSatisfy({ $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") }) else { return nil }
        let hour: Int
        let minute: Int
        switch (digits.count, separators.count) {
        case (1, 0), (2, 0):
            hour = digits.reduce(0) { $0 * 10 + $1 }
            minute = 0
        case (4, 0), (4, 1), (6, 2), (6, 0):
            hour = digits[0] * 10 + digits[1]
            minute = digits[2] * 10 + digits[3]
        case (3, 1):  // 9:05
            hour = digits[0]
            minute = digits[1] * 10 + digits[2]
        default:
            return nil
        }
        guard (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        return (hour, minute)
    }
}
