import ColumnStore
import GRDB
import LagesbildModel
import PipelineModel
import StageKit
import Workspace

/// Counts the events of a category that match a filter (`where:`), per area and month, from the
/// events column files: the numerators and denominators of shares over events.
///
/// Each condition is resolved once per dictionary entry of a file (does this place text, this
/// district, this crime code match?); the rows then only look the answers up.
enum EventSubsets {
    /// Events of one area in one month (year × 12 + month − 1).
    struct Count: Sendable {
        var area: String
        var month: Int
        var count: Int
    }

    /// The dictionary (and column) of the events files a condition tests.
    static func storedColumn(_ column: EventFilterColumn) -> String {
        switch column {
        case .place: return "place"
        case .crimeCode: return "crime_code"
        case .area: return "district"
        case .deso: return "deso"
        case .municipality: return "municipality"
        }
    }

    /// Counts of `category`'s events matching `filter` per area at `level` (municipality, district or
    /// deso) and month; areas are codes as stored (DeSO codes before the crosswalk).
    static func counts(
        db: Database, workspace: Workspace, directory: AreaDirectory, category: String, filter: EventFilter,
        level: String
    ) throws -> [Count] {
        let selection = EventSelection(source: nil)  // shares over events count crime-coded events
        let codesInCategory: Set<String>? =
            category == "all"
            ? nil : Set(try selection.categoryCodes(db).filter { $0.category == category }.map(\.code))
        let column = { (name: String) in EventColumns.normalized.firstIndex(of: name)! }
        var totals: [String: [Int: Int]] = [:]
        for entry in try StoreFiles.entries(db, kind: EventColumns.normalizedKind) {
            let reader = try ColumnFileReader(path: workspace.storePath(entry.name))
            guard selection.includes(reader.footer) else { continue }
            let dictionaries = reader.footer.dictionaries
            var included = (dictionaries["crime_code"] ?? []).map { codesInCategory?.contains($0) ?? true }
            // Each condition as a column index and a match per dictionary entry.
            var conditions: [(column: Int, matches: [Bool])] = []
            for (filterColumn, values) in filter.values {
                let stored = storedColumn(filterColumn)
                let wanted = Set(values)
                let matches = (dictionaries[stored] ?? []).map { text in
                    wanted.contains(text) || (filterColumn != .place && wanted.contains(directory.name(text)))
                }
                if filterColumn == .crimeCode {
                    included = zip(included, matches).map { $0 && $1 }
                } else {
                    conditions.append((column(stored), matches))
                }
            }
            let areaNames = dictionaries[level] ?? []
            var counts: [Int: Int] = [:]  // (area index × 2^20 + month) → count
            try reader.forEachChunk { chunk in
                let codes = chunk.column(column("crime_code"))
                let areas = chunk.column(column(level))
                let years = chunk.column(column("year"))
                let months = chunk.column(column("month"))
                let hours = chunk.column(column("hour"))
                let tested = conditions.map { (chunk.column($0.column), $0.matches) }
                rows: for row in 0..<chunk.rows where included[Int(codes[row])] && areas[row] >= 0 {
                    if let range = filter.hours, hours[row] < 0 || !range.contains(Int(hours[row])) { continue }
                    for (values, matches) in tested {
                        let value = Int(values[row])
                        if value < 0 || !matches[value] { continue rows }
                    }
                    let month = Int(years[row]) * 12 + Int(months[row]) - 1
                    counts[Int(areas[row]) << 20 | month, default: 0] += 1
                }
            }
            for (key, count) in counts {
                totals[areaNames[key >> 20], default: [:]][key & 0xFFFFF, default: 0] += count
            }
        }
        return totals.flatMap { area, months in months.map { Count(area: area, month: $0.key, count: $0.value) } }
    }

    /// The period of `type` a month (year × 12 + month − 1) lies in, as canonical text; nil for a week (events
    /// are counted here by month) and for July, which lies in no school year or term.
    static func period(ofMonth month: Int, as type: PeriodType) -> String? {
        guard type != .week, let period = Period.month(month / 12, month % 12 + 1) else { return nil }
        if type == .month { return period.description }
        let rolled: Period?
        switch type {
        case .schoolYear:
            rolled =
                period.number >= 8
                ? .schoolYear(startingIn: period.year)
                : period.number <= 6
                    ? .schoolYear(startingIn: period.year - 1) : nil
        case .term:
            rolled = period.number >= 8 ? .autumnTerm(period.year) : period.number <= 6 ? .springTerm(period.year) : nil
        default:
            rolled = period.rolledUp(to: type)
        }
        return rolled?.description
    }
}

extension QuantityReader {
    /// Counts of `category`'s events matching `filter` per area at `level` and period, for the areas in
    /// scope.
    func events(category: String, filter: EventFilter, level: String, period: PeriodType) throws -> [Cell: Observed] {
        try EventSelection(source: nil).checkCategory(category, db: db)
        guard ["municipality", "district", "deso"].contains(level) else {
            throw StageDataError(
                stage: .aggregate,
                message: "events have no area at level '\(level)'; use municipality, district or deso")
        }
        guard period != .week else {
            throw StageDataError(
                stage: .aggregate,
                message: "a share over events (`where:`) is counted by year, quarter, month, school year or term, "
                    + "not by week; remove week from the indicator's periods")
        }
        let key = "\(category)|\(filter)|\(level)"
        let monthly: [EventSubsets.Count]
        if let cached = cache.eventSubsets[key] {
            monthly = cached
        } else {
            monthly = try EventSubsets.counts(
                db: db, workspace: workspace, directory: directory, category: category, filter: filter, level: level)
            cache.eventSubsets[key] = monthly
        }
        var sums: [String: [String: Int]] = [:]
        for count in monthly {
            guard let key = EventSubsets.period(ofMonth: count.month, as: period) else { continue }
            sums[count.area, default: [:]][key, default: 0] += count.count
        }
        return cells(
            sums.flatMap { area, periods in periods.map { (area: area, period: $0.key, count: $0.value) } },
            level: level)
    }

    /// The months accepted events deliveries cover (read once per stage run).
    func coverage(_ pipeline: Pipeline, counting quantity: Quantity) throws -> EventCoverage {
        var source: String?
        if case .events(_, let named) = quantity { source = named }
        let selection = EventSelection(source: source)
        if let coverage = cache.coverage[selection] { return coverage }
        let coverage = try EventCoverage(db: db, workspace: workspace, pipeline: pipeline, counting: quantity)
        cache.coverage[selection] = coverage
        return coverage
    }
}
