import Foundation
import GRDB
import LagesbildModel
import PipelineModel
import Report
import StageKit
import Workspace

/// Fills the report's data model from the workspace: indicators, comparisons, areas, patterns,
/// follow-up and the sources and method section.
public struct ReportBuilder {
    let db: Database
    let pipeline: Pipeline
    let runID: Int64

    public init(db: Database, pipeline: Pipeline, runID: Int64) {
        self.db = db
        self.pipeline = pipeline
        self.runID = runID
    }

    /// The report's data.
    public func build(generatedAt: Date = Date()) throws -> ReportData {
        let indicators = try IndicatorRecord.all(db).map { ($0, try section($0)) }
        func sections(_ names: Set<ReportSection>) -> [IndicatorSection] {
            indicators.filter { names.contains($0.0.section) }.map(\.1)
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "sv_SE")
        formatter.dateFormat = "d MMMM yyyy 'kl.' HH.mm"
        let followUp = try FollowUpReportBuilder(db: db, pipeline: pipeline, runID: runID).build(
            generatedAt: generatedAt)
        let county = try String.fetchOne(
            db, sql: "SELECT name FROM codelist_areas WHERE code = ?", arguments: [pipeline.municipality.countyCode])
        var report = ReportData(
            title: pipeline.title,
            municipality: Municipality(
                name: pipeline.municipality.name, code: pipeline.municipality.code, county: county),
            generatedAt: formatter.string(from: generatedAt), runID: String(runID),
            suppressionThreshold: pipeline.disclosure.threshold,
            summary: Summary(
                largestChanges: try largestChanges(), targets: try targets(),
                problems: Self.summaryProblems(followUp), sinceLast: try sinceLast(followUp)),
            indicators: sections([.crime, .safety]), areas: try areaRankings(), patterns: try patterns(),
            schools: sections([.schools]), countyBoard: sections([.countyBoard]), sources: try sourcesAndMethod())
        report.maps = try maps()
        return report
    }

    /// Decimals to show for an indicator's values (the county report and the maps, which read the pipeline's
    /// indicator list).
    static func decimals(_ indicator: IndicatorSpec) -> Int { indicator.kind == .count ? 0 : 1 }

    /// A stored row of `indicator_values` as a point of a series.

    static func point(_ row: IndicatorValueRecord) -> SeriesPoint {
        let status = shownStatus(row.status, note: row.note)
        let stored = row.flags
        let flags: [PointFlag] = ValueFlags.words.map(\.flag).filter(stored.contains).compactMap { flag in
            switch flag {
            case .jump: return PointFlag(.jump, "Stor förändring mot föregående period")
            case .seriesBreak: return PointFlag(.seriesBreak, "Brott i serien: brottskoder upphörde")
            case .areaChanged: return PointFlag(.seriesBreak, "Området har ändrats (DeSO-omläggning)")
            case .partial: return PointFlag(.partial, "Delvis beräknat")  // the note says from how many areas
            default: return nil
            }
        }
        return SeriesPoint(
            period: row.period, value: row.value, status: status, note: swedishNote(row.note, status: status),
            changeAbsolute: row.changeAbs, changePercent: row.changePct, movingAverage3: row.movingAvg3,
            ciLow: row.ciLow, ciHigh: row.ciHigh, flags: flags)
    }

    func section(_ indicator: IndicatorRecord) throws -> IndicatorSection {
        let series = try IndicatorValueRecord.fetchByPosition(
            db,
            sql: """
                SELECT * FROM indicator_values WHERE indicator_id = ? AND area_code = ? AND breakdown = ''
                    AND period_type = 'year' ORDER BY period
                """,
            arguments: [indicator.id, pipeline.municipality.code]
        ).map(Self.point)
        // Like with like: the kommun, the county and the country from the comparison's own source side by side;
        // the indicator's own series, when it comes from another source, is a line of its own with a note.
        // Where the values come from is the sources' business (the pipeline file names the suppliers).
        let spec = pipeline.indicator(indicator.id)
        let sources = try spec.map(comparisonSources) ?? (own: "", comparison: nil, same: false)
        var comparisons: [ComparisonSeries] = []
        let levels: [(AreaLevel, ComparisonSeries.Kind)] = [
            (.municipality, .municipality), (.county, .county), (.country, .country),
        ]
        for (level, kind) in levels where !(level == .municipality && sources.same) {
            let rows = try IndicatorValueRecord.fetchByPosition(
                db,
                sql: """
                    SELECT * FROM indicator_values WHERE indicator_id = ? AND breakdown = 'comparison' AND area_level = ?
                    ORDER BY period
                    """,
                arguments: [indicator.id, level.rawValue])
            if let first = rows.first {
                let name = first.areaName
                comparisons.append(
                    ComparisonSeries(
                        kind: kind, name: sources.comparison.map { "\(name) (\($0))" } ?? name,
                        points: rows.map(Self.point)))
            }
        }
        // The kommun's municipality group (SKR), from the same source as the county and country lines.
        let group = try MunicipalityGroupLine.series(db: db, indicator: indicator.id, supplier: sources.comparison)
        if let group { comparisons.append(group.series) }
        var note: String?
        if series.isEmpty, !indicator.areaLevels.contains(.municipality), let level = indicator.areaLevels.first {
            note = "Källan redovisar värden per \(Self.levelName(level)), inte för kommunen som helhet."
        }
        var seriesName = pipeline.municipality.name
        var comparisonNote: String?
        if !sources.same, let comparison = sources.comparison, comparisons.contains(where: { $0.kind == .municipality })
        {
            seriesName += " (\(sources.own))"
            comparisonNote =
                "\(seriesName) och \(comparison)s statistik räknar inte på samma sätt (vilka brott och brottsplatser "
                + "som ingår, när de räknas), så nivåerna skiljer sig. Jämför därför kommunen med län och riket i "
                + "\(comparison)s serie, där alla tre räknas lika; kommunens egen serie visar utvecklingen över tid."
        }
        if let group {
            let groupNote = MunicipalityGroupLine.note(name: group.name, pipeline: pipeline)
            comparisonNote = comparisonNote.map { $0 + " " + groupNote } ?? groupNote
        }
        var section = IndicatorSection(
            id: indicator.id, title: indicator.title, definition: indicator.definition, unit: indicator.unit,
            decimals: indicator.decimals, better: indicator.better, series: series,
            seriesName: seriesName, comparisons: comparisons, note: note, comparisonNote: comparisonNote)
        if let spec, !spec.texts.isEmpty { section.texts = try sourceTexts(spec) }
        let finer = try finerSeries(indicator)
        if !finer.isEmpty { section.finerSeries = finer }
        return section
    }

    /// The kommun's values by quarter, month and week, where the indicator has them.
    func finerSeries(_ indicator: IndicatorRecord) throws -> [FinerSeries] {
        let kinds: [(Period.Kind, String)] = [(.quarter, "kvartal"), (.month, "månad"), (.week, "vecka")]
        return try kinds.compactMap { kind, name in
            let points = try IndicatorValueRecord.fetchByPosition(
                db,
                sql: """
                    SELECT * FROM indicator_values WHERE indicator_id = ? AND area_code = ? AND breakdown = ''
                        AND period_type = ? ORDER BY period
                    """,
                arguments: [indicator.id, pipeline.municipality.code, kind.rawValue]
            ).map(Self.point)
            return points.isEmpty ? nil : FinerSeries(kindName: name, points: points)
        }
    }

    /// Where an indicator's own values and its comparison come from, in the report's words: the suppliers'
    /// Swedish names ("polisens export" for events), and whether both are the same delivered measure (then the
    /// comparison's own municipal value is the series itself and is not drawn twice).
    func comparisonSources(_ indicator: IndicatorSpec) throws -> (own: String, comparison: String?, same: Bool) {
        func supplier(ofMeasure measure: String) throws -> String? {
            let source = try String.fetchOne(
                db, sql: "SELECT source_id FROM observations WHERE measure = ? LIMIT 1", arguments: [measure])
            return source.flatMap { id in pipeline.sources.first { $0.id == id } }.map(Self.supplierName(of:))
        }
        var comparison: String?
        if case .measure(let name, _) = indicator.comparison { comparison = try supplier(ofMeasure: name) }
        switch indicator.numerator {
        case .events(_, let source?):
            return (
                pipeline.source(source).map(Self.supplierName(of:)) ?? source, comparison, false
            )
        case .events, .filteredEvents:
            return ("polisens export", comparison, false)
        case .measure(let name, _):
            return (
                try supplier(ofMeasure: name) ?? "egen källa", comparison, indicator.comparison == indicator.numerator
            )
        }
    }

    /// The level as the report names it ("per kommundel").
    static func levelName(_ level: AreaLevel) -> String {
        switch level {
        case .district: return "kommundel"
        case .deso: return "DeSO-område"
        case .school: return "skolenhet"
        case .county: return "län"
        case .municipality: return "kommun"
        case .country: return "riket"
        case .municipalityGroup: return "kommungrupp"
        }
    }

    func largestChanges() throws -> [IndicatorChange] {
        var changes: [IndicatorChange] = []
        for indicator in try IndicatorRecord.all(db) {
            guard
                let row = try IndicatorValueRecord.fetchOne(
                    db,
                    sql: """
                        SELECT * FROM indicator_values WHERE indicator_id = ? AND area_code = ? AND breakdown = ''
                            AND period_type = 'year' AND status = 'ok' AND change_pct IS NOT NULL
                        ORDER BY period DESC LIMIT 1
                        """,
                    arguments: [indicator.id, pipeline.municipality.code]),
                let value = row.value
            else { continue }
            let period = row.period
            let previousPeriod = Period(period)?.previous?.description
            var test: (ChangeTest, String?) = (.notTestable, nil)
            if let previousPeriod,
                let previous = try IndicatorValueRecord.fetchOne(
                    db,
                    sql: """
                        SELECT * FROM indicator_values WHERE indicator_id = ? AND area_code = ? AND breakdown = ''
                            AND period_type = 'year' AND status = 'ok' AND period = ?
                        """,
                    arguments: [indicator.id, pipeline.municipality.code, previousPeriod])
            {
                // A change between a value from part of the areas and another is not a change of the kommun.
                if row.flags.contains(.partial) || previous.flags.contains(.partial) { continue }
                test = Self.changeTest(
                    kind: indicator.kind, scale: indicator.scale, current: Counts(row), previous: Counts(previous))
            } else if row.flags.contains(.partial) {
                continue
            }
            changes.append(
                IndicatorChange(
                    indicatorID: indicator.id, title: indicator.title, period: period,
                    previousPeriod: previousPeriod, value: value, unit: indicator.unit,
                    decimals: indicator.decimals, changeAbsolute: row.changeAbs,
                    changePercent: row.changePct, better: indicator.better, test: test.0,
                    testNote: test.1))
        }
        return Array(changes.sorted { abs($0.changePercent ?? 0) > abs($1.changePercent ?? 0) }.prefix(6))
    }

    /// Whether a change from the previous year is beyond chance, with its numbers in Swedish.
    ///
    /// Counts and rates with a numerator: the rate ratio of this year against the previous (counts
    /// alone when there is no population), beyond chance when its 95 % interval leaves out 1. Shares with
    /// respondents: a two-proportion z test, beyond chance when |z| > 1,96. Anything else cannot be tested.
    static func changeTest(kind: IndicatorKind, scale: Double, current: Counts, previous: Counts)
        -> (ChangeTest, String?)
    {
        switch kind {
        case .count, .rate:
            guard let count = current.numerator, let before = previous.numerator else { return (.notTestable, nil) }
            var exposure = 1.0
            var exposureBefore = 1.0
            if let population = current.denominator, let populationBefore = previous.denominator,
                population > 0, populationBefore > 0
            {
                (exposure, exposureBefore) = (population, populationBefore)
            } else if kind == .rate {
                return (.notTestable, nil)
            }
            guard
                let test = FollowUpStatistics.rateRatio(
                    count1: Int(count.rounded()), exposure1: exposure, count2: Int(before.rounded()),
                    exposure2: exposureBefore)
            else { return (.notTestable, nil) }
            func ratio(_ number: Double) -> String { SwedishFormat.number(number, decimals: 2) }
            let note =
                "kvot mot föregående år \(ratio(test.ratio)) "
                + "(95 % intervall \(ratio(test.interval.low))–\(ratio(test.interval.high)))"
            return (test.interval.contains(1) ? .withinNoise : .beyondChance, note)
        case .share:
            guard current.respondents, previous.respondents, let value = current.value,
                let valueBefore = previous.value, let n = current.denominator, let nBefore = previous.denominator,
                n > 0, nBefore > 0
            else { return (.notTestable, nil) }
            let (p, pBefore) = (value / scale, valueBefore / scale)
            let pooled = (p * n + pBefore * nBefore) / (n + nBefore)
            let standardError = (pooled * (1 - pooled) * (1 / n + 1 / nBefore)).squareRoot()
            guard standardError > 0 else { return (.notTestable, nil) }
            let z = (p - pBefore) / standardError
            let note = "skillnad mellan andelarna z = \(SwedishFormat.signedNumber(z, decimals: 2))"
            return (abs(z) > 1.959964 ? .beyondChance : .withinNoise, note)
        case .value:
            return (.notTestable, nil)
        }
    }

    func targets() throws -> [TargetFollowUp] {
        let indicators = Dictionary(uniqueKeysWithValues: try IndicatorRecord.all(db).map { ($0.id, $0) })
        return try FollowUpRecord.fetchAll(db, sql: "SELECT * FROM followup ORDER BY commitment, indicator_id")
            .compactMap { row in
                guard let indicator = indicators[row.indicatorID] else { return nil }
                let area = row.areaCode
                let areaName = try String.fetchOne(
                    db, sql: "SELECT name FROM codelist_areas WHERE code = ?", arguments: [area])
                let name = row.name
                var title = indicator.title
                if area != pipeline.municipality.code { title += ", \(areaName ?? area)" }
                if !name.isEmpty { title = "\(name): \(title)" }
                var target = TargetFollowUp(
                    indicatorID: indicator.id, indicatorTitle: title,
                    commitment: row.commitment,
                    unit: indicator.unit, decimals: indicator.decimals, better: indicator.better,
                    baselineYear: row.baselineYear, baselineValue: row.baselineValue,
                    baselineSource: row.baselineSource, targetYear: row.targetYear,
                    targetValue: row.targetValue, latestPeriod: row.latestPeriod, latestValue: row.latestValue,
                    changeSinceBaseline: row.changeSinceBaseline, status: TargetStatus(row.status),
                    note: Self.judgementNote(
                        row, decimals: indicator.decimals, lowerIsBetter: indicator.better == .lower))
                if area != pipeline.municipality.code { target.areaCode = area }
                return target
            }
    }

    /// Why a target's judgement is what it is, in Swedish, from the numbers the follow-up stored.
    static func judgementNote(_ row: FollowUpRecord, decimals: Int, lowerIsBetter: Bool) -> String {
        func value(_ number: Double?) -> String { number.map { SwedishFormat.number($0, decimals: decimals) } ?? "–" }
        let baselineYear = row.baselineYear
        let targetYear = row.targetYear
        let target = value(row.targetValue)
        let status = row.status
        if status == .tooLittleData {
            return "Färre än tre årsvärden från utgångsåret \(baselineYear) – en trend kan inte bedömas ännu."
        }
        if status == .reached, let latest = row.latestValue {
            return "\(row.latestPeriod ?? "") var värdet \(value(latest)) "
                + "(95 % osäkerhetsintervall \(value(row.latestLow))–\(value(row.latestHigh))), "
                + "helt på rätt sida om målet \(target)."
        }
        var change = ""
        if let annual = row.annualChange, let low = row.annualChangeLow, let high = row.annualChangeHigh {
            switch row.trendModel {
            case .poisson:
                change =
                    "\(SwedishFormat.signedPercent((annual - 1) * 100)) per år (95 % intervall "
                    + "\(SwedishFormat.signedPercent((low - 1) * 100)) till \(SwedishFormat.signedPercent((high - 1) * 100)))"
            case .binomial:
                change =
                    "oddskvot \(SwedishFormat.number(annual, decimals: 2)) per år (95 % intervall "
                    + "\(SwedishFormat.number(low, decimals: 2))–\(SwedishFormat.number(high, decimals: 2)))"
            default:
                change =
                    "\(SwedishFormat.signedNumber(annual, decimals: decimals)) per år (95 % intervall "
                    + "\(SwedishFormat.signedNumber(low, decimals: decimals)) till "
                    + "\(SwedishFormat.signedNumber(high, decimals: decimals)))"
            }
        }
        guard let projected = row.projectedValue else {
            return "Ingen trend kunde skattas ur värdena sedan \(baselineYear): för osäkert att säga."
        }
        let projection =
            "Trenden sedan \(baselineYear)\(change.isEmpty ? "" : ", \(change),") ger \(value(projected)) år "
            + "\(targetYear) (95 % intervall \(value(row.projectedLow))–\(value(row.projectedHigh))); "
            + "målet är \(target)."
        switch status {
        case .onTheWay: return projection + " Hela intervallet ligger på rätt sida om målet."
        case .notOnTheWay:
            let noChange = row.trendModel == .linear ? 0.0 : 1.0
            let low = row.annualChangeLow
            let high = row.annualChangeHigh
            let wrongWay = lowerIsBetter ? (low.map { $0 > noChange } ?? false) : (high.map { $0 < noChange } ?? false)
            return projection
                + (wrongWay
                    ? " Utvecklingen går tydligt åt fel håll."
                    : " Hela intervallet ligger på fel sida om målet.")
        default:
            return projection + " Intervallet spänner över målet: förändringen ryms i den slumpmässiga variationen."
        }
    }

    /// A ranked list of areas for each indicator computed below the municipality, latest year. An area is
    /// marked only when it stands out from the rest of the kommun beyond chance (``standsOut``), never for
    /// its rank alone.
    func areaRankings() throws -> [AreaRanking] {
        var rankings: [AreaRanking] = []
        for indicator in try IndicatorRecord.all(db) {
            for level in indicator.areaLevels where [.district, .school].contains(level) {
                let rows = try IndicatorValueRecord.fetchByPosition(
                    db,
                    sql: """
                        SELECT * FROM indicator_values WHERE indicator_id = ? AND area_level = ? AND breakdown = ''
                            AND period_type = 'year'
                            AND period = (SELECT max(period) FROM indicator_values
                                WHERE indicator_id = ? AND area_level = ? AND period_type = 'year')
                        """,
                    arguments: [indicator.id, level.rawValue, indicator.id, level.rawValue])
                guard let period = rows.first?.period else { continue }
                let kommun = try IndicatorValueRecord.fetchOne(
                    db,
                    sql: """
                        SELECT * FROM indicator_values WHERE indicator_id = ? AND area_code = ? AND breakdown = ''
                            AND period_type = 'year' AND period = ? AND status = 'ok'
                        """,
                    arguments: [indicator.id, pipeline.municipality.code, period])
                let areas = rows.map { row in
                    let code = row.areaCode
                    let status = Self.shownStatus(row.status, note: row.note)
                    var reason: String?
                    if status == .ok, let kommun {
                        reason = Self.standsOut(
                            kind: indicator.kind, lowerIsBetter: indicator.better == .lower, scale: indicator.scale,
                            area: Counts(row), kommun: Counts(kommun))
                    }
                    return AreaValue(
                        code: code, name: row.areaName, value: row.value,
                        status: status, note: Self.swedishNote(row.note, status: status),
                        isHotSpot: reason != nil, hotSpotReason: reason)
                }
                rankings.append(
                    AreaRanking(
                        indicatorID: indicator.id, indicatorTitle: indicator.title, period: period,
                        unit: indicator.unit, decimals: indicator.decimals, areaLevel: Self.levelName(level),
                        areas: areas))
            }
        }
        return rankings
    }

    /// A value with its numerator and denominator as stored (any may be missing). For a delivered share
    /// the numerator is the share itself and the denominator the number of respondents.
    struct Counts {
        var numerator: Double?
        var denominator: Double?
        var value: Double?
        /// For a share: whether the denominator counts respondents (the pipeline then stored a Wilson
        /// interval). Minutes of teaching time, say, are no independent trials.
        var respondents: Bool

        init(numerator: Double?, denominator: Double?, value: Double?, respondents: Bool = false) {
            self.numerator = numerator
            self.denominator = denominator
            self.value = value
            self.respondents = respondents
        }

        init(_ row: IndicatorValueRecord) {
            self.init(
                numerator: row.numerator, denominator: row.denominator, value: row.value, respondents: row.ciLow != nil)
        }
    }

    /// Why an area stands out on the bad side of the kommun beyond chance, in Swedish; nil when it does
    /// not, or when no model applies.
    ///
    /// Counts and rates with a population: the area's rate against the rest of the kommun's (the kommun's
    /// numerator and denominator less the area's), as a rate ratio with its 95 % interval on the log
    /// scale; marked when the whole interval is above 1 (below 1 where higher is better). Shares with a
    /// number of respondents: the area's Wilson interval against the kommun's share. Anything else (a
    /// delivered value, a count without a population, a share of minutes) is not marked.
    static func standsOut(
        kind: IndicatorKind, lowerIsBetter: Bool, scale: Double, area: Counts, kommun: Counts
    ) -> String? {
        let wording =
            lowerIsBetter ? "signifikant högre än kommunen som helhet" : "signifikant lägre än kommunen som helhet"
        switch kind {
        case .count, .rate:
            guard let count = area.numerator, let exposure = area.denominator, let total = kommun.numerator,
                let population = kommun.denominator, exposure > 0
            else { return nil }
            let restCount = (total - count).rounded()
            let restExposure = population - exposure
            guard restCount >= 0, restExposure > 0,
                let test = FollowUpStatistics.rateRatio(
                    count1: Int(count.rounded()), exposure1: exposure, count2: Int(restCount),
                    exposure2: restExposure)
            else { return nil }
            guard lowerIsBetter ? test.interval.low > 1 : test.interval.high < 1 else { return nil }
            func ratio(_ number: Double) -> String { SwedishFormat.number(number, decimals: 2) }
            return "\(wording): \(ratio(test.ratio)) gånger nivån i övriga kommunen "
                + "(95 % intervall \(ratio(test.interval.low))–\(ratio(test.interval.high)))"
        case .share:
            guard area.respondents, let value = area.value, let trials = area.denominator,
                let kommunValue = kommun.value, trials > 0,
                value >= 0, value <= scale
            else { return nil }
            let interval = FollowUpStatistics.wilsonInterval(successes: value / scale * trials, trials: trials)
            let kommunShare = kommunValue / scale
            guard lowerIsBetter ? interval.low > kommunShare : interval.high < kommunShare else { return nil }
            func share(_ number: Double) -> String { SwedishFormat.number(number * scale, decimals: 1) }
            return "\(wording): 95 % intervall \(share(interval.low))–\(share(interval.high)), "
                + "kommunen \(SwedishFormat.number(kommunValue, decimals: 1))"
        case .value:
            return nil
        }
    }

    /// The patterns of every indicator that has any, in the order the run stored them, each for its latest
    /// period.
    func patterns() throws -> [Patterns] {
        try IndicatorRecord.all(db).compactMap { try patterns(of: $0) }
    }

    func patterns(of indicator: IndicatorRecord) throws -> Patterns? {
        /// The cells of one breakdown in its latest period, by breakdown value.
        func cells(_ breakdown: String) throws -> (period: String, cells: [String: PatternCell])? {
            guard
                let period = try String.fetchOne(
                    db,
                    sql: "SELECT max(period) FROM indicator_values WHERE indicator_id = ? AND breakdown = ?",
                    arguments: [indicator.id, breakdown])
            else { return nil }
            var result: [String: PatternCell] = [:]
            for row in try IndicatorValueRecord.fetchByPosition(
                db,
                sql: "SELECT * FROM indicator_values WHERE indicator_id = ? AND breakdown = ? AND period = ?",
                arguments: [indicator.id, breakdown, period])
            {
                let status = Self.shownStatus(row.status, note: nil)
                result[row.breakdownValue] = PatternCell(
                    value: row.value, status: status, note: Self.swedishNote(row.note, status: status))
            }
            return (period, result)
        }
        let hours = try cells("weekday_hour")
        let months = try cells("month_of_year")
        let places = try cells("place")
        let periods = Set([hours?.period, months?.period, places?.period].compactMap { $0 })
        guard !periods.isEmpty else { return nil }
        // A weekday and hour, or a month, without a row had no events: zero is a value here.
        let weekdayHour =
            hours.map { hours in
                (1...7).map { day in
                    (0..<24).map { hour in hours.cells["\(day)-\(hour)"] ?? PatternCell(value: 0, status: .ok) }
                }
            } ?? []
        let monthOfYear =
            months.map { months in
                (1...12).map { month in months.cells[String(format: "%02d", month)] ?? PatternCell(value: 0) }
            } ?? []
        let placeCounts = (places?.cells ?? [:]).sorted { $0.key < $1.key }.map {
            PlaceCount(place: $0.key, cell: $0.value)
        }
        return Patterns(
            indicatorID: indicator.id,
            title: indicator.title.replacingOccurrences(of: " per 100 000 invånare", with: ""),
            period: periods.sorted().joined(separator: ", "),
            weekdayHour: weekdayHour, monthOfYear: monthOfYear, places: placeCounts,
            note: "Antal händelser."
                + (weekdayHour.isEmpty ? "" : " Händelser utan klockslag ingår inte i veckodag × timme.")
                + (placeCounts.isEmpty ? "" : " Händelser utan känd plats ingår inte i fördelningen efter plats."))
    }

    /// The source's supplier as the report names it: the pipeline file's `supplier_name`, else the usual name.
    static func supplierName(of source: SourceSpec) -> String {
        source.supplierName ?? supplierName(source.supplier.rawValue)
    }

    /// The supplier as the report names it, in Swedish ("county-board" is Länsstyrelsen).
    static func supplierName(_ id: String?) -> String {
        guard let id else { return "" }
        let names = [
            "police": "Polisen", "county-board": "Länsstyrelsen", "schools": "Skolverket och skolorna",
            "scb": "SCB", "bra": "Brå", "kolada": "Kolada", "municipality": "kommunen",
        ]
        return names[id] ?? id
    }

    /// A stored note (the pipeline's own English words, kept as they are in the exports) in Swedish for
    /// the report. The notes are read by their pattern; a part not recognised is left out, and a hidden
    /// value with no recognised reason gets a reason from its status.
    static func swedishNote(_ note: String?, status: PointStatus) -> String? {
        let parts = (note ?? "").split(separator: "; ").compactMap { swedishNotePart(String($0)) }
        if !parts.isEmpty { return parts.joined(separator: "; ") }
        switch status {
        case .ok: return nil
        case .suppressed: return note == nil ? nil : "prickad för att skydda enskilda"
        case .missing: return note == nil ? nil : "uppgiften saknas i källan"
        case .notApplicable: return note == nil ? nil : "inget att redovisa"
        }
    }

    static func swedishNotePart(_ part: String) -> String? {
        func between(_ prefix: String, _ suffix: String) -> String? {
            guard part.hasPrefix(prefix), part.hasSuffix(suffix), part.count >= prefix.count + suffix.count else {
                return nil
            }
            return String(part.dropFirst(prefix.count).dropLast(suffix.count))
        }
        if let n = between("fewer than ", " events") { return "färre än \(n) händelser" }
        if let n = between("fewer than ", " respondents") { return "färre än \(n) svarande" }
        if let reason = between("the source has no number (", ")") {
            return "källan redovisar inget värde (\(missingReason(reason)))"
        }
        if let reason = between("the denominator is missing in the source (", ")") {
            return "nämnaren saknas i källan (\(missingReason(reason)))"
        }
        if part.hasPrefix("secondary suppression") {
            return "sekundär prickning: värdet skulle annars avslöja en prickad cell i samma tabell"
        }
        if let used = between("computed from ", ", the others have no number in the source") {
            let parts = used.components(separatedBy: " of ")
            if parts.count == 2, let areas = parts[1].split(separator: " ").first {
                return "Delvis: beräknat ur \(parts[0]) av \(areas) områden, de övriga saknar värde i källan"
            }
        }
        if let group = MunicipalityGroupLine.swedishNote(part) { return group }
        if let rest = between("crime codes retired ", "") {
            return "brottskoder som upphörde \(rest)"
        }
        return nil
    }

    /// Why a source cell has no number (`MissingReason`'s raw values), in Swedish.
    static func missingReason(_ reason: String) -> String {
        switch reason {
        case "suppressed": return "prickat av uppgiftslämnaren"
        case "not-available": return "uppgift saknas"
        case "not-applicable": return "ej tillämpligt"
        case "survey-suppressed": return "prickad enkätcell"
        case "empty": return "tom cell"
        case "zero": return "noll"
        default: return "saknas"
        }
    }

    /// What the report says about a delivery, in Swedish, from its status alone.
    static func sourceNote(status: String, absent: String?) -> String? {
        switch absent {
        case "missing": return "Filen levereras inte längre; de senast godkända uppgifterna används."
        case "empty": return "Filen är tom; de senast godkända uppgifterna används."
        default: break
        }
        switch status {
        case "failed": return "Filen kunde inte läsas till slut och används inte; se lagesbild quarantine."
        case "rejected": return "För många rader avvisades; filens uppgifter används inte. Se lagesbild quarantine."
        default: return nil
        }
    }

    func sourcesAndMethod() throws -> SourcesAndMethod {
        let sources = try DeliveryRecord.order(Column("source_id"), Column("path")).fetchAll(db).map { row in
            let id = row.sourceID
            let counts = row.counts
            let quarantined = counts.rowsQuarantined
            let status: SourceRecord.Status
            switch row.status {
            case "accepted": status = quarantined > 0 ? .partial : .used
            case "failed": status = .failed
            default: status = .notUsed
            }
            // The note is the tool's own words, never text from the delivered file (a header line or a
            // parser's message may quote what the file holds).
            var record = SourceRecord(
                name: id, supplier: pipeline.source(id).map(Self.supplierName(of:)) ?? "",
                fileName: row.fileName, deliveryDate: String(row.ingestedAt.prefix(10)), sha256: row.sha256,
                rowsRead: counts.rowsRead, rowsAccepted: counts.rowsAccepted, rowsQuarantined: quarantined,
                status: status, note: Self.sourceNote(status: row.status, absent: row.absent),
                values: counts.values.map { SourceRecord.Values(read: $0.read, quarantined: $0.quarantined) })
            record.linesSkipped = row.linesSkipped
            return record
        }
        let definitions = try IndicatorRecord.all(db).map { Definition(term: $0.title, text: $0.definition) }
        let threshold = pipeline.disclosure.threshold
        return SourcesAndMethod(
            sources: sources, definitions: definitions,
            suppressionNote: "Antal från 1 till \(threshold - 1) redovisas inte (prickas), inte heller värden som "
                + "räknats fram ur dem; ytterligare celler prickas där en summa annars skulle avslöja en prickad cell.",
            limitations: [
                "Polisens uppgifter gäller anmälda brott: mörkertalet syns inte, och anmälningsbenägenheten skiljer "
                    + "sig mellan brottstyper och områden.",
                "Bedrägerier och andra brott utan brottsplats saknas i redovisningen per kommundel och DeSO.",
                "Brottskoder som upphört och DeSO-områden som slagits ihop eller delats bryter serierna; sådana "
                    + "värden är markerade.",
                "Brås jämförelsetal för län och riket räknas efter brottsplats och kan skilja sig från polisens "
                    + "uttag för kommunen.",
                "Andelar från enkäter (Skolenkäten, trygghetsmätningen) är osäkra när få svarat; se "
                    + "konfidensintervallen.",
                "Från referensår 2025 störs SCB:s befolkningstal (Cell Key Method): delar behöver inte summera "
                    + "till totalen.",
            ],
            statisticalMethod: [
                "Ett område markeras bara när dess nivå skiljer sig från kommunens mer än slumpen förklarar: "
                    + "antalet och befolkningen i området jämförs med resten av kommunen som en kvot mellan "
                    + "nivåerna med 95 % intervall (Poisson), och området markeras när hela intervallet ligger "
                    + "på den sämre sidan om 1. Andelar från enkäter jämförs med kommunens andel genom skolans "
                    + "95 % intervall (Wilson); övriga värden, som frånvaro i minuter, markeras inte.",
                "Med många områden kan något enstaka markeras av en slump; en markering är en signal att "
                    + "undersöka, inte ett bevis.",
                "En förändring mot föregående år kallas bättre eller sämre bara när den är större än slumpen "
                    + "förklarar (kvoten mellan årens nivåer eller, för andelar, ett z-test för två andelar); "
                    + "annars står det inom normal variation, och utan antal att pröva står det att den inte "
                    + "kan prövas.",
            ] + [try MunicipalityGroupLine.methodText(db: db, pipeline: pipeline)].compactMap { $0 })
    }
}

extension TargetStatus {
    /// The report's status for a stored judgement (the same words).
    init(_ judgement: TargetJudgement) {
        switch judgement {
        case .reached: self = .reached
        case .onTheWay: self = .onTheWay
        case .notOnTheWay: self = .notOnTheWay
        case .tooUncertain: self = .tooUncertain
        case .tooLittleData: self = .tooLittleData
        }
    }
}
