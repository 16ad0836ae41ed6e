import Foundation
import PipelineModel

/// The arithmetic of indicators: pure functions over numbers, no database.
public enum IndicatorMath {
    /// `numerator / denominator × scale`.
    public static func rate(_ numerator: Double, per denominator: Double, scale: Double) -> Double {
        numerator / denominator * scale
    }

    /// The 95 % Wilson score interval of a share `p` (0…1) observed among `n` respondents, as (low, high).
    public static func wilson(share p: Double, respondents n: Double, z: Double = 1.959_963_985) -> (Double, Double) {
        guard n > 0 else { return (0, 1) }
        let z2 = z * z
        let centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        let margin = z / (1 + z2 / n) * ((p * (1 - p) / n + z2 / (4 * n * n)).squareRoot())
        return (max(0, centre - margin), min(1, centre + margin))
    }

    /// Computes one cell of an indicator from its numerator and denominator.
    ///
    /// - Event counts above 0 (or 0 too, with `suppressZeros`) and below `threshold` are suppressed, with
    ///   the rate derived from them. A count of 0 is a value: its rate is 0.
    /// - Shares with fewer than `threshold` respondents are suppressed.
    /// - A share over events has a 95 % Wilson interval; it is suppressed when its numerator, its
    ///   denominator or their difference is a count that would be suppressed.
    /// - A rate whose numerator exists but whose denominator does not throws ``MissingDenominatorError``.
    public static func value(
        of indicator: IndicatorSpec, areaName: String, period: String, numerator: Observed, denominator: Observed?,
        threshold: Int, suppressZeros: Bool = false
    ) throws -> IndicatorValue {
        let disclosure = DisclosureSpec(threshold: threshold, suppressZeros: suppressZeros)
        guard let count = numerator.value else {
            return IndicatorValue(
                numerator: nil, denominator: nil, value: nil, status: .missing,
                note: "the source has no number (\(numerator.missing ?? "missing"))")
        }
        let fromEvents = indicator.numerator.countsEvents
        var result: IndicatorValue
        switch indicator.kind {
        case .count, .value:
            result = IndicatorValue(numerator: count, denominator: nil, value: count, status: .ok)
        case .rate, .share:
            if let denominatorQuantity = indicator.denominator {
                guard let denominator else {
                    throw MissingDenominatorError(
                        indicator: indicator.id, area: areaName, period: period,
                        denominator: denominatorQuantity.description)
                }
                guard let base = denominator.value, base > 0 else {
                    // A small count stays hidden even when no rate can be computed.
                    let small = fromEvents && disclosure.hides(count: count)
                    return IndicatorValue(
                        numerator: small ? nil : count, denominator: nil, value: nil,
                        status: small ? .suppressed : .missing,
                        note: small
                            ? "fewer than \(threshold) events"
                            : "the denominator is missing in the source (\(denominator.missing ?? "zero"))")
                }
                result = IndicatorValue(
                    numerator: count, denominator: base, value: rate(count, per: base, scale: indicator.scale),
                    status: .ok)
                if indicator.kind == .share, denominatorQuantity.countsEvents {
                    // A share of events: each event is a trial.
                    let (low, high) = wilson(share: min(max(count / base, 0), 1), respondents: base)
                    result.ciLow = low * indicator.scale
                    result.ciHigh = high * indicator.scale
                    if disclosure.hides(count: base) || disclosure.hides(count: base - count) {
                        result.suppress(
                            "fewer than \(threshold) events in the denominator or outside the numerator")
                        return result
                    }
                }
            } else {
                // A delivered share in %: its interval comes from the number of respondents.
                result = IndicatorValue(numerator: count, denominator: numerator.base, value: count, status: .ok)
                if let respondents = numerator.base {
                    if respondents < Double(threshold) {
                        result.suppress("fewer than \(threshold) respondents")
                        return result
                    }
                    let (low, high) = wilson(share: min(max(count / 100, 0), 1), respondents: respondents)
                    result.ciLow = low * 100
                    result.ciHigh = high * 100
                }
            }
        }
        if numerator.viaCrosswalk || denominator?.viaCrosswalk == true { result.flags.insert(.areaChanged) }
        if let partial = numerator.partial {
            result.flags.insert(.partial)
            let note = "computed from \(partial.used) of \(partial.of) areas, the others have no number in the source"
            result.note = result.note.map { $0 + "; " + note } ?? note
        }
        // Counts carried through the DeSO crosswalk can be fractions: anything above 0 and below the
        // threshold is hidden.
        if fromEvents, disclosure.hides(count: count) {
            result.suppress("fewer than \(threshold) events")
        }
        return result
    }
}
