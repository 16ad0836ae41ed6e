import Foundation
import GRDB
import LagesbildModel
import PipelineModel
import Report
import Workspace

/// Fills the county or national report (`scope: county` or `country`) from the workspace: every kommun's
/// `indicator_values` side by side, ranked with exact Poisson intervals, each tested against the rest of
/// the county (or country), with the comparison source's county, country and municipality group lines.
public struct CountyReportBuilder {
    let db: Database
    let pipeline: Pipeline
    let runID: Int64
    /// The exact Poisson intervals found so far, by count: at country scope the 3 480 rankings' counts
    /// repeat (about 1 100 distinct), and each interval is two bisections.
    let intervals = PoissonIntervals()

    public init(db: Database, pipeline: Pipeline, runID: Int64) {
        self.db = db
        self.pipeline = pipeline
        self.runID = runID
    }

    var reference: CountyReference {
        get throws {
            if pipeline.scope == .county {
                let name = try String.fetchOne(
                    db, sql: "SELECT name FROM codelist_areas WHERE code = ?",
                    arguments: [pipeline.municipality.countyCode])
                return CountyReference(kind: .county, name: name ?? "länet \(pipeline.municipality.countyCode)")
            }
            return CountyReference(kind: .country, name: "Sverige")
        }
    }

    /// The kommuner in scope: those of the county in the area list, and every kommun with values.
    func municipalities() throws -> [CountyMunicipality] {
        var names: [String: String] = [:]
        if pipeline.scope == .county {
            for row in try Row.fetchAll(
                db, sql: "SELECT code, name FROM codelist_areas WHERE level = 'municipality' AND parent_code = ?",
                arguments: [pipeline.municipality.countyCode])
            {
                names[row["code"]] = row["name"]
            }
        }
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT DISTINCT area_code, area_name FROM indicator_values
                WHERE area_level = 'municipality' AND breakdown = ''
                """)
        {
            let code: String = row["area_code"]
            guard pipeline.scope == .country || code.hasPrefix(pipeline.municipality.countyCode) else { continue }
            if names[code] == nil { names[code] = Self.plainName(row["area_name"], code: code) }
        }
        names[pipeline.municipality.code] = pipeline.municipality.name
        let groups = try pipeline.codeLists.municipalityGroups?.read()
        return names.map { code, name in
            CountyMunicipality(code: code, name: name, group: groups?.groupOf[code]?.name)
        }.sorted { $0.name.compare($1.name, locale: Locale(identifier: "sv_SE")) == .orderedAscending }
    }

    /// `Varberg (1383)` → `Varberg`: the stored area name carries its code.
    static func plainName(_ stored: String, code: String) -> String {
        stored.hasSuffix(" (\(code))") ? String(stored.dropLast(code.count + 3)) : stored
    }

    public func build(generatedAt: Date = Date()) throws -> CountyReportData {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "sv_SE")
        formatter.dateFormat = "d MMMM yyyy 'kl.' HH.mm"
        let reference = try self.reference
        let municipalities = try municipalities()
        let municipal = ReportBuilder(db: db, pipeline: pipeline, runID: runID)
        let indicators = try pipeline.indicators.filter { $0.areaLevels.contains(.municipality) }.compactMap {
            try indicator($0, reference: reference, municipalities: municipalities, municipal: municipal)
        }
        let sources = try municipal.sourcesAndMethod().sources
        return CountyReportData(
            title: pipeline.title, reference: reference, generatedAt: formatter.string(from: generatedAt),
            runID: String(runID), suppressionThreshold: pipeline.disclosure.threshold, municipalities: municipalities,
            indicators: indicators, method: try method(reference: reference), sources: sources)
    }

    func indicator(
        _ spec: IndicatorSpec, reference: CountyReference, municipalities: [CountyMunicipality],
        municipal: ReportBuilder
    ) throws -> CountyIndicator? {
        let codes = Set(municipalities.map(\.code))
        // The rows are decoded as records from the statement (GRDB finds each column's position once per
        // query) and grouped by kommun and year: a look-up by column name in a copied row lowercases the
        // names, and at country scope (290 kommuner × 10 years) that and scanning per kommun were most of the
        // report's time.
        let rows = try IndicatorValueRecord.fetchByPosition(
            db,
            sql: """
                SELECT * FROM indicator_values WHERE indicator_id = ? AND area_level = 'municipality'
                    AND breakdown = '' AND period_type = 'year' ORDER BY period
                """,
            arguments: [spec.id]
        ).filter { codes.contains($0.areaCode) }
        guard !rows.isEmpty else { return nil }
        let rowsOfPeriod = Dictionary(grouping: rows, by: \.period)
        let rowsOfArea = Dictionary(grouping: rows, by: \.areaCode)
        let periods = rowsOfPeriod.keys.sorted()
        let latest = rows.filter { $0.status == .ok }.map(\.period).max() ?? periods.last!
        let testable = spec.kind == .rate
        // The reference from the kommuner's own numbers: summed counts over summed population, per year,
        // only when every kommun of the scope has both.
        var referenceSeries: [SeriesPoint] = []
        var referenceCounts: [String: (count: Double, exposure: Double)] = [:]
        for period in periods where testable {
            let inPeriod = rowsOfPeriod[period] ?? []
            let complete = inPeriod.compactMap { row -> (Double, Double)? in
                guard let count = row.numerator, let exposure = row.denominator, exposure > 0 else { return nil }
                return (count, exposure)
            }
            if complete.count == municipalities.count {
                let count = complete.map(\.0).reduce(0, +)
                let exposure = complete.map(\.1).reduce(0, +)
                referenceCounts[period] = (count, exposure)
                referenceSeries.append(
                    SeriesPoint(period: period, value: count / exposure * spec.scale, status: .ok))
            } else {
                referenceSeries.append(
                    SeriesPoint(
                        period: period, value: nil, status: .missing,
                        note: "\(municipalities.count - complete.count) av \(municipalities.count) kommuner saknar "
                            + "antal eller befolkning"))
            }
        }
        // The ranking, latest year.
        let referenceArea = reference
        let reference = referenceCounts[latest]
        var ranking: [CountyRankEntry] = []
        for municipality in municipalities {
            guard let row = rowsOfArea[municipality.code]?.first(where: { $0.period == latest }) else {
                ranking.append(
                    CountyRankEntry(
                        code: municipality.code, name: municipality.name, value: nil, status: .missing,
                        deviation: .notTestable, note: "inget värde \(latest)"))
                continue
            }
            let status = ReportBuilder.shownStatus(row.status, note: row.note)
            var entry = CountyRankEntry(
                code: municipality.code, name: municipality.name, value: row.value, status: status,
                low: row.ciLow, high: row.ciHigh, deviation: .notTestable,
                note: status == .ok ? nil : ReportBuilder.swedishNote(row.note, status: status))
            if status == .ok, testable, let count = row.numerator, let exposure = row.denominator, exposure > 0 {
                let interval = intervals.interval(count: Int(count.rounded()))
                entry.low = interval.low / exposure * spec.scale
                entry.high = interval.high / exposure * spec.scale
                if let reference {
                    (entry.deviation, entry.note) = Self.deviation(
                        count: count, exposure: exposure, total: reference.count, totalExposure: reference.exposure,
                        rest: "övriga \(referenceArea.definite)")
                }
            }
            ranking.append(entry)
        }
        ranking.sort { lhs, rhs in
            switch (lhs.status == .ok ? lhs.value : nil, rhs.status == .ok ? rhs.value : nil) {
            case (let left?, let right?): return left != right ? left > right : lhs.name < rhs.name
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return lhs.name < rhs.name
            }
        }
        var referenceInterval: Interval?
        if let reference {
            referenceInterval = intervals.interval(count: Int(reference.count.rounded())).scaled(
                by: spec.scale / reference.exposure)
        }
        // Each kommun's trend, in the ranking's order.
        let trends = ranking.map { entry in
            ComparisonSeries(
                kind: .municipality, name: entry.name, points: (rowsOfArea[entry.code] ?? []).map(ReportBuilder.point))
        }
        let (comparisons, notes) = try comparisonLines(spec, municipal: municipal)
        // Titles, units and directions as the run stored them, not as today's pipeline file says.
        let stored = try IndicatorRecord.fetchOne(db, key: spec.id)
        return CountyIndicator(
            id: spec.id, title: stored?.title ?? spec.title, definition: stored?.definition ?? spec.definition,
            unit: stored?.unit ?? spec.unit, decimals: stored?.decimals ?? ReportBuilder.decimals(spec),
            better: stored?.better ?? spec.better, period: latest,
            referenceValue: reference.map { $0.count / $0.exposure * spec.scale }, referenceLow: referenceInterval?.low,
            referenceHigh: referenceInterval?.high, ranking: ranking, periods: periods, trends: trends,
            referenceSeries: referenceSeries, comparisons: comparisons, notes: notes)
    }

    /// Whether a kommun's rate differs from the rest of the reference area beyond chance: the rate ratio
    /// against the rest (the reference's count and population less the kommun's) with its 95 % interval on
    /// the log scale (``FollowUpStatistics/rateRatio(count1:exposure1:count2:exposure2:level:)``); higher or
    /// lower when the whole interval lies above or below 1.
    static func deviation(count: Double, exposure: Double, total: Double, totalExposure: Double, rest: String)
        -> (CountyDeviation, String?)
    {
        let restCount = (total - count).rounded()
        let restExposure = totalExposure - exposure
        guard restCount >= 0, restExposure > 0,
            let test = FollowUpStatistics.rateRatio(
                count1: Int(count.rounded()), exposure1: exposure, count2: Int(restCount), exposure2: restExposure)
        else { return (.notTestable, nil) }
        func ratio(_ number: Double) -> String { SwedishFormat.number(number, decimals: 2) }
        let note =
            "kvot mot \(rest) \(ratio(test.ratio)) (95 % intervall \(ratio(test.interval.low))–"
            + "\(ratio(test.interval.high)))"
        if test.interval.low > 1 { return (.higher, note) }
        if test.interval.high < 1 { return (.lower, note) }
        return (.withinNoise, note)
    }
}

/// ``FollowUpStatistics/poissonInterval(count:level:)`` at 95 %, each count's found once.
final class PoissonIntervals {
    private var byCount: [Int: Interval] = [:]

    func interval(count: Int) -> Interval {
        if let known = byCount[count] { return known }
        let interval = FollowUpStatistics.poissonInterval(count: count)
        byCount[count] = interval
        return interval
    }
}
