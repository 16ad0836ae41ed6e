import Aggregate
import GRDB
import PipelineModel
import Workspace

/// Why an event count is 0 and not missing, or missing and not 0, for `lagesbild explain`.
enum ZeroExplanation {
    /// For a value whose event count is 0: the Swedish sentence that says so and which deliveries cover
    /// the period; nil for every other value.
    static func text(
        _ indicator: IndicatorSpec, row: IndicatorValueRecord, pipeline: Pipeline, workspace: Workspace, db: Database
    ) throws -> String? {
        guard let category = indicator.numerator.eventCategory, let count = row.numerator, count == 0
        else { return nil }
        let period = row.period
        let area = "\(row.areaName) (\(row.areaCode))"
        var subset = "i kategorin \(category)"
        if case .filteredEvents(_, let filter) = indicator.numerator { subset += " där \(filter)" }
        if indicator.denominator?.countsEvents == true {
            return "0 händelser \(subset) i \(area) \(period), bland de händelser som nämnaren räknar: "
                + "andelen är 0, inte saknad"
        }
        let files = try EventCoverage(db: db, workspace: workspace, pipeline: pipeline, counting: indicator.numerator)
            .files(covering: period)
        return "0 händelser \(subset) i \(area) \(period): perioden täcks av godkända leveranser av händelser "
            + "(\(files.joined(separator: ", "))) och ingen av dem har en sådan händelse i området — värdet är 0, "
            + "inte saknat"
    }

    /// For an events indicator asked about a period no accepted events delivery covers: the message that
    /// says its value is missing, not 0; nil otherwise.
    static func uncovered(
        _ indicator: IndicatorSpec, period: String, pipeline: Pipeline, workspace: Workspace, db: Database
    ) throws -> String? {
        guard indicator.numerator.countsEvents else { return nil }
        let coverage = try EventCoverage(
            db: db, workspace: workspace, pipeline: pipeline, counting: indicator.numerator)
        guard !coverage.covers(period) else { return nil }
        return "no value of \(indicator.id) in \(period): no accepted delivery of events covers all of "
            + "\(period), so its count is missing, not 0 (ingen godkänd leverans av händelser täcker \(period))"
    }
}
