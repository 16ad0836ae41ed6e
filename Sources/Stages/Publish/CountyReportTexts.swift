import GRDB
import PipelineModel
import Report
import Workspace

extension CountyReportBuilder {
    /// The comparison source's county, country and municipality group lines (Brå beside Brå), and the notes
    /// that name their source and the group with its year.
    func comparisonLines(_ spec: IndicatorSpec, municipal: ReportBuilder) throws -> ([ComparisonSeries], [String]) {
        let sources = try municipal.comparisonSources(spec)
        var lines: [ComparisonSeries] = []
        var notes: [String] = []
        let levels: [(String, ComparisonSeries.Kind)] = [
            ("county", .county), ("country", .country), (MunicipalityGroupLine.areaLevel, .other),
        ]
        for (level, kind) in levels {
            let rows = try IndicatorValueRecord.fetchByPosition(
                db,
                sql: """
                    SELECT * FROM indicator_values WHERE indicator_id = ? AND breakdown = 'comparison'
                        AND area_level = ? AND period_type = 'year' ORDER BY area_code, period
                    """,
                arguments: [spec.id, level])
            // One line per area: the pipeline's county (or every county's for the country is too many: the
            // country scope shows the country and the group).
            let rowsOfArea = Dictionary(grouping: rows, by: \.areaCode)
            for area in rowsOfArea.keys.sorted() {
                if level == "county", pipeline.scope == .country { continue }
                if level == "county", area != pipeline.municipality.countyCode { continue }
                let ofArea = rowsOfArea[area] ?? []
                let points = ofArea.map { row in
                    var point = ReportBuilder.point(row)
                    if point.status != .ok { point.note = MunicipalityGroupLine.swedishNote(row.note) ?? point.note }
                    return point
                }
                let name = ofArea.first?.areaName ?? area
                lines.append(
                    ComparisonSeries(
                        kind: kind, name: sources.comparison.map { "\(name) (\($0))" } ?? name, points: points))
                if level == MunicipalityGroupLine.areaLevel {
                    notes.append(MunicipalityGroupLine.note(name: name, pipeline: pipeline))
                }
            }
        }
        if let comparison = sources.comparison, !lines.isEmpty, !sources.same {
            notes.insert(
                "Kommunernas värden och den streckade linjen för \(try reference.name) räknas ur "
                    + "\(sources.own); jämförelserna med län, riket och kommungruppen kommer från \(comparison), där "
                    + "alla räknas på samma sätt. De två källorna räknar olika brott och brottsplatser, så nivåerna "
                    + "skiljer sig.", at: 0)
        }
        return (lines, notes)
    }

    /// The method section.
    func method(reference: CountyReference) throws -> [String] {
        var paragraphs = [
            "Varje kommuns nivå är antalet händelser delat med folkmängden. Osäkerhetsintervallet (95 %) är det "
                + "exakta intervallet för ett Poissonfördelat antal (Garwood), delat med folkmängden.",
            "En kommun jämförs med övriga \(reference.definite): kommunens antal och folkmängd mot resten av "
                + "\(reference.definite)s, som en kvot mellan nivåerna med 95 % intervall. Kommunen kallas signifikant "
                + "högre (eller lägre) än \(reference.definite) bara när hela intervallet ligger över (eller under) 1; "
                + "annars står det att skillnaden ryms i slumpens variation. Platsen i rangordningen säger ensam "
                + "ingenting.",
            "\(reference.name) som helhet räknas ur kommunernas egna antal och folkmängd (summan av antalen delad "
                + "med summan av folkmängden), bara de år då alla kommuner har båda.",
            "Med många kommuner och indikatorer kan någon enstaka markeras av en slump; en markering är en signal "
                + "att undersöka, inte ett bevis.",
        ]
        if let text = try MunicipalityGroupLine.methodText(db: db, pipeline: pipeline) { paragraphs.append(text) }
        return paragraphs
    }
}

/// The municipality group's comparison line in both reports: its rows, notes and method text.
enum MunicipalityGroupLine {
    static var areaLevel: String { MunicipalityGroups.areaLevel }

    /// The group's stored note in Swedish (`the group's value needs every kommun of the group: 2 of 33 …`).
    static func swedishNote(_ note: String?) -> String? {
        guard let note, note.hasPrefix("the group's value needs every kommun of the group: ") else { return nil }
        let counts = note.dropFirst("the group's value needs every kommun of the group: ".count)
            .split(separator: " ")
        guard counts.count >= 3 else { return nil }
        return "gruppens värde kräver uppgifter för alla gruppens kommuner: \(counts[0]) av \(counts[2]) har "
            + "ett värde i källan"
    }

    /// The group's line for an indicator's chart in the kommun's own report, with the group's name as stored.
    static func series(db: Database, indicator: String, supplier: String?) throws -> (
        series: ComparisonSeries, name: String
    )? {
        let rows = try IndicatorValueRecord.fetchByPosition(
            db,
            sql: """
                SELECT * FROM indicator_values WHERE indicator_id = ? AND breakdown = 'comparison'
                    AND area_level = ? AND period_type = 'year' ORDER BY period
                """,
            arguments: [indicator, areaLevel])
        guard let first = rows.first else { return nil }
        let name = first.areaName
        return (
            ComparisonSeries(
                kind: .other, name: supplier.map { "\(name) (\($0))" } ?? name, points: rows.map(ReportBuilder.point)),
            name
        )
    }

    /// The note beside a chart with the group's line.
    static func note(name: String, pipeline: Pipeline) -> String {
        var members: Int?
        if let groups = try? pipeline.codeLists.municipalityGroups?.read(),
            let group = groups.groupOf[pipeline.municipality.code]
        {
            members = groups.members(of: group).count
        }
        return "\(name): \(pipeline.municipality.name)s grupp i SKR:s kommungruppsindelning. Gruppens nivå är "
            + "summan av gruppens \(members.map(String.init) ?? "alla") kommuners antal i samma källa (nivå × "
            + "folkmängd) delad med summan av deras folkmängd; ett år utan uppgift för någon av dem saknas."
    }

    /// What the method section says about the municipality group: how its line is computed, or why there is none.
    static func methodText(db: Database, pipeline: Pipeline) throws -> String? {
        guard let list = pipeline.codeLists.municipalityGroups else { return nil }
        let groups = try list.read()
        guard let group = groups.groupOf[pipeline.municipality.code] else {
            return "\(pipeline.municipality.name) finns inte i kommungruppsindelningen (SKR \(list.version)); "
                + "ingen jämförelse med kommungrupp visas."
        }
        let name = "kommungruppen \(group.name) (SKR:s kommungruppsindelning \(list.version))"
        let rows =
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM indicator_values WHERE area_level = ?", arguments: [areaLevel]) ?? 0
        if rows == 0 {
            return "Jämförelse med \(name) visas inte: jämförelsekällan har i den här körningen inga värden för "
                + "de andra \(groups.members(of: group).count - 1) kommunerna i gruppen."
        }
        return "\(pipeline.municipality.name) jämförs också med \(name), \(groups.members(of: group).count) "
            + "kommuner. Gruppens nivå räknas ur jämförelsekällans värden för alla gruppens kommuner: summan av "
            + "deras antal (nivå × folkmängd) delad med summan av deras folkmängd. Ett år där någon av kommunerna "
            + "saknar värde får inget gruppvärde, hellre än ett värde för en del av gruppen."
    }
}

/// The lägesbild report for the pipeline's scope: the kommun's own report, or the county (national) report
/// comparing the kommuner side by side.
enum LagesbildReport {
    static func html(db: Database, pipeline: Pipeline, runID: Int64) throws -> (html: String, indicators: Int) {
        if pipeline.scope == .municipality {
            let data = try ReportBuilder(db: db, pipeline: pipeline, runID: runID).build()
            return (ReportRenderer.render(data), data.indicators.count)
        }
        let data = try CountyReportBuilder(db: db, pipeline: pipeline, runID: runID).build()
        return (CountyReportRenderer.render(data), data.indicators.count)
    }
}
