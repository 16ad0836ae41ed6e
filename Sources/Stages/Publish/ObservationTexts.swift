import GRDB
import LagesbildModel
import PipelineModel
import Report

/// The text attributes of observations (`texts:` on a source): exported beside the indicator tables,
/// and shown in the report under the indicators that list them.
enum ObservationTextExport {
    /// The export file's name (without suffix).
    static let name = "observation_texts"

    /// The export's query: one row per observation and text, so that it joins the observations by
    /// source, area, period, measure and dimensions; nil when no source keeps texts.
    static func sql(_ pipeline: Pipeline) -> String? {
        guard pipeline.sources.contains(where: { !$0.texts.isEmpty }) else { return nil }
        return """
            SELECT o.source_id, d.file_name AS file, o.line, o.area_code, o.area_level, o.period, o.measure,
                o.dimensions, t.name, t.text
            FROM observation_texts t
            JOIN observations o ON o.delivery_id = t.delivery_id AND o.line = t.line
            JOIN deliveries d ON d.id = t.delivery_id
            ORDER BY o.source_id, d.file_name, o.line, o.period, o.measure, o.dimensions, t.name
            """
    }
}

extension ReportBuilder {
    /// The most texts of one name the report lists under an indicator; the export has them all.
    static let textLimit = 50

    /// The status a value is shown with: a value the source itself suppressed (`..`, `X` with
    /// `markers:`) reads as prickad, one the source marks as not applicable as such; other missing values
    /// as missing.
    static func shownStatus(_ stored: ValueStatus, note: String?) -> PointStatus {
        let status: PointStatus
        switch stored {
        case .ok: status = .ok
        case .suppressed: status = .suppressed
        case .missing: status = .missing
        }
        guard status == .missing, let note else { return status }
        for part in note.split(separator: "; ") {
            switch part {
            case "the source has no number (suppressed)", "the source has no number (survey-suppressed)":
                return .suppressed
            case "the source has no number (not-applicable)": return .notApplicable
            default: continue
            }
        }
        return status
    }

    /// The texts the indicator lists (`texts:`), from the observations of its measures in the
    /// municipality and the areas in it, newest period first.
    func sourceTexts(_ indicator: IndicatorSpec) throws -> [SourceTextGroup] {
        var measures: [String] = []
        for quantity in [indicator.numerator] + (indicator.denominator.map { [$0] } ?? []) {
            if case .measure(let name, _) = quantity { measures.append(name) }
        }
        let measureList = measures.map { _ in "?" }.joined(separator: ", ")
        guard !measures.isEmpty else { return [] }
        return try indicator.texts.map { name in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    WITH RECURSIVE inside(code) AS (
                        SELECT ? UNION SELECT a.code FROM codelist_areas a JOIN inside i ON a.parent_code = i.code
                    )
                    SELECT DISTINCT o.area_code, coalesce(a.name, o.area_code) AS area_name, o.period, t.text
                    FROM observation_texts t
                    JOIN observations o ON o.delivery_id = t.delivery_id AND o.line = t.line
                    LEFT JOIN codelist_areas a ON a.code = o.area_code
                    WHERE t.name = ? AND o.measure IN (\(measureList))
                        AND (o.area_code IN (SELECT code FROM inside) OR o.area_level = 'school')
                    ORDER BY o.period DESC, area_name, t.text
                    """,
                arguments: StatementArguments([pipeline.municipality.code, name] + measures))
            let entries = rows.prefix(Self.textLimit).map { row in
                SourceText(area: row["area_name"], period: row["period"], text: row["text"])
            }
            return SourceTextGroup(
                name: name, heading: SourceTextGroup.heading(for: name), entries: Array(entries),
                omitted: rows.count - entries.count)
        }
    }
}
