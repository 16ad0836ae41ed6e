import Foundation
import GRDB
import LagesbildModel
import PipelineModel
import StageKit

/// Follow-up of the action plan, after Brå's three questions: production (were the planned outputs,
/// hours and kronor delivered — from the owners' status reports), process (the latest status, and
/// whether the latest report is missing) and effect (did the problem change in the measure's area more
/// than in the rest of the kommun — an indication, never proof).
///
/// Writes `plan_problems`, `plan_measures` and `plan_measure_outputs` as the plan file says, and
/// `measure_followup` and `measure_effects`.
public enum ActionPlanFollowUp {
    /// Replaces the plan tables and the measures' follow-up.
    static func store(_ pipeline: Pipeline, db: Database) throws {
        for table in ["plan_problems", "plan_measures", "plan_measure_outputs", "measure_followup", "measure_effects"] {
            try db.execute(sql: "DELETE FROM \(table)")
        }
        guard let plan = pipeline.actionPlan else { return }
        for problem in plan.problems { try PlanProblemRecord(problem).insert(db) }
        for measure in plan.measures {
            try PlanMeasureRecord(measure).insert(db)
            for output in measure.outputs {
                try PlanMeasureOutputRecord(measureId: measure.id, name: output.name, perYear: output.perYear).insert(
                    db)
            }
        }
        let reports = try MeasureReportRow.fetchAll(
            db, sql: "SELECT * FROM measure_reports ORDER BY measure_id, period_start, delivery_id, line")
        for row in production(plan: plan, reports: reports) { try row.insert(db) }
        for row in try effects(pipeline: pipeline, plan: plan, db: db) { try row.insert(db) }
    }

    // MARK: Production and process

    /// Months of `year` that `measure` runs, up to and including `horizon` (the last month reported on).
    static func months(of measure: Measure, in year: Int, until horizon: YearMonth) -> Int {
        let from = max(measure.start, YearMonth(year: year, month: 1))
        let to = min(measure.end, YearMonth(year: year, month: 12), horizon)
        guard from <= to else { return 0 }
        return (to.year - from.year) * 12 + to.month - from.month + 1
    }

    /// The follow-up of each measure per year, from the first to the latest year anyone reported on:
    /// planned outputs, hours and cost pro rata for the months the measure runs that year (up to the end
    /// of the latest reported period), against the sums reported; the latest status; and whether the
    /// measure lacks a report for the latest period reported by anyone while it runs then.
    static func production(plan: ActionPlan, reports: [MeasureReportRow]) -> [MeasureFollowUpRecord] {
        let periods = reports.compactMap { ReportPeriod($0.period) }
        guard let latest = periods.max(), let firstYear = periods.map(\.year).min() else { return [] }
        var records: [MeasureFollowUpRecord] = []
        for measure in plan.measures {
            let own = reports.filter { $0.measureId == measure.id }
            for year in firstYear...latest.year {
                let months = months(of: measure, in: year, until: latest.lastMonth)
                let inYear = own.filter { ReportPeriod($0.period)?.year == year }
                guard months > 0 || !inYear.isEmpty else { continue }
                let share = Double(months) / 12
                // Reports are ordered by period start, file and line: the last is the latest.
                let last = inYear.last
                let missing =
                    year == latest.year && measure.runs(during: latest)
                    && !own.contains { $0.period == latest.description }
                // One row per planned output (and per output reported that was not planned); one row
                // without a name for a measure without outputs.
                var outputs: [(name: String, perYear: Double?)] = measure.outputs.map { ($0.name, $0.perYear) }
                for name in Set(inYear.compactMap(\.outputName)).sorted()
                where !outputs.contains(where: { $0.name == name }) {
                    outputs.append((name, nil))
                }
                if outputs.isEmpty { outputs = [("", nil)] }
                for output in outputs {
                    let delivered = inYear.filter { ($0.outputName ?? "") == output.name }.compactMap(
                        \.outputsDelivered)
                    records.append(
                        MeasureFollowUpRecord(
                            measureId: measure.id, year: year, outputName: output.name, months: months,
                            planned: output.perYear.map { $0 * share },
                            delivered: delivered.isEmpty ? nil : delivered.reduce(0, +),
                            hoursPlanned: measure.hoursPerYear.map { $0 * share },
                            hours: sum(inYear.compactMap(\.hours)),
                            costPlanned: measure.costPerYear.map { $0 * share },
                            costSek: sum(inYear.compactMap(\.costSek)),
                            latestPeriod: last?.period, latestStatus: last?.status,
                            reports: Set(inYear.map(\.period)).count, missingLatestReport: missing ? 1 : 0))
                }
            }
        }
        return records
    }

    private static func sum(_ values: [Double]) -> Double? { values.isEmpty ? nil : values.reduce(0, +) }

    // MARK: Effect

    /// One count and its exposure (the population for a rate, 1 for a count) from `indicator_values`.
    struct CountCell {
        var count: Double
        var exposure: Double
    }

    /// For each measure with an area and targets: the target indicator's counts in the area against the
    /// rest of the kommun, from the year before the measure started to the latest year with values.
    static func effects(pipeline: Pipeline, plan: ActionPlan, db: Database) throws -> [MeasureEffectRecord] {
        var records: [MeasureEffectRecord] = []
        let kommun = pipeline.municipality
        for measure in plan.measures {
            guard let area = measure.area else { continue }
            var indicators = Set<String>()
            for targetID in measure.targets {
                guard let target = pipeline.targets.first(where: { $0.id == targetID }),
                    let indicator = pipeline.indicator(target.indicator), indicators.insert(indicator.id).inserted
                else { continue }
                let before = measure.start.year - 1
                var record = MeasureEffectRecord(
                    measureId: measure.id, targetId: target.id, indicatorId: indicator.id, areaCode: area,
                    comparison: "the rest of \(kommun.name) (\(kommun.code) minus \(area))", beforeYear: before,
                    note: "")
                record.note = try estimate(&record, indicator: indicator, municipality: kommun.code, db: db)
                records.append(record)
            }
        }
        return records
    }

    /// Fills in the counts and the ratio of `record`; returns the note in words.
    static func estimate(
        _ record: inout MeasureEffectRecord, indicator: IndicatorSpec, municipality: String, db: Database
    ) throws -> String {
        guard indicator.kind == .count || indicator.kind == .rate else {
            return "No estimate: \(indicator.id) is a \(indicator.kind.rawValue), not counts of events; a "
                + "difference in differences needs counts for the area and the rest of the kommun."
        }
        let area = record.areaCode
        let years = try Int.fetchAll(
            db,
            sql: """
                SELECT CAST(a.period AS INTEGER) FROM indicator_values a JOIN indicator_values m
                    ON m.indicator_id = a.indicator_id AND m.period = a.period AND m.breakdown = ''
                    AND m.area_code = ? AND m.status = 'ok' AND m.numerator IS NOT NULL
                WHERE a.indicator_id = ? AND a.area_code = ? AND a.period_type = 'year' AND a.breakdown = ''
                    AND a.status = 'ok' AND a.numerator IS NOT NULL
                ORDER BY 1
                """,
            arguments: [municipality, indicator.id, area])
        guard years.contains(record.beforeYear) else {
            return "No estimate: \(indicator.id) has no published count for both \(area) and the kommun in "
                + "\(record.beforeYear), the year before the measure started (is \(area) at one of the indicator's "
                + "area levels, or is the count suppressed?)."
        }
        guard let after = years.last, after > record.beforeYear else {
            return "No estimate yet: \(indicator.id) has no year after \(record.beforeYear) with counts for both "
                + "\(area) and the kommun."
        }
        record.afterYear = after
        func cell(_ code: String, _ year: Int) throws -> CountCell {
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT numerator, denominator FROM indicator_values
                    WHERE indicator_id = ? AND area_code = ? AND period = ? AND breakdown = ''
                    """,
                arguments: [indicator.id, code, String(year)])
            let count: Double = row?["numerator"] ?? 0
            let exposure: Double? = row?["denominator"]
            return CountCell(count: count, exposure: indicator.kind == .rate ? exposure ?? 0 : 1)
        }
        let areaBefore = try cell(area, record.beforeYear)
        let areaAfter = try cell(area, after)
        let kommunBefore = try cell(municipality, record.beforeYear)
        let kommunAfter = try cell(municipality, after)
        // The rest of the kommun: the kommun minus the area (a count indicator has no exposure to subtract).
        func rest(_ kommun: CountCell, _ area: CountCell) -> CountCell {
            CountCell(
                count: kommun.count - area.count,
                exposure: indicator.kind == .rate ? kommun.exposure - area.exposure : 1)
        }
        let restBefore = rest(kommunBefore, areaBefore)
        let restAfter = rest(kommunAfter, areaAfter)
        record.areaCountBefore = areaBefore.count
        record.areaExposureBefore = areaBefore.exposure
        record.areaCountAfter = areaAfter.count
        record.areaExposureAfter = areaAfter.exposure
        record.comparisonCountBefore = restBefore.count
        record.comparisonExposureBefore = restBefore.exposure
        record.comparisonCountAfter = restAfter.count
        record.comparisonExposureAfter = restAfter.exposure
        func rateCell(_ cell: CountCell) -> RateCell {
            RateCell(count: Int(cell.count.rounded()), exposure: cell.exposure)
        }
        guard
            let estimate = FollowUpStatistics.differenceInDifferences(
                areaBefore: rateCell(areaBefore), areaAfter: rateCell(areaAfter),
                comparisonBefore: rateCell(restBefore), comparisonAfter: rateCell(restAfter))
        else {
            return "No estimate: a count (or population) is 0 in \(area) or the rest of the kommun in "
                + "\(record.beforeYear) or \(after)."
        }
        record.ratio = estimate.ratio
        record.ratioLow = estimate.interval.low
        record.ratioHigh = estimate.interval.high
        let what = indicator.kind == .rate ? "rate" : "count"
        let direction = estimate.ratio < 1 ? "fell more (or rose less)" : "rose more (or fell less)"
        let chance =
            estimate.interval.contains(1)
            ? "The interval includes 1: the difference lies within what chance alone gives."
            : "The interval excludes 1: chance alone is an unlikely explanation."
        return "An indication, not proof of effect: from \(record.beforeYear) to \(after) the \(what) in \(area) "
            + "\(direction) than in the rest of the kommun, by a factor \(format(estimate.ratio)) (95 % interval "
            + "\(format(estimate.interval.low))–\(format(estimate.interval.high))). \(chance) Areas are often "
            + "chosen after a bad year and drift back by themselves (regression to the mean), crime may move to "
            + "neighbouring areas, and other measures and changes act at the same time."
    }

    private static func format(_ value: Double) -> String { String(format: "%.2f", value) }
}

/// A status report as aggregate reads it from `measure_reports`.
struct MeasureReportRow: Codable, Sendable, FetchableRecord {
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase

    var deliveryId: Int64
    var line: Int
    var measureId: String
    var period: String
    var status: String
    var outputName: String?
    var outputsDelivered: Double?
    var hours: Double?
    var costSek: Double?
}

/// A row of `plan_problems`; lists as JSON arrays of text.
struct PlanProblemRecord: Codable, Sendable, PersistableRecord {
    static let databaseTableName = "plan_problems"
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    var id: String
    var title: String
    var priority: Int
    var indicators: String
    var areas: String
    var causeAnalysis: String?
    var causeAnalysisLink: String?
    var targets: String

    init(_ problem: Problem) {
        id = problem.id
        title = problem.title
        priority = problem.priority
        indicators = jsonList(problem.indicators)
        areas = jsonList(problem.areas)
        causeAnalysis = problem.causeAnalysis
        causeAnalysisLink = problem.causeAnalysisLink
        targets = jsonList(problem.targets)
    }
}

/// A row of `plan_measures`; lists as JSON arrays of text, months as `YYYY-MM`.
struct PlanMeasureRecord: Codable, Sendable, PersistableRecord {
    static let databaseTableName = "plan_measures"
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    var id: String
    var title: String
    var kind: String
    var problems: String
    var owner: String
    var partners: String
    var startMonth: String
    var endMonth: String
    var hoursPerYear: Double?
    var costSekPerYear: Double?
    var targets: String
    var areaCode: String?
    var signed: String?

    init(_ measure: Measure) {
        id = measure.id
        title = measure.title
        kind = measure.kind.rawValue
        problems = jsonList(measure.problems)
        owner = measure.owner
        partners = jsonList(measure.partners.map(\.rawValue))
        startMonth = measure.start.description
        endMonth = measure.end.description
        hoursPerYear = measure.hoursPerYear
        costSekPerYear = measure.costPerYear
        targets = jsonList(measure.targets)
        areaCode = measure.area
        signed = measure.signed
    }
}

/// A row of `plan_measure_outputs`: what a measure is to produce per year.
struct PlanMeasureOutputRecord: Codable, Sendable, PersistableRecord {
    static let databaseTableName = "plan_measure_outputs"
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    var measureId: String
    var name: String
    var perYear: Double
}

/// A row of `measure_followup`: one measure, year and planned output. Hours, cost, the latest status and
/// the report count are the measure's, repeated on each of its output rows.
struct MeasureFollowUpRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "measure_followup"
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase

    var measureId: String
    var year: Int
    /// The planned output's name; empty for a measure without outputs.
    var outputName: String
    /// Months of the year the measure runs, up to the end of the latest reported period.
    var months: Int
    var planned: Double?
    var delivered: Double?
    var hoursPlanned: Double?
    var hours: Double?
    var costPlanned: Double?
    var costSek: Double?
    var latestPeriod: String?
    var latestStatus: String?
    /// Periods reported on that year.
    var reports: Int
    /// 1 when the measure runs in the latest period anyone reported on but has no report for it.
    var missingLatestReport: Int
}

/// A row of `measure_effects`: difference in differences of a target indicator's counts, the measure's
/// area against the rest of the kommun, from the year before it started to the latest year.
struct MeasureEffectRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "measure_effects"
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase

    var measureId: String
    var targetId: String
    var indicatorId: String
    var areaCode: String
    var comparison: String
    var beforeYear: Int
    var afterYear: Int?
    var areaCountBefore: Double?
    var areaExposureBefore: Double?
    var areaCountAfter: Double?
    var areaExposureAfter: Double?
    var comparisonCountBefore: Double?
    var comparisonExposureBefore: Double?
    var comparisonCountAfter: Double?
    var comparisonExposureAfter: Double?
    /// (area after / area before) ÷ (rest after / rest before), on rates (or counts).
    var ratio: Double?
    var ratioLow: Double?
    var ratioHigh: Double?
    /// In words, as an indication; or why there is no estimate.
    var note: String
}

/// A list of texts as a JSON array.
private func jsonList(_ items: [String]) -> String {
    "[" + items.map(jsonString).joined(separator: ",") + "]"
}

private func jsonString(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case _ where scalar.value < 0x20: result += String(format: "\\u%04x", scalar.value)
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result + "\""
}
