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
    /// - Event counts above 0 and below `threshold` are suppressed, with the rate derived from them.
    /// - Shares with fewer than `threshold` respondents are suppressed.
    /// - A rate whose numerator exists but whose denominator does not throws ``MissingDenominatorError``.
    public static func value(
        of indicator: IndicatorSpec, areaName: String, period: String, numerator: Observed, denominator: Observed?,
        threshold: Int
    ) throws -> IndicatorValue {
        guard let count = numerator.value else {
            return IndicatorValue(
                numerator: nil, denominator: nil, value: nil, status: .missing,
                note: "the source has no number (\(numerator.missing ?? "missing"))")
        }
        let fromEvents: Bool
        if case .events = indicator.numerator { fromEvents = true } else { fromEvents = false }
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
                    let small = fromEvents && count > 0 && count < Double(threshold)
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
        if numerator.viaCrosswalk || denominator?.viaCrosswalk == true { result.flags.append("area-changed") }
        // Counts carried through the DeSO crosswalk can be fractions: anything above 0 and below the
        // threshold is hidden.
        if fromEvents, count > 0, count < Double(threshold) {
            result.suppress("fewer than \(threshold) events")
        }
        return result
    }
}
