import Foundation

/// Maps a domain of values linearly onto a range of coordinates, with "nice" ticks.
///
/// The range may run backwards (an SVG y axis maps larger values to smaller y). A domain of zero
/// height maps every value to the middle of the range.
public struct LinearScale: Sendable, Hashable {
    public var domainLower: Double
    public var domainUpper: Double
    public var rangeStart: Double
    public var rangeEnd: Double

    public init(domain: (Double, Double), range: (Double, Double)) {
        domainLower = domain.0
        domainUpper = domain.1
        rangeStart = range.0
        rangeEnd = range.1
    }

    /// The coordinate of `value`.
    public func callAsFunction(_ value: Double) -> Double {
        let span = domainUpper - domainLower
        guard span != 0, span.isFinite else { return (rangeStart + rangeEnd) / 2 }
        return rangeStart + (value - domainLower) / span * (rangeEnd - rangeStart)
    }

    /// A step of 1, 2 or 5 × 10ⁿ that gives about `count` intervals over the domain.
    public func tickStep(count: Int = 5) -> Double {
        Self.tickStep(lower: domainLower, upper: domainUpper, count: count)
    }

    /// Round values inside the domain, e.g. 0, 500, 1 000, ….
    public func ticks(count: Int = 5) -> [Double] {
        let lower = min(domainLower, domainUpper)
        let upper = max(domainLower, domainUpper)
        if lower == upper { return [lower] }
        let step = Self.tickStep(lower: lower, upper: upper, count: count)
        guard step > 0, step.isFinite else { return [lower, upper] }
        let first = (lower / step - 1e-9).rounded(.up)
        let last = (upper / step + 1e-9).rounded(.down)
        guard last >= first, last - first < 1000 else { return [lower, upper] }
        return stride(from: first, through: last, by: 1).map { Self.multiple($0, of: step) }
    }

    /// Decimals needed to write ticks of this scale.
    public func tickDecimals(count: Int = 5) -> Int {
        let step = tickStep(count: count)
        guard step > 0, step.isFinite else { return 0 }
        return max(0, Int((-log10(step)).rounded(.up)))
    }

    /// The domain widened to whole tick steps. A zero-height domain is first widened: to 0…1 at zero,
    /// otherwise to reach zero (0…v or v…0).
    public func niced(count: Int = 5) -> LinearScale {
        var lower = min(domainLower, domainUpper)
        var upper = max(domainLower, domainUpper)
        if lower == upper {
            if lower == 0 {
                upper = 1
            } else if lower > 0 {
                lower = 0
            } else {
                upper = 0
            }
        }
        for _ in 0..<2 {
            let step = Self.tickStep(lower: lower, upper: upper, count: count)
            guard step > 0, step.isFinite else { break }
            lower = Self.multiple((lower / step + 1e-9).rounded(.down), of: step)
            upper = Self.multiple((upper / step - 1e-9).rounded(.up), of: step)
        }
        return LinearScale(domain: (lower, upper), range: (rangeStart, rangeEnd))
    }

    static func tickStep(lower: Double, upper: Double, count: Int) -> Double {
        let span = abs(upper - lower)
        guard span > 0, span.isFinite, count > 0 else { return 0 }
        let rough = span / Double(count)
        var step = pow(10, (log10(rough)).rounded(.down))
        let error = rough / step
        if error >= 7.07 {
            step *= 10
        } else if error >= 3.16 {
            step *= 5
        } else if error >= 1.41 {
            step *= 2
        }
        return step
    }

    /// `index × step` without the floating-point noise of small steps (3 × 0.1 = 0.3, not 0.30000000000000004).
    static func multiple(_ index: Double, of step: Double) -> Double {
        if step < 1 {
            let inverse = (1 / step).rounded()
            return index / inverse
        }
        return index * step
    }
}
