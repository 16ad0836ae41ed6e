import GRDB
import LagesbildModel
import PipelineModel
import StageKit
import Workspace

/// A status report as normalize accepts it into `measure_reports`: a measure of the plan, a period it
/// runs in, a status from the list, and what was delivered.
struct MeasureReport: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "measure_reports"
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase

    var sourceId: String
    var deliveryId: Int64
    var line: Int
    var measureId: String
    /// The canonical period: `2023K1`, `VT2024`, `HT2023`.
    var period: String
    /// First and last month of the period, `YYYY-MM`.
    var periodStart: String
    var periodEnd: String
    /// The status word as the list spells it (``MeasureStatus``).
    var status: String
    var outputName: String?
    var outputsDelivered: Double?
    var hours: Double?
    var costSek: Double?
    var comment: String?
}

/// Checks the owners' status reports against the action plan: the measure must be in the plan, the
/// status one of the list, the period a quarter or term within the months the measure runs, and a named
/// output one the measure plans. A second report for the same measure, period and output is refused too:
/// delivered outputs would be counted twice.
struct MeasureReportNormalizer {
    let plan: ActionPlan?

    /// One `raw_measure_reports` row with the file it came from.
    private struct Raw: Decodable, FetchableRecord {
        var deliveryId: Int64
        var line: Int
        var measure: String
        var period: String
        var status: String
        var outputName: String?
        var outputs: Double?
        var hours: Double?
        var costSek: Double?
        var comment: String?
        var path: String

        static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    }

    /// Normalizes the accepted deliveries of `source`; returns rows in (accepted at ingest), out and
    /// quarantined, so that in = out + quarantined.
    func normalize(_ db: Database, source: SourceSpec, quarantine: inout QuarantineWriter) throws -> StageCounts {
        let raws = try Raw.fetchAll(
            db,
            sql: """
                SELECT r.*, d.path FROM raw_measure_reports r JOIN deliveries d ON d.id = r.delivery_id
                WHERE d.source_id = ? AND d.status = 'accepted'
                ORDER BY d.path, r.line
                """,
            arguments: [source.id])
        var counts = StageCounts()
        var seen: [String: String] = [:]
        for raw in raws {
            counts.rowsIn += 1
            switch check(raw, source: source) {
            case .success(let report):
                let key = "\(report.measureId)|\(report.period)|\(report.outputName ?? "")"
                if let first = seen[key] {
                    try reject(
                        raw,
                        reason: "a second report for measure \(report.measureId) in \(report.period)"
                            + "\(report.outputName.map { " (\($0))" } ?? ""); the first is at \(first)",
                        quarantine: &quarantine)
                    counts.rowsQuarantined += 1
                    continue
                }
                seen[key] = "\(raw.path):\(raw.line)"
                try report.insert(db)
                counts.rowsOut += 1
            case .failure(let rejection):
                try reject(raw, reason: rejection.reason, quarantine: &quarantine)
                counts.rowsQuarantined += 1
            }
        }
        return counts
    }

    private func reject(_ raw: Raw, reason: String, quarantine: inout QuarantineWriter) throws {
        quarantine.deliveryID = raw.deliveryId
        let text =
            "measure=\(raw.measure); period=\(raw.period); status=\(raw.status); output=\(raw.outputName ?? "")"
        try quarantine.add(
            RejectedRecord(location: SourceLocation(file: raw.path, line: raw.line), reason: reason, raw: text))
    }

    /// The report the row makes, or why it cannot be accepted.
    private func check(_ raw: Raw, source: SourceSpec) -> Result<MeasureReport, Rejection> {
        guard let plan else { return .failure(Rejection("the pipeline file names no action plan (action_plan:)")) }
        guard let measure = plan.measure(raw.measure) else {
            let known = plan.measures.map(\.id).joined(separator: ", ")
            return .failure(Rejection("unknown measure '\(raw.measure)': not in the action plan (known: \(known))"))
        }
        guard let status = MeasureStatus(word: raw.status) else {
            let words = MeasureStatus.allCases.map(\.rawValue).joined(separator: ", ")
            return .failure(Rejection("the status '\(raw.status)' is not one of: \(words)"))
        }
        guard let period = ReportPeriod(raw.period) else {
            return .failure(
                Rejection("the period '\(raw.period)' is not a quarter (2023K1, 2023-Q1) or a term (VT2024, HT2023)"))
        }
        guard measure.runs(during: period) else {
            return .failure(
                Rejection(
                    "the period \(period) lies outside the months measure \(measure.id) runs "
                        + "(\(measure.start)–\(measure.end))"))
        }
        var outputName = raw.outputName
        let planned = measure.outputs.map(\.name)
        if let name = outputName {
            guard planned.isEmpty || planned.contains(where: { $0.lowercased() == name.lowercased() }) else {
                return .failure(
                    Rejection(
                        "measure \(measure.id) plans no output '\(name)'; planned: \(planned.joined(separator: ", "))"))
            }
            outputName = planned.first { $0.lowercased() == name.lowercased() } ?? name
        } else if raw.outputs != nil {
            guard planned.count <= 1 else {
                return .failure(
                    Rejection(
                        "measure \(measure.id) plans several outputs; name the one delivered: "
                            + planned.joined(separator: ", ")))
            }
            outputName = planned.first
        } else if planned.count == 1 {
            outputName = planned.first
        }
        return .success(
            MeasureReport(
                sourceId: source.id, deliveryId: raw.deliveryId, line: raw.line, measureId: measure.id,
                period: period.description, periodStart: period.firstMonth.description,
                periodEnd: period.lastMonth.description, status: status.rawValue, outputName: outputName,
                outputsDelivered: raw.outputs, hours: raw.hours, costSek: raw.costSek, comment: raw.comment))
    }
}
