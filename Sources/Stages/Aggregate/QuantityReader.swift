import GRDB
import PipelineModel
import StageKit
import Workspace

/// Reads the numbers behind indicators from the workspace: event counts and observed measures per
/// area and period, rolled up to the level asked for.
struct QuantityReader {
    let db: Database
    let municipality: Municipality
    let directory: AreaDirectory
    /// Event counts already computed in this stage run.
    let cache = Cache()

    final class Cache {
        /// `level|period type` → category → counts.
        var eventCounts: [String: [String: [Cell: Observed]]] = [:]
    }

    /// True when `code` lies in the pipeline's municipality (or is its county or the country, for
    /// those levels).
    func inScope(_ code: String, level: String) -> Bool {
        switch level {
        case "country": return code == "00"
        case "county": return code == municipality.countyCode
        case "municipality": return code == municipality.code
        default: return directory.ancestor(of: code, at: "municipality") == municipality.code
        }
    }

    static func periodExpression(_ type: PeriodType) -> String {
        switch type {
        case .year: return "CAST(e.year AS TEXT)"
        case .quarter: return "e.year || '-Q' || e.quarter"
        case .month: return "e.year || '-' || printf('%02d', e.month)"
        }
    }

    /// The join and condition that pick a category's events.
    func categoryFilter(_ category: String) throws -> (join: String, arguments: StatementArguments) {
        guard category != "all" else { return ("", []) }
        let known =
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM codelist_crime_categories WHERE category = ?)",
                arguments: [category]) ?? false
        guard known else {
            throw StageDataError(
                stage: .aggregate, message: "unknown crime category '\(category)': not in the category code list")
        }
        return ("JOIN codelist_crime_categories c ON c.crime_code = e.crime_code AND c.category = ?", [category])
    }

    /// Event counts per area at `level` and period. The counts of every category are computed in one
    /// pass over the events per level and period type, and kept for the next indicator that asks.
    func events(category: String, level: String, period: PeriodType) throws -> [Cell: Observed] {
        _ = try categoryFilter(category)  // an unknown category is an error
        let key = "\(level)|\(period.rawValue)"
        if cache.eventCounts[key] == nil { cache.eventCounts[key] = try allEventCounts(level: level, period: period) }
        return cache.eventCounts[key]?[category] ?? [:]
    }

    /// Counts per category (and `all`), area and period, with DeSO codes carried through the crosswalk.
    private func allEventCounts(level: String, period: PeriodType) throws -> [String: [Cell: Observed]] {
        let column: String
        switch level {
        case "municipality": column = "e.municipality_code"
        case "district": column = "e.district_code"
        case "deso": column = "e.deso_code"
        default:
            throw StageDataError(
                stage: .aggregate,
                message: "events have no area at level '\(level)'; use municipality, district or deso")
        }
        let periodExpression = Self.periodExpression(period)
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT 'all' AS category, \(column) AS area, \(periodExpression) AS period, count(*) AS n
                FROM events e WHERE \(column) IS NOT NULL GROUP BY 2, 3
                UNION ALL
                SELECT c.category, \(column), \(periodExpression), count(*)
                FROM events e JOIN codelist_crime_categories c ON c.crime_code = e.crime_code
                WHERE \(column) IS NOT NULL GROUP BY 1, 2, 3
                """)
        var result: [String: [Cell: Observed]] = [:]
        for row in rows {
            let category: String = row["category"]
            let area: String = row["area"]
            let count = Double(row["n"] as Int)
            let period: String = row["period"]
            let targets = level == "deso" ? directory.currentDeSO(area) : nil
            for (code, share) in targets ?? [(area, 1)] {
                let cell = Cell(area: code, period: period)
                let previous = result[category]?[cell]
                result[category, default: [:]][cell] = Observed(
                    value: (previous?.value ?? 0) + count * share, viaCrosswalk: targets != nil)
            }
        }
        return result
    }

    /// Event counts of the municipality per year and pattern value.
    func pattern(_ pattern: Pattern, category: String) throws -> [Cell: Observed] {
        let value: String
        switch pattern {
        case .monthOfYear: value = "printf('%02d', e.month)"
        case .weekdayHour: value = "e.weekday || '-' || e.hour"
        case .place: value = "e.place"
        }
        let filter = try categoryFilter(category)
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT CAST(e.year AS TEXT) AS period, \(value) AS bucket, count(*) AS n
                FROM events e \(filter.join)
                WHERE \(value) IS NOT NULL
                GROUP BY 1, 2
                """,
            arguments: filter.arguments)
        var result: [Cell: Observed] = [:]
        for row in rows {
            let cell = Cell(
                area: municipality.code, period: row["period"], breakdown: pattern.rawValue,
                breakdownValue: row["bucket"])
            result[cell] = Observed(value: Double(row["n"] as Int))
        }
        return result
    }

    /// An observed measure per area at `level` and period. Additive measures (counts, population) are
    /// summed from finer areas and from months when no direct number is delivered; other measures
    /// (shares, means) are averaged weighted by their respondents, or taken only as delivered.
    func measure(
        _ name: String, dimensions wanted: [String: String], level: String, period: PeriodType, additive: Bool
    ) throws -> [Cell: Observed] {
        let rows = try Row.fetchAll(
            db,
            sql:
                "SELECT area_code, area_level, period, dimensions, value, missing, base FROM observations WHERE measure = ?",
            arguments: [name])
        var direct: [Cell: [Observed]] = [:]
        var rolled: [Cell: [Observed]] = [:]
        for row in rows where Self.dimensions(row["dimensions"], match: wanted) {
            let rowPeriod: String = row["period"]
            guard let periodKey = Self.period(rowPeriod, as: period, additive: additive) else { continue }
            let code: String = row["area_code"]
            let rowLevel: String = row["area_level"]
            let observed = Observed(value: row["value"], missing: row["missing"], base: row["base"])
            if rowLevel == level, periodKey == rowPeriod {
                guard inScope(code, level: level) else { continue }
                if level == "deso", let targets = directory.currentDeSO(code) {
                    for target in targets {
                        var share = observed
                        share.value = observed.value.map { $0 * target.share }
                        share.viaCrosswalk = true
                        rolled[Cell(area: target.code, period: periodKey), default: []].append(share)
                    }
                } else {
                    direct[Cell(area: code, period: periodKey), default: []].append(observed)
                }
                continue
            }
            guard AreaDirectory.depth(rowLevel) >= AreaDirectory.depth(level) else { continue }
            guard let target = directory.ancestor(of: code, at: level), inScope(target, level: level) else { continue }
            rolled[Cell(area: target, period: periodKey), default: []].append(observed)
        }
        var result: [Cell: Observed] = [:]
        for (cell, parts) in rolled where direct[cell] == nil {
            if let combined = Self.combine(parts, additive: additive) { result[cell] = combined }
        }
        for (cell, parts) in direct {
            if let combined = Self.combine(parts, additive: additive) { result[cell] = combined }
        }
        return result
    }

    /// The key a delivered period counts under, or nil when it does not fit the period type.
    static func period(_ text: String, as type: PeriodType, additive: Bool) -> String? {
        let isMonth = text.count == 7 && !text.contains("Q")
        let isQuarter = text.contains("-Q")
        switch type {
        case .year:
            if text.count == 4 { return text }
            return additive ? String(text.prefix(4)) : nil
        case .month: return isMonth ? text : nil
        case .quarter:
            if isQuarter { return text }
            guard additive, isMonth, let month = Int(text.suffix(2)) else { return nil }
            return "\(text.prefix(4))-Q\((month - 1) / 3 + 1)"
        }
    }

    /// Combines the parts of one cell: a sum (additive), or a mean weighted by respondents.
    static func combine(_ parts: [Observed], additive: Bool) -> Observed? {
        guard let first = parts.first else { return nil }
        let viaCrosswalk = parts.contains { $0.viaCrosswalk }
        if let missing = parts.first(where: { $0.value == nil }) {
            return Observed(value: nil, missing: missing.missing ?? "missing", viaCrosswalk: viaCrosswalk)
        }
        if parts.count == 1 { return first }
        if additive {
            let bases = parts.compactMap(\.base)
            return Observed(
                value: parts.reduce(0) { $0 + ($1.value ?? 0) },
                base: bases.count == parts.count ? bases.reduce(0, +) : nil, viaCrosswalk: viaCrosswalk)
        }
        let bases = parts.compactMap(\.base)
        guard bases.count == parts.count, bases.reduce(0, +) > 0 else { return nil }
        let total = bases.reduce(0, +)
        let mean = zip(parts, bases).reduce(0) { $0 + ($1.0.value ?? 0) * $1.1 } / total
        return Observed(value: mean, base: total, viaCrosswalk: viaCrosswalk)
    }

    /// True when a row's dimension text (`age=*;sex=kvinnor`) has the wanted values and totals elsewhere.
    static func dimensions(_ text: String, match wanted: [String: String]) -> Bool {
        for pair in text.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            if parts[1] != (wanted[parts[0]] ?? "*") { return false }
        }
        return true
    }
}
