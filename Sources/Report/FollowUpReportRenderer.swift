/// Renders ``FollowUpReportData`` as one self-contained HTML5 file in Swedish: the follow-up of the action plan
/// for the kommunstyrelse (`uppfoljning.html`).
///
/// A summary first (targets by judgement, measures by status, overdue reports, what changed since the previous
/// follow-up), then each prioritised problem with its cause analysis, its targets (trend chart and judgement)
/// and its measures (production, process, effect, hours and cost), the citizen promises and the method. Inline
/// CSS and SVG only, like the lägesbild; every text from the data is escaped and personal identity numbers are
/// masked. An effect is worded as an indication, never as proof, and noise is never coloured green or red.
public enum FollowUpReportRenderer {
    /// The whole report as an HTML document.
    public static func render(_ data: FollowUpReportData) -> String {
        var writer = FollowUpWriter(data: data)
        writer.document()
        return writer.out
    }

    /// Said in place of problems, measures and citizen promises when the plan is not in the workspace.
    public static let planMissingSentence =
        "Åtgärdsplanens prioriterade problem, insatser och medborgarlöften finns inte i den här körningens "
        + "arbetsyta, så de kan inte följas upp här. Målen följs upp ändå."

    /// Added to ``planMissingSentence`` when the pipeline file names no action plan.
    public static let planNotDeclaredSentence =
        "Pipelinefilen anger ingen åtgärdsplan (action_plan:); ange den och kör om pipelinen."

    /// Said when no owner has reported on any measure.
    public static let noReportsSentence =
        "Inga lägesrapporter från insatsernas ägare finns i den här körningen, så genomförande, timmar och kostnader "
        + "kan inte följas upp ännu."

    /// Said when there is no earlier follow-up to compare with.
    public static let firstFollowUpSentence =
        "Det här är den första uppföljningen: det finns ingen tidigare uppföljning att jämföra med."

    /// The caveat every effect carries.
    public static let effectCaveat =
        "Det är en indikation, inte ett bevis på att insatsen gav effekt – regression mot medelvärdet (områden "
        + "väljs ofta efter ett dåligt år) och förflyttning av brott till närliggande områden kan spela in."

    /// The judgement's badge text in Swedish.
    public static func statusText(_ status: TargetStatus) -> String {
        switch status {
        case .reached: return "Målet är nått"
        case .onTheWay: return "På väg mot målet"
        case .notOnTheWay: return "Inte på väg mot målet"
        case .tooUncertain: return "För osäkert att säga"
        case .tooLittleData: return "För lite data"
        }
    }

    /// The judgements in the order the summary counts them.
    public static let statusOrder: [TargetStatus] = [.reached, .onTheWay, .notOnTheWay, .tooUncertain, .tooLittleData]
    /// The measure statuses in the order the summary counts them.
    public static let progressOrder: [MeasureProgress] = [.done, .ongoing, .delayed, .notStarted, .cancelled]
}

private struct FollowUpWriter {
    let data: FollowUpReportData
    var out = ""

    init(data: FollowUpReportData) {
        self.data = data
        out.reserveCapacity(200_000)
    }

    func t(_ text: String) -> String { HTMLText.safe(text) }

    func number(_ value: Double?, _ decimals: Int) -> String {
        value.map { SwedishFormat.number($0, decimals: decimals) } ?? "–"
    }

    /// A count of outputs: whole numbers as they are, a share of a year's plan with one decimal.
    func count(_ value: Double?) -> String {
        guard let value else { return "–" }
        return number(value, value == value.rounded() ? 0 : 1)
    }

    /// An id attribute value from a data id: letters, digits and hyphens.
    func slug(_ text: String) -> String {
        String(text.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" })
    }

    var planMissing: Bool { data.problems.isEmpty && data.measures.isEmpty }

    /// What to say when the plan is missing.
    var planMissingText: String {
        FollowUpReportRenderer.planMissingSentence
            + (data.planTitle == nil ? " " + FollowUpReportRenderer.planNotDeclaredSentence : "")
    }

    /// Main sections: anchor id and heading, in order.
    var sections: [(id: String, heading: String)] {
        var sections = [("sammanfattning", "Sammanfattning")]
        for problem in data.problems.sorted(by: { $0.priority < $1.priority }) {
            sections.append(("problem-\(slug(problem.id))", "Prioritet \(problem.priority): \(problem.title)"))
        }
        if !data.targetsOutsideProblems.isEmpty {
            sections.append(
                ("ovriga-mal", planMissing ? "Målen" : "Mål som inte hör till ett prioriterat problem"))
        }
        sections.append(("medborgarloften", "Medborgarlöften"))
        sections.append(("metod", "Så bedöms målen och insatserna"))
        return sections
    }

    // MARK: Document

    mutating func document() {
        out += "<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<title>\(t(data.title))</title>\n<style>\n\(ReportRenderer.stylesheet)\(Self.css)</style>\n"
        out += "</head>\n<body>\n<main>\n"
        header()
        for (id, heading) in sections {
            out += "<section class=\"main\" id=\"\(id)\">\n<h2>\(t(heading))</h2>\n"
            switch id {
            case "sammanfattning": summary()
            case "ovriga-mal": targets(data.targetsOutsideProblems, context: "ovriga")
            case "medborgarloften": citizenPromises()
            case "metod": method()
            default:
                if let problem = data.problems.first(where: { "problem-\(slug($0.id))" == id }) {
                    self.problem(problem)
                }
            }
            out += "</section>\n"
        }
        out += "<footer><p>Rapporten är skapad av Lagesbild, körning \(t(data.runID)), \(t(data.generatedAt)). "
        out +=
            "Den bygger enbart på arbetsytans tabeller; alla bedömningar har 95 % osäkerhetsintervall.</p></footer>\n"
        out += "</main>\n</body>\n</html>\n"
    }

    mutating func header() {
        let municipality = data.municipality
        out += "<header class=\"report-header\">\n<p class=\"kicker\">Uppföljning enligt lag (2023:196)</p>\n"
        out += "<h1>\(t(data.title))</h1>\n<dl class=\"meta\">\n"
        var place = "\(municipality.name) (kommunkod \(municipality.code))"
        if let county = municipality.county { place += ", \(county)" }
        out += "<div><dt>Kommun</dt><dd>\(t(place))</dd></div>\n"
        if let plan = data.planTitle {
            out += "<div><dt>Åtgärdsplan</dt><dd>\(t(plan))"
            if let adopted = data.planAdopted { out += ", antagen \(t(adopted))" }
            out += "</dd></div>\n"
        }
        out += "<div><dt>Genererad</dt><dd>\(t(data.generatedAt))</dd></div>\n"
        out += "<div><dt>Körning</dt><dd><code>\(t(data.runID))</code></dd></div>\n"
        out += "</dl>\n<nav class=\"toc\" aria-label=\"Innehåll\"><h2 class=\"toc-heading\">Innehåll</h2><ol>\n"
        for (id, heading) in sections { out += "<li><a href=\"#\(id)\">\(t(heading))</a></li>\n" }
        out += "</ol></nav>\n</header>\n"
    }

    mutating func empty(_ sentence: String) {
        out += "<p class=\"empty\">\(t(sentence))</p>\n"
    }

    mutating func openTable(_ className: String, caption: String) {
        out += "<div class=\"table-wrap\"><table class=\"\(className)\">\n<caption>\(t(caption))</caption>\n"
    }

    mutating func closeTable() { out += "</table></div>\n" }

    // MARK: Summary

    mutating func summary() {
        out += "<h3>Målen</h3>\n"
        if data.targets.isEmpty {
            empty("Det finns inga mål att följa upp i den här körningen.")
        } else {
            let count = data.targets.count
            out += "<p>\(count == 1 ? "Ett mål följs" : "\(count) mål följs") upp. Så här bedöms de:</p>\n"
            out += "<ul class=\"counts\">\n"
            for status in FollowUpReportRenderer.statusOrder {
                out += "<li>\(badge(status)) <strong>\(data.count(status))</strong></li>\n"
            }
            out += "</ul>\n"
        }

        out += "<h3>Insatserna</h3>\n"
        if planMissing {
            empty(planMissingText)
        } else if data.measures.isEmpty {
            empty("Åtgärdsplanen har inga insatser eller medborgarlöften.")
        } else {
            let promises = data.citizenPromises.count
            out += "<p>Åtgärdsplanen har \(data.measures.count - promises) insatser och \(promises) "
            out += "\(promises == 1 ? "medborgarlöfte" : "medborgarlöften"). Deras senast rapporterade status:</p>\n"
            out += "<ul class=\"counts\">\n"
            for status in FollowUpReportRenderer.progressOrder {
                out += "<li>\(progressBadge(status)) <strong>\(data.count(status))</strong></li>\n"
            }
            let unreported = data.count(nil as MeasureProgress?)
            if unreported > 0 { out += "<li>\(progressBadge(nil)) <strong>\(unreported)</strong></li>\n" }
            out += "</ul>\n"
            if data.measures.allSatisfy({ $0.status == nil && $0.production.isEmpty && $0.resources.isEmpty }) {
                empty(FollowUpReportRenderer.noReportsSentence)
            }
            let overdue = data.measures.filter(\.reportMissing)
            if overdue.isEmpty {
                out += "<p>Alla ägare har rapporterat för den senaste perioden.</p>\n"
            } else {
                out += "<p><strong>\(overdue.count == 1 ? "En rapport saknas" : "\(overdue.count) rapporter saknas")"
                out += "</strong> för den senaste perioden:</p>\n<ul class=\"overdue\">\n"
                for measure in overdue {
                    out += "<li>\(t(measure.title)) – \(t(measure.owner))</li>\n"
                }
                out += "</ul>\n"
            }
        }

        out += "<h3>Sedan förra uppföljningen</h3>\n"
        guard let previous = data.previous else {
            out += "<p>\(t(FollowUpReportRenderer.firstFollowUpSentence))</p>\n"
            return
        }
        let when = "körning \(previous.runID), \(previous.publishedAt)"
        if previous.changes.isEmpty {
            out += "<p>Inget mål har fått en ny bedömning sedan förra uppföljningen (\(t(when))).</p>\n"
            return
        }
        out += "<p>Jämfört med förra uppföljningen (\(t(when))) har \(previous.changes.count) "
        out +=
            "\(previous.changes.count == 1 ? "mål" : "mål") ändrats; \(previous.unchanged) har samma bedömning.</p>\n"
        openTable("changes", caption: "Mål med ändrad bedömning sedan förra uppföljningen")
        out += "<thead><tr><th scope=\"col\">Mål</th><th scope=\"col\">Förra uppföljningen</th>"
        out += "<th scope=\"col\">Nu</th></tr></thead>\n<tbody>\n"
        for change in previous.changes {
            out += "<tr><th scope=\"row\">\(t(change.name.isEmpty ? change.targetID : change.name))</th>"
            out += "<td>\(changeCell(change.before, period: change.periodBefore, missing: "nytt mål"))</td>"
            out += "<td>\(changeCell(change.after, period: change.periodAfter, missing: "följs inte längre upp"))</td>"
            out += "</tr>\n"
        }
        out += "</tbody>\n"
        closeTable()
    }

    func changeCell(_ status: TargetStatus?, period: String?, missing: String) -> String {
        guard let status else { return "<span class=\"neutral\">\(t(missing))</span>" }
        var cell = badge(status)
        if let period { cell += "<br><span class=\"small\">senaste värde \(t(period))</span>" }
        return cell
    }

    func badge(_ status: TargetStatus) -> String {
        let text = FollowUpReportRenderer.statusText(status)
        switch status {
        case .reached: return "<span class=\"badge on-track\">✓ \(text)</span>"
        case .onTheWay: return "<span class=\"badge on-track\">\(text)</span>"
        case .notOnTheWay: return "<span class=\"badge off-track\">✗ \(text)</span>"
        // Within the noise or too few values: never coloured as progress or failure.
        case .tooUncertain: return "<span class=\"badge no-data\">\(text)</span>"
        case .tooLittleData: return "<span class=\"badge no-data\">\(text)</span>"
        }
    }

    func progressBadge(_ status: MeasureProgress?) -> String {
        guard let status else { return "<span class=\"badge no-data\">Ingen rapport</span>" }
        switch status {
        case .done: return "<span class=\"badge done\">\(status.swedish)</span>"
        case .ongoing: return "<span class=\"badge ongoing\">\(status.swedish)</span>"
        case .delayed: return "<span class=\"badge partial\">\(status.swedish)</span>"
        case .notStarted: return "<span class=\"badge no-data\">\(status.swedish)</span>"
        case .cancelled: return "<span class=\"badge off-track\">\(status.swedish)</span>"
        }
    }

    // MARK: Problems

    mutating func problem(_ problem: ProblemFollowUp) {
        if !problem.areas.isEmpty {
            out += "<p class=\"small\">Område: \(t(problem.areas.joined(separator: ", ")))</p>\n"
        }
        out += "<h3>Orsaksanalys</h3>\n"
        if problem.causeAnalysis == nil && problem.causeAnalysisLink == nil {
            empty("Ingen orsaksanalys är angiven för problemet.")
        }
        if let analysis = problem.causeAnalysis { out += "<p>\(t(analysis))</p>\n" }
        if let link = problem.causeAnalysisLink {
            out += "<p><a href=\"\(t(link))\">Hela orsaksanalysen</a> <span class=\"small\">(\(t(link)))</span></p>\n"
        }

        out += "<h3>Mål</h3>\n"
        let targets = problem.targetIDs.compactMap { data.target($0) }
        if targets.isEmpty {
            empty("Inga mål är kopplade till problemet, så dess utveckling följs inte upp mot ett mål.")
        } else {
            self.targets(targets, context: slug(problem.id), headingLevel: 4)
        }

        out += "<h3>Insatser</h3>\n"
        let measures = problem.measureIDs.compactMap { data.measure($0) }
        if measures.isEmpty {
            empty("Inga insatser är beslutade mot problemet.")
            return
        }
        for measure in measures { self.measure(measure, context: slug(problem.id)) }

        out += "<h3>Timmar och kostnad</h3>\n"
        resources(measures)
    }

    // MARK: Targets

    mutating func targets(_ targets: [JudgedTarget], context: String, headingLevel: Int = 3) {
        for target in targets { self.target(target, context: context, headingLevel: headingLevel) }
    }

    mutating func target(_ target: JudgedTarget, context: String, headingLevel: Int) {
        let followUp = target.followUp
        let d = followUp.decimals
        let h = "h\(headingLevel)"
        out += "<article class=\"target\" id=\"mal-\(context)-\(slug(target.id))\">\n"
        out += "<\(h)>\(t(target.name.isEmpty ? followUp.indicatorTitle : target.name))</\(h)>\n"
        out += "<p class=\"small\">"
        if followUp.commitment == .citizenPromise { out += "<span class=\"tag promise\">Medborgarlöfte</span> " }
        out += "Indikator: \(t(followUp.indicatorTitle)) (\(t(followUp.unit))). "
        out += "\(followUp.better == .lower ? "Lägre" : "Högre") är bättre.</p>\n"

        out += "<p class=\"judgement\">\(badge(followUp.status))"
        if let note = followUp.note { out += " \(t(note))" }
        out += "</p>\n"

        out += "<dl class=\"key-figures\">\n"
        out += "<div><dt>Utgångsläge \(followUp.baselineYear)</dt><dd>"
        out += followUp.baselineValue.map { number($0, d) } ?? "saknas"
        out += "</dd></div>\n"
        out += "<div><dt>Mål \(followUp.targetYear)</dt><dd>\(number(followUp.targetValue, d))</dd></div>\n"
        if let latest = followUp.latestValue {
            out += "<div><dt>Senaste värde \(t(followUp.latestPeriod ?? ""))</dt><dd>\(number(latest, d))"
            if let low = target.latestLow, let high = target.latestHigh {
                out += " <span class=\"small\">(95 % intervall \(number(low, d))–\(number(high, d)))</span>"
            }
            out += "</dd></div>\n"
        } else {
            out += "<div><dt>Senaste värde</dt><dd>saknas</dd></div>\n"
        }
        if let projected = target.projectedValue {
            out += "<div><dt>Trenden ger år \(followUp.targetYear)</dt><dd>\(number(projected, d))"
            if let low = target.projectedLow, let high = target.projectedHigh {
                out += " <span class=\"small\">(95 % intervall \(number(low, d))–\(number(high, d)))</span>"
            }
            out += "</dd></div>\n"
        }
        out += "</dl>\n"
        if let source = followUp.baselineSource {
            out += "<p class=\"small\">Utgångsläget är angivet i planen; källa: \(t(source)).</p>\n"
        } else if followUp.baselineValue != nil {
            out += "<p class=\"small\">Utgångsläget är indikatorns eget värde för \(followUp.baselineYear).</p>\n"
        }
        chart(target)
        out += "</article>\n"
    }

    /// The straight path's value in `year`, from the baseline to the target.
    func expected(_ followUp: TargetFollowUp, year: Int) -> Double? {
        guard let baseline = followUp.baselineValue, followUp.targetYear > followUp.baselineYear,
            year >= followUp.baselineYear
        else { return nil }
        let progress = min(
            Double(year - followUp.baselineYear) / Double(followUp.targetYear - followUp.baselineYear), 1)
        return baseline + (followUp.targetValue - baseline) * progress
    }

    mutating func chart(_ target: JudgedTarget) {
        let followUp = target.followUp
        let d = followUp.decimals
        let points = target.series.compactMap { point -> SVGTargetChart.Point? in
            guard let year = Int(point.period) else { return nil }
            var low = point.status == .ok ? point.ciLow : nil
            var high = point.status == .ok ? point.ciHigh : nil
            if low == nil, point.period == followUp.latestPeriod {
                low = target.latestLow
                high = target.latestHigh
            }
            return SVGTargetChart.Point(year: year, value: point.shownValue, low: low, high: high)
        }
        if points.allSatisfy({ $0.value == nil }) {
            empty("Indikatorn har inga värden för målets område ännu, så det finns inget diagram.")
            return
        }
        let chart = SVGTargetChart(
            title: "\(followUp.indicatorTitle): utveckling och mål \(followUp.targetYear)", points: points,
            baselineYear: followUp.baselineYear, baselineValue: followUp.baselineValue,
            targetYear: followUp.targetYear, targetValue: followUp.targetValue, projectedValue: target.projectedValue,
            projectedLow: target.projectedLow, projectedHigh: target.projectedHigh, unit: followUp.unit, decimals: d)
        out += "<figure>\n\(chart.render())\n<figcaption>\(t(followUp.indicatorTitle)) per år med 95 % "
        out += "osäkerhetsintervall (det skuggade bandet), den raka vägen från utgångsläget \(followUp.baselineYear) "
        out += "till målet \(followUp.targetYear)"
        if target.projectedValue != nil { out += " och trenden framskriven till målåret med sitt intervall" }
        out += ". Prickade och saknade år bryter linjen.</figcaption>\n</figure>\n"

        // The text alternative: the chart's numbers as a table.
        out += "<details class=\"chart-data\"><summary>Diagrammets värden som tabell</summary>\n"
        openTable("series", caption: "\(followUp.indicatorTitle) per år, med den raka vägen till målet")
        out += "<thead><tr><th scope=\"col\">År</th><th scope=\"col\" class=\"num\">Värde</th>"
        out +=
            "<th scope=\"col\" class=\"num\">95 % intervall</th><th scope=\"col\" class=\"num\">Rak väg till målet</th>"
        out += "</tr></thead>\n<tbody>\n"
        for (point, source) in zip(points, target.series.filter { Int($0.period) != nil }) {
            out += "<tr><th scope=\"row\">\(point.year)</th>"
            if let value = point.value {
                out += "<td class=\"num\">\(number(value, d))</td>"
            } else {
                out += "<td class=\"num supp\">\(source.status == .suppressed ? ".. prickad" : "saknas")</td>"
            }
            if let low = point.low, let high = point.high, point.value != nil {
                out += "<td class=\"num\">\(number(low, d))–\(number(high, d))</td>"
            } else {
                out += "<td class=\"num\">–</td>"
            }
            out += "<td class=\"num\">\(number(expected(followUp, year: point.year), d))</td></tr>\n"
        }
        out += "<tr><th scope=\"row\">\(followUp.targetYear) (mål)</th><td class=\"num\">"
        out += "\(number(followUp.targetValue, d))</td><td class=\"num\">–</td><td class=\"num\">"
        out += "\(number(followUp.targetValue, d))</td></tr>\n"
        if let projected = target.projectedValue {
            out += "<tr><th scope=\"row\">\(followUp.targetYear) (trenden)</th>"
            out += "<td class=\"num\">\(number(projected, d))</td><td class=\"num\">"
            if let low = target.projectedLow, let high = target.projectedHigh {
                out += "\(number(low, d))–\(number(high, d))"
            } else {
                out += "–"
            }
            out += "</td><td class=\"num\">–</td></tr>\n"
        }
        out += "</tbody>\n"
        closeTable()
        out += "</details>\n"
    }

    // MARK: Measures

    mutating func measure(_ measure: MeasureFollowUp, context: String) {
        out += "<article class=\"measure\" id=\"insats-\(context)-\(slug(measure.id))\">\n"
        out += "<h4>\(t(measure.title))</h4>\n"
        if measure.kind == .citizenPromise {
            out += "<p><span class=\"tag promise\">Medborgarlöfte</span>"
            if let signed = measure.signed { out += " undertecknat \(t(signed))" }
            out += "</p>\n"
        }
        out += "<dl class=\"measure-meta\">\n"
        out += "<div><dt>Ansvarig</dt><dd>\(t(measure.owner))</dd></div>\n"
        if !measure.partners.isEmpty {
            out += "<div><dt>Tillsammans med</dt><dd>\(t(measure.partners.joined(separator: ", ")))</dd></div>\n"
        }
        out += "<div><dt>Period</dt><dd>\(t(measure.start))–\(t(measure.end))</dd></div>\n"
        out += "<div><dt>Område</dt><dd>\(t(measure.area ?? "hela kommunen"))</dd></div>\n"
        out += "</dl>\n"

        // Process: how it goes.
        out += "<p class=\"process\"><strong>Genomförande:</strong> "
        if let status = measure.status {
            out += progressBadge(status)
            if let period = measure.statusPeriod { out += " enligt rapporten för \(t(period))" }
            out += "."
            if status == .delayed { out += " <strong>Avvikelse:</strong> insatsen är försenad mot planen." }
            if status == .cancelled { out += " <strong>Avvikelse:</strong> insatsen är avbruten." }
        } else {
            out += "ägaren har inte lämnat någon lägesrapport ännu."
        }
        if measure.reportMissing {
            out += " <strong class=\"overdue-note\">Rapporten för den senaste perioden saknas.</strong>"
        }
        out += "</p>\n"
        if let comment = measure.comment, !comment.isEmpty {
            out += "<blockquote class=\"comment\"><p><span class=\"small\">Ägarens senaste kommentar"
            if let period = measure.commentPeriod ?? measure.statusPeriod { out += " (\(t(period)))" }
            out += ":</span> \(t(comment))</p></blockquote>\n"
        }

        // Production: planned against delivered.
        if measure.production.isEmpty {
            out += "<p><strong>Produktion:</strong> inga rapporterade leveranser ännu.</p>\n"
        } else {
            openTable("production", caption: "Produktion: planerat och levererat per år")
            out += "<thead><tr><th scope=\"col\">År</th><th scope=\"col\">Vad</th>"
            out += "<th scope=\"col\" class=\"num\">Planerat</th><th scope=\"col\" class=\"num\">Levererat</th>"
            out += "<th scope=\"col\" class=\"num\">Andel av planerat</th></tr></thead>\n<tbody>\n"
            for row in measure.production {
                out += "<tr><th scope=\"row\">\(row.year)</th><td>\(t(row.output))</td>"
                out +=
                    "<td class=\"num\">\(count(row.planned))</td><td class=\"num\">\(count(row.delivered))</td>"
                if let planned = row.planned, planned > 0, let delivered = row.delivered {
                    out += "<td class=\"num\">\(SwedishFormat.percent(delivered / planned * 100, decimals: 0))</td>"
                } else {
                    out += "<td class=\"num\">–</td>"
                }
                out += "</tr>\n"
            }
            out += "</tbody>\n"
            closeTable()
        }

        // Effect: the area against the rest of the kommun.
        for effect in measure.effects {
            out += "<p class=\"effect\"><strong>Effekt:</strong> \(t(effectSentence(effect)))</p>\n"
        }
        if measure.effects.isEmpty {
            out += "<p><strong>Effekt:</strong> "
            if measure.area == nil {
                out += "insatsen gäller hela kommunen, så det finns inget område att jämföra med resten av kommunen; "
                out += "utvecklingen följs genom problemets mål ovan.</p>\n"
            } else {
                out += "ingen jämförelse av området med resten av kommunen finns ännu.</p>\n"
            }
        }
        out += "</article>\n"
    }

    func lowercasedFirst(_ text: String) -> String {
        guard let first = text.first, text.dropFirst().first?.isUppercase != true else { return text }
        return first.lowercased() + text.dropFirst()
    }

    /// The difference-in-differences result in words: an indication with its interval, never proof.
    func effectSentence(_ effect: MeasureEffect) -> String {
        let subject = "\(lowercasedFirst(effect.indicatorTitle)) i \(effect.area)"
        guard let ratio = effect.ratio, ratio > 0, ratio.isFinite else {
            let before = effect.beforeYears.isEmpty ? "" : " (\(effect.beforeYears))"
            return "Effekten kan inte skattas för \(subject) ännu: det behövs publicerade antal för området och för "
                + "\(effect.comparison) både året före starten\(before) och ett senare år, och inget av dem får vara noll."
        }
        let percent = (ratio - 1) * 100
        var sentence = "Jämfört med utvecklingen i \(effect.comparison) blev \(subject) "
        if abs(percent) < 0.05 {
            sentence += "ungefär oförändrad"
        } else {
            sentence += "\(SwedishFormat.percent(abs(percent), decimals: 0)) \(percent < 0 ? "lägre" : "högre")"
        }
        sentence += " (\(effect.beforeYears) mot \(effect.afterYears)"
        if let low = effect.ratioLow, let high = effect.ratioHigh {
            sentence +=
                "; 95 % intervall \(SwedishFormat.signedPercent((low - 1) * 100, decimals: 0)) till "
                + "\(SwedishFormat.signedPercent((high - 1) * 100, decimals: 0))). "
            if low <= 1 && high >= 1 {
                sentence += "Intervallet rymmer både en minskning och en ökning, så skillnaden kan vara slump. "
            }
        } else {
            sentence += "). "
        }
        return sentence + FollowUpReportRenderer.effectCaveat
    }

    // MARK: Hours and cost

    mutating func resources(_ measures: [MeasureFollowUp]) {
        let years = Set(measures.flatMap { $0.resources.map(\.year) }).sorted()
        if years.isEmpty {
            let planned = measures.filter { $0.hoursPerYear != nil || $0.costPerYear != nil }
            if planned.isEmpty {
                empty("Inga timmar eller kostnader är planerade eller rapporterade för insatserna.")
                return
            }
            out += "<p>Inga timmar eller kostnader är rapporterade ännu. Planerat per år:</p>\n"
        }
        let span = years.isEmpty ? "per år enligt planen" : "summa för \(years.first ?? 0)–\(years.last ?? 0)"
        openTable("resources", caption: "Timmar och kostnad, planerat och rapporterat (\(span))")
        out += "<thead><tr><th scope=\"col\">Insats</th><th scope=\"col\" class=\"num\">Timmar, planerat</th>"
        out += "<th scope=\"col\" class=\"num\">Timmar, rapporterat</th><th scope=\"col\" class=\"num\">Kostnad, "
        out +=
            "planerat (kr)</th><th scope=\"col\" class=\"num\">Kostnad, rapporterat (kr)</th></tr></thead>\n<tbody>\n"
        var sum = ResourceYear(year: 0)
        for measure in measures {
            let row =
                years.isEmpty
                ? ResourceYear(year: 0, hoursPlanned: measure.hoursPerYear, costPlanned: measure.costPerYear)
                : measure.totals
            out += "<tr><th scope=\"row\">\(t(measure.title))</th>"
            for value in [row.hoursPlanned, row.hours, row.costPlanned, row.cost] {
                out += "<td class=\"num\">\(number(value, 0))</td>"
            }
            out += "</tr>\n"
            func add(_ a: Double?, _ b: Double?) -> Double? { a == nil && b == nil ? nil : (a ?? 0) + (b ?? 0) }
            sum.hoursPlanned = add(sum.hoursPlanned, row.hoursPlanned)
            sum.hours = add(sum.hours, row.hours)
            sum.costPlanned = add(sum.costPlanned, row.costPlanned)
            sum.cost = add(sum.cost, row.cost)
        }
        out += "</tbody>\n<tfoot><tr><th scope=\"row\">Summa</th>"
        for value in [sum.hoursPlanned, sum.hours, sum.costPlanned, sum.cost] {
            out += "<td class=\"num\">\(number(value, 0))</td>"
        }
        out += "</tr></tfoot>\n"
        closeTable()
        if measures.contains(where: { $0.problems.count > 1 }) {
            out += "<p class=\"small\">Insatser som hör till flera problem räknas med i vart och ett av dem.</p>\n"
        }
    }

    // MARK: Citizen promises

    mutating func citizenPromises() {
        if planMissing {
            empty(planMissingText)
            return
        }
        let promises = data.citizenPromises
        if promises.isEmpty {
            empty("Åtgärdsplanen har inga medborgarlöften.")
            return
        }
        out += "<p>Medborgarlöften är konkreta åtaganden som kommunen och polisen har undertecknat gemensamt. "
        out += "De följs upp som insatser under sina problem ovan.</p>\n<ul class=\"promises\">\n"
        for promise in promises {
            out += "<li><span class=\"tag promise\">Medborgarlöfte</span> <strong>\(t(promise.title))</strong>"
            out += "<br>Undertecknat \(t(promise.signed ?? "(datum saknas)")). Gäller \(t(promise.start))–"
            out += "\(t(promise.end)) i \(t(promise.area ?? "hela kommunen")). Ansvarig: \(t(promise.owner)). "
            out += "Status: \(progressBadge(promise.status))"
            if !promise.problems.isEmpty {
                out += "<br><span class=\"small\">Problem: \(t(promise.problems.joined(separator: "; ")))</span>"
            }
            out += "</li>\n"
        }
        out += "</ul>\n"
    }

    // MARK: Method

    mutating func method() {
        out += "<h3>Bedömningarna</h3>\n<dl class=\"definitions\">\n"
        let meanings: [(TargetStatus, String)] = [
            (.reached, "Det senaste värdets hela 95 % osäkerhetsintervall ligger på rätt sida om målet."),
            (
                .onTheWay,
                "Trenden sedan utgångsåret, framskriven till målåret, når målet: hela 95 % intervallet för det "
                    + "framskrivna värdet ligger på rätt sida om målet."
            ),
            (
                .notOnTheWay,
                "Trenden går tydligt åt fel håll, eller hela intervallet för det framskrivna värdet ligger på fel "
                    + "sida om målet."
            ),
            (
                .tooUncertain,
                "Intervallet för det framskrivna värdet spänner över målet: förändringen ryms i den slumpmässiga "
                    + "variationen, och det går inte att säga om målet nås. Sådana mål färgas varken grönt eller rött."
            ),
            (.tooLittleData, "Färre än tre årsvärden sedan utgångsåret: en trend kan inte bedömas ännu."),
        ]
        for (status, meaning) in meanings {
            out += "<dt>\(badge(status))</dt><dd>\(t(meaning))</dd>\n"
        }
        out += "</dl>\n<h3>Trender och osäkerhet</h3>\n<ul>\n"
        let lines = [
            "Antal och antal per invånare behandlas som Poissonfördelade. Ett enskilt års intervall är exakt "
                + "(Garwood); trenden skattas med log-linjär Poissonregression över åren, med befolkningen som "
                + "exponering, och anges som procentuell förändring per år.",
            "Andelar (enkäter, behörighet) får Wilsons intervall för ett enskilt år; trenden skattas med binomial "
                + "(logistisk) regression och anges som oddskvot per år.",
            "Övriga värden, till exempel polisens problemindex, följs med linjär regression (minsta kvadrat) och "
                + "anges som förändring per år.",
            "Alla intervall är 95 % osäkerhetsintervall. Trenden skrivs fram till målåret med sitt intervall; "
                + "bedömningen bygger på hela serien sedan utgångsåret, inte på ett enskilt år.",
            "Den raka vägen i diagrammen visar var värdet skulle ligga med en jämn förändring från utgångsläget "
                + "till målet. Den är ett stöd för ögat, inte grunden för bedömningen.",
            "Utgångsläget är indikatorns eget värde för utgångsåret, om inte planen anger ett annat värde med "
                + "källa.",
        ]
        for line in lines { out += "<li>\(t(line))</li>\n" }
        out += "</ul>\n<h3>Insatsernas genomförande och effekt</h3>\n<ul>\n"
        let measureLines = [
            "Produktion och process bygger på ägarnas lägesrapporter per kvartal eller termin: status, levererat, "
                + "timmar, kostnad och kommentar. En rapport saknas när ägaren inte har rapporterat för den senaste "
                + "perioden som insatsen pågår. Personnummer i kommentarerna är maskerade.",
            "Effekten av en insats i ett område skattas som skillnad i skillnader: områdets förändring från åren "
                + "före starten till åren efter jämförs med samma förändring i resten av kommunen, som en kvot med "
                + "95 % intervall.",
            FollowUpReportRenderer.effectCaveat,
            "Timmar och kostnad jämförs med planens belopp per år. Insatser som hör till flera problem räknas "
                + "under vart och ett av dem.",
        ]
        for line in measureLines { out += "<li>\(t(line))</li>\n" }
        out += "</ul>\n"
    }

    // MARK: Style

    /// Additions to the lägesbild's style sheet.
    static let css = """
        caption { text-align: left; font-weight: 600; padding: 0.2rem 0; }
        .table-wrap { max-width: 100%; overflow-x: auto; margin: 0.5rem 0 1rem; }
        .table-wrap table { margin: 0; }
        tfoot th, tfoot td { border-top: 2px solid #8a8a8a; font-weight: 600; }
        .counts { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.4rem 1.2rem; }
        .badge.done { background: #e3f1e6; color: #1b5e20; }
        .badge.ongoing { background: #e4edf6; color: #17496f; }
        .tag { display: inline-block; padding: 0 0.4rem; border: 1px solid #6a3d9a; border-radius: 3px;
          color: #4b2a6e; font-size: 0.8rem; font-weight: 600; }
        .judgement { max-width: 46rem; }
        .key-figures, .measure-meta { display: flex; flex-wrap: wrap; gap: 0.3rem 1.6rem; margin: 0.5rem 0; }
        .key-figures dt, .measure-meta dt { font-size: 0.8rem; color: #555; }
        .key-figures dd, .measure-meta dd { margin: 0; font-weight: 600; }
        .measure-meta dd { font-weight: normal; }
        h4 { font-size: 1.05rem; margin: 1.6rem 0 0.4rem; }
        article.target, article.measure { border-top: 1px solid #dcdcdc; padding-top: 0.2rem; }
        h2 + article.target, h3 + article.target, h3 + article.measure { border-top: none; }
        svg.target-chart { max-width: 600px; font-size: 13px; }
        blockquote.comment { margin: 0.5rem 0; padding: 0.1rem 0.8rem; border-left: 3px solid #8a8a8a;
          background: #f6f6f6; }
        .overdue-note { color: #6b4500; }
        details.chart-data summary { cursor: pointer; color: #1f5f99; font-size: 0.9rem; }
        .promises li { margin-bottom: 0.6rem; }
        table.resources tbody th, table.resources tfoot th { width: 34%; }
        a { overflow-wrap: anywhere; }
        @media (max-width: 600px) {
          main { padding: 1rem 0.8rem 2rem; }
          h1 { font-size: 1.6rem; }
          .toc ol { columns: 1; }
        }
        @media print {
          details.chart-data { display: none; }
          article.target, article.measure { break-inside: avoid-page; }
        }

        """
}
