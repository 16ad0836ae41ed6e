import Dispatch
import Foundation
import LagesbildModel

/// Renders ``CountyReportData`` as one self-contained HTML5 file in Swedish: the kommuner of a county (or of
/// the country) side by side. Inline CSS and SVG only; every text escaped.
public enum CountyReportRenderer {
    /// Main sections: anchor id and heading, in order.
    public static let sections: [(id: String, heading: String)] = [
        ("sammanfattning", "Sammanfattning"),
        ("kommunerna", "Kommunerna jämförda"),
        ("kallor", "Källor och metod"),
    ]

    public static func render(_ data: CountyReportData) -> String {
        var writer = CountyWriter(data: data)
        writer.document()
        return writer.out
    }

    /// Up to this many kommuner are listed in the summary; more (the whole country) in the method chapter.
    static let summaryTableLimit = 40

    static let extraCSS = """
        /* The ranking is drawn for a phone's width and keeps its size; its labels stay about 11 px there. */
        svg.chart.county-ranking { max-width: 460px; }
        svg.chart.county-ranking text { font-size: 14px; }
        .multiples { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: 0.5rem 1rem; }
        .multiples figure { margin: 0.3rem 0; }
        .multiples svg.chart { max-width: 100%; }
        @media screen and (max-width: 600px) {
          .multiples figure { overflow-x: visible; }
          .multiples svg.chart, svg.chart.county-ranking { min-width: 0; }
          /* The judgement and its numbers keep a readable width; the table scrolls in its box. */
          table.ranking { width: auto; }
          table.ranking td:last-child { min-width: 15rem; }
        }
        .deviation { font-weight: 600; }
        @media print {
          .multiples { grid-template-columns: repeat(3, 1fr); }
          .multiples figure { break-inside: avoid; }
          h4 { break-after: avoid; }
        }

        """
}

private struct CountyWriter {
    let data: CountyReportData
    var out = ""

    func t(_ text: String) -> String { HTMLText.safe(text) }

    func number(_ value: Double?, _ decimals: Int) -> String {
        value.map { SwedishFormat.number($0, decimals: decimals) } ?? "–"
    }

    func list(_ names: [String]) -> String {
        names.count > 1
            ? names.dropLast().joined(separator: ", ") + " och " + names[names.count - 1] : names.first ?? ""
    }

    func deviationText(_ deviation: CountyDeviation) -> String {
        switch deviation {
        case .higher: return "signifikant högre än \(data.reference.definite)"
        case .lower: return "signifikant lägre än \(data.reference.definite)"
        case .withinNoise: return "inom slumpens variation"
        case .notTestable: return "kan inte prövas"
        }
    }

    mutating func document() {
        out += "<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<title>\(t(data.title))</title>\n<style>\n\(ReportRenderer.stylesheet)\(CountyReportRenderer.extraCSS)"
        out += "</style>\n</head>\n<body>\n<main data-report=\"county\">\n"
        header()
        section(0) { $0.summary() }
        section(1) { writer in
            if writer.data.indicators.isEmpty {
                writer.out += "<p class=\"empty\">\(writer.t(ReportRenderer.noDataSentence))</p>\n"
            }
            for article in writer.articles() { writer.out += article }
        }
        section(2) { $0.method() }
        out += "<footer><p>Rapporten är skapad av Lagesbild, körning \(t(data.runID)), \(t(data.generatedAt)). "
        out += "Alla tal som visas som ”..” är prickade och har utelämnats med avsikt.</p></footer>\n"
        out += "</main>\n</body>\n</html>\n"
    }

    /// Each indicator's article, in order. The articles depend only on their indicator and the report's
    /// settings, so they are written side by side on the machine's cores (at country scope, 290 small
    /// charts each).
    func articles() -> [String] {
        let indicators = data.indicators
        let articles = Articles(count: indicators.count)
        DispatchQueue.concurrentPerform(iterations: indicators.count) { index in
            var writer = CountyWriter(data: data)
            writer.indicator(indicators[index])
            articles.set(index, writer.out)
        }
        return articles.all
    }

    mutating func header() {
        out += "<header class=\"report-header\">\n<p class=\"kicker\">Lägesbild enligt lag (2023:196)</p>\n"
        out += "<h1>\(t(data.title))</h1>\n<dl class=\"meta\">\n"
        let area = data.reference.kind == .county ? "Län" : "Område"
        out += "<div><dt>\(area)</dt><dd>\(t(data.reference.name))</dd></div>\n"
        out += "<div><dt>Kommuner</dt><dd>\(data.municipalities.count)</dd></div>\n"
        out += "<div><dt>Genererad</dt><dd>\(t(data.generatedAt))</dd></div>\n"
        out += "<div><dt>Körning</dt><dd><code>\(t(data.runID))</code></dd></div>\n"
        out +=
            "<div><dt>Prickningsgräns</dt><dd>Färre än \(data.suppressionThreshold) observationer visas inte</dd></div>\n"
        out += "</dl>\n<nav class=\"toc\" aria-label=\"Innehåll\"><h2 class=\"toc-heading\">Innehåll</h2><ol>\n"
        for (id, heading) in CountyReportRenderer.sections { out += "<li><a href=\"#\(id)\">\(t(heading))</a></li>\n" }
        out += "</ol></nav>\n</header>\n"
    }

    mutating func section(_ index: Int, _ body: (inout CountyWriter) -> Void) {
        let (id, heading) = CountyReportRenderer.sections[index]
        out += "<section class=\"main\" id=\"\(id)\">\n<h2>\(t(heading))</h2>\n"
        body(&self)
        out += "</section>\n"
    }

    mutating func summary() {
        let names = data.municipalities.map(\.name)
        out += "<p>Rapporten jämför \(data.municipalities.count) kommuner i \(t(data.reference.name)): "
        out += "\(t(list(names))). För varje indikator rangordnas kommunerna efter sin nivå det senaste året, med "
        out +=
            "95 % osäkerhetsintervall. En kommun markeras bara när den skiljer sig från \(t(data.reference.definite)) "
        out += "mer än slumpen förklarar, aldrig för sin plats i ordningen.</p>\n"
        // A long list of kommuner (the whole country) would fill the summary: it stands in the method chapter.
        if data.municipalities.count <= CountyReportRenderer.summaryTableLimit {
            municipalityTable()
        } else {
            out += "<p>Förteckningen över kommunerna står under <a href=\"#kallor\">Källor och metod</a>.</p>\n"
        }
        out += "<h3>Kommuner som skiljer sig från \(t(data.reference.definite))</h3>\n"
        var any = false
        out += "<ul class=\"deviations\">\n"
        for indicator in data.indicators {
            let marked = indicator.ranking.filter { $0.deviation == .higher || $0.deviation == .lower }
            guard !marked.isEmpty else { continue }
            any = true
            let parts = marked.map { "\($0.name) \(deviationText($0.deviation))" }
            out += "<li><a href=\"#lan-\(t(indicator.id))\">\(t(indicator.title))</a>, \(t(indicator.period)): "
            out += "\(t(list(parts))).</li>\n"
        }
        out += "</ul>\n"
        if !any {
            out += "<p>Ingen kommun skiljer sig från \(t(data.reference.definite)) mer än slumpen förklarar.</p>\n"
        }
    }

    mutating func municipalityTable() {
        let groups = data.municipalities.filter { $0.group != nil }
        out += "<div class=\"table-wrap\"><table class=\"municipalities\">\n"
        out += "<caption>Kommunerna i rapporten</caption>\n<thead><tr><th scope=\"col\">Kommun</th>"
        out += "<th scope=\"col\">Kommunkod</th>"
        if !groups.isEmpty { out += "<th scope=\"col\">Kommungrupp (SKR)</th>" }
        out += "</tr></thead>\n<tbody>\n"
        for municipality in data.municipalities {
            out += "<tr><th scope=\"row\">\(t(municipality.name))</th><td>\(t(municipality.code))</td>"
            if !groups.isEmpty { out += "<td>\(t(municipality.group ?? "–"))</td>" }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table></div>\n"
    }

    mutating func indicator(_ indicator: CountyIndicator) {
        let d = indicator.decimals
        out += "<article class=\"county-indicator\" id=\"lan-\(t(indicator.id))\">\n<h3>\(t(indicator.title))</h3>\n"
        out += "<p class=\"definition\">\(t(indicator.definition))</p>\n"
        let unit = indicator.unit.hasSuffix(".") ? indicator.unit : indicator.unit + "."
        out += "<p class=\"small\">Enhet: \(t(unit)) "
        out += "\(indicator.better == .lower ? "Lägre är bättre" : "Högre är bättre").</p>\n"
        // Ranking.
        out += "<h4>Kommunerna rangordnade, \(t(indicator.period))</h4>\n"
        let chart = CountyRankingChart(
            title: "\(indicator.title) per kommun \(indicator.period), \(indicator.unit)", entries: indicator.ranking,
            referenceName: data.reference.name, referenceValue: indicator.referenceValue, unit: indicator.unit,
            decimals: d)
        out += "<figure>\n\(chart.render())\n<figcaption>Kommunerna ordnade efter värde, högst först, med 95 % "
        out += "osäkerhetsintervall (exakt Poisson). Den streckade linjen är \(t(data.reference.name)) som helhet. "
        out += "Romb: signifikant högre än \(t(data.reference.definite)); kvadrat: signifikant lägre. "
        out += "Tabellen nedan har samma uppgifter.</figcaption>\n</figure>\n"
        out += "<div class=\"table-wrap\"><table class=\"ranking\">\n"
        out += "<caption>\(t(indicator.title)) per kommun \(t(indicator.period)), \(t(indicator.unit))</caption>\n"
        out += "<thead><tr><th scope=\"col\" class=\"num\">Plats</th><th scope=\"col\">Kommun</th>"
        out += "<th scope=\"col\" class=\"num\">Värde</th><th scope=\"col\" class=\"num\">95 % intervall</th>"
        out += "<th scope=\"col\">Jämfört med \(t(data.reference.definite))</th></tr></thead>\n<tbody>\n"
        var place = 0
        for entry in indicator.ranking {
            let shown = entry.status == .ok && entry.value != nil
            if shown { place += 1 }
            out += "<tr><td class=\"num\">\(shown ? String(place) : "–")</td><th scope=\"row\">\(t(entry.name))</th>"
            if shown {
                out += "<td class=\"num\">\(number(entry.value, d))</td>"
                let interval =
                    entry.low != nil && entry.high != nil ? "\(number(entry.low, d))–\(number(entry.high, d))" : "–"
                out += "<td class=\"num\">\(interval)</td>"
                let marked = entry.deviation == .higher || entry.deviation == .lower
                out += "<td\(marked ? " class=\"deviation\"" : "")>\(t(deviationText(entry.deviation)))"
                if let note = entry.note { out += "<br><span class=\"small\">\(t(note))</span>" }
                out += "</td></tr>\n"
            } else {
                let hidden = HiddenValue(entry.status)
                out += "<td class=\"num \(entry.status == .suppressed ? "supp" : "missing")\">\(t(hidden.marker))</td>"
                out += "<td class=\"num\">–</td><td>\(t(entry.note ?? hidden.defaultReason))</td></tr>\n"
            }
        }
        out += "<tr><td class=\"num\">–</td><th scope=\"row\">\(t(data.reference.name)) som helhet</th>"
        out += "<td class=\"num\">\(number(indicator.referenceValue, d))</td><td class=\"num\">"
        if indicator.referenceLow != nil, indicator.referenceHigh != nil {
            out += "\(number(indicator.referenceLow, d))–\(number(indicator.referenceHigh, d))"
        } else {
            out += "–"
        }
        out += "</td><td>jämförelsenivå</td></tr>\n</tbody>\n</table></div>\n"
        // Small multiples.
        out += "<h4>Utvecklingen i varje kommun</h4>\n<div class=\"multiples\">\n"
        let reference = Dictionary(
            indicator.referenceSeries.map { ($0.period, $0) }, uniquingKeysWith: { first, _ in first })
        for trend in indicator.trends {
            let byPeriod = Dictionary(trend.points.map { ($0.period, $0) }, uniquingKeysWith: { first, _ in first })
            let small = SVGLineChart(
                title: "\(indicator.title): \(trend.name) och \(data.reference.name), \(indicator.unit)",
                categories: indicator.periods,
                series: [
                    SVGLineChart.Series(name: trend.name, points: indicator.periods.map { point(byPeriod[$0]) }),
                    SVGLineChart.Series(
                        name: data.reference.name, points: indicator.periods.map { point(reference[$0]) },
                        color: ChartPalette.county, dashed: true),
                ], unit: "", decimals: d, width: 340, height: 230)
            out += "<figure>\n\(small.render())\n<figcaption>\(t(trend.name)): "
            let values = indicator.periods.compactMap { period -> String? in
                guard let point = byPeriod[period], point.status == .ok, let value = point.value else { return nil }
                return "\(period) \(number(value, d))"
            }
            out += values.isEmpty ? "inga värden" : t(values.joined(separator: ", "))
            out += ".</figcaption>\n</figure>\n"
        }
        out += "</div>\n"
        // County, country and group lines from the comparison source.
        if !indicator.comparisons.isEmpty {
            out += "<h4>\(t(data.reference.name)), riket och kommungruppen</h4>\n"
            let palette = [ChartPalette.county, ChartPalette.country, ChartPalette.other, ChartPalette.municipality]
            let maps = indicator.comparisons.map { series in
                Dictionary(series.points.map { ($0.period, $0) }, uniquingKeysWith: { first, _ in first })
            }
            let lines = indicator.comparisons.enumerated().map { index, series in
                SVGLineChart.Series(
                    name: series.name, points: indicator.periods.map { point(maps[index][$0]) },
                    color: palette[index % palette.count], dashed: index > 0)
            }
            let chart = SVGLineChart(
                title: "\(indicator.title): jämförelser, \(indicator.unit)", categories: indicator.periods,
                series: lines, unit: indicator.unit, decimals: d)
            out += "<figure>\n\(chart.render())\n<figcaption>\(t(list(indicator.comparisons.map(\.name)))) per år"
            out += ".</figcaption>\n</figure>\n"
            out += "<div class=\"table-wrap\"><table class=\"series\">\n<caption>\(t(indicator.title)): jämförelser"
            out += "</caption>\n<thead><tr><th scope=\"col\">År</th>"
            for series in indicator.comparisons { out += "<th scope=\"col\" class=\"num\">\(t(series.name))</th>" }
            out += "</tr></thead>\n<tbody>\n"
            var footnotes: [String] = []
            for period in indicator.periods {
                out += "<tr><th scope=\"row\">\(t(period))</th>"
                for map in maps {
                    if let point = map[period], point.status == .ok, let value = point.value {
                        out += "<td class=\"num\">\(number(value, d))</td>"
                    } else {
                        let hidden = HiddenValue(map[period]?.status ?? .missing)
                        footnotes.append("\(period): \(map[period]?.note ?? hidden.defaultReason)")
                        out += "<td class=\"num missing\">\(t(hidden.marker))<sup>\(footnotes.count)</sup></td>"
                    }
                }
                out += "</tr>\n"
            }
            out += "</tbody>\n</table></div>\n"
            if !footnotes.isEmpty {
                out += "<ol class=\"footnotes\">\n"
                for note in footnotes { out += "<li>\(t(note))</li>\n" }
                out += "</ol>\n"
            }
        }
        for note in indicator.notes { out += "<p class=\"small comparison-note\">\(t(note))</p>\n" }
        out += "</article>\n"
    }

    func point(_ point: SeriesPoint?) -> SVGLineChart.Point {
        guard let point else { return SVGLineChart.Point(value: nil, status: .missing) }
        return SVGLineChart.Point(value: point.value, status: point.status, note: point.note)
    }

    mutating func method() {
        for paragraph in data.method { out += "<p>\(t(paragraph))</p>\n" }
        if data.municipalities.count > CountyReportRenderer.summaryTableLimit {
            out += "<h3>Kommunerna</h3>\n"
            municipalityTable()
        }
        out += "<h3>Leveranser</h3>\n"
        if data.sources.isEmpty {
            out += "<p class=\"empty\">\(t(ReportRenderer.noDataSentence))</p>\n"
            return
        }
        out += "<div class=\"table-wrap\"><table class=\"sources\">\n<caption>Levererade filer som körningen läste"
        out += "</caption>\n<thead><tr><th scope=\"col\">Fil</th><th scope=\"col\">Leverantör</th>"
        out += "<th scope=\"col\" class=\"num\">Rader lästa</th><th scope=\"col\" class=\"num\">Rader i karantän</th>"
        out += "</tr></thead>\n<tbody>\n"
        for source in data.sources {
            out += "<tr><th scope=\"row\" class=\"file\">\(t(source.fileName))</th><td>\(t(source.supplier))</td>"
            out += "<td class=\"num\">\(source.rowsRead)</td><td class=\"num\">\(source.rowsQuarantined)</td></tr>\n"
        }
        out += "</tbody>\n</table></div>\n"
    }
}

/// The articles written side by side, each into its own place.
private final class Articles: @unchecked Sendable {
    private let lock = NSLock()
    private var texts: [String]

    init(count: Int) { texts = Array(repeating: "", count: count) }

    func set(_ index: Int, _ text: String) {
        lock.lock()
        defer { lock.unlock() }
        texts[index] = text
    }

    var all: [String] {
        lock.lock()
        defer { lock.unlock() }
        return texts
    }
}
