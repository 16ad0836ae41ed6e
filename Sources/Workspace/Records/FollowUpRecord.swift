import GRDB
import LagesbildModel

/// One row of `followup`: a target's judgement with the numbers behind it.
public struct FollowUpRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "followup"

    public var targetID: String
    public var indicatorID: String
    public var areaCode: String
    public var commitment: Commitment
    public var name: String
    public var baselineYear: Int
    public var baselineValue: Double?
    public var baselineSource: String?
    public var computedBaseline: Double?
    public var targetYear: Int
    public var targetValue: Double
    public var latestPeriod: String?
    public var latestValue: Double?
    public var latestLow: Double?
    public var latestHigh: Double?
    public var expectedValue: Double?
    public var changeSinceBaseline: Double?
    /// The judgement: reached, on-the-way, not-on-the-way, too-uncertain or too-little-data.
    public var status: TargetJudgement
    public var trendModel: Trend.Model?
    public var annualChange: Double?
    public var annualChangeLow: Double?
    public var annualChangeHigh: Double?
    public var projectedValue: Double?
    public var projectedLow: Double?
    public var projectedHigh: Double?
    /// Why, in one sentence with the numbers.
    public var note: String?
    public var definedAt: String

    public init(
        targetID: String, indicatorID: String, areaCode: String, commitment: Commitment, name: String,
        baselineYear: Int, baselineValue: Double? = nil, baselineSource: String? = nil, computedBaseline: Double? = nil,
        targetYear: Int, targetValue: Double, latestPeriod: String? = nil, latestValue: Double? = nil,
        latestLow: Double? = nil, latestHigh: Double? = nil, expectedValue: Double? = nil,
        changeSinceBaseline: Double? = nil, status: TargetJudgement, trendModel: Trend.Model? = nil,
        annualChange: Double? = nil, annualChangeLow: Double? = nil, annualChangeHigh: Double? = nil,
        projectedValue: Double? = nil, projectedLow: Double? = nil, projectedHigh: Double? = nil, note: String? = nil,
        definedAt: String
    ) {
        self.targetID = targetID
        self.indicatorID = indicatorID
        self.areaCode = areaCode
        self.commitment = commitment
        self.name = name
        self.baselineYear = baselineYear
        self.baselineValue = baselineValue
        self.baselineSource = baselineSource
        self.computedBaseline = computedBaseline
        self.targetYear = targetYear
        self.targetValue = targetValue
        self.latestPeriod = latestPeriod
        self.latestValue = latestValue
        self.latestLow = latestLow
        self.latestHigh = latestHigh
        self.expectedValue = expectedValue
        self.changeSinceBaseline = changeSinceBaseline
        self.status = status
        self.trendModel = trendModel
        self.annualChange = annualChange
        self.annualChangeLow = annualChangeLow
        self.annualChangeHigh = annualChangeHigh
        self.projectedValue = projectedValue
        self.projectedLow = projectedLow
        self.projectedHigh = projectedHigh
        self.note = note
        self.definedAt = definedAt
    }

    enum CodingKeys: String, CodingKey {
        case targetID = "target_id"
        case indicatorID = "indicator_id"
        case areaCode = "area_code"
        case commitment
        case name
        case baselineYear = "baseline_year"
        case baselineValue = "baseline_value"
        case baselineSource = "baseline_source"
        case computedBaseline = "computed_baseline"
        case targetYear = "target_year"
        case targetValue = "target_value"
        case latestPeriod = "latest_period"
        case latestValue = "latest_value"
        case latestLow = "latest_low"
        case latestHigh = "latest_high"
        case expectedValue = "expected_value"
        case changeSinceBaseline = "change_since_baseline"
        case status
        case trendModel = "trend_model"
        case annualChange = "annual_change"
        case annualChangeLow = "annual_change_low"
        case annualChangeHigh = "annual_change_high"
        case projectedValue = "projected_value"
        case projectedLow = "projected_low"
        case projectedHigh = "projected_high"
        case note
        case definedAt = "defined_at"
    }
}
