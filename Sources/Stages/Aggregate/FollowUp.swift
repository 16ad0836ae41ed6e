import Foundation
import GRDB
import LagesbildModel
import PipelineModel
import StageKit
import Workspace

/// Follow-up of a target: its baseline tied to the indicator's own value, and an honest judgement of
/// every year since the baseline (``TargetJudge``: Poisson for counts and rates, binomial for shares,
/// least squares for plain values) — reached, on the way, not on the way, too uncertain to say, or too
/// little data.
public enum FollowUp {
    /// The value expected in `year` on the straight path from `baseline` to the target (for the chart's
    /// path to the target; the judgement uses the fitted trend, not this line).
    public static func expected(_ target: TargetSpec, baseline: Double, in year: Int) -> Double {
        let progress = Double(year - target.baselineYear) / Double(target.targetYear - target.baselineYear)
        return baseline + (target.targetValue - baseline) * min(max(progress, 0), 1)
    }

    /// One yearly value of the target's indicator and area.
    struct YearValue {
        var year: Int
        var numerator: Double?
        var denominator: Double?
        var value: Double
    }

    /// The series to judge, by the indicator's kind: counts with their population for counts and rates,
    /// successes of respondents for shares with a known base, plain values otherwise.
    static func series(_ values: [YearValue], indicator: IndicatorSpec) -> TargetJudge.Series {
        let years = values.map(\.year)
        switch indicator.kind {
        case .count where values.allSatisfy({ $0.numerator != nil }):
            return .counts(
                years: years, counts: values.map { Int(($0.numerator ?? 0).rounded()) },
                exposures: values.map { _ in 1 }, scale: 1)
        case .rate where values.allSatisfy({ $0.numerator != nil && ($0.denominator ?? 0) > 0 }):
            return .counts(
                years: years, counts: values.map { Int(($0.numerator ?? 0).rounded()) },
                exposures: values.map { $0.denominator ?? 1 }, scale: indicator.scale)
        case .share where values.allSatisfy({ ($0.denominator ?? 0) > 0 }):
            return .shares(
                years: years, successes: values.map { $0.value / indicator.scale * ($0.denominator ?? 0) },
                trials: values.map { $0.denominator ?? 0 }, scale: indicator.scale)
        default:
            return .values(years: years, values: values.map(\.value))
        }
    }

    /// The baseline follow-up uses: the indicator's own value for the baseline year and area, or a
    /// declared value that names its source. A declared value without a source that differs from the
    /// computed one by more than the target's tolerance is an error (exit 65).
    static func baseline(_ target: TargetSpec, computed: Double?) throws -> Double? {
        guard let declared = target.declaredBaseline else { return computed }
        if target.baselineSource != nil { return declared }
        let named = "target '\(target.name.isEmpty ? target.id : target.name)' (\(target.definedAt))"
        guard let computed else {
            throw StageDataError(
                stage: .aggregate,
                message: "\(named): the declared baseline \(number(declared)) for "
                    + "\(target.baselineYear) cannot be checked: \(target.indicator) has no value for "
                    + "\(target.area) that year. Remove baseline.value to use the indicator's own value, or name "
                    + "where it comes from with baseline.source")
        }
        guard abs(declared - computed) <= target.tolerance * abs(computed) else {
            throw StageDataError(
                stage: .aggregate,
                message: "\(named): the declared baseline \(number(declared)) for "
                    + "\(target.baselineYear) differs from the indicator's own value "
                    + "\(number(computed)) by more than \(number(target.tolerance * 100)) %. "
                    + "Remove baseline.value to use the computed value, or name where "
                    + "\(number(declared)) comes from with baseline.source")
        }
        return declared
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
                message: "target '\(target.name)' (\(target.definedAt)): the area '\(target.area)' is not in the "
                    + "area code list (targets[].area in the pipeline file)")
        }
        let values = try Row.fetchAll(
            db,
            sql: """
                SELECT period, numerator, denominator, value FROM indicator_values
                WHERE indicator_id = ? AND area_code = ? AND period_type = 'year' AND breakdown = ''
                    AND status = 'ok' AND value IS NOT NULL
                ORDER BY period
                """,
            arguments: [target.indicator, target.area]
        ).compactMap { row -> YearValue? in
            guard let year = Int(row["period"] as String) else { return nil }
            return YearValue(
                year: year, numerator: row["numerator"], denominator: row["denominator"], value: row["value"])
        }
        let computed = values.first { $0.year == target.baselineYear }?.value
        let baseline = try baseline(target, computed: computed)
        let assessment = TargetJudge.assess(
            series: series(values.filter { $0.year >= target.baselineYear }, indicator: indicator),
            baselineYear: target.baselineYear, targetYear: target.targetYear, targetValue: target.targetValue,
            better: indicator.better)
        let latest = values.last.flatMap { $0.year > target.baselineYear ? $0 : nil }
        try FollowUpRecord(
            targetID: target.id, indicatorID: target.indicator, areaCode: target.area,
            commitment: target.commitment, name: target.name, baselineYear: target.baselineYear,
            baselineValue: baseline, baselineSource: target.baselineSource, computedBaseline: computed,
            targetYear: target.targetYear, targetValue: target.targetValue,
            latestPeriod: latest.map { String($0.year) }, latestValue: latest?.value,
            latestLow: assessment.latest?.interval.low, latestHigh: assessment.latest?.interval.high,
            expectedValue: latest.flatMap { point in baseline.map { expected(target, baseline: $0, in: point.year) } },
            changeSinceBaseline: latest.flatMap { point in baseline.map { point.value - $0 } },
            status: assessment.judgement, trendModel: assessment.trend?.model,
            annualChange: assessment.trend?.annualChange, annualChangeLow: assessment.trend?.annualChangeInterval.low,
            annualChangeHigh: assessment.trend?.annualChangeInterval.high,
            projectedValue: assessment.projected?.value, projectedLow: assessment.projected?.interval.low,
            projectedHigh: assessment.projected?.interval.high, note: assessment.explanation,
            definedAt: target.definedAt
        ).insert(db)
    }
}

/// A number for a message: whole numbers as they are, others with one decimal.
private func number(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e12 ? String(Int(value)) : String(format: "%.1f", value)
}
