import GRDB
import PipelineModel
import StageKit

/// Follow-up of a target: where the indicator stands against the path from baseline to target.
public enum FollowUp {
    /// How a target is doing.
    public enum Status: String, Sendable {
        case onTrack = "on-track"
        case offTrack = "off-track"
        case notEnoughData = "not-enough-data"
    }

    /// The value expected in `year` on the straight path from baseline to target.
    public static func expected(_ target: TargetSpec, in year: Int) -> Double {
        let progress = Double(year - target.baselineYear) / Double(target.targetYear - target.baselineYear)
        return target.baselineValue + (target.targetValue - target.baselineValue) * min(max(progress, 0), 1)
    }

    /// On track when the latest value after the baseline year is at least as good as the path expects.
    public static func status(
        _ target: TargetSpec, better: Direction, latestYear: Int?, latestValue: Double?
    ) -> Status {
        guard let latestYear, let latestValue, latestYear > target.baselineYear else { return .notEnoughData }
        let expectedValue = expected(target, in: latestYear)
        switch better {
        case .lower: return latestValue <= expectedValue ? .onTrack : .offTrack
        case .higher: return latestValue >= expectedValue ? .onTrack : .offTrack
        }
    }

    /// Computes and stores the follow-up of `target` from the indicator's yearly values.
    static func store(_ target: TargetSpec, pipeline: Pipeline, db: Database) throws {
        guard let indicator = pipeline.indicator(target.indicator) else { return }
        let hasAreaList = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM codelist_areas)") ?? false
        let knownArea =
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM codelist_areas WHERE code = ?)", arguments: [target.area])
            ?? false
        if hasAreaList, !knownArea, target.area != pipeline.municipality.code {
            throw StageDataError(
                stage: .aggregate,
                message: "target '\(target.name)': the area '\(target.area)' is not in the area code list "
                    + "(targets[].area in the pipeline file)")
        }
        let latest = try Row.fetchOne(
            db,
            sql: """
                SELECT period, value FROM indicator_values
                WHERE indicator_id = ? AND area_code = ? AND period_type = 'year' AND breakdown = ''
                    AND status = 'ok'
                ORDER BY period DESC LIMIT 1
                """,
            arguments: [target.indicator, target.area])
        let latestPeriod: String? = latest?["period"]
        let latestValue: Double? = latest?["value"]
        let latestYear = latestPeriod.flatMap { Int($0) }
        let status = status(target, better: indicator.better, latestYear: latestYear, latestValue: latestValue)
        let expectedValue = latestYear.map { expected(target, in: $0) }
        var note: String?
        if status == .notEnoughData {
            note = latestYear == nil ? "no published value" : "no published value after the baseline year"
        }
        try db.execute(
            sql: """
                INSERT INTO followup (indicator_id, area_code, commitment, name, baseline_year, baseline_value,
                    target_year, target_value, latest_period, latest_value, expected_value, change_since_baseline,
                    status, note)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                target.indicator, target.area, target.commitment.rawValue, target.name, target.baselineYear,
                target.baselineValue, target.targetYear, target.targetValue, latestPeriod, latestValue, expectedValue,
                latestValue.map { $0 - target.baselineValue }, status.rawValue, note,
            ])
    }
}
