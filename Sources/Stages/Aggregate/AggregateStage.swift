import GRDB
import LagesbildModel
import Logging
import PipelineModel
import StageKit
import Workspace

/// Aggregate: computes every indicator of the pipeline file — per area level, period type and
/// pattern, with change, moving average, flags, comparisons and disclosure control — and the
/// follow-up of every target and of the action plan's measures; replaces `indicators`,
/// `indicator_values`, `followup`, the plan tables, `measure_followup` and `measure_effects` in one
/// transaction.
public struct AggregateStage: PipelineStage {
    public var stage: Stage { .aggregate }

    public init() {}

    public func run(_ context: StageContext) throws -> StageCounts {
        let pipeline = context.pipeline
        var counts = StageCounts()
        try context.workspace.database.write { db in
            let indicators = pipeline.indicators.filter {
                context.indicatorFilter == nil || $0.id == context.indicatorFilter
            }
            if let only = context.indicatorFilter {
                try db.execute(sql: "DELETE FROM indicator_values WHERE indicator_id = ?", arguments: [only])
                try db.execute(sql: "DELETE FROM indicators WHERE id = ?", arguments: [only])
                try db.execute(sql: "DELETE FROM followup WHERE indicator_id = ?", arguments: [only])
            } else {
                for table in ["indicator_values", "indicators", "followup"] {
                    try db.execute(sql: "DELETE FROM \(table)")
                }
            }
            let measureCache = try MeasureCache(db, pipeline: pipeline)
            counts.rowsIn =
                try StoreFiles.totalRows(db, kind: EventColumns.normalizedKind) + measureCache.observationCount()
            var eventCategories: [String] = []
            var eventLevels: [String] = []
            for indicator in indicators {
                for case .events(let category, _) in [indicator.numerator] + [indicator.denominator].compactMap({ $0 })
                {
                    if !eventCategories.contains(category) { eventCategories.append(category) }
                    for level in indicator.areaLevels.map(\.rawValue) where !eventLevels.contains(level) {
                        eventLevels.append(level)
                    }
                }
            }
            var reader = QuantityReader(
                db: db, workspace: context.workspace, municipality: pipeline.municipality, scope: pipeline.scope,
                directory: try AreaDirectory(db), eventCategories: eventCategories, eventLevels: eventLevels)
            reader.periodSettings = pipeline.periods
            reader.measureCache = measureCache
            let writer = try IndicatorWriter(db: db, directory: reader.directory, municipality: pipeline.municipality)
            let progress = ProgressCounter(
                stage: .aggregate, total: Int64(indicators.count), unit: .indicators, reporter: context.progress)
            defer { progress.finish() }
            let groups: MunicipalityGroups?
            do {
                groups = try pipeline.codeLists.municipalityGroups?.read()
            } catch let error as MunicipalityGroupListError {
                throw StageDataError(stage: .aggregate, message: error.description)
            }
            for indicator in indicators {
                try writer.define(indicator, position: pipeline.indicators.firstIndex { $0.id == indicator.id } ?? 0)
                var written = 0
                do {
                    // Each table is written as soon as it is computed: a table per DeSO and month can
                    // hold hundreds of thousands of values.
                    try IndicatorComputation(indicator: indicator, reader: reader, pipeline: pipeline, groups: groups)
                        .forEachTable {
                            table in
                            try writer.write(indicator: indicator, table: table)
                            written += table.values.count
                        }
                } catch let error as MissingDenominatorError {
                    throw StageDataError(stage: .aggregate, message: error.description)
                }
                counts.rowsOut += written
                progress.add(1, rows: Int64(written))
                context.logger.info(
                    "computed",
                    metadata: [
                        "indicator": "\(indicator.id)", "values": "\(written)",
                    ])
            }
            try EventCountPart.removeUnused(db, keeping: Set(reader.cache.counters.values.flatMap(\.usedParts)))
            try measureCache.removeUnused()
            for target in pipeline.targets where indicators.contains(where: { $0.id == target.indicator }) {
                try FollowUp.store(target, pipeline: pipeline, db: db)
            }
            try ActionPlanFollowUp.store(pipeline, db: db)
        }
        return counts
    }
}

/// One table of an indicator: its values at one area level and period type (or one pattern).
struct IndicatorTable {
    /// Which areas the table holds.
    enum Areas {
        /// The areas of one level (a pattern's table: the municipality).
        case level(AreaLevel)
        /// The comparison: the country, the county and municipalities from the comparison's source, each row
        /// stored at its own area's level.
        case comparison
    }

    var areas: Areas
    var periodType: PeriodType
    var values: [Cell: IndicatorValue]
    /// Area names that are not in the area code list (a municipality group's), by area code.
    var names: [String: String] = [:]
}

/// Computes the tables of one indicator from the workspace's numbers.
struct IndicatorComputation {
    let indicator: IndicatorSpec
    let reader: QuantityReader
    let pipeline: Pipeline
    /// SKR's municipality groups, when the pipeline names them (`code_lists.municipality_groups`).
    var groups: MunicipalityGroups? = nil

    var threshold: Int { pipeline.disclosure.threshold }
    var fromEvents: Bool { indicator.numerator.countsEvents }

    /// Whether the numerator is summed (counts) or averaged (delivered shares and means).
    var additiveNumerator: Bool {
        switch indicator.kind {
        case .count, .rate: return true
        case .share: return indicator.denominator != nil
        case .value: return false
        }
    }

    /// Computes the indicator's tables one after the other and hands each to `body`.
    func forEachTable(_ body: (IndicatorTable) throws -> Void) throws {
        let breaks = try seriesBreaks()
        for level in indicator.areaLevels {
            for periodType in indicator.periods {
                var numerators = try read(
                    indicator.numerator, level: level.rawValue, period: periodType, additive: additiveNumerator)
                let denominators = try indicator.denominator.map {
                    try read($0, level: level.rawValue, period: periodType, additive: true)
                }
                try addZeros(&numerators, denominators: denominators, level: level.rawValue, period: periodType)
                var values: [Cell: IndicatorValue] = [:]
                for (cell, numerator) in numerators {
                    values[cell] = try IndicatorMath.value(
                        of: indicator, areaName: "\(reader.directory.name(cell.area)) (\(cell.area))",
                        period: cell.period, numerator: numerator, denominator: denominators?[cell],
                        threshold: threshold, suppressZeros: pipeline.disclosure.suppressZeros)
                }
                if fromEvents, pipeline.disclosure.secondary,
                    level.depth > AreaLevel.municipality.depth
                {
                    // Areas below the municipality add up to its published total.
                    Disclosure.secondarySuppression(&values) { $0.period }
                }
                analyse(&values, breaks: breaks)
                try body(IndicatorTable(areas: .level(level), periodType: periodType, values: values))
            }
        }
        if case .events(let category, let source) = indicator.numerator {
            for pattern in indicator.patterns {
                var values: [Cell: IndicatorValue] = [:]
                for (cell, count) in try reader.pattern(pattern, category: category, source: source) {
                    var value = IndicatorValue(
                        numerator: count.value, denominator: nil, value: count.value, status: .ok)
                    if let number = count.value, pipeline.disclosure.hides(count: number) {
                        value.suppress("fewer than \(threshold) events")
                    }
                    values[cell] = value
                }
                if pipeline.disclosure.secondary {
                    Disclosure.secondarySuppression(&values) { "\($0.period)/\($0.breakdown)" }
                }
                try body(IndicatorTable(areas: .level(.municipality), periodType: .year, values: values))
            }
        }
        if let comparison = indicator.comparison, case .measure(let name, let dimensions) = comparison {
            var values: [Cell: IndicatorValue] = [:]
            for level in [AreaLevel.country, .county, .municipality] {
                for (cell, observed) in try reader.measure(
                    name, dimensions: dimensions, level: level.rawValue, period: .year, additive: false)
                {
                    let key = Cell(area: cell.area, period: cell.period, breakdown: "comparison", breakdownValue: name)
                    values[key] =
                        observed.value != nil
                        ? IndicatorValue(numerator: nil, denominator: nil, value: observed.value, status: .ok)
                        : IndicatorValue(
                            numerator: nil, denominator: nil, value: nil, status: .missing,
                            note: "the source has no number (\(observed.missing ?? "missing"))")
                }
            }
            analyse(&values, breaks: [:])
            try body(IndicatorTable(areas: .comparison, periodType: .year, values: values))
        }
        if let groups,
            var table = try MunicipalityGroupComparison(
                indicator: indicator, reader: reader, municipality: pipeline.municipality, groups: groups
            ).table()
        {
            analyse(&table.values, breaks: [:])
            try body(table)
        }
    }

    func read(_ quantity: Quantity, level: String, period: PeriodType, additive: Bool) throws -> [Cell: Observed] {
        switch quantity {
        case .events(let category, let source):
            return try reader.events(category: category, source: source, level: level, period: period)
        case .filteredEvents(let category, let filter):
            return try reader.events(category: category, filter: filter, level: level, period: period)
        case .measure(let name, let dimensions):
            return try reader.measure(name, dimensions: dimensions, level: level, period: period, additive: additive)
        }
    }

    /// Change, moving average and flags within each series.
    func analyse(_ values: inout [Cell: IndicatorValue], breaks: [Int: [String]]) {
        var series: [Cell: [String: IndicatorValue]] = [:]
        for (cell, value) in values { series[cell.series, default: [:]][cell.period] = value }
        var previousPeriods: [String: String?] = [:]
        for (key, var periods) in series {
            SeriesAnalysis.analyse(&periods, jumpThreshold: indicator.jumpThreshold, previousPeriods: &previousPeriods)
            for (period, var value) in periods {
                if !breaks.isEmpty, let year = Period(period)?.calendarYears.first(where: { breaks[$0] != nil }),
                    let codes = breaks[year], key.breakdown != "comparison"
                {
                    value.flags.insert(.seriesBreak)
                    value.note = [value.note, "crime codes retired \(year): \(codes.joined(separator: ", "))"]
                        .compactMap { $0 }.joined(separator: "; ")
                }
                values[
                    Cell(area: key.area, period: period, breakdown: key.breakdown, breakdownValue: key.breakdownValue)] =
                    value
            }
        }
    }

    /// Years in which a code of the numerator's category was retired (a break in the series).
    func seriesBreaks() throws -> [Int: [String]] {
        var source: String?
        if case .events(_, let named) = indicator.numerator { source = named }
        guard let category = indicator.numerator.eventCategory, category != "all",
            try !EventSelection(source: source).usesEventTypes(reader.db)
        else { return [:] }
        var result: [Int: [String]] = [:]
        for row in try Row.fetchAll(
            reader.db,
            sql: """
                SELECT k.code, k.retired_year FROM codelist_crime_codes k
                JOIN codelist_crime_categories c ON c.crime_code = k.code AND c.category = ?
                WHERE k.retired_year IS NOT NULL
                """,
            arguments: [category])
        {
            result[row["retired_year"], default: []].append(row["code"])
        }
        return result.mapValues { $0.sorted() }
    }
}
