import PipelineModel
import StageKit

extension IndicatorComputation {
    /// Gives every cell without an event a count of 0 where 0 is what the deliveries say: zero is a
    /// number, distinct from "no delivery covers this period".
    ///
    /// - Over a denominator of events (a share over events): every cell whose denominator has events.
    /// - Over another denominator (a rate per population): every cell with a denominator above 0 in a
    ///   period the accepted events deliveries cover (``EventCoverage``).
    /// - Without a denominator (a count): every area of the level in scope (today's DeSO codes only)
    ///   in every covered period.
    ///
    /// A share over events whose numerator is larger than its denominator is an error: its `where` is
    /// then not a subset of the denominator's.
    func addZeros(
        _ numerators: inout [Cell: Observed], denominators: [Cell: Observed]?, level: String, period: PeriodType
    ) throws {
        guard fromEvents, ["municipality", "district", "deso"].contains(level) else { return }
        if let denominators, indicator.denominator?.countsEvents == true {
            for (cell, numerator) in numerators where (numerator.value ?? 0) > (denominators[cell]?.value ?? 0) {
                throw StageDataError(
                    stage: .aggregate,
                    message: "indicator \(indicator.id): \(numerator.value ?? 0) events in the numerator but "
                        + "\(denominators[cell]?.value ?? 0) in the denominator for \(cell.area) in \(cell.period); "
                        + "the numerator's events (category and where) must be a subset of the denominator's")
            }
            for (cell, denominator) in denominators where numerators[cell] == nil && (denominator.value ?? 0) > 0 {
                numerators[cell] = Observed(value: 0, viaCrosswalk: denominator.viaCrosswalk)
            }
            return
        }
        let coverage = try reader.coverage(pipeline, counting: indicator.numerator)
        if let denominators {
            for (cell, denominator) in denominators where numerators[cell] == nil {
                guard let base = denominator.value, base > 0, coverage.covers(cell.period) else { continue }
                numerators[cell] = Observed(value: 0)
            }
            return
        }
        let periods = coverage.periods(period)
        for (code, area) in reader.directory.areas where area.level == level && reader.inScope(code, level: level) {
            if level == "deso", reader.directory.currentDeSO(code) != nil { continue }
            for period in periods where numerators[Cell(area: code, period: period)] == nil {
                numerators[Cell(area: code, period: period)] = Observed(value: 0)
            }
        }
    }
}
