import LagesbildModel

/// Renders ``ReportData`` as one self-contained HTML5 file in Swedish.
///
/// The file has inline CSS and inline SVG only: no script, no external URL, no image file. Every text from
/// the data is escaped (and personal identity numbers masked). Suppressed values are written `..` with
/// "prickad" and their reason, never as 0; an empty section says that there is no data.
public enum ReportRenderer {
    /// The whole report as an HTML document.
    public static func render(_ data: ReportData) -> String {
        var writer = Writer(data: data)
        writer.document()
        return writer.out
    }

    /// The sentence shown in place of an empty section.
    public static let noDataSentence = "Det finns inga uppgifter för det här avsnittet i den här körningen."

    /// Swedish weekday abbreviations, Monday first.
    public static let weekdayNames = ["mån", "tis", "ons", "tor", "fre", "lör", "sön"]
    /// Swedish month abbreviations, January first.
    public static let monthNames = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]

    /// Main sections: anchor id and heading, in order.
    public static let sections: [(id: String, heading: String)] = [
        ("sammanfattning", "Sammanfattning"),
        ("indikatorer", "Brottslighet över tid"),
        ("omraden", "Områden"),
        ("monster", "Tid, månad och plats"),
        ("skolor", "Skolor"),
        ("lansstyrelsen", "Länsstyrelsen: tillstånd och tillsyn"),
        ("kallor", "Källor och metod"),
    ]

    /// The report's style sheet, shared with the follow-up report.
    static var stylesheet: String { Writer.css }
}

private struct Writer {
    let data: ReportData
    var out = ""
    var chartCount = 0

    init(data: ReportData) {
        self.data = data
        out.reserveCapacity(200_000)
    }

    func t(_ text: String) -> String { HTMLText.safe(text) }

    func number(_ value: Double?, _ decimals: Int) -> String {
        guard let value else { return "–" }
        return SwedishFormat.number(value, decimals: decimals)
    }

    func signed(_ value: Double?, _ decimals: Int) -> String {
        guard let value else { return "–" }
        return SwedishFormat.signedNumber(value, decimals: decimals)
    }

    func signedPercent(_ value: Double?) -> String {
        guard let value else { return "–" }
        return SwedishFormat.signedPercent(value, decimals: 1)
    }

    func betterText(_ direction: Direction) -> String {
        direction == .lower ? "Lägre är bättre" : "Högre är bättre"
    }

    var defaultSuppressionReason: String {
        "för få observationer för att visas (prickningsgräns \(data.suppressionThreshold))"
    }

    mutating func nextChartID() -> String {
        chartCount += 1
        return "c\(chartCount)"
    }

    // MARK: Document

    mutating func document() {
        out += "<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<title>\(t(data.title))</title>\n<style>\n\(Self.css)</style>\n</head>\n<body>\n<main>\n"
        header()
        section(0) { $0.summary() }
        section(1) { $0.indicatorList($0.data.indicators) }
        section(2) { $0.areas() }
        section(3) { $0.patterns() }
        section(4) { $0.indicatorList($0.data.schools) }
        section(5) { $0.indicatorList($0.data.countyBoard) }
        section(6) { $0.sourcesAndMethod() }
        out += "<footer><p>Rapporten är skapad av Lagesbild, körning \(t(data.runID)), \(t(data.generatedAt)). "
        out += "Alla tal som visas som ”..” är prickade och har utelämnats med avsikt.</p></footer>\n"
        out += "</main>\n</body>\n</html>\n"
    }

    mutating func header() {
        let municipality = data.municipality
        out += "<header class=\"report-header\">\n<p class=\"kicker\">Lägesbild enligt lag (2023:196)</p>\n"
        out += "<h1>\(t(data.title))</h1>\n<dl class=\"meta\">\n"
        var place = "\(municipality.name) (kommunkod \(municipality.code))"
        if let county = municipality.county { place += ", \(county)" }
        out += "<div><dt>Kommun</dt><dd>\(t(place))</dd></div>\n"
        out += "<div><dt>Genererad</dt><dd>\(t(data.generatedAt))</dd></div>\n"
        out += "<div><dt>Körning</dt><dd><code>\(t(data.runID))</code></dd></div>\n"
        out +=
            "<div><dt>Prickningsgräns</dt><dd>Färre än \(data.suppressionThreshold) observationer visas inte</dd></div>\n"
        out += "</dl>\n<nav class=\"toc\" aria-label=\"Innehåll\"><h2 class=\"toc-heading\">Innehåll</h2><ol>\n"
        for (id, heading) in ReportRenderer.sections {
            out += "<li><a href=\"#\(id)\">\(t(heading))</a></li>\n"
        }
        out += "</ol></nav>\n</header>\n"
    }

    mutating func section(_ index: Int, _ body: (inout Writer) -> Void) {
        let (id, heading) = ReportRenderer.sections[index]
        out += "<section class=\"main\" id=\"\(id)\">\n<h2>\(t(heading))</h2>\n"
        body(&self)
        out += "</section>\n"
    }

    mutating func empty(_ sentence: String = ReportRenderer.noDataSentence) {
        out += "<p class=\"empty\">\(t(sentence))</p>\n"
    }

    // MARK: Summary

    mutating func summary() {
        let summary = data.summary
        for paragraph in summary.paragraphs { out += "<p>\(t(paragraph))</p>\n" }
        out += "<h3>Största förändringar mot föregående period</h3>\n"
        if summary.largestChanges.isEmpty {
            empty("Det finns inga förändringar att visa i den här körningen.")
        } else {
            out +=
                "<div class=\"table-wrap\"><table class=\"changes\">\n<thead><tr><th>Indikator</th><th>Period</th><th class=\"num\">Värde</th>"
            out +=
                "<th class=\"num\">Förändring</th><th class=\"num\">Förändring, %</th><th>Bedömning</th></tr></thead>\n<tbody>\n"
            for change in summary.largestChanges {
                let period = change.previousPeriod.map { "\(change.period) (mot \($0))" } ?? change.period
                out += "<tr><td>\(t(change.title))<br><span class=\"small\">\(t(betterText(change.better)))</span></td>"
                out += "<td>\(t(period))</td>"
                out +=
                    "<td class=\"num\">\(number(change.value, change.decimals))<br><span class=\"small\">\(t(change.unit))</span></td>"
                out += "<td class=\"num\">\(signed(change.changeAbsolute, change.decimals))</td>"
                out += "<td class=\"num\">\(signedPercent(change.changePercent))</td>"
                out += "<td>\(assessment(change))"
                if let note = change.testNote { out += "<br><span class=\"small\">\(t(note))</span>" }
                out += "</td></tr>\n"
            }
            out += "</tbody>\n</table></div>\n"
        }
        out += "<h3>Uppföljning av mål</h3>\n"
        if summary.targets.isEmpty {
            empty("Det finns inga mål att följa upp i den här körningen.")
        } else {
            out += "<div class=\"table-wrap\"><table class=\"targets\">\n<thead><tr><th>Indikator</th><th>Åtagande</th>"
            out += "<th class=\"num\">Utgångsläge</th><th class=\"num\">Mål</th><th class=\"num\">Senaste</th>"
            out +=
                "<th class=\"num\">Förändring sedan utgångsläget</th><th class=\"judgement\">Bedömning</th></tr></thead>\n<tbody>\n"
            for target in summary.targets {
                let d = target.decimals
                out += "<tr><td>\(t(target.indicatorTitle))<br><span class=\"small\">\(t(target.unit)); "
                out += "\(t(betterText(target.better)).lowercased())</span></td>"
                out += "<td>\(t(target.commitment.swedishName))</td>"
                if let baseline = target.baselineValue {
                    out += "<td class=\"num\">\(number(baseline, d))<br><span class=\"small\">\(target.baselineYear)"
                    if let source = target.baselineSource { out += "; källa: \(t(source))" }
                    out += "</span></td>"
                } else {
                    out += "<td class=\"num supp\">saknas<br><span class=\"small\">\(target.baselineYear)</span></td>"
                }
                out +=
                    "<td class=\"num\">\(number(target.targetValue, d))<br><span class=\"small\">\(target.targetYear)</span></td>"
                if let latest = target.latestValue {
                    out +=
                        "<td class=\"num\">\(number(latest, d))<br><span class=\"small\">\(t(target.latestPeriod ?? ""))</span></td>"
                } else {
                    out += "<td class=\"num supp\">saknas</td>"
                }
                out += "<td class=\"num\">\(signed(target.changeSinceBaseline, d))</td>"
                out += "<td>\(status(target.status))"
                if let note = target.note { out += "<br><span class=\"small\">\(t(note))</span>" }
                out += "</td></tr>\n"
            }
            out += "</tbody>\n</table></div>\n"
        }
        if !summary.problems.isEmpty { prioritisedProblems(summary.problems) }
        sinceLastReport(summary.sinceLast)
    }

    /// The action plan's problems in priority order, with how their targets are judged.
    mutating func prioritisedProblems(_ problems: [SummaryProblem]) {
        out += "<h3>Prioriterade problem i åtgärdsplanen</h3>\n<ol class=\"problems\">\n"
        for problem in problems {
            out += "<li><strong>\(t(problem.title))</strong>"
            if !problem.areas.isEmpty { out += " (\(t(problem.areas.joined(separator: ", "))))" }
            if !problem.targetStatuses.isEmpty {
                out += "<br>Mål: " + problem.targetStatuses.map(status).joined(separator: " ")
            }
            out += "</li>\n"
        }
        out += "</ol>\n<p class=\"small\">Åtgärder, rapporter och mål per problem finns i uppföljningsrapporten "
        out += "(<a href=\"uppfoljning.html\">uppfoljning.html</a>).</p>\n"
    }

    /// New deliveries and changed judgements since the previous report, or that this is the first.
    mutating func sinceLastReport(_ since: SinceLastReport?) {
        out += "<h3>Sedan förra rapporten</h3>\n"
        guard let since else {
            out += "<p>Det här är den första rapporten ur arbetsytan; nästa rapport visar vad som har ändrats.</p>\n"
            return
        }
        let when = "körning \(since.previousRunID), \(since.previousPublishedAt)"
        if since.newDeliveries.isEmpty {
            out += "<p>Inga nya eller ändrade leveranser sedan förra rapporten (\(t(when))).</p>\n"
        } else {
            let count = since.newDeliveries.count
            out += "<p>\(count == 1 ? "En ny eller ändrad leverans" : "\(count) nya eller ändrade leveranser") "
            out += "sedan förra rapporten (\(t(when))): \(t(since.newDeliveries.joined(separator: ", "))).</p>\n"
        }
        if since.targetChanges.isEmpty {
            out += "<p>Inget mål har fått en ny bedömning.</p>\n"
        } else {
            out += "<ul class=\"target-changes\">\n"
            for change in since.targetChanges {
                let before = change.before.map(status) ?? "nytt mål"
                let after = change.after.map(status) ?? "följs inte längre upp"
                out += "<li>\(t(change.name.isEmpty ? change.targetID : change.name)): \(before) → \(after)</li>\n"
            }
            out += "</ul>\n"
        }
    }

    /// Better or worse in colour only when the change is beyond chance; within the noise, or untested,
    /// in a neutral colour.
    func assessment(_ change: IndicatorChange) -> String {
        let delta = change.changeAbsolute ?? 0
        let arrow = delta > 0 ? "▲ " : (delta < 0 ? "▼ " : "")
        let tested = change.test == .beyondChance
        switch change.assessment {
        case .better:
            return tested
                ? "<span class=\"better\">\(arrow)bättre</span>"
                : "<span class=\"neutral\">\(arrow)åt det bättre hållet, kan inte prövas</span>"
        case .worse:
            return tested
                ? "<span class=\"worse\">\(arrow)sämre</span>"
                : "<span class=\"neutral\">\(arrow)åt det sämre hållet, kan inte prövas</span>"
        case .withinNoise: return "<span class=\"neutral\">\(arrow)inom normal variation</span>"
        case .unchanged: return "<span class=\"neutral\">oförändrad</span>"
        case .unknown: return "<span class=\"neutral\">kan inte bedömas</span>"
        }
    }

    func status(_ status: TargetStatus) -> String {
        switch status {
        case .reached: return "<span class=\"badge on-track\">✓ Målet är nått</span>"
        case .onTheWay: return "<span class=\"badge on-track\">På väg mot målet</span>"
        case .notOnTheWay: return "<span class=\"badge off-track\">✗ Inte på väg mot målet</span>"
        // Within the noise: never coloured as progress or failure.
        case .tooUncertain: return "<span class=\"badge no-data\">För osäkert att säga</span>"
        case .tooLittleData: return "<span class=\"badge no-data\">För lite data</span>"
        }
    }

    // MARK: Indicators

    mutating func indicatorList(_ sections: [IndicatorSection]) {
        if sections.isEmpty {
            empty()
            return
        }
        for indicator in sections { indicatorArticle(indicator) }
    }

    /// Periods of the series and its comparisons, sorted.
    func categories(_ indicator: IndicatorSection) -> [String] {
        var seen = Set<String>()
        var periods: [String] = []
        for point in indicator.series + indicator.comparisons.flatMap(\.points) where seen.insert(point.period).inserted
        {
            periods.append(point.period)
        }
        return periods.sorted()
    }

    mutating func indicatorArticle(_ indicator: IndicatorSection) {
        out += "<article class=\"indicator\" id=\"ind-\(t(indicator.id))\">\n<h3>\(t(indicator.title))</h3>\n"
        out += "<p class=\"definition\">\(t(indicator.definition))</p>\n"
        let unitText = indicator.unit.hasSuffix(".") ? indicator.unit : indicator.unit + "."
        out += "<p class=\"small\">Enhet: \(t(unitText)) \(betterText(indicator.better)). "
        out += "Indikator-id: <code>\(t(indicator.id))</code>.</p>\n"
        let periods = categories(indicator)
        if periods.isEmpty {
            // Reported per area only (e.g. per school): say where the values are, never "no values".
            if let note = indicator.note, let ranking = data.areas.first(where: { $0.indicatorID == indicator.id }) {
                out += "<p class=\"empty\">\(t(note)) <a href=\"#\(areaAnchor(ranking))\">Till värdena per "
                out += "\(t(ranking.areaLevel)), \(t(ranking.period))</a>.</p>\n"
            } else {
                empty("Det finns inga värden för den här indikatorn.")
            }
            out += "</article>\n"
            return
        }
        let byPeriod = Dictionary(indicator.series.map { ($0.period, $0) }, uniquingKeysWith: { first, _ in first })
        let comparisonMaps = indicator.comparisons.map { comparison in
            Dictionary(comparison.points.map { ($0.period, $0) }, uniquingKeysWith: { first, _ in first })
        }

        // Chart.
        func chartPoint(_ point: SeriesPoint?) -> SVGLineChart.Point {
            guard let point else { return SVGLineChart.Point(value: nil, status: .missing) }
            return SVGLineChart.Point(
                value: point.value, status: point.status, ciLow: point.ciLow, ciHigh: point.ciHigh, note: point.note)
        }
        // The path from the baseline to each target of the action plan, years beyond the data included.
        // The kommun's own targets only: a district's target (a citizen promise for one area) is measured on
        // that district's values, not on this chart's kommun series.
        let targets = data.summary.targets.filter { $0.indicatorID == indicator.id && $0.areaCode == nil }
        let chartPeriods = Self.periods(periods, extendedThrough: targets.map(\.targetYear).max())
        var series = [
            // The data's series end with the data: years beyond it are the target's alone (no "saknas" marks).
            SVGLineChart.Series(name: indicator.seriesName, points: periods.map { chartPoint(byPeriod[$0]) })
        ]
        // A comparison of another order of size (the county's and the country's population beside the
        // kommun's) would flatten the kommun's line: it is left to the table.
        let ownLargest = indicator.series.compactMap(\.shownValue).map(abs).max() ?? 0
        let (drawn, tableOnly) = Self.comparisonsToDraw(indicator.comparisons, ownLargest: ownLargest)
        for (index, comparison) in indicator.comparisons.enumerated() where drawn.contains(comparison.name) {
            let color: String
            switch comparison.kind {
            case .municipality: color = ChartPalette.other
            case .county: color = ChartPalette.county
            case .country: color = ChartPalette.country
            case .other: color = ChartPalette.other
            }
            series.append(
                SVGLineChart.Series(
                    name: comparison.name, points: periods.map { chartPoint(comparisonMaps[index][$0]) },
                    color: color, dashed: true))
        }
        for target in targets {
            series.append(
                SVGLineChart.Series(
                    name: "Mål \(target.targetYear) (\(target.commitment.swedishName))",
                    points: chartPeriods.map { Self.pathPoint(of: target, in: $0) }, color: ChartPalette.target,
                    dotted: true))
        }
        var markers: [SVGLineChart.Marker] = []
        for (index, period) in periods.enumerated()
        where byPeriod[period]?.flags.contains(where: { $0.kind == .seriesBreak }) == true {
            markers.append(SVGLineChart.Marker(index: index, label: "seriebrott"))
        }
        let chart = SVGLineChart(
            title: "\(indicator.title), \(indicator.unit)", categories: chartPeriods, series: series, markers: markers,
            unit: indicator.unit, decimals: indicator.decimals)
        out += "<figure>\n\(chart.render())\n<figcaption>\(t(indicator.title)) per period"
        for target in targets {
            out += target.baselineValue == nil ? ", målet för \(target.targetYear)" : ", vägen från utgångsvärdet "
            if target.baselineValue != nil { out += "\(target.baselineYear) till målet för \(target.targetYear)" }
            out += " (prickad linje)"
        }
        if !drawn.isEmpty { out += ", jämfört med \(t(Self.list(drawn)))" }
        if indicator.series.contains(where: { $0.ciLow != nil && $0.ciHigh != nil }) {
            out += ". Strecken visar 95 % konfidensintervall"
        }
        if !tableOnly.isEmpty {
            out += ". \(t(Self.list(tableOnly))) finns i tabellen: talen är för stora för att ritas i samma diagram"
        }
        out += ". Prickade och saknade värden bryter linjen.</figcaption>\n</figure>\n"
        if let comparisonNote = indicator.comparisonNote {
            out += "<p class=\"small comparison-note\">\(t(comparisonNote))</p>\n"
        }

        // Table.
        let hasCI = indicator.series.contains { $0.ciLow != nil || $0.ciHigh != nil }
        let d = indicator.decimals
        var footnotes: [String] = []
        out +=
            "<div class=\"table-wrap\"><table class=\"series\">\n<thead><tr><th>Period</th><th class=\"num\">\(t(indicator.seriesName))</th>"
        if hasCI { out += "<th class=\"num\">95 % KI</th>" }
        out += "<th class=\"num\">Förändring</th><th class=\"num\">Förändring, %</th><th class=\"num\">Medel 3 år</th>"
        for comparison in indicator.comparisons { out += "<th class=\"num\">\(t(comparison.name))</th>" }
        out += "<th>Anmärkning</th></tr></thead>\n<tbody>\n"
        for period in periods {
            let point = byPeriod[period]
            out += "<tr><th scope=\"row\">\(t(period))</th>"
            out += valueCell(point, decimals: d, footnotes: &footnotes)
            if hasCI {
                if let point, point.status == .ok, let low = point.ciLow, let high = point.ciHigh {
                    out += "<td class=\"num\">\(number(low, d))–\(number(high, d))</td>"
                } else {
                    out += "<td class=\"num\">–</td>"
                }
            }
            // A value computed from part of the areas is not compared with a whole one (nor the reverse).
            let previous = Period(period)?.previous.flatMap { byPeriod[$0.description] }
            let partialChange =
                point?.changeAbsolute != nil && [point, previous].contains { $0?.isPartial == true }
            let shown = point?.status == .ok && !partialChange
            out += "<td class=\"num\">\(shown ? signed(point?.changeAbsolute, d) : "–")</td>"
            out += "<td class=\"num\">\(shown ? signedPercent(point?.changePercent) : "–")</td>"
            out += "<td class=\"num\">\(number(point?.movingAverage3, d))</td>"
            for map in comparisonMaps {
                out += valueCell(map[period], decimals: d, footnotes: &footnotes)
            }
            var remarks: [String] = []
            if partialChange {
                remarks.append("Förändringen visas inte: ett av åren är beräknat ur en del av områdena.")
            }
            for flag in point?.flags ?? [] where flag.kind != .partial {
                remarks.append(
                    "<span class=\"flag \(t(flag.kind.rawValue))\">\(t(flagName(flag.kind)))</span>: \(t(flag.text))")
            }
            if let point, point.status == .ok, let note = point.note { remarks.append(t(note)) }
            out += "<td class=\"remarks\">\(remarks.joined(separator: "<br>"))</td></tr>\n"
        }
        out += "</tbody>\n</table></div>\n"
        footnoteList(footnotes)
        if let note = indicator.note { out += "<p class=\"small\">\(t(note))</p>\n" }
        out += SourceTextGroup.html(indicator.texts ?? [])
        for finer in indicator.finerSeries ?? [] { finerSeries(finer, of: indicator) }
        out += "</article>\n"
    }

    func flagName(_ kind: PointFlag.Kind) -> String {
        switch kind {
        case .jump: return "Hopp"
        case .seriesBreak: return "Seriebrott"
        case .preliminary: return "Preliminärt"
        default: return kind.rawValue
        }
    }

    /// A value cell; suppressed and missing values get a marker, a tooltip and a numbered footnote.
    func valueCell(_ point: SeriesPoint?, decimals: Int, footnotes: inout [String]) -> String {
        guard let point else { return "<td class=\"num missing\" title=\"Saknas\">–</td>" }
        if point.status == .ok, let value = point.value {
            return "<td class=\"num\">\(number(value, decimals))</td>"
        }
        let suppressed = point.status == .suppressed
        let shown = HiddenValue(point.status)
        let reason = point.note ?? (suppressed ? defaultSuppressionReason : shown.defaultReason)
        footnotes.append("\(point.period): \(shown.label) – \(reason)")
        return "<td class=\"num \(suppressed ? "supp" : "missing")\" title=\"\(t("\(shown.label): \(reason)"))\">"
            + "\(shown.marker)<sup>\(footnotes.count)</sup></td>"
    }

    // MARK: Areas

    /// An indicator's values by quarter, month or week: a chart, and its values as a table one click away.
    mutating func finerSeries(_ finer: FinerSeries, of indicator: IndicatorSection) {
        let periods = finer.points.map(\.period)
        let chart = SVGLineChart(
            title: "\(indicator.title) per \(finer.kindName)",
            categories: periods.map {
                Self.shortPeriodLabel($0, withYear: Set(periods.map { $0.prefix(4) }).count > 1)
            },
            series: [
                SVGLineChart.Series(
                    name: indicator.seriesName,
                    points: finer.points.map {
                        SVGLineChart.Point(value: $0.value, status: $0.status, note: $0.note)
                    })
            ], unit: indicator.unit, decimals: indicator.decimals)
        out += "<h4>Per \(t(finer.kindName))</h4>\n<figure>\n\(chart.render())\n"
        out += "<figcaption>\(t(indicator.title)) per \(t(finer.kindName)), \(t(periods.first ?? ""))–"
        out += "\(t(periods.last ?? "")). Prickade och saknade värden bryter linjen.</figcaption>\n</figure>\n"
        out += "<details><summary>Värdena per \(t(finer.kindName)) som tabell</summary>\n<div class=\"table-wrap\">"
        out += "<table>\n<caption>\(t(indicator.title)) per \(t(finer.kindName))</caption>\n"
        out += "<thead><tr><th scope=\"col\">Period</th><th scope=\"col\" class=\"num\">\(t(indicator.seriesName))</th>"
        out += "</tr></thead>\n<tbody>\n"
        var footnotes: [String] = []
        for point in finer.points {
            out += "<tr><th scope=\"row\">\(t(point.period))</th>"
            out += valueCell(point, decimals: indicator.decimals, footnotes: &footnotes) + "</tr>\n"
        }
        out += "</tbody>\n</table>\n</div>\n"
        footnoteList(footnotes)
        out += "</details>\n"
    }

    /// A short axis label for a period shorter than a year: "jan", "v. 5", "K1" — with the year when the
    /// chart spans several ("jan 2023").
    static func shortPeriodLabel(_ period: String, withYear: Bool) -> String {
        guard let parsed = Period(period) else { return period }
        let label: String
        switch parsed.kind {
        case .month: label = ReportRenderer.monthNames[parsed.number - 1]
        case .week: label = "v. \(parsed.number)"
        case .quarter: label = "K\(parsed.number)"
        default: return period
        }
        return withYear ? "\(label) \(parsed.year)" : label
    }

    /// "A", "A och B", "A, B och C".
    static func list(_ names: [String]) -> String {
        names.count > 1
            ? names.dropLast().joined(separator: ", ") + " och " + names[names.count - 1] : names.first ?? ""
    }

    /// The comparisons drawn beside a series whose largest value is `ownLargest`, and those left to the table
    /// because their values are more than ten times as large.
    static func comparisonsToDraw(_ comparisons: [ComparisonSeries], ownLargest: Double) -> (
        drawn: [String], tableOnly: [String]
    ) {
        var drawn: [String] = []
        var tableOnly: [String] = []
        for comparison in comparisons {
            let largest = comparison.points.compactMap(\.shownValue).map(abs).max() ?? 0
            if ownLargest > 0, largest > 10 * ownLargest {
                tableOnly.append(comparison.name)
            } else {
                drawn.append(comparison.name)
            }
        }
        return (drawn, tableOnly)
    }

    /// Yearly periods continued to `year` (a target's year beyond the data); other periods as they are.
    static func periods(_ periods: [String], extendedThrough year: Int?) -> [String] {
        guard let year, let last = periods.last.flatMap({ Int($0) }), year > last,
            periods.allSatisfy({ $0.count == 4 && Int($0) != nil })
        else { return periods }
        return periods + (last + 1...year).map(String.init)
    }

    /// A point on the straight path from a target's baseline to its target value; only the target itself
    /// when there is no baseline value.
    static func pathPoint(of target: TargetFollowUp, in period: String) -> SVGLineChart.Point {
        guard let year = Int(period), period.count == 4 else { return SVGLineChart.Point(value: nil, status: .missing) }
        guard let baseline = target.baselineValue, target.targetYear > target.baselineYear else {
            let value = year == target.targetYear ? target.targetValue : nil
            return SVGLineChart.Point(value: value, status: value == nil ? .missing : .ok)
        }
        guard (target.baselineYear...target.targetYear).contains(year) else {
            return SVGLineChart.Point(value: nil, status: .missing)
        }
        let fraction = Double(year - target.baselineYear) / Double(target.targetYear - target.baselineYear)
        return SVGLineChart.Point(value: baseline + (target.targetValue - baseline) * fraction, status: .ok)
    }

    /// The numbered notes a table's cells point to (``valueCell(_:decimals:footnotes:)``), if any.
    mutating func footnoteList(_ footnotes: [String]) {
        guard !footnotes.isEmpty else { return }
        out += "<ol class=\"footnotes\">\n"
        for note in footnotes { out += "<li>\(t(note))</li>\n" }
        out += "</ol>\n"
    }

    /// The id of an area ranking's article, for links from the indicator sections.
    func areaAnchor(_ ranking: AreaRanking) -> String { "omr-" + t(ranking.indicatorID) }

    mutating func areas() {
        if let maps = data.maps { out += SVGMap.section(maps, threshold: data.suppressionThreshold) }
        if data.areas.isEmpty {
            empty()
            return
        }
        for ranking in data.areas {
            out += "<article class=\"area-ranking\" id=\"\(areaAnchor(ranking))\">\n"
            out += "<h3>\(t(ranking.indicatorTitle)) per \(t(ranking.areaLevel)), "
            out += "\(t(ranking.period))</h3>\n"
            if ranking.areas.isEmpty {
                empty("Det finns inga områden att visa för den här indikatorn.")
                out += "</article>\n"
                continue
            }
            let bars = ranking.areas.map {
                SVGBarChart.Bar(
                    label: $0.name, value: $0.value, status: $0.status, highlighted: $0.isHotSpot,
                    note: $0.note ?? $0.hotSpotReason)
            }
            let chart = SVGBarChart(
                title: "\(ranking.indicatorTitle) per \(ranking.areaLevel) \(ranking.period), \(ranking.unit)",
                bars: bars,
                unit: ranking.unit, decimals: ranking.decimals,
                highlightLabel: "Avviker signifikant från kommunen")
            out += "<figure>\n\(chart.render())\n<figcaption>Områdena ordnade efter värde, högst först. "
            out += "Prickade områden står sist och har inget värde. Ett område markeras bara när skillnaden mot "
            out += "kommunen är större än slumpen förklarar, inte för sin plats i ordningen.</figcaption>\n</figure>\n"
            let hotSpots = ranking.areas.filter(\.isHotSpot)
            if !hotSpots.isEmpty {
                out += "<p><strong>Områden som avviker från kommunen som helhet mer än slumpen förklarar:</strong>"
                out += "</p>\n<ul class=\"hot-spots\">\n"
                for area in hotSpots {
                    out += "<li><strong>\(t(area.name))</strong> (\(t(area.code)))"
                    if let value = area.shownValue { out += ": \(number(value, ranking.decimals)) \(t(ranking.unit))" }
                    if let reason = area.hotSpotReason { out += " – \(t(reason))" }
                    out += "</li>\n"
                }
                out += "</ul>\n"
            }
            let hidden = ranking.areas.filter { $0.status != .ok }
            if !hidden.isEmpty {
                out += "<p><strong>Prickade eller saknade områden:</strong></p>\n<ul class=\"suppressed-areas\">\n"
                for area in hidden {
                    let word = HiddenValue(area.status).marker
                    let reason =
                        area.note
                        ?? (area.status == .suppressed
                            ? defaultSuppressionReason : HiddenValue(area.status).defaultReason)
                    out +=
                        "<li>\(t(area.name)) (\(t(area.code))): <span class=\"supp\">\(word)</span> – \(t(reason))</li>\n"
                }
                out += "</ul>\n"
            }
            if let note = ranking.note { out += "<p class=\"small\">\(t(note))</p>\n" }
            out += "</article>\n"
        }
    }

    // MARK: Patterns

    mutating func patterns() {
        guard !data.patterns.isEmpty else {
            empty()
            return
        }
        for patterns in data.patterns { pattern(patterns) }
    }

    /// One indicator's patterns under its own heading: weekday × hour, month, place — those it has.
    mutating func pattern(_ patterns: Patterns) {
        out += "<article class=\"indicator\">\n<h3>\(t(patterns.title))</h3>\n"
        out += "<p>Period: \(t(patterns.period)).</p>\n"
        let cells = patterns.weekdayHour
        if !cells.isEmpty {
            out += "<h4>Veckodag och timme</h4>\n"
            if cells.joined().allSatisfy({ $0.status == .missing }) {
                empty("Det finns inga händelser med veckodag och klockslag i den här körningen.")
            } else if cells.count != 7 || cells.contains(where: { $0.count != 24 }) {
                empty("Mönstret veckodag × timme har fel form (väntade 7 × 24 värden) och visas inte.")
            } else {
                let id = nextChartID()
                let map = SVGHeatMap(
                    title: "\(patterns.title) per veckodag och timme, \(patterns.period)",
                    rowLabels: ReportRenderer.weekdayNames, columnLabels: (0..<24).map { format2($0) },
                    cells: cells, idPrefix: id)
                out += "<figure>\n\(map.render())\n<figcaption>Antal händelser per veckodag och timme (kl. 00–23). "
                out += "Mörkare ruta betyder fler händelser. Randiga rutor är prickade: färre än "
                out += "\(data.suppressionThreshold) händelser.</figcaption>\n</figure>\n"
            }
        }
        let months = patterns.monthOfYear
        if !months.isEmpty {
            out += "<h4>Månad</h4>\n"
            if months.allSatisfy({ $0.status == .missing }) {
                empty("Det finns inga händelser per månad i den här körningen.")
            } else if months.count != 12 {
                empty("Mönstret per månad har fel form (väntade 12 värden) och visas inte.")
            } else {
                let chart = SVGColumnChart(
                    title: "\(patterns.title) per månad, \(patterns.period)", categories: ReportRenderer.monthNames,
                    values: months, unit: "antal")
                out += "<figure>\n\(chart.render())\n"
                out += "<figcaption>Antal händelser per månad, januari–december.</figcaption>\n</figure>\n"
            }
        }
        if !patterns.places.isEmpty { places(patterns) }
        if let note = patterns.note { out += "<p class=\"small\">\(t(note))</p>\n" }
        out += "</article>\n"
    }

    /// Counts by place as a table: few categories, read best as numbers with their share.
    mutating func places(_ patterns: Patterns) {
        out += "<h4>Plats</h4>\n<div class=\"table-wrap\">\n<table>\n"
        out += "<caption>\(t(patterns.title)) efter plats, \(t(patterns.period))</caption>\n"
        out += "<thead><tr><th scope=\"col\">Plats</th><th scope=\"col\" class=\"num\">Antal</th>"
        out += "<th scope=\"col\" class=\"num\">Andel av händelser med känd plats</th></tr></thead>\n<tbody>\n"
        let shown = patterns.places.compactMap { $0.cell.status == .ok ? $0.cell.value : nil }
        // A share is honest only when every place's count is shown: otherwise the total is unknown.
        let total = shown.count == patterns.places.count ? shown.reduce(0, +) : nil
        for place in patterns.places {
            out += "<tr><th scope=\"row\">\(t(place.place))</th>"
            guard place.cell.status == .ok, let value = place.cell.value else {
                let text = place.cell.status == .suppressed ? ".." : "–"
                out += "<td class=\"num\">\(text)</td><td class=\"num\">–</td></tr>\n"
                continue
            }
            out += "<td class=\"num\">\(SwedishFormat.number(value, decimals: 0))</td>"
            let share = total.flatMap { $0 > 0 ? value / $0 * 100 : nil }
            out += "<td class=\"num\">\(share.map { SwedishFormat.percent($0) } ?? "–")</td></tr>\n"
        }
        out += "</tbody>\n</table>\n</div>\n"
    }

    func format2(_ hour: Int) -> String { hour < 10 ? "0\(hour)" : "\(hour)" }

    // MARK: Sources and method

    mutating func sourcesAndMethod() {
        let method = data.sources
        out += "<h3>Källor</h3>\n"
        if method.sources.isEmpty {
            empty("Inga källor är registrerade i den här körningen.")
        } else {
            out +=
                "<div class=\"table-wrap\"><table class=\"sources\">\n<thead><tr><th>Källa och leverantör</th><th>Fil och leverans</th>"
            out += "<th class=\"num\">Rader lästa</th><th class=\"num\">Godkända</th>"
            out += "<th class=\"num\">I karantän</th><th>Status</th></tr></thead>\n<tbody>\n"
            for source in method.sources {
                // The source's id is the pipeline file's identifier (shown as code, as the tools take it).
                out += "<tr><td><strong>\(t(source.supplier))</strong><br>"
                out += "<span class=\"small\">Källa <code>\(t(source.name))</code></span></td>"
                out += "<td><span class=\"file\">\(t(source.fileName))</span><br>"
                out += "<span class=\"small\">Levererad \(t(source.deliveryDate))</span><br>"
                if source.sha256.isEmpty {
                    out += "<span class=\"small\">SHA-256: –</span></td>"
                } else {
                    let short = String(source.sha256.prefix(12))
                    out += "<span class=\"small\">SHA-256: <code title=\"\(HTMLText.escape(source.sha256))\">"
                    out += "\(HTMLText.escape(short))…</code></span></td>"
                }
                out += "<td class=\"num\">\(number(Double(source.rowsRead), 0))"
                out += valuesNote(source.values?.read) + "</td>"
                out += "<td class=\"num\">\(number(Double(source.rowsAccepted), 0))"
                out += valuesNote(source.values.map { $0.read - $0.quarantined }) + "</td>"
                out += "<td class=\"num\">\(number(Double(source.rowsQuarantined), 0))"
                out += valuesNote(source.values?.quarantined) + "</td>"
                out += "<td>\(sourceStatus(source.status))"
                if let note = source.note { out += "<br><span class=\"small\">\(t(note))</span>" }
                if let skipped = source.linesSkipped, skipped > 0 {
                    out += "<br><span class=\"small\">\(SourceTextGroup.skippedNote(skipped))</span>"
                }
                out += "</td></tr>\n"
            }
            out += "</tbody>\n</table></div>\n"
            out += "<p class=\"small\">Rader lästa = godkända + i karantän. En rad räknas i karantän när "
            out += "inläsningen eller normaliseringen avvisade den (i en bred tabell: något av radens värden); "
            out += "för sådana filer står också antalet värden.</p>\n"
            out += "<p class=\"small\">SHA-256 visas förkortad; hela kontrollsumman står i verktygstipset och i "
            out += "körningens logg.</p>\n"
        }
        out += "<h3>Definitioner</h3>\n"
        if method.definitions.isEmpty {
            empty("Inga definitioner är registrerade i den här körningen.")
        } else {
            out += "<dl class=\"definitions\">\n"
            for definition in method.definitions {
                out += "<dt>\(t(definition.term))</dt><dd>\(t(definition.text))</dd>\n"
            }
            out += "</dl>\n"
        }
        out += "<h3>Prickning av små tal</h3>\n"
        out +=
            "<p>Värden som bygger på färre än <strong>\(data.suppressionThreshold)</strong> observationer visas inte "
        out +=
            "utan skrivs ”..” (prickad), så att enskilda personer inte kan pekas ut. Ett prickat värde betyder inte "
        out += "noll.</p>\n"
        if let note = method.suppressionNote { out += "<p>\(t(note))</p>\n" }
        if !method.statisticalMethod.isEmpty {
            out += "<h3>Jämförelser och slumpens roll</h3>\n"
            for sentence in method.statisticalMethod { out += "<p>\(t(sentence))</p>\n" }
        }
        out += "<h3>Vad uppgifterna inte kan visa</h3>\n"
        if method.limitations.isEmpty {
            empty("Inga begränsningar är beskrivna i den här körningen.")
        } else {
            out += "<ul class=\"limitations\">\n"
            for limitation in method.limitations { out += "<li>\(t(limitation))</li>\n" }
            out += "</ul>\n"
        }
    }

    /// A file's values under its rows (a wide row holds several values), or nothing.
    func valuesNote(_ count: Int?) -> String {
        guard let count else { return "" }
        return "<br><span class=\"small\">\(number(Double(count), 0)) värden</span>"
    }

    func sourceStatus(_ status: SourceRecord.Status) -> String {
        switch status {
        case .used: return "<span class=\"badge on-track\">Använd</span>"
        case .partial: return "<span class=\"badge partial\">Använd, rader i karantän</span>"
        case .notUsed: return "<span class=\"badge no-data\">Inte använd</span>"
        case .failed: return "<span class=\"badge off-track\">Kunde inte läsas</span>"
        }
    }

    // MARK: Style

    static let css = """
        :root { color-scheme: light; }
        * { box-sizing: border-box; }
        body { margin: 0; background: #ffffff; color: #1d1d1f; line-height: 1.5; font-size: 16px;
          font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", "DejaVu Sans",
            Arial, sans-serif; }
        main { max-width: 62rem; margin: 0 auto; padding: 1.5rem 1.5rem 3rem; }
        h1 { font-size: 2rem; line-height: 1.2; margin: 0.2rem 0 1rem; }
        h2 { font-size: 1.5rem; margin: 3rem 0 1rem; padding-bottom: 0.3rem; border-bottom: 2px solid #1f5f99; }
        h3 { font-size: 1.15rem; margin: 2rem 0 0.5rem; }
        .kicker { margin: 0; color: #555; text-transform: uppercase; letter-spacing: 0.06em; font-size: 0.8rem; }
        .meta { display: flex; flex-wrap: wrap; gap: 0.5rem 2rem; margin: 0 0 1rem; }
        .meta dt { font-size: 0.8rem; color: #555; }
        .meta dd { margin: 0; font-weight: 600; }
        .toc { background: #f4f6f8; padding: 0.6rem 1rem; border-radius: 4px; }
        .toc .toc-heading { font-size: 1rem; margin: 0 0 0.3rem; border: none; padding: 0; }
        .toc ol { margin: 0; padding-left: 1.4rem; columns: 2; }
        @media (max-width: 600px) { .toc ol { columns: 1; } }  /* two columns ran into each other at 400 px */
        a { color: #1f5f99; }
        p { max-width: 46rem; }
        .small { font-size: 0.85rem; color: #4a4a4a; }
        .definition { margin: 0.2rem 0; }
        /* A table wider than the screen scrolls sideways in its own box; the page itself never does. */
        .table-wrap { max-width: 100%; overflow-x: auto; margin: 0.5rem 0 1rem; }
        table { border-collapse: collapse; width: 100%; font-size: 0.9rem; margin: 0; }
        th, td { padding: 0.3rem 0.5rem; border-bottom: 1px solid #dcdcdc; text-align: left; vertical-align: top; }
        thead th { border-bottom: 2px solid #8a8a8a; background: #f4f6f8; font-weight: 600; }
        tbody th { font-weight: 600; }
        .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        thead th.num { white-space: normal; }
        td.supp, td.missing, span.supp { color: #555; font-style: italic; }
        td.supp { background: repeating-linear-gradient(45deg, #f3f3f3, #f3f3f3 4px, #e6e6e6 4px, #e6e6e6 6px); }
        td.remarks { font-size: 0.85rem; }
        .file { overflow-wrap: anywhere; }
        table.sources .badge { white-space: normal; }
        /* The judgement and its reasons get the room; long headers wrap. */
        table.targets .badge { white-space: normal; }
        table.targets th { white-space: normal; }
        table.targets th.judgement { width: 36%; }
        .flag { font-weight: 600; }
        .better { color: #1b6e2d; font-weight: 600; }
        .worse { color: #b3261e; font-weight: 600; }
        .neutral { color: #555; }
        .badge { display: inline-block; padding: 0.05rem 0.45rem; border-radius: 3px; font-size: 0.85rem;
          font-weight: 600; white-space: nowrap; }
        .badge.on-track { background: #e3f1e6; color: #1b5e20; }
        .badge.off-track { background: #fbe4e2; color: #8c1d18; }
        .badge.no-data { background: #ececec; color: #444; }
        .badge.partial { background: #fff1d6; color: #6b4500; }
        .empty { color: #4a4a4a; font-style: italic; background: #f6f6f6; border-left: 3px solid #b5b5b5;
          padding: 0.6rem 0.8rem; }
        figure { margin: 1rem 0; }
        figcaption { font-size: 0.85rem; color: #4a4a4a; max-width: 46rem; }
        svg.chart { display: block; width: 100%; max-width: 680px; height: auto; font-family: inherit; }
        svg.chart text { fill: #333333; }
        svg.chart text.tick { fill: #4a4a4a; }
        .footnotes { font-size: 0.8rem; color: #4a4a4a; margin-top: -0.5rem; }
        /* On a phone a chart keeps a readable size (labels about 10 px) and scrolls sideways in its figure,
           instead of shrinking its labels to 5 px. */
        @media screen and (max-width: 600px) {
          figure { overflow-x: auto; }
          svg.chart { min-width: 560px; }
          /* The follow-up's judgements need room: the table keeps a readable width and scrolls. */
          table.targets, table.changes { width: auto; }
          table.targets td, table.changes td { min-width: 6.5rem; }
          table.targets td:last-child, table.changes td:last-child { min-width: 17rem; }
        }
        .definitions dt { font-weight: 600; margin-top: 0.5rem; }
        .definitions dd { margin-left: 1.2rem; }
        article { margin-bottom: 2rem; }
        footer { margin-top: 3rem; border-top: 1px solid #dcdcdc; font-size: 0.85rem; color: #555; }
        @page { size: A4; margin: 15mm 14mm; }
        @media print {
          html, body { font-size: 9pt; }
          svg.chart { max-width: 75%; }
          main { max-width: none; padding: 0; }
          .toc { display: none; }
          section.main { break-before: page; }
          section.main:first-of-type { break-before: auto; }
          h2, h3 { break-after: avoid; }
          figure, tr, .hot-spots, .meta { break-inside: avoid; }
          a { color: inherit; text-decoration: none; }
          td.supp { background: none; }
          .table-wrap, figure { overflow: visible; }
        }

        """ + SVGMap.css
}
