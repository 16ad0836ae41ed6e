import Foundation
import GRDB
import LagesbildModel
import PipelineModel
import Report
import StageKit
import Workspace

/// Fills the follow-up report (`uppfoljning.html`) from the workspace: the targets' judgements (`followup`)
/// with their indicators' yearly values, the action plan (`plan_problems`, `plan_measures`), the measures'
/// follow-up (`measure_followup`, `measure_reports`, `measure_effects`) and the previous follow-up
/// (`followup_history`). Empty tables give an empty part, which the report names in words.
public struct FollowUpReportBuilder {
    let db: Database
    let pipeline: Pipeline
    let runID: Int64

    public init(db: Database, pipeline: Pipeline, runID: Int64) {
        self.db = db
        self.pipeline = pipeline
        self.runID = runID
    }

    /// The report's data.
    public func build(generatedAt: Date = Date()) throws -> FollowUpReportData {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "sv_SE")
        formatter.dateFormat = "d MMMM yyyy 'kl.' HH.mm"
        let areaNames = try areaNames()
        let county = areaNames[pipeline.municipality.countyCode]
        let targets = try self.targets(areaNames: areaNames)
        let (problems, measures) = try plan(areaNames: areaNames)
        let name = pipeline.municipality.name
        return FollowUpReportData(
            title: "Uppföljning av åtgärdsplanen, \(Self.genitive(name)) kommun",
            municipality: Municipality(name: name, code: pipeline.municipality.code, county: county),
            generatedAt: formatter.string(from: generatedAt), runID: String(runID),
            planTitle: pipeline.actionPlan?.title, planAdopted: pipeline.actionPlan?.adopted, problems: problems,
            targets: targets.map { $0.judgement }, measures: measures,
            previous: try previous(current: targets.map { $0.snapshot }))
    }

    /// "Halmstad" → "Halmstads"; names ending in s, x or z take no extra s.
    static func genitive(_ name: String) -> String {
        guard let last = name.last?.lowercased(), !["s", "x", "z"].contains(last) else { return name }
        return name + "s"
    }

    func areaNames() throws -> [String: String] {
        var names: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT code, name FROM codelist_areas") {
            names[row["code"]] = row["name"]
        }
        return names
    }

    /// A JSON array of text as the plan tables store lists; empty for anything else.
    static func list(_ json: String?) -> [String] {
        guard let data = json?.data(using: .utf8) else { return [] }
        return (try? JSONDecoder().decode([String].self, from: data)) ?? []
    }

    // MARK: Targets

    func targets(areaNames: [String: String]) throws -> [(judgement: JudgedTarget, snapshot: TargetSnapshot)] {
        let indicators = Dictionary(uniqueKeysWithValues: try IndicatorRecord.all(db).map { ($0.id, $0) })
        return try FollowUpRecord.fetchAll(db, sql: "SELECT * FROM followup ORDER BY rowid").map { row in
            let id = row.targetID
            let name = row.name
            let indicatorID = row.indicatorID
            // The follow-up is computed with its indicator: a target without a stored indicator is an error.
            guard let indicator = indicators[indicatorID] else {
                throw StageDataError(
                    stage: .publish,
                    message: "target \(id) follows indicator \(indicatorID), which the run did not store")
            }
            let area = row.areaCode
            let decimals = indicator.decimals
            var title = indicator.title
            if area != pipeline.municipality.code { title += ", \(areaNames[area] ?? area)" }
            let status = TargetStatus(row.status)
            let latestPeriod = row.latestPeriod
            let followUp = TargetFollowUp(
                indicatorID: indicatorID, indicatorTitle: title, commitment: row.commitment, unit: indicator.unit,
                decimals: decimals, better: indicator.better, baselineYear: row.baselineYear,
                baselineValue: row.baselineValue, baselineSource: row.baselineSource, targetYear: row.targetYear,
                targetValue: row.targetValue, latestPeriod: latestPeriod, latestValue: row.latestValue,
                changeSinceBaseline: row.changeSinceBaseline, status: status,
                note: ReportBuilder.judgementNote(row, decimals: decimals, lowerIsBetter: indicator.better == .lower))
            let judgement = JudgedTarget(
                id: id, name: name, followUp: followUp, latestLow: row.latestLow, latestHigh: row.latestHigh,
                projectedValue: row.projectedValue, projectedLow: row.projectedLow,
                projectedHigh: row.projectedHigh, series: try series(indicatorID, area: area, indicator: indicator))
            let snapshot = TargetSnapshot(
                targetID: id, name: name.isEmpty ? title : name, status: status, latestPeriod: latestPeriod)
            return (judgement, snapshot)
        }
    }

    /// The indicator's yearly values for an area. Counts and rates without a stored interval get the exact
    /// Poisson interval of their count, as the follow-up judges them.
    func series(_ indicatorID: String, area: String, indicator: IndicatorRecord?) throws -> [SeriesPoint] {
        try IndicatorValueRecord.fetchByPosition(
            db,
            sql: """
                SELECT * FROM indicator_values WHERE indicator_id = ? AND area_code = ? AND breakdown = ''
                    AND period_type = 'year' ORDER BY period
                """,
            arguments: [indicatorID, area]
        ).map { row in
            var point = ReportBuilder.point(row)
            guard point.status == .ok, point.ciLow == nil, let indicator, let numerator = row.numerator
            else { return point }
            let interval = FollowUpStatistics.poissonInterval(count: Int(numerator.rounded()))
            switch indicator.kind {
            case .count:
                (point.ciLow, point.ciHigh) = (interval.low, interval.high)
            case .rate:
                if let denominator = row.denominator, denominator > 0 {
                    let scaled = interval.scaled(by: indicator.scale / denominator)
                    (point.ciLow, point.ciHigh) = (scaled.low, scaled.high)
                }
            default:
                break
            }
            return point
        }
    }

    // MARK: The plan and its measures

    func plan(areaNames: [String: String]) throws -> (problems: [ProblemFollowUp], measures: [MeasureFollowUp]) {
        let measureRows = try Row.fetchAll(db, sql: "SELECT * FROM plan_measures ORDER BY rowid")
        let problemRows = try Row.fetchAll(db, sql: "SELECT * FROM plan_problems ORDER BY priority, rowid")
        var problemTitles: [String: String] = [:]
        for row in problemRows { problemTitles[row["id"]] = row["title"] }

        let problems = problemRows.map { row in
            let id: String = row["id"]
            return ProblemFollowUp(
                id: id, title: row["title"], priority: row["priority"],
                areas: Self.list(row["areas"]).map { areaNames[$0] ?? $0 }, causeAnalysis: row["cause_analysis"],
                causeAnalysisLink: row["cause_analysis_link"], targetIDs: Self.list(row["targets"]),
                measureIDs: measureRows.filter { Self.list($0["problems"]).contains(id) }.map { $0["id"] })
        }
        let measures = try measureRows.map { row in
            let area: String? = row["area_code"]
            return try measure(
                MeasureFollowUp(
                    id: row["id"], title: row["title"],
                    kind: (row["kind"] as String) == "citizen-promise" ? .citizenPromise : .measure,
                    owner: row["owner"], partners: Self.list(row["partners"]).map(Self.partnerName),
                    start: row["start_month"], end: row["end_month"], area: area.map { areaNames[$0] ?? $0 },
                    signed: row["signed"], problems: Self.list(row["problems"]).map { problemTitles[$0] ?? $0 },
                    hoursPerYear: row["hours_per_year"], costPerYear: row["cost_sek_per_year"]),
                areaNames: areaNames)
        }
        return (problems, measures)
    }

    /// A partner's name in Swedish, from its code in the plan file.
    static func partnerName(_ code: String) -> String {
        guard let partner = Partner(rawValue: code) else { return code }
        switch partner {
        case .municipality: return "kommunen"
        case .police: return "polisen"
        case .schools: return "skolan"
        case .socialServices: return "socialtjänsten"
        case .housingCompanies: return "bostadsbolag"
        case .rescueServices: return "räddningstjänsten"
        case .associations: return "föreningar"
        case .business: return "näringslivet"
        case .region: return "regionen"
        case .other: return "andra"
        }
    }

    /// A status as owners write it (`pågår`, `försenad`, …) or as a code (`ongoing`, `delayed`, …).
    static func progress(_ text: String?) -> MeasureProgress? {
        guard let text, !text.isEmpty else { return nil }
        if let code = MeasureProgress(rawValue: text.replacingOccurrences(of: "_", with: "-")) { return code }
        switch MeasureStatus(word: text) {
        case .notStarted: return .notStarted
        case .ongoing: return .ongoing
        case .done: return .done
        case .delayed: return .delayed
        case .cancelled: return .cancelled
        case nil: return nil
        }
    }

    /// Adds production, process and effect to a measure from the follow-up and report tables.
    func measure(_ base: MeasureFollowUp, areaNames: [String: String]) throws -> MeasureFollowUp {
        var measure = base
        let id = measure.id
        measure.production = try Row.fetchAll(
            db,
            sql: """
                SELECT year, output_name, planned, delivered FROM measure_followup
                WHERE measure_id = ? AND output_name <> '' ORDER BY year, output_name
                """,
            arguments: [id]
        ).map {
            ProductionYear(
                year: $0["year"], output: $0["output_name"], planned: $0["planned"], delivered: $0["delivered"])
        }
        // Hours and cost belong to the measure and year; a row per output may repeat them, so take the largest.
        measure.resources = try Row.fetchAll(
            db,
            sql: """
                SELECT year, max(hours_planned) AS hours_planned, max(hours) AS hours,
                    max(cost_planned) AS cost_planned, max(cost_sek) AS cost_sek
                FROM measure_followup WHERE measure_id = ? GROUP BY year ORDER BY year
                """,
            arguments: [id]
        ).compactMap { row in
            let year = ResourceYear(
                year: row["year"], hoursPlanned: row["hours_planned"], hours: row["hours"],
                costPlanned: row["cost_planned"], cost: row["cost_sek"])
            return [year.hoursPlanned, year.hours, year.costPlanned, year.cost].allSatisfy { $0 == nil } ? nil : year
        }
        if let latest = try Row.fetchOne(
            db,
            sql: """
                SELECT latest_period, latest_status, max(missing_latest_report) AS missing FROM measure_followup
                WHERE measure_id = ? AND year = (SELECT max(year) FROM measure_followup WHERE measure_id = ?)
                """,
            arguments: [id, id]), let missing: Int = latest["missing"]
        {
            measure.status = Self.progress(latest["latest_status"])
            measure.statusPeriod = latest["latest_period"]
            measure.reportMissing = missing != 0
        }
        let reports = try Row.fetchAll(
            db,
            sql:
                "SELECT period, status, comment FROM measure_reports WHERE measure_id = ? ORDER BY period_start DESC, line DESC",
            arguments: [id])
        if measure.status == nil, let latest = reports.first {
            measure.status = Self.progress(latest["status"])
            measure.statusPeriod = latest["period"]
        }
        if let commented = reports.first(where: { !(($0["comment"] as String?) ?? "").isEmpty }) {
            // Masked where normalize read it; masked again when the report shows it.
            measure.comment = commented["comment"]
            measure.commentPeriod = commented["period"]
        }
        let indicatorTitles = Dictionary(uniqueKeysWithValues: try IndicatorRecord.all(db).map { ($0.id, $0.title) })
        measure.effects = try Row.fetchAll(
            db, sql: "SELECT * FROM measure_effects WHERE measure_id = ? ORDER BY indicator_id", arguments: [id]
        ).map { row in
            let indicatorID: String = row["indicator_id"]
            let area: String = row["area_code"]
            return MeasureEffect(
                indicatorTitle: indicatorTitles[indicatorID] ?? indicatorID, area: areaNames[area] ?? area,
                comparison: Self.comparisonName(row["comparison"], areaNames: areaNames),
                beforeYears: (row["before_year"] as Int?).map(String.init) ?? "",
                afterYears: (row["after_year"] as Int?).map(String.init) ?? "",
                ratio: row["ratio"], ratioLow: row["ratio_low"], ratioHigh: row["ratio_high"])
        }
        return measure
    }

    /// What an area is compared with, in Swedish: the rest of the municipality unless the county or an area is named.
    static func comparisonName(_ comparison: String, areaNames: [String: String]) -> String {
        if let name = areaNames[comparison] { return name }
        return comparison.lowercased().contains("county") ? "övriga länet" : "övriga kommunen"
    }

    // MARK: The previous follow-up

    /// The latest follow-up published before this run, compared target by target; nil when there is none.
    func previous(current: [TargetSnapshot]) throws -> PreviousFollowUp? {
        guard
            let last = try Row.fetchOne(
                db,
                sql: """
                    SELECT run_id, max(published_at) AS published_at FROM followup_history
                    WHERE run_id = (SELECT max(run_id) FROM followup_history WHERE run_id < ?)
                    """,
                arguments: [runID]), let previousRun: Int64 = last["run_id"]
        else { return nil }
        let names = Dictionary(current.map { ($0.targetID, $0.name) }, uniquingKeysWith: { first, _ in first })
        let snapshots = try Row.fetchAll(
            db, sql: "SELECT * FROM followup_history WHERE run_id = ? ORDER BY target_id", arguments: [previousRun]
        ).map { row -> TargetSnapshot in
            // An unknown stored judgement is an error, never a target silently left out (it would read as new).
            let status = TargetStatus(try TargetJudgement(stored: row["status"]))
            let id: String = row["target_id"]
            return TargetSnapshot(
                targetID: id, name: names[id] ?? id, status: status, latestPeriod: row["latest_period"])
        }
        let changes = TargetStatusChange.compare(previous: snapshots, current: current)
        let published: String = last["published_at"] ?? ""
        return PreviousFollowUp(
            runID: String(previousRun),
            publishedAt: String(published.prefix(16)).replacingOccurrences(of: "T", with: " "),
            changes: changes, unchanged: current.count - changes.filter { $0.after != nil }.count)
    }
}
