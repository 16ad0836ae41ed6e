import Foundation
import GRDB
import LagesbildModel
import PipelineModel
import StageKit
import Workspace

/// Reads the numbers behind indicators from the workspace: event counts and observed measures per
/// area and period, rolled up to the level asked for.
struct QuantityReader {
    let db: Database
    let workspace: Workspace
    let municipality: Municipality
    let scope: Scope
    let directory: AreaDirectory
    /// The event categories and area levels the pipeline's indicators ask for, counted in one pass.
    let eventCategories: [String]
    let eventLevels: [String]
    /// Event counts already computed in this stage run.
    let cache = Cache()
    /// How school years count as calendar years (the pipeline's `periods:`).
    var periodSettings = PeriodSettings()
    /// Measures read by earlier runs from the same observations (nil: every measure is read).
    var measureCache: MeasureCache? = nil

    final class Cache {
        /// Event counts per selection (the crime events, or one source's events).
        var counters: [EventSelection: EventCounter] = [:]
        /// Measures already read, by name, dimensions, level, period type and additivity: a population
        /// is the denominator of many indicators.
        var measures: [String: [Cell: Observed]] = [:]
        /// Event counts by ISO week per selection, counted the first time a weekly indicator asks.
        var weekly: [EventSelection: EventWeekCounter] = [:]
        /// Counts of filtered events (``EventSubsets``) by category, filter and level.
        var eventSubsets: [String: [EventSubsets.Count]] = [:]
        /// The months accepted events deliveries cover, per selection, read the first time a zero is needed.
        var coverage: [EventSelection: EventCoverage] = [:]
    }

    /// True when `code` is an area the lägesbild covers at `level`: by the pipeline's scope, the
    /// municipality, the municipalities of its county or every municipality (and the areas in them);
    /// its county, or every county for the whole country; the country.
    func inScope(_ code: String, level: String) -> Bool {
        switch level {
        case "country": return code == "00"
        case "county": return scope == .country || code == municipality.countyCode
        case "municipality": return covers(municipality: code)
        default: return directory.ancestor(of: code, at: "municipality").map(covers(municipality:)) ?? false
        }
    }

    /// True when the pipeline's scope includes the municipality with this code.
    func covers(municipality code: String) -> Bool {
        switch scope {
        case .municipality: return code == municipality.code
        case .county:
            let county = directory.ancestor(of: code, at: "county") ?? String(code.prefix(2))
            return county == municipality.countyCode
        case .country: return true
        }
    }

    /// Event counts per area at `level` and period, for the areas in scope. The events are counted for
    /// every category and level the pipeline asks for in one pass, the first time any is asked for.
    func events(category: String, source: String? = nil, level: String, period: PeriodType) throws -> [Cell: Observed] {
        let selection = EventSelection(source: source)
        try selection.checkCategory(category, db: db)
        guard ["municipality", "district", "deso"].contains(level) else {
            throw StageDataError(
                stage: .aggregate,
                message: "events have no area at level '\(level)'; use municipality, district or deso")
        }
        if period == .week { return try weeklyEvents(category: category, level: level, events: selection) }
        let counter = cache.counters[selection]
        let counted = counter.map { $0.categories.contains(category) && $0.levels.contains(level) } ?? false
        if !counted {
            // First use, or a category or level the pipeline's list did not name: count again with it.
            let categories = eventCategories + (counter?.categories ?? []) + [category]
            let levels = eventLevels + (counter?.levels ?? []) + [level]
            cache.counters[selection] = try EventCounter(
                db: db, workspace: workspace, categories: Array(Set(categories)).sorted(),
                levels: Array(Set(levels)).sorted(), events: selection)
        }
        return cells(cache.counters[selection]!.counts(category: category, level: level, period: period), level: level)
    }

    /// Counts per area and period as cells of the areas in scope; a retired DeSO's count goes to today's
    /// DeSO codes by the crosswalk's shares.
    func cells(_ counts: [(area: String, period: String, count: Int)], level: String) -> [Cell: Observed] {
        var result: [Cell: Observed] = [:]
        for (area, period, count) in counts {
            let targets = level == "deso" ? directory.currentDeSO(area) : nil
            for (code, share) in targets ?? [(area, 1)] where inScope(code, level: level) {
                let cell = Cell(area: code, period: period)
                result[cell] = Observed(
                    value: (result[cell]?.value ?? 0) + Double(count) * share, viaCrosswalk: targets != nil)
            }
        }
        return result
    }

    /// Event counts of the selected events per area at `level` and ISO week of the event date.
    private func weeklyEvents(category: String, level: String, events: EventSelection) throws -> [Cell: Observed] {
        let counter = cache.weekly[events]
        if counter == nil || counter?.categories.contains(category) == false
            || counter?.levels.contains(level) == false
        {
            cache.weekly[events] = try EventWeekCounter(
                db: db, workspace: workspace,
                categories: Array(Set(eventCategories + (counter?.categories ?? []) + [category])).sorted(),
                levels: Array(Set(eventLevels + (counter?.levels ?? []) + [level])).sorted(), events: events)
        }
        var result: [Cell: Observed] = [:]
        for (area, week, count) in cache.weekly[events]!.counts(category: category, level: level) {
            let targets = level == "deso" ? directory.currentDeSO(area) : nil
            for (code, share) in targets ?? [(area, 1)] where inScope(code, level: level) {
                let cell = Cell(area: code, period: week.description)
                result[cell] = Observed(
                    value: (result[cell]?.value ?? 0) + Double(count) * share, viaCrosswalk: targets != nil)
            }
        }
        return result
    }

    /// Event counts per municipality in scope, year and pattern value.
    func pattern(_ pattern: Pattern, category: String, source: String? = nil) throws -> [Cell: Observed] {
        let selection = EventSelection(source: source)
        try selection.checkCategory(category, db: db)
        var result: [Cell: Observed] = [:]
        for count in try EventPatterns.counts(
            db: db, workspace: workspace, pattern: pattern, category: category, events: selection)
        where covers(municipality: count.municipality) {
            let cell = Cell(
                area: count.municipality, period: String(count.year), breakdown: pattern.rawValue,
                breakdownValue: count.bucket)
            result[cell] = Observed(value: Double(count.count))
        }
        return result
    }

    /// An observed measure per area at `level` and period. Additive measures (counts, population) are
    /// summed from finer areas and from months when no direct number is delivered; other measures
    /// (shares, means) are averaged weighted by their respondents, or taken only as delivered.
    func measure(
        _ name: String, dimensions wanted: [String: String], level: String, period: PeriodType, additive: Bool
    ) throws -> [Cell: Observed] {
        let key = [
            name, wanted.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";"), level,
            period.rawValue, String(additive),
        ].joined(separator: "|")
        if let cached = cache.measures[key] { return cached }
        let read = { try self.readMeasure(name, dimensions: wanted, level: level, period: period, additive: additive) }
        let result = try measureCache.map { try $0.measure(key, read: read) } ?? read()
        cache.measures[key] = result
        return result
    }

    private func readMeasure(
        _ name: String, dimensions wanted: [String: String], level: String, period: PeriodType, additive: Bool
    ) throws -> [Cell: Observed] {
        // The few distinct dimension texts are matched first, so only the wanted rows are read, in a fixed
        // order (by area and year, as delivered): a mean adds its parts in that order, and another order could
        // change a value's last digit.
        let matching = try String.fetchAll(
            db, sql: "SELECT DISTINCT dimensions FROM observations WHERE measure = ?", arguments: [name]
        ).filter { Self.dimensions($0, match: wanted) }
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT area_code, area_level, period, value, missing, base FROM observations
                WHERE measure = ? AND dimensions IN (SELECT value FROM json_each(?))
                ORDER BY area_code, year, rowid
                """,
            arguments: [name, String(decoding: try JSONEncoder().encode(matching), as: UTF8.self)])
        var direct: [Cell: [Observed]] = [:]
        // Parts built from finer rows, from the coarsest kind of row only: a source that delivers both
        // district and DeSO rows (or months and quarters) must not be counted twice.
        var rolled: [Cell: (rank: Int, parts: [Observed])] = [:]
        func roll(_ observed: Observed, into cell: Cell, rank: Int) {
            guard let existing = rolled[cell], existing.rank <= rank else {
                rolled[cell] = (rank, [observed])
                return
            }
            if existing.rank == rank { rolled[cell]?.parts.append(observed) }
        }
        // Stored periods are canonical texts; each distinct one is parsed once.
        var parsed: [String: Period?] = [:]
        while let row = try rows.next() {
            let rowText: String = row["period"]
            if parsed[rowText] == nil { parsed[rowText] = .some(Period(rowText)) }
            guard let rowPeriod = parsed[rowText]!,
                let key = Self.period(rowPeriod, as: period, additive: additive, settings: periodSettings)
            else { continue }
            let periodKey = key.description
            let code: String = row["area_code"]
            let rowLevel: String = row["area_level"]
            let observed = Observed(value: row["value"], missing: row["missing"], base: row["base"])
            let rank = AreaDirectory.depth(rowLevel) * 6 + Self.periodGranularity(rowPeriod.kind)
            if rowLevel == level, key == rowPeriod {
                guard inScope(code, level: level) else { continue }
                if level == "deso", let targets = directory.currentDeSO(code) {
                    for target in targets {
                        var share = observed
                        share.value = observed.value.map { $0 * target.share }
                        share.viaCrosswalk = true
                        roll(share, into: Cell(area: target.code, period: periodKey), rank: rank)
                    }
                } else {
                    direct[Cell(area: code, period: periodKey), default: []].append(observed)
                }
                continue
            }
            guard AreaDirectory.depth(rowLevel) >= AreaDirectory.depth(level) else { continue }
            guard let target = directory.ancestor(of: code, at: level), inScope(target, level: level) else { continue }
            roll(observed, into: Cell(area: target, period: periodKey), rank: rank)
        }
        var result: [Cell: Observed] = [:]
        for (cell, rolledParts) in rolled where direct[cell] == nil {
            if let combined = Self.combine(rolledParts.parts, additive: additive) { result[cell] = combined }
        }
        for (cell, parts) in direct {
            if let combined = Self.combine(parts, additive: additive) { result[cell] = combined }
        }
        return result
    }

    /// The rank of a kind among the rows rolled into one cell, coarsest first: year, school year,
    /// quarter, term, month, week. Only rows of the coarsest kind delivered are combined.
    static func periodGranularity(_ kind: Period.Kind) -> Int {
        switch kind {
        case .year: return 0
        case .schoolYear: return 1
        case .quarter: return 2
        case .term: return 3
        case .month: return 4
        case .week: return 5
        }
    }

    /// The period a delivered period counts under for an indicator of period type `type`, or nil when it
    /// does not fit: its own kind as it is; a school year as a calendar year by the pipeline's
    /// `school_year_as_year` (one figure carried over, so for any measure); and for additive measures
    /// (counts) the sums of finer kinds (``Period/Kind/additiveRollUps``): months into quarters and years,
    /// quarters and ISO weeks into years, terms into school years and years. A share or mean delivered
    /// per term stays a term figure.
    static func period(_ period: Period, as type: PeriodType, additive: Bool, settings: PeriodSettings) -> Period? {
        if period.kind == type { return period }
        if period.kind == .schoolYear, type == .year {
            return period.rolledUp(to: .year, schoolYearAsYear: settings.schoolYearAsYear)
        }
        guard additive, period.kind.additiveRollUps.contains(type) else { return nil }
        return period.rolledUp(to: type)
    }

    /// Combines the parts of one cell: a sum (additive), or a mean weighted by respondents.
    static func combine(_ parts: [Observed], additive: Bool) -> Observed? {
        guard let first = parts.first else { return nil }
        let viaCrosswalk = parts.contains { $0.viaCrosswalk }
        if let missing = parts.first(where: { $0.value == nil }) {
            // A sum with a part unknown is unknown (never the sum of what survived suppression). A mean is
            // computed from the areas with a number, weighted by their respondents, and marked partial.
            let known = parts.filter { $0.value != nil }
            guard !additive, !known.isEmpty, var mean = combine(known, additive: false) else {
                return Observed(value: nil, missing: missing.missing ?? "missing", viaCrosswalk: viaCrosswalk)
            }
            mean.partial = (known.count, parts.count)
            return mean
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

    /// True when a row's stored dimensions (``Dimensions/canonicalText``) have the wanted values and
    /// totals elsewhere.
    static func dimensions(_ text: String, match wanted: [String: String]) -> Bool {
        Dimensions(canonicalText: text)?.matches(wanted) ?? false
    }
}
