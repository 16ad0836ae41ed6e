import LagesbildModel

/// An indicator as declared in the pipeline file.
public struct IndicatorSpec: Sendable, Hashable {
    public var id: String
    /// Swedish title for the report.
    public var title: String
    /// What it measures, in words.
    public var definition: String
    public var kind: IndicatorKind
    public var numerator: Quantity
    /// Required for rates; optional for shares (without it the numerator is already a share in %).
    public var denominator: Quantity?
    /// Rates are per `scale` inhabitants (1 000, 10 000 or 100 000); shares are per 100 (%).
    public var scale: Double
    public var unit: String
    /// Period types the indicator is computed for: `year`, `quarter`, `month`, `week`, `school_year`, `term`.
    public var periods: [PeriodType]
    /// Area levels the indicator is computed for, e.g. `municipality`, `district`, `deso`, `school`.
    public var areaLevels: [AreaLevel]
    /// Patterns of events (counts by year): `month_of_year`, `weekday_hour`, `place`.
    public var patterns: [Pattern]
    /// The same indicator for the county and the country, from a source that gives it (Brå's SOL table).
    public var comparison: Quantity?
    /// A change larger than this share (in %) from the previous period is flagged as a jump.
    public var jumpThreshold: Double
    public var better: Direction
    /// The section of the report the indicator belongs to.
    public var section: ReportSection
    /// Text attributes of the observations behind the indicator to show in the report (`texts:`),
    /// by the names the sources give them.
    public var texts: [String] = []
}

/// Patterns of police events.
public enum Pattern: String, Sendable, Hashable, CaseIterable {
    /// Counts per month of the year (1–12).
    case monthOfYear = "month_of_year"
    /// Counts per weekday (1 Monday – 7 Sunday) and hour (0–23).
    case weekdayHour = "weekday_hour"
    /// Counts indoors and outdoors.
    case place
}

/// What is counted or summed.
public enum Quantity: Sendable, Hashable, CustomStringConvertible {
    /// Events in a category (`all` for every code): without `source`, the events of every source coded by
    /// crime codes; with it, that source's events (a kommun's own incidents by their event types).
    case events(category: String, source: String? = nil)
    /// The crime-coded events of a category that match a filter (`where:`), e.g. outdoors or at night.
    case filteredEvents(category: String, filter: EventFilter)
    /// The sum of an observed measure; `dimensions` picks rows by dimension value, others must be totals.
    case measure(name: String, dimensions: [String: String])

    public var description: String {
        switch self {
        case .events(let category, let source):
            return "events in category '\(category)'" + (source.map { " of source '\($0)'" } ?? "")
        case .filteredEvents(let category, let filter): return "events in category '\(category)' where \(filter)"
        case .measure(let name, let dimensions):
            let condition = dimensions.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                .joined(separator: ", ")
            return condition.isEmpty ? "measure '\(name)'" : "measure '\(name)' where \(condition)"
        }
    }
}

/// A target of the action plan (åtgärdsplan) or a citizen promise (medborgarlöfte), for follow-up.
public struct TargetSpec: Sendable, Hashable {
    /// Names the target for the action plan's problems and measures; `<indicator>@<area>` by default.
    public var id: String
    public var indicator: String
    /// The area the target is for (SCB code); the municipality by default.
    public var area: String
    public var commitment: Commitment
    /// What the commitment says, in words.
    public var name: String
    public var baselineYear: Int
    /// A baseline value the pipeline file declares; nil means the indicator's own computed value for the
    /// baseline year and area (the default, and what follow-up should use).
    public var declaredBaseline: Double?
    /// Where a declared baseline comes from when it is not the indicator's own figure (e.g. "Brå,
    /// preliminär statistik"); printed in the report. Without it, a declared baseline must agree with
    /// the computed one within ``tolerance``.
    public var baselineSource: String?
    /// How far (relative, 0.01 = 1 %) a declared baseline may lie from the computed one.
    public var tolerance: Double
    public var targetYear: Int
    public var targetValue: Double
    /// Where the target is declared, `file:line:column`, for messages.
    public var definedAt: String

    public init(
        id: String, indicator: String, area: String, commitment: Commitment, name: String, baselineYear: Int,
        declaredBaseline: Double? = nil, baselineSource: String? = nil, tolerance: Double = 0.01, targetYear: Int,
        targetValue: Double, definedAt: String = ""
    ) {
        self.id = id
        self.indicator = indicator
        self.area = area
        self.commitment = commitment
        self.name = name
        self.baselineYear = baselineYear
        self.declaredBaseline = declaredBaseline
        self.baselineSource = baselineSource
        self.tolerance = tolerance
        self.targetYear = targetYear
        self.targetValue = targetValue
        self.definedAt = definedAt
    }
}
