import ColumnStore
import Foundation
import GRDB
import LagesbildModel
import PipelineModel
import StageKit
import Workspace

/// How one indicator value was computed: its definition, numerator and denominator with their values,
/// the code-list entries used and the source files it came from (`lagesbild explain`).
public struct Explanation: Sendable, Codable {
    public struct SourceFile: Sendable, Codable {
        public var source: String
        public var file: String
        public var sha256: String
        public var ingestedAt: String
        public var rowsRead: Int
        public var rowsAccepted: Int
        public var rowsQuarantined: Int
    }

    public var indicator: String
    public var title: String
    public var definition: String
    public var kind: String
    public var unit: String
    public var area: String
    public var areaName: String
    public var period: String
    public var numerator: String
    public var numeratorValue: Double?
    public var denominator: String?
    public var denominatorValue: Double?
    public var value: Double?
    public var status: ValueStatus
    public var note: String?
    public var flags: ValueFlags
    /// The crime codes counted, for event indicators (`all` counts every code).
    public var crimeCodes: [String]
    /// For a count of 0 events: why it is 0 and not missing, in Swedish (the deliveries that cover it).
    public var zero: String? = nil
    /// The 95 % interval of a share, when it has one.
    public var ciLow: Double? = nil
    public var ciHigh: Double? = nil
    public var sources: [SourceFile]
    /// What ``crimeCodes`` lists: `crime codes`, or `event types` of a source's own list.
    public var codesLabel = "crime codes"

    /// Reads the explanation from the workspace; the area defaults to the municipality and the period to
    /// the latest one.
    public static func read(
        directory: String, pipeline: Pipeline, indicator id: String, area: String? = nil, period: String? = nil
    ) throws -> Explanation {
        guard let indicator = pipeline.indicator(id) else {
            let known = pipeline.indicators.map(\.id).joined(separator: ", ")
            throw UsageError("no indicator '\(id)' in the pipeline file; it has: \(known)")
        }
        let workspace = try Workspace(directory: directory, create: false)
        let areaCode = area ?? pipeline.municipality.code
        return try workspace.database.read { db in
            var arguments: StatementArguments = [id, areaCode]
            var periodCondition = ""
            if let period {
                periodCondition = "AND period = ?"
                // Any written form of the period (`HT2020`, `v. 5 2023`) finds its canonical text.
                _ = arguments.append(contentsOf: [Period(period)?.description ?? period])
            }
            guard
                let row = try IndicatorValueRecord.fetchOne(
                    db,
                    sql: """
                        SELECT * FROM indicator_values WHERE indicator_id = ? AND area_code = ? AND breakdown = ''
                        \(periodCondition) ORDER BY period_type = 'year' DESC, period DESC LIMIT 1
                        """,
                    arguments: arguments)
            else {
                if let period,
                    let uncovered = try ZeroExplanation.uncovered(
                        indicator, period: period, pipeline: pipeline, workspace: workspace, db: db)
                {
                    throw UsageError(uncovered)
                }
                throw UsageError(
                    "no value of \(id) for area \(areaCode)\(period.map { " in \($0)" } ?? ""); "
                        + "run `lagesbild run` first, or check the area code and period")
            }
            var codes: [String] = []
            var codesLabel = "crime codes"
            var sourceIDs: [String] = []
            for quantity in [indicator.numerator] + (indicator.denominator.map { [$0] } ?? []) {
                switch quantity {
                case .events(let category, let source?) where pipeline.source(source)?.eventTypes != nil:
                    sourceIDs.append(source)
                    codesLabel = "event types"
                    codes =
                        category == "all"
                        ? ["all event types of source \(source)"]
                        : try String.fetchAll(
                            db,
                            sql: """
                                SELECT c.code || ' ' || coalesce(t.name, '') FROM codelist_event_categories c
                                LEFT JOIN codelist_event_types t ON t.source_id = c.source_id AND t.code = c.code
                                WHERE c.source_id = ? AND c.category = ? ORDER BY c.code
                                """,
                            arguments: [source, category])
                case .events(let category, _), .filteredEvents(let category, _):
                    var source: String?
                    if case .events(_, let named) = quantity { source = named }
                    sourceIDs += pipeline.sources.filter {
                        $0.kind == .events && $0.eventTypes == nil && (source == nil || $0.id == source)
                    }.map(\.id)
                    codes =
                        category == "all"
                        ? ["all codes in the crime code list"]
                        : try String.fetchAll(
                            db,
                            sql: """
                                SELECT c.crime_code || ' ' || coalesce(k.name, '') FROM codelist_crime_categories c
                                LEFT JOIN codelist_crime_codes k ON k.code = c.crime_code
                                WHERE c.category = ? ORDER BY c.crime_code
                                """,
                            arguments: [category])
                case .measure(let name, _):
                    sourceIDs += try String.fetchAll(
                        db, sql: "SELECT DISTINCT source_id FROM observations WHERE measure = ?", arguments: [name])
                }
            }
            let valuePeriod = row.period
            let files = try DeliveryRecord.fetchAll(
                db,
                sql: """
                    SELECT * FROM deliveries WHERE source_id IN (\(sourceIDs.map { _ in "?" }.joined(separator: ",")))
                    ORDER BY source_id, path
                    """,
                arguments: StatementArguments(sourceIDs)
            ).filter { delivery in
                try holdsEvents(of: valuePeriod, delivery: delivery, pipeline: pipeline, workspace: workspace, db: db)
            }.map { delivery in
                let counts = delivery.counts
                return SourceFile(
                    source: delivery.sourceID, file: delivery.path, sha256: delivery.sha256,
                    ingestedAt: delivery.ingestedAt,
                    rowsRead: counts.rowsRead, rowsAccepted: counts.rowsAccepted,
                    rowsQuarantined: counts.rowsQuarantined)
            }
            var explanation = Explanation(
                indicator: id, title: indicator.title, definition: indicator.definition, kind: indicator.kind.rawValue,
                unit: indicator.unit, area: areaCode, areaName: row.areaName, period: row.period,
                numerator: indicator.numerator.description, numeratorValue: row.numerator,
                denominator: indicator.denominator?.description, denominatorValue: row.denominator,
                value: row.value, status: row.status, note: row.note, flags: row.flags, crimeCodes: codes,
                sources: files)
            explanation.ciLow = row.ciLow
            explanation.ciHigh = row.ciHigh
            explanation.zero = try ZeroExplanation.text(
                indicator, row: row, pipeline: pipeline, workspace: workspace, db: db)
            explanation.codesLabel = codesLabel
            return explanation
        }
    }

    /// False for a delivery of an events source none of whose dates is in the value's year(s) (a police file
    /// of another year); true for every other delivery.
    static func holdsEvents(
        of period: String, delivery: DeliveryRecord, pipeline: Pipeline, workspace: Workspace, db: Database
    ) throws -> Bool {
        guard let years = Period(period)?.calendarYears, let id = delivery.id,
            let source = pipeline.source(delivery.sourceID),
            source.kind == .events, let format = DateFormat(source.dateFormat)
        else { return true }
        let names = try String.fetchAll(
            db, sql: "SELECT name FROM store_files WHERE delivery_id = ?", arguments: [id])
        guard let name = names.first else { return true }
        let dates = try ColumnFileReader(path: workspace.storePath(name)).footer.dictionaries["date"] ?? []
        return dates.contains { format.parse($0).map { years.contains($0.year) } ?? false }
    }

    /// The explanation in words.
    public var text: String {
        func number(_ value: Double?) -> String {
            guard let value else { return "–" }
            return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(format: "%.4f", value)
        }
        var lines = ["\(indicator) — \(title)"]
        if !definition.isEmpty { lines.append("definition: \(definition)") }
        lines.append("kind: \(kind), unit: \(unit)")
        lines.append("value for \(areaName) (\(area)), \(period): \(number(value)) [\(status.rawValue)]")
        if let note { lines.append("note: \(note)") }
        if let ciLow, let ciHigh { lines.append("95 % interval: \(number(ciLow))–\(number(ciHigh))") }
        if let zero { lines.append(zero) }
        if !flags.isEmpty { lines.append("flags: \(flags)") }
        lines.append("numerator: \(numerator) = \(number(numeratorValue))")
        if let denominator { lines.append("denominator: \(denominator) = \(number(denominatorValue))") }
        if !crimeCodes.isEmpty {
            lines.append("\(codesLabel) counted (\(crimeCodes.count)):")
            lines += crimeCodes.prefix(40).map { "  \($0)" }
            if crimeCodes.count > 40 { lines.append("  … and \(crimeCodes.count - 40) more") }
        }
        lines.append("source files:")
        for file in sources {
            lines.append(
                "  \(file.source): \((file.file as NSString).lastPathComponent) sha256 \(file.sha256) "
                    + "ingested \(file.ingestedAt): read \(file.rowsRead), accepted \(file.rowsAccepted), "
                    + "quarantined \(file.rowsQuarantined)")
        }
        return lines.joined(separator: "\n")
    }
}
