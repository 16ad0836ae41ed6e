import LagesbildModel

/// Excel's date serial numbers as ISO dates.
///
/// Written here because Foundation has no notion of Excel's two date systems: in the 1900 system serial 1
/// is 1900-01-01 and serial 60 is the fictitious 1900-02-29 (Lotus 1-2-3 took 1900 for a leap year, and
/// Excel kept it), so from serial 61 on the count is one day ahead; in the 1904 system serial 0 is
/// 1904-01-01.
public enum ExcelDate {
    /// The date of a serial number as `yyyy-MM-dd`; with `time`, `yyyy-MM-dd HH:mm` when the serial
    /// has a time of day. nil for serials before the system's first day or after 9999.
    public static func isoDate(serial: Double, date1904: Bool, time: Bool = false) -> String? {
        guard serial.isFinite, serial >= 0, serial < 2_958_466 else { return nil }
        var days = Int(serial.rounded(.down))
        var seconds = Int(((serial - Double(days)) * 86_400).rounded())
        if seconds >= 86_400 {
            days += 1
            seconds -= 86_400
        }
        let text: String
        if date1904 {
            text = civil(dayNumber: days + daysFrom1970(1904, 1, 1))
        } else if days == 60 {
            text = "1900-02-29"
        } else if days == 0 {
            text = "1900-01-00"
        } else {
            // 1899-12-31 + serial before the fictitious day, 1899-12-30 + serial after it.
            text = civil(dayNumber: days + daysFrom1970(1899, 12, days < 60 ? 31 : 30))
        }
        guard time, seconds > 0 else { return text }
        return text + " " + clock(seconds, withSeconds: false)
    }

    /// The time of day of a serial's fraction as `HH:mm:ss`.
    public static func isoTime(serial: Double) -> String? {
        guard serial.isFinite, serial >= 0 else { return nil }
        let seconds = Int(((serial - serial.rounded(.down)) * 86_400).rounded()) % 86_400
        return clock(seconds, withSeconds: true)
    }

    private static func clock(_ seconds: Int, withSeconds: Bool) -> String {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let text = "\(two(seconds / 3600)):\(two(seconds / 60 % 60))"
        return withSeconds ? text + ":\(two(seconds % 60))" : text
    }

    private static func daysFrom1970(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        return era * 146_097 + yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear - 719_468
    }

    /// Howard Hinnant's civil_from_days, as `yyyy-MM-dd`.
    private static func civil(dayNumber: Int) -> String {
        let date = CalendarDate(dayNumber: dayNumber)
        let (year, month, day) = (date.year, date.month, date.day)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
}

/// What a cell's number format makes of its number.
public enum NumberFormatKind: Sendable, Hashable {
    case number
    case date
    case dateTime
    case time

    /// The kind of a built-in format id: 14–17 and 22 dates (22 with a time), 18–21 and 45–47 times.
    static func builtIn(_ id: Int) -> NumberFormatKind {
        switch id {
        case 14...17: return .date
        case 22: return .dateTime
        case 18...21, 45...47: return .time
        default: return .number
        }
    }

    /// The kind of a custom format code such as `yyyy-mm-dd` or `[$-41D]d mmmm yyyy;@`: text in quotes,
    /// escaped characters and bracketed parts (colours, locales, conditions; but `[h]` elapsed time) are
    /// left out, and only the first section (positive numbers) counts.
    static func custom(_ code: String) -> NumberFormatKind {
        var letters = Set<Character>()
        var inQuote = false
        var inBracket = false
        var bracket = ""
        var escaped = false
        for character in code {
            if escaped {
                escaped = false
                continue
            }
            if inQuote {
                if character == "\"" { inQuote = false }
                continue
            }
            if inBracket {
                if character == "]" {
                    inBracket = false
                    let lowered = bracket.lowercased()
                    if ["h", "hh", "m", "mm", "s", "ss"].contains(lowered) { letters.insert("h") }
                } else {
                    bracket.append(character)
                }
                continue
            }
            switch character {
            case "\"": inQuote = true
            case "\\": escaped = true
            case "_", "*": escaped = true  // a padding character follows
            case "[":
                inBracket = true
                bracket = ""
            case ";": return kind(letters)
            default: letters.insert(Character(character.lowercased()))
            }
        }
        return kind(letters)
    }

    private static func kind(_ letters: Set<Character>) -> NumberFormatKind {
        let hasDate = letters.contains("d") || letters.contains("y")
        let hasTime = letters.contains("h") || letters.contains("s")
        switch (hasDate, hasTime) {
        case (true, true): return .dateTime
        case (true, false): return .date
        case (false, true): return .time
        case (false, false): return .number
        }
    }
}
