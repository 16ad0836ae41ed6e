import Foundation
import GRDB
import LagesbildModel
import PipelineModel
import Workspace

/// How a target's judgement was reached (`lagesbild explain TARGET-ID`): the baseline and where it comes
/// from, every yearly value since the baseline with its 95 % interval, the fitted trend and its
/// projection to the target year, and the rule that decided.
public struct TargetExplanation: Sendable, Codable {
    public struct Point: Sendable, Codable {
        public var year: Int
        public var numerator: Double?
        public var denominator: Double?
        public var value: Double
        /// 95 %: exact Poisson for counts and rates, Wilson for shares with a known base; nil for plain values.
        public var low: Double?
        public var high: Double?
    }

    public var target: String
    public var name: String
    public var definedAt: String
    public var indicator: String
    public var indicatorKind: String
    public var better: String
    public var area: String
    public var baselineYear: Int
    public var baselineValue: Double?
    public var computedBaseline: Double?
    public var declaredBaseline: Double?
    public var baselineSource: String?
    public var tolerance: Double
    public var targetYear: Int
    public var targetValue: Double
    public var points: [Point]
    public var trendModel: String?
    public var annualChange: Double?
    public var annualChangeLow: Double?
    public var annualChangeHigh: Double?
    public var projectedValue: Double?
    public var projectedLow: Double?
    public var projectedHigh: Double?
    public var judgement: String
    public var why: String?

    /// Reads the explanation of `target` from the workspace at `directory`.
    public static func read(directory: String, pipeline: Pipeline, target: TargetSpec) throws -> TargetExplanation {
        guard let indicator = pipeline.indicator(target.indicator) else {
            throw UsageError("target '\(target.id)' names the unknown indicator '\(target.indicator)'")
        }
        let workspace = try Workspace(directory: directory, create: false)
        return try workspace.database.read { db in
            guard
                let row = try FollowUpRecord.fetchOne(db, key: target.id)
            else {
                throw UsageError("target '\(target.id)' has no follow-up in the workspace yet: run aggregate first")
            }
            let points = try Row.fetchAll(
                db,
                sql: """
                    SELECT period, numerator, denominator, value FROM indicator_values
                    WHERE indicator_id = ? AND area_code = ? AND period_type = 'year' AND breakdown = ''
                        AND status = 'ok' AND value IS NOT NULL AND CAST(period AS INTEGER) >= ?
                    ORDER BY period
                    """,
                arguments: [target.indicator, target.area, target.baselineYear]
            ).compactMap { point -> Point? in
                guard let year = Int(point["period"] as String) else { return nil }
                return Self.point(
                    year: year, numerator: point["numerator"], denominator: point["denominator"],
                    value: point["value"], indicator: indicator)
            }
            return TargetExplanation(
                target: target.id, name: target.name, definedAt: target.definedAt, indicator: indicator.id,
                indicatorKind: indicator.kind.rawValue, better: indicator.better.rawValue, area: target.area,
                baselineYear: target.baselineYear, baselineValue: row.baselineValue,
                computedBaseline: row.computedBaseline, declaredBaseline: target.declaredBaseline,
                baselineSource: target.baselineSource, tolerance: target.tolerance, targetYear: target.targetYear,
                targetValue: target.targetValue, points: points, trendModel: row.trendModel?.rawValue,
                annualChange: row.annualChange, annualChangeLow: row.annualChangeLow,
                annualChangeHigh: row.annualChangeHigh, projectedValue: row.projectedValue,
                projectedLow: row.projectedLow, projectedHigh: row.projectedHigh, judgement: row.status.rawValue,
                why: row.note)
        }
    }

    static func point(year: Int, numerator: Double?, denominator: Double?, value: Double, indicator: IndicatorSpec)
        -> Point
    {
        var point = Point(year: year, numerator: numerator, denominator: denominator, value: value)
        switch indicator.kind {
        case .count, .rate:
            guard let numerator else { break }
            let exposure = indicator.kind == .rate ? (denominator ?? 0) / indicator.scale : 1
            guard exposure > 0 else { break }
            let interval = FollowUpStatistics.poissonInterval(count: Int(numerator.rounded()))
            point.low = interval.low / exposure
            point.high = interval.high / exposure
        case .share:
            guard let denominator, denominator > 0 else { break }
            let interval = FollowUpStatistics.wilsonInterval(
                successes: value / indicator.scale * denominator, trials: denominator)
            point.low = interval.low * indicator.scale
            point.high = interval.high * indicator.scale
        case .value:
            break
        }
        return point
    }

    public var text: String {
        func number(_ value: Double?) -> String {
            guard let value else { return "–" }
            return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(format: "%.4g", value)
        }
        var lines = ["target \(target)\(name.isEmpty ? "" : " — \(name)") (\(definedAt))"]
        lines.append("indicator: \(indicator) (\(indicatorKind), better when \(better)), area \(area)")
        var baseline = "baseline \(baselineYear): \(number(baselineValue))"
        if let declaredBaseline {
            baseline +=
                baselineSource.map { " declared, source: \($0)" }
                ?? " declared; the indicator's own value \(number(computedBaseline)) agrees within "
                + "\(number(tolerance * 100)) %"
        } else {
            baseline += " (the indicator's own value)"
        }
        lines.append(baseline)
        lines.append("target \(targetYear): \(number(targetValue))")
        lines.append("yearly values since the baseline (95 % interval):")
        for point in points {
            var line = "  \(point.year): \(number(point.value))"
            if let low = point.low, let high = point.high { line += " (\(number(low))–\(number(high)))" }
            if let numerator = point.numerator {
                line += "  numerator \(number(numerator))"
                if let denominator = point.denominator { line += ", denominator \(number(denominator))" }
            }
            lines.append(line)
        }
        if let trendModel, let annualChange {
            let change =
                trendModel == "linear"
                ? "\(number(annualChange)) a year" : "×\(number(annualChange)) a year"
            lines.append(
                "trend (\(trendModel), fitted to every year since the baseline): \(change), 95 % interval "
                    + "\(number(annualChangeLow))–\(number(annualChangeHigh))")
        }
        if let projectedValue {
            lines.append(
                "projected \(targetYear): \(number(projectedValue)) (95 % interval \(number(projectedLow))–"
                    + "\(number(projectedHigh)))")
        }
        lines.append("judgement: \(judgement)")
        if let why { lines.append("why: \(why)") }
        lines.append(
            "rules: reached when the latest value's interval is wholly on the good side of the target; too "
                + "little data below 3 yearly values; not on the way when the trend goes significantly the wrong way "
                + "or its projected interval misses the target; on the way when the projected interval lies wholly "
                + "on the good side; otherwise too uncertain to say.")
        return lines.joined(separator: "\n")
    }
}
