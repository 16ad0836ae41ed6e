/// A period a figure is given for, with its kind: a calendar year, quarter, month or ISO week, a school
/// year (läsår) or a school term (termin).
///
/// One parser (``init(_:)`` / ``parse(_:)``) reads every form suppliers write (`2023K1`, `januari 2023`,
/// `v. 5 2023`, `läsåret 2020/21`, `HT2020`, …) and one formatter (``description``) writes the canonical
/// text stored and exported: `2023`, `2023-Q1`, `2023-01`, `2023-W05`, `2020/21`, `2020-HT`, `2021-VT`.
///
/// A date is not a period by itself: ``containing(_:as:)`` and ``covering(from:through:as:)`` read dates
/// as the periods their source says.
public struct Period: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The kinds of period; the raw value is the name the pipeline file uses.
    public enum Kind: String, StoredWord, Codable {
        public static let storedName = "period type"

        case year
        case quarter
        case month
        /// An ISO 8601 week (Monday to Sunday), numbered within its ISO week-year.
        case week
        /// A school year (läsår): its autumn term and the following spring term, August to June.
        case schoolYear = "school_year"
        /// A school term: spring (VT, January–June) or autumn (HT, August–December).
        case term
    }

    public let kind: Kind
    /// The calendar year; the ISO week-year for a week; the year the school year starts for a school year.
    public let year: Int
    /// Quarter 1–4, month 1–12, week 1–53, term 1 (spring, VT) or 2 (autumn, HT); 0 for years and school years.
    public let number: Int

    private init(kind: Kind, year: Int, number: Int) {
        self.kind = kind
        self.year = year
        self.number = number
    }

    /// The years a period may lie in.
    public static let years = 1900...2199

    public static func year(_ year: Int) -> Period? {
        years.contains(year) ? Period(kind: .year, year: year, number: 0) : nil
    }

    public static func quarter(_ year: Int, _ quarter: Int) -> Period? {
        years.contains(year) && (1...4).contains(quarter) ? Period(kind: .quarter, year: year, number: quarter) : nil
    }

    public static func month(_ year: Int, _ month: Int) -> Period? {
        years.contains(year) && (1...12).contains(month) ? Period(kind: .month, year: year, number: month) : nil
    }

    /// ISO week `week` of ISO week-year `year`; nil for week 53 in a year with 52 weeks.
    public static func week(_ year: Int, _ week: Int) -> Period? {
        guard years.contains(year), week >= 1, week <= weeksInISOYear(year) else { return nil }
        return Period(kind: .week, year: year, number: week)
    }

    /// The school year starting in the autumn of `startYear` (`2020/21` for 2020).
    public static func schoolYear(startingIn startYear: Int) -> Period? {
        years.contains(startYear) && years.contains(startYear + 1)
            ? Period(kind: .schoolYear, year: startYear, number: 0) : nil
    }

    /// The spring term (VT) of `year`.
    public static func springTerm(_ year: Int) -> Period? {
        years.contains(year) ? Period(kind: .term, year: year, number: 1) : nil
    }

    /// The autumn term (HT) of `year`.
    public static func autumnTerm(_ year: Int) -> Period? {
        years.contains(year) ? Period(kind: .term, year: year, number: 2) : nil
    }

    /// The number of ISO weeks (52 or 53) of ISO week-year `year`: the week of 28 December.
    public static func weeksInISOYear(_ year: Int) -> Int {
        CalendarDate(year: year, month: 12, day: 28)?.isoWeek.week ?? 52
    }

    // MARK: Days

    /// The first day: 1 January, the first day of the quarter or month, the Monday of the week,
    /// 1 August for a school year and an autumn term, 1 January for a spring term.
    public var firstDay: CalendarDate {
        switch kind {
        case .year: return CalendarDate(year: year, month: 1, day: 1)!
        case .quarter: return CalendarDate(year: year, month: (number - 1) * 3 + 1, day: 1)!
        case .month: return CalendarDate(year: year, month: number, day: 1)!
        case .week:
            let january4 = CalendarDate(year: year, month: 1, day: 4)!
            return CalendarDate(dayNumber: january4.dayNumber - (january4.weekday - 1) + (number - 1) * 7)
        case .schoolYear: return CalendarDate(year: year, month: 8, day: 1)!
        case .term: return CalendarDate(year: year, month: number == 1 ? 1 : 8, day: 1)!
        }
    }

    /// The last day: 31 December, the last day of the quarter or month, the Sunday of the week,
    /// 30 June for a school year and a spring term, 31 December for an autumn term.
    public var lastDay: CalendarDate {
        switch kind {
        case .year: return CalendarDate(year: year, month: 12, day: 31)!
        case .quarter, .month:
            let month = kind == .quarter ? number * 3 : number
            return CalendarDate(year: year, month: month, day: CalendarDate.daysInMonth(year: year, month: month))!
        case .week: return CalendarDate(dayNumber: firstDay.dayNumber + 6)
        case .schoolYear: return CalendarDate(year: year + 1, month: 6, day: 30)!
        case .term:
            return number == 1
                ? CalendarDate(year: year, month: 6, day: 30)! : CalendarDate(year: year, month: 12, day: 31)!
        }
    }

    /// The calendar years the period has days in: one year, or two for a school year and for an ISO
    /// week that spans New Year.
    public var calendarYears: ClosedRange<Int> { firstDay.year...lastDay.year }

    // MARK: Order and roll-up

    /// Chronological within a kind. Across kinds: by first day, then last day, then kind.
    public static func < (lhs: Period, rhs: Period) -> Bool {
        if lhs.kind == rhs.kind { return (lhs.year, lhs.number) < (rhs.year, rhs.number) }
        let left = (lhs.firstDay.dayNumber, lhs.lastDay.dayNumber, Kind.allCases.firstIndex(of: lhs.kind)!)
        let right = (rhs.firstDay.dayNumber, rhs.lastDay.dayNumber, Kind.allCases.firstIndex(of: rhs.kind)!)
        return left < right
    }

    /// The period of the same kind just before this one (`2023-Q1` → `2022-Q4`, `2021-W01` → `2020-W53`,
    /// `2021-VT` → `2020-HT`); nil before 1900.
    public var previous: Period? {
        switch kind {
        case .year: return .year(year - 1)
        case .quarter: return number == 1 ? .quarter(year - 1, 4) : .quarter(year, number - 1)
        case .month: return number == 1 ? .month(year - 1, 12) : .month(year, number - 1)
        case .week: return number == 1 ? .week(year - 1, Self.weeksInISOYear(year - 1)) : .week(year, number - 1)
        case .schoolYear: return .schoolYear(startingIn: year - 1)
        case .term: return number == 1 ? .autumnTerm(year - 1) : .springTerm(year)
        }
    }

    /// The period of kind `target` this period counts towards, or nil when it does not roll up to it:
    /// - a month rolls up to its quarter and year, a quarter to its year;
    /// - an ISO week to its ISO week-year (`2020-W53` → `2020`, `2021-W52` → `2021` even though its
    ///   Sunday may be 2 January 2022): the weeks of an ISO year are whole weeks, 52 or 53 of them;
    /// - a term to its calendar year (`2020-HT` → `2020`, `2021-VT` → `2021`) and to its school year
    ///   (`2020-HT` and `2021-VT` → `2020/21`);
    /// - a school year to a calendar year as `schoolYearAsYear` says (`2020/21` → `2021` by `end`).
    /// A period rolls up to its own kind as itself. Whether a roll-up may sum figures (counts) or only
    /// carry one figure over is the caller's rule.
    public func rolledUp(to target: Kind, schoolYearAsYear: SchoolYearAsYear = .end) -> Period? {
        if target == kind { return self }
        switch (kind, target) {
        case (.month, .quarter): return .quarter(year, (number - 1) / 3 + 1)
        case (.month, .year), (.quarter, .year), (.week, .year), (.term, .year): return .year(year)
        case (.term, .schoolYear): return .schoolYear(startingIn: number == 2 ? year : year - 1)
        case (.schoolYear, .year):
            switch schoolYearAsYear {
            case .end: return .year(year + 1)
            case .start: return .year(year)
            case .none: return nil
            }
        default: return nil
        }
    }

    // MARK: Formatting

    /// The canonical text: `2023`, `2023-Q1`, `2023-01`, `2023-W05`, `2020/21`, `2020-HT`, `2021-VT`.
    public var description: String {
        switch kind {
        case .year: return String(year)
        case .quarter: return "\(year)-Q\(number)"
        case .month: return "\(year)-\(Self.twoDigits(number))"
        case .week: return "\(year)-W\(Self.twoDigits(number))"
        case .schoolYear: return "\(year)/\(Self.twoDigits((year + 1) % 100))"
        case .term: return "\(year)-\(number == 1 ? "VT" : "HT")"
        }
    }

    private static func twoDigits(_ number: Int) -> String { number < 10 ? "0\(number)" : String(number) }
}

/// How a school year counts as a calendar year where an indicator needs one (`periods:
/// school_year_as_year:` in the pipeline file).
public enum SchoolYearAsYear: String, Sendable, Hashable, CaseIterable {
    /// `2020/21` counts as 2021, the year it ends (the default).
    case end
    /// `2020/21` counts as 2020, the year it starts.
    case start
    /// A school year never counts as a calendar year.
    case none
}

extension CalendarDate {
    /// The date `dayNumber` days after 1970-01-01 (Howard Hinnant's civil_from_days).
    public init(dayNumber: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        self.day = dayOfYear - (153 * mp + 2) / 5 + 1
        self.month = mp < 10 ? mp + 3 : mp - 9
        self.year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }
}
