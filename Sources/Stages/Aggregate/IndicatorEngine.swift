import LagesbildModel
import PipelineModel

/// One computed indicator value: the numbers behind it, and whether it can be published.
public struct IndicatorValue: Sendable, Hashable {
    public var period: String
    public var numerator: Double?
    public var denominator: Double?
    public var value: Double?
    public var status: ValueStatus
    /// Why the value is suppressed or missing, in words.
    public var note: String?
}

/// Whether a value is published.
public enum ValueStatus: String, Sendable, Hashable {
    case ok
    /// Hidden by disclosure control: too few events.
    case suppressed
    /// The source had no number (a `..` cell, say).
    case missing
}

/// A denominator that is not there for an area and period: an error, never a silent fallback.
public struct MissingDenominatorError: Error, Sendable, CustomStringConvertible {
    public var indicator: String
    public var area: String
    public var period: String
    public var denominator: String

    public var description: String {
        "indicator \(indicator): no denominator (\(denominator)) for \(area) in \(period); "
            + "deliver it or narrow the indicator's periods"
    }
}

/// The arithmetic of indicators: pure functions over numbers, no database.
public enum IndicatorEngine {
    /// A number that may be missing with a reason (`..` in the source).
    public typealias Observed = (value: Double?, missingReason: String?)

    /// Computes an indicator per period from its numerators and, for rates, denominators.
    ///
    /// - Counts below `threshold` (events only) are suppressed with every value derived from them.
    /// - A rate whose numerator exists but whose denominator does not throws ``MissingDenominatorError``.
    public static func compute(
        indicator: IndicatorSpec, areaName: String, numerators: [String: Observed], denominators: [String: Observed],
        suppressBelow threshold: Int
    ) throws -> [IndicatorValue] {
        var result: [IndicatorValue] = []
        for period in numerators.keys.sorted() {
            let numerator = numerators[period]!
            guard let count = numerator.value else {
                result.append(
                    IndicatorValue(
                        period: period, numerator: nil, denominator: nil, value: nil, status: .missing,
                        note: "the source has no number: \(numerator.missingReason ?? "missing")"))
                continue
            }
            var denominatorValue: Double?
            if indicator.kind == .rate {
                guard let denominator = denominators[period] else {
                    throw MissingDenominatorError(
                        indicator: indicator.id, area: areaName, period: period,
                        denominator: indicator.denominator.map(String.init(describing:)) ?? "")
                }
                guard let value = denominator.value, value > 0 else {
                    result.append(
                        IndicatorValue(
                            period: period, numerator: count, denominator: nil, value: nil, status: .missing,
                            note: "the denominator is missing in the source: \(denominator.missingReason ?? "zero")"))
                    continue
                }
                denominatorValue = value
            }
            if case .events = indicator.numerator, count < Double(threshold), count > 0 {
                result.append(
                    IndicatorValue(
                        period: period, numerator: nil, denominator: denominatorValue, value: nil, status: .suppressed,
                        note: "fewer than \(threshold) events"))
                continue
            }
            let value: Double
            switch indicator.kind {
            case .count: value = count
            case .rate: value = rate(count, per: denominatorValue!, scale: indicator.scale)
            }
            result.append(
                IndicatorValue(
                    period: period, numerator: count, denominator: denominatorValue, value: value, status: .ok,
                    note: nil))
        }
        return result
    }

    /// `numerator / denominator × scale`.
    public static func rate(_ numerator: Double, per denominator: Double, scale: Double) -> Double {
        numerator / denominator * scale
    }
}
