import Foundation
import ReportTestSupport
import Testing

@testable import Report

/// The follow-up report (`uppfoljning.html`): Swedish, honest about uncertainty, accessible, self-contained.
struct FollowUpReportRendererTests {
    let html = FollowUpReportRenderer.render(.sample)

    /// The text a reader sees: the document without its style sheet and tags.
    static func visibleText(_ html: String) -> String {
        var text = html
        if let start = text.range(of: "<style>"), let end = text.range(of: "</style>") {
            text.removeSubrange(start.lowerBound..<end.upperBound)
        }
        var out = ""
        var inTag = false
        for character in text {
            if character == "<" {
                inTag = true
                out.append(" ")
            } else if character == ">" {
                inTag = false
            } else if !inTag {
                out.append(character)
            }
        }
        return out
    }

    /// English phrases that must not reach the reader: the follow-up table's status codes and notes.
    static let englishPhrases = [
        "on track", "on the way", "not on the way", "too uncertain", "too little data", "reached", "on-the-way",
        "not-on-the-way", "too-uncertain", "too-little-data", "baseline", "target", "projected",
        "interval spans", "measure", "ongoing", "delayed", "cancelled", "not started", "citizen promise", "nil",
        "optional(",
    ]

    static func englishIn(_ html: String) -> [String] {
        let text = visibleText(html).lowercased()
        return englishPhrases.filter { phrase in
            // Whole words only: "trend" must not match "trenden".
            var rest = text[...]
            while let range = rest.range(of: phrase) {
                let before = range.lowerBound == text.startIndex ? " " : text[text.index(before: range.lowerBound)]
                let after = range.upperBound == text.endIndex ? " " : text[range.upperBound]
                if !before.isLetter && !after.isLetter { return true }
                rest = text[range.upperBound...]
            }
            return false
        }
    }

    @Test func isOneSwedishDocumentWithTheSummaryFirstAndEveryProblemInPriorityOrder() throws {
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"sv\">"))
        #expect(html.contains("<h1>Uppföljning av åtgärdsplanen, Halmstads kommun (exempeldata)</h1>"))
        let headings = html.components(separatedBy: "<h2>").dropFirst().map { $0.prefix { $0 != "<" } }
        #expect(
            headings == [
                "Sammanfattning", "Prioritet 1: Våld i offentlig miljö",
                "Prioritet 2: Brott och otrygghet i centrala Andersberg", "Prioritet 3: Otrygghet i grundskolan",
                "Medborgarlöften", "Så bedöms målen och insatserna",
            ])
        #expect(html.contains("@page { size: A4;"))
        #expect(html.contains(".table-wrap { max-width: 100%; overflow-x: auto;"))
    }

    @Test func everyJudgementIsShownInSwedishAndNoiseIsNeverGreenOrRed() {
        #expect(html.contains("<span class=\"badge on-track\">✓ Målet är nått</span>"))
        #expect(html.contains("<span class=\"badge on-track\">På väg mot målet</span>"))
        #expect(html.contains("<span class=\"badge off-track\">✗ Inte på väg mot målet</span>"))
        #expect(html.contains("<span class=\"badge no-data\">För osäkert att säga</span>"))
        #expect(html.contains("<span class=\"badge no-data\">För lite data</span>"))
        #expect(!html.contains("on-track\">För osäkert") && !html.contains("off-track\">För osäkert"))
        // The summary counts one target of each judgement.
        for status in FollowUpReportRenderer.statusOrder {
            #expect(FollowUpReportData.sample.count(status) == 1)
        }
        // The judgement text, the interval of the latest value and the declared baseline's source.
        #expect(html.contains("Intervallet spänner över målet"))
        #expect(html.contains("(95 % intervall 2\u{202F}250–2\u{202F}310)"))
        #expect(html.contains("Utgångsläget är angivet i planen; källa: Polisens trygghetsmätning 2020."))
        #expect(html.contains("Utgångsläget är indikatorns eget värde för 2020."))
    }

    @Test func eachTargetHasATrendChartWithItsBandPathTargetAndProjection() throws {
        let chart = SVGTargetChart(
            title: "Våld", points: [.init(year: 2020, value: 262, low: 250, high: 274), .init(year: 2021, value: nil)],
            baselineYear: 2020, baselineValue: 262, targetYear: 2026, targetValue: 190, projectedValue: 178,
            projectedLow: 160, projectedHigh: 186)
        let svg = chart.render()
        #expect(svg.contains("<title>Våld</title>") && svg.contains("role=\"img\""))
        #expect(svg.contains("class=\"band\"") && svg.contains("class=\"target-path\""))
        #expect(svg.contains("class=\"target\"") && svg.contains("class=\"projection\""))
        #expect(svg.contains(">2026</text>"))
        #expect(!svg.contains("data-year=\"2021\""))  // a missing year is a gap, not a point at 0
        #expect(chart.x(2026) > chart.x(2020))
        // In the report: one chart per target and problem it belongs to, each with a table as text alternative.
        #expect(html.components(separatedBy: "class=\"chart target-chart\"").count - 1 == 5)
        #expect(html.components(separatedBy: "<summary>Diagrammets värden som tabell</summary>").count - 1 == 5)
        // The suppressed year of a target's series shows as suppressed in its table, never as a number.
        #expect(html.contains("<tr><th scope=\"row\">2022</th><td class=\"num supp\">.. prickad</td>"))
    }

    @Test func measuresShowProductionProcessEffectAndCost() {
        #expect(html.contains("<caption>Produktion: planerat och levererat per år</caption>"))
        #expect(html.contains("<td class=\"num\">12</td><td class=\"num\">10</td><td class=\"num\">83\u{00A0}%</td>"))
        #expect(html.contains("<strong>Avvikelse:</strong> insatsen är försenad mot planen."))
        #expect(html.contains("<strong>Avvikelse:</strong> insatsen är avbruten."))
        #expect(html.contains("Lokalen sades upp av hyresvärden."))
        #expect(html.contains("Rapporten för den senaste perioden saknas."))
        // The effect is an indication with its interval, never proof.
        #expect(
            html.contains(
                "Jämfört med utvecklingen i övriga kommunen blev anmälda våldsbrott per 100 000 invånare i Centrum "
                    + "12\u{00A0}% lägre (2019–2020 mot 2022–2023; 95 % intervall \u{2212}26\u{00A0}% till "
                    + "+5\u{00A0}%)."))
        #expect(html.contains("Intervallet rymmer både en minskning och en ökning, så skillnaden kan vara slump."))
        #expect(html.contains("Det är en indikation, inte ett bevis på att insatsen gav effekt"))
        #expect(html.contains("insatsen gäller hela kommunen, så det finns inget område att jämföra"))
        // Hours and cost per problem, summed over the reported years.
        #expect(html.contains("<caption>Timmar och kostnad, planerat och rapporterat (summa för 2022–2023)</caption>"))
        #expect(
            html.contains(
                "<tr><th scope=\"row\">Trygghetsvandringar i centrum</th><td class=\"num\">600</td>"
                    + "<td class=\"num\">590</td><td class=\"num\">180\u{202F}000</td>"
                    + "<td class=\"num\">179\u{202F}500</td></tr>"))
        #expect(html.contains("Insatser som hör till flera problem räknas med i vart och ett av dem."))
    }

    @Test func summaryCountsMeasuresAndOverdueReports() {
        #expect(html.contains("Åtgärdsplanen har 5 insatser och 1 medborgarlöfte."))
        for status in FollowUpReportRenderer.progressOrder {
            #expect(html.contains(">\(status.swedish)</span> <strong>"))
        }
        #expect(html.contains("<strong>En rapport saknas</strong> för den senaste perioden:"))
        #expect(html.contains("<li>Ansvarsfull alkoholservering – Halmstads kommun, tillståndsenheten</li>"))
    }

    @Test func citizenPromisesAreMarkedWithTheirSigningDate() {
        #expect(html.contains("<span class=\"tag promise\">Medborgarlöfte</span> undertecknat 2021-09-01"))
        #expect(html.contains("<br>Undertecknat 2021-09-01. Gäller 2021-09–2024-12 i Andersberg. Ansvarig: Polisen"))
        // Targets of citizen promises are marked too.
        #expect(html.components(separatedBy: "<p class=\"small\"><span class=\"tag promise\">").count - 1 == 2)
    }

    @Test func comparesWithThePreviousFollowUpTargetByTarget() {
        let previous = [
            TargetSnapshot(targetID: "a", name: "A", status: .tooUncertain, latestPeriod: "2022"),
            TargetSnapshot(targetID: "b", name: "B", status: .onTheWay, latestPeriod: "2022"),
            TargetSnapshot(targetID: "gone", name: "Borta", status: .reached, latestPeriod: "2021"),
        ]
        let current = [
            TargetSnapshot(targetID: "a", name: "A", status: .notOnTheWay, latestPeriod: "2023"),
            TargetSnapshot(targetID: "b", name: "B", status: .onTheWay, latestPeriod: "2023"),
            TargetSnapshot(targetID: "new", name: "Ny", status: .tooLittleData, latestPeriod: nil),
        ]
        let changes = TargetStatusChange.compare(previous: previous, current: current)
        #expect(
            changes == [
                TargetStatusChange(
                    targetID: "a", name: "A", before: .tooUncertain, after: .notOnTheWay, periodBefore: "2022",
                    periodAfter: "2023"),
                TargetStatusChange(targetID: "new", name: "Ny", before: nil, after: .tooLittleData),
                TargetStatusChange(targetID: "gone", name: "Borta", before: .reached, after: nil, periodBefore: "2021"),
            ])
        #expect(TargetStatusChange.compare(previous: current, current: current).isEmpty)

        // Rendered: a table of the changes; the first follow-up and an unchanged one say so in words.
        #expect(html.contains("<caption>Mål med ändrad bedömning sedan förra uppföljningen</caption>"))
        #expect(html.contains("Jämfört med förra uppföljningen (körning 37, 2023-03-20) har 2 mål ändrats; 3 har"))
        #expect(html.contains("<span class=\"neutral\">nytt mål</span>"))
        var data = FollowUpReportData.sample
        data.previous = nil
        #expect(FollowUpReportRenderer.render(data).contains(FollowUpReportRenderer.firstFollowUpSentence))
        data.previous = PreviousFollowUp(runID: "41", publishedAt: "2024-01-02", changes: [], unchanged: 5)
        #expect(
            FollowUpReportRenderer.render(data).contains(
                "Inget mål har fått en ny bedömning sedan förra uppföljningen (körning 41, 2024-01-02)."))
    }

    @Test func anEmptyPlanSaysPlainlyWhatIsMissing() {
        var data = FollowUpReportData.sample
        data.problems = []
        data.measures = []
        let html = FollowUpReportRenderer.render(data)
        // In the summary and in place of the citizen promises; the targets are still followed up.
        #expect(html.components(separatedBy: FollowUpReportRenderer.planMissingSentence).count - 1 == 2)
        #expect(html.contains("<h2>Målen</h2>"))
        #expect(html.components(separatedBy: "class=\"chart target-chart\"").count - 1 == 5)
        #expect(Self.englishIn(html).isEmpty)

        let nothing = FollowUpReportRenderer.render(
            FollowUpReportData(
                title: "Tom", municipality: Municipality(name: "Halmstad", code: "1380"), generatedAt: "nu",
                runID: "1"))
        #expect(nothing.contains("Det finns inga mål att följa upp i den här körningen."))
        #expect(nothing.contains(FollowUpReportRenderer.firstFollowUpSentence))
        #expect(nothing.contains(FollowUpReportRenderer.planNotDeclaredSentence))
        #expect(!html.contains(FollowUpReportRenderer.planNotDeclaredSentence))
        #expect(!nothing.contains("<svg") && !nothing.contains("<table"))
        #expect(Self.englishIn(nothing).isEmpty)
    }

    @Test func measuresWithoutReportsSaySo() {
        var data = FollowUpReportData.sample
        for index in data.measures.indices {
            data.measures[index].status = nil
            data.measures[index].production = []
            data.measures[index].resources = []
            data.measures[index].effects = []
        }
        let html = FollowUpReportRenderer.render(data)
        #expect(html.contains(FollowUpReportRenderer.noReportsSentence))
        #expect(html.contains("ägaren har inte lämnat någon lägesrapport ännu."))
        #expect(html.contains("Inga timmar eller kostnader är rapporterade ännu. Planerat per år:"))
        #expect(html.contains("ingen jämförelse av området med resten av kommunen finns ännu."))
    }

    @Test func noEnglishReachesTheReader() {
        #expect(Self.englishIn(html).isEmpty)
        // The scan itself finds English when it is there.
        #expect(Self.englishIn("<p>The target is on track</p>") == ["on track", "target"])
        #expect(Self.englishIn("<p class=\"badge on-track\">Trenden</p>").isEmpty)
    }

    @Test func headingsAreInOrderAndTablesHaveCaptionsAndHeaderCells() {
        var previous = 1
        var rest = html[...]
        while let range = rest.range(of: "<h") {
            let level = rest[range.upperBound...].first.flatMap { Int(String($0)) }
            if let level {
                #expect(level <= previous + 1, "h\(level) after h\(previous)")
                previous = level
            }
            rest = rest[range.upperBound...]
        }
        let tables = html.components(separatedBy: "<table").count - 1
        #expect(tables > 0)
        #expect(html.components(separatedBy: "<caption>").count - 1 == tables)
        #expect(html.components(separatedBy: "<div class=\"table-wrap\"><table").count - 1 == tables)
        #expect(!html.contains("<th>"))  // every header cell has its scope
    }

    @Test func isSelfContainedAndEscapesWhatOwnersWrite() {
        let lower = html.lowercased()
        #expect(!lower.contains("<script") && !lower.contains("src=") && !lower.contains("<link"))
        // The only URL is the cause analysis, as a link the reader may follow.
        #expect(lower.components(separatedBy: "https://").count - 1 == 2)
        #expect(html.contains("<a href=\"https://example.invalid/orsaksanalys-andersberg\">Hela orsaksanalysen</a>"))
        var data = FollowUpReportData.sample
        data.measures[0].comment = "<b>Ring</b> 850412-1234"
        let rendered = FollowUpReportRenderer.render(data)
        #expect(rendered.contains("&lt;b&gt;Ring&lt;/b&gt; ******-****"))
        #expect(!rendered.contains("850412-1234"))
    }

    /// Writes the sample follow-up (to `$LAGESBILD_FOLLOWUP_SAMPLE` or the temp directory), for a look in a browser.
    @Test func writesTheSampleReport() throws {
        let path =
            ProcessInfo.processInfo.environment["LAGESBILD_FOLLOWUP_SAMPLE"]
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("uppfoljning-sample.html").path
        try html.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == html)
    }
}
