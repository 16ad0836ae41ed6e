import LagesbildModel
import PipelineModel

/// A cell of an indicator table: an area, a period and, for patterns, a breakdown value.
public struct Cell: Sendable, Hashable, Comparable, Codable {
    public var area: String
    public var period: String
    /// Empty for the indicator itself; `month_of_year`, `weekday_hour` or `place` for patterns.
    public var breakdown: String
    /// The pattern's value: a month `01`–`12`, a weekday and hour `3-22`, a place `Utomhus`.
    public var breakdownValue: String

    public init(area: String, period: String, breakdown: String = "", breakdownValue: String = "") {
        self.area = area
        self.period = period
        self.breakdown = breakdown
        self.breakdownValue = breakdownValue
    }

    /// The cell's series: the same area and breakdown over periods.
    public var series: Cell { Cell(area: area, period: "", breakdown: breakdown, breakdownValue: breakdownValue) }

    public static func < (lhs: Cell, rhs: Cell) -> Bool {
        (lhs.area, lhs.breakdown, lhs.breakdownValue, lhs.period) < (
            rhs.area, rhs.breakdown, rhs.breakdownValue, rhs.period
        )
    }
}

/// A number read for a cell: a value, or why it is missing, with the number of respondents when known.
public struct Observed: Sendable, Hashable, Codable {
    public var value: Double?
    public var missing: String?
    /// Respondents (or pupils) behind a share, for its confidence interval and for weighting.
    public var base: Double?
    /// True when the number was carried through the DeSO crosswalk (an area that was merged or split).
    public var viaCrosswalk: Bool
    /// For a mean rolled up from areas of which some have no number: how many areas it was computed from, of
    /// how many (published marked partial, never as if whole).
    public var partial: (used: Int, of: Int)? {
        get { partialParts.map { ($0[0], $0[1]) } }
        set { partialParts = newValue.map { [$0.used, $0.of] } }
    }
    private var partialParts: [Int]?

    public init(value: Double?, missing: String? = nil, base: Double? = nil, viaCrosswalk: Bool = false) {
        self.value = value
        self.missing = missing
        self.base = base
        self.viaCrosswalk = viaCrosswalk
    }
}

/// One computed value of an indicator, with the numbers behind it and whether it may be published.
public struct IndicatorValue: Sendable, Hashable {
    public var numerator: Double?
    public var denominator: Double?
    public var value: Double?
    public var ciLow: Double?
    public var ciHigh: Double?
    public var changeAbsolute: Double?
    public var changePercent: Double?
    public var movingAverage3: Double?
    public var status: ValueStatus
    /// Why the value is suppressed or missing, in words.
    public var note: String?
    public var flags: ValueFlags

    public init(
        numerator: Double?, denominator: Double?, value: Double?, status: ValueStatus, note: String? = nil,
        ciLow: Double? = nil, ciHigh: Double? = nil, flags: ValueFlags = []
    ) {
        self.numerator = numerator
        self.denominator = denominator
        self.value = value
        self.status = status
        self.note = note
        self.ciLow = ciLow
        self.ciHigh = ciHigh
        self.flags = flags
    }

    /// Hides the value and everything derived from it.
    mutating func suppress(_ reason: String) {
        numerator = nil
        value = nil
        ciLow = nil
        ciHigh = nil
        changeAbsolute = nil
        changePercent = nil
        movingAverage3 = nil
        status = .suppressed
        note = reason
    }
}

/// A denominator that is not there for an area and period: an error, never a silent fallback.
public struct MissingDenominatorError: Error, Sendable, CustomStringConvertible {
    public var indicator: String
    public var area: String
    public var period: String
    public var denominator: String

    public var description: String {
        "indicator \(indicator): no denominator (\(denominator)) for \(area) in \(period); "
            + "deliver it, or narrow the indicator's periods or area levels"
    }
}
