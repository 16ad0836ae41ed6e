import GRDB

/// One row of `gate_results`: a finding of a plausibility gate in a run (a jump names its indicator, area and
/// period).
public struct GateResultRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "gate_results"

    public var id: Int64?
    public var runID: Int64
    public var gate: String
    /// `passed`, `warned` or `failed`.
    public var status: String
    public var message: String
    public var indicatorID: String?
    public var areaCode: String?
    public var period: String?
    public var changePct: Double?

    public init(
        id: Int64? = nil, runID: Int64, gate: String, status: String, message: String, indicatorID: String? = nil,
        areaCode: String? = nil, period: String? = nil, changePct: Double? = nil
    ) {
        self.id = id
        self.runID = runID
        self.gate = gate
        self.status = status
        self.message = message
        self.indicatorID = indicatorID
        self.areaCode = areaCode
        self.period = period
        self.changePct = changePct
    }

    enum CodingKeys: String, CodingKey {
        case id
        case runID = "run_id"
        case gate, status, message
        case indicatorID = "indicator_id"
        case areaCode = "area_code"
        case period
        case changePct = "change_pct"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
