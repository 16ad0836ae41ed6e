import GRDB
import LagesbildModel

/// One row of `indicators`: an indicator's definition as the run that computed it used it. The report and the
/// exports read titles, units and directions from here, never from today's pipeline file.
public struct IndicatorRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "indicators"

    public var id: String
    /// The Swedish title.
    public var title: String
    /// What it measures, in words.
    public var definition: String
    public var kind: IndicatorKind
    /// The numerator and denominator in words (`events in category 'ran'`).
    public var numerator: String
    public var denominator: String?
    public var scale: Double
    public var unit: String
    public var better: Direction
    public var section: ReportSection
    /// Decimals the report shows (0 for counts).
    public var decimals: Int
    /// The area levels it was computed for, in the pipeline file's order.
    public var areaLevels: [AreaLevel]
    /// Its place among the pipeline's indicators (the report's order).
    public var position: Int

    public init(
        id: String, title: String, definition: String, kind: IndicatorKind, numerator: String, denominator: String?,
        scale: Double, unit: String, better: Direction, section: ReportSection, decimals: Int,
        areaLevels: [AreaLevel], position: Int
    ) {
        self.id = id
        self.title = title
        self.definition = definition
        self.kind = kind
        self.numerator = numerator
        self.denominator = denominator
        self.scale = scale
        self.unit = unit
        self.better = better
        self.section = section
        self.decimals = decimals
        self.areaLevels = areaLevels
        self.position = position
    }

    enum CodingKeys: String, CodingKey {
        case id, title, definition, kind, numerator, denominator, scale, unit, better, section, decimals, position
        case areaLevels = "area_levels"
    }

    /// Area levels are stored as their words joined by commas (`municipality,district`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        title = try container.decode(String.self, forKey: .title)
        definition = try container.decode(String.self, forKey: .definition)
        kind = try container.decode(IndicatorKind.self, forKey: .kind)
        numerator = try container.decode(String.self, forKey: .numerator)
        denominator = try container.decodeIfPresent(String.self, forKey: .denominator)
        scale = try container.decode(Double.self, forKey: .scale)
        unit = try container.decode(String.self, forKey: .unit)
        better = try container.decode(Direction.self, forKey: .better)
        section = try container.decode(ReportSection.self, forKey: .section)
        decimals = try container.decode(Int.self, forKey: .decimals)
        areaLevels = try container.decode(String.self, forKey: .areaLevels).split(separator: ",").map {
            try AreaLevel(stored: String($0))
        }
        position = try container.decode(Int.self, forKey: .position)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(title, forKey: .title)
        try container.encode(definition, forKey: .definition)
        try container.encode(kind, forKey: .kind)
        try container.encode(numerator, forKey: .numerator)
        try container.encode(denominator, forKey: .denominator)
        try container.encode(scale, forKey: .scale)
        try container.encode(unit, forKey: .unit)
        try container.encode(better, forKey: .better)
        try container.encode(section, forKey: .section)
        try container.encode(decimals, forKey: .decimals)
        try container.encode(areaLevels.map(\.rawValue).joined(separator: ","), forKey: .areaLevels)
        try container.encode(position, forKey: .position)
    }

    /// Every stored indicator, in the pipeline's order.
    public static func all(_ db: Database) throws -> [IndicatorRecord] {
        try IndicatorRecord.order(Column("position"), Column("id")).fetchAll(db)
    }
}

/// One row of `indicator_values`: a value of an indicator for an area, a period and, for patterns and the
/// comparison, a breakdown.
public struct IndicatorValueRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "indicator_values"

    public var indicatorID: String
    public var areaCode: String
    public var areaName: String
    public var areaLevel: AreaLevel
    public var period: String
    public var periodType: Period.Kind
    /// Empty for the indicator itself; `month_of_year`, `weekday_hour`, `place` for patterns, `comparison`
    /// for the comparison's source.
    public var breakdown: String
    public var breakdownValue: String
    public var numerator: Double?
    public var denominator: Double?
    public var value: Double?
    public var ciLow: Double?
    public var ciHigh: Double?
    public var changeAbs: Double?
    public var changePct: Double?
    public var movingAvg3: Double?
    public var status: ValueStatus
    /// Why the value is suppressed or missing, in words.
    public var note: String?
    public var flags: ValueFlags

    public init(
        indicatorID: String, areaCode: String, areaName: String, areaLevel: AreaLevel, period: String,
        periodType: Period.Kind, breakdown: String, breakdownValue: String, numerator: Double?, denominator: Double?,
        value: Double?, ciLow: Double?, ciHigh: Double?, changeAbs: Double?, changePct: Double?, movingAvg3: Double?,
        status: ValueStatus, note: String?, flags: ValueFlags
    ) {
        self.indicatorID = indicatorID
        self.areaCode = areaCode
        self.areaName = areaName
        self.areaLevel = areaLevel
        self.period = period
        self.periodType = periodType
        self.breakdown = breakdown
        self.breakdownValue = breakdownValue
        self.numerator = numerator
        self.denominator = denominator
        self.value = value
        self.ciLow = ciLow
        self.ciHigh = ciHigh
        self.changeAbs = changeAbs
        self.changePct = changePct
        self.movingAvg3 = movingAvg3
        self.status = status
        self.note = note
        self.flags = flags
    }

    public enum CodingKeys: String, CodingKey, ColumnExpression, CaseIterable {
        case indicatorID = "indicator_id"
        case areaCode = "area_code"
        case areaName = "area_name"
        case areaLevel = "area_level"
        case period
        case periodType = "period_type"
        case breakdown
        case breakdownValue = "breakdown_value"
        case numerator, denominator, value
        case ciLow = "ci_low"
        case ciHigh = "ci_high"
        case changeAbs = "change_abs"
        case changePct = "change_pct"
        case movingAvg3 = "moving_avg_3"
        case status, note, flags
    }

    /// The values of every column, in ``CodingKeys`` order, for ``insertSQL``.
    @inlinable public var insertArguments: StatementArguments {
        [
            indicatorID, areaCode, areaName, areaLevel, period, periodType, breakdown, breakdownValue, numerator,
            denominator, value, ciLow, ciHigh, changeAbs, changePct, movingAvg3, status, note, flags,
        ]
    }

    /// An INSERT of every column in ``CodingKeys`` order, bound by ``insertArguments``. Aggregate writes
    /// hundreds of thousands of rows through one cached statement of it: as fast as the positional INSERT it
    /// replaced, where `insert(_:)` (a container and a statement lookup per row) takes twice as long.
    public static let insertSQL =
        "INSERT INTO \(databaseTableName) (\(CodingKeys.allCases.map(\.rawValue).joined(separator: ", "))) "
        + "VALUES (\(Array(repeating: "?", count: CodingKeys.allCases.count).joined(separator: ", ")))"

    /// The columns as typed expressions, for queries.
    public typealias Columns = CodingKeys
}
