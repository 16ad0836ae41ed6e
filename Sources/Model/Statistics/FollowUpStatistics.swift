// Intervals and comparisons for judging a follow-up honestly (see the project's FOLLOW-UP notes).
// There is no statistics library among the Swift packages Lagesbild may use, so the distributions are
// written by hand in Distributions.swift and checked against SciPy by a reference test.

#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A closed interval of plausible values, `low` ≤ `high`.
public struct Interval: Sendable, Hashable {
    /// The lower end.
    public var low: Double
    /// The upper end.
    public var high: Double

    /// An interval from `low` to `high`.
    public init(low: Double, high: Double) {
        self.low = low
        self.high = high
    }

    /// Whether `value` lies in the interval, ends included.
    public func contains(_ value: Double) -> Bool { low <= value && value <= high }

    /// The interval with both ends multiplied by a positive `factor`.
    public func scaled(by factor: Double) -> Interval { Interval(low: low * factor, high: high * factor) }
}

/// A count of events and the exposure it happened in (population, person-years, …).
public struct RateCell: Sendable, Hashable {
    /// The number of events, 0 or more.
    public var count: Int
    /// The exposure the events happened in, positive.
    public var exposure: Double

    /// A count of events in an exposure.
    public init(count: Int, exposure: Double) {
        self.count = count
        self.exposure = exposure
    }

    /// Events per unit of exposure.
    public var rate: Double { Double(count) / exposure }
}

/// Intervals and comparisons for counts, rates and shares.
public enum FollowUpStatistics {
    /// The exact (Garwood) interval for a Poisson count `count`:
    /// low = χ²(α/2; 2k) / 2 (0 when k = 0), high = χ²(1 − α/2; 2k + 2) / 2, with α = 1 − `level`.
    /// Divide by the exposure for an interval of the rate.
    public static func poissonInterval(count: Int, level: Double = 0.95) -> Interval {
        precondition(count >= 0, "a count is never negative")
        let alpha = 1 - level
        let k = Double(count)
        let low = count == 0 ? 0 : chiSquareQuantile(alpha / 2, degreesOfFreedom: 2 * k) / 2
        let high = chiSquareQuantile(1 - alpha / 2, degreesOfFreedom: 2 * k + 2) / 2
        return Interval(low: low, high: high)
    }

    /// The Wilson score interval for the share `successes` / `trials` (0–1). Trials must be positive;
    /// successes may be fractional (weighted survey answers).
    public static func wilsonInterval(successes: Double, trials: Double, level: Double = 0.95) -> Interval {
        precondition(trials > 0 && successes >= 0 && successes <= trials, "a share needs 0 ≤ successes ≤ trials")
        let z = normalQuantile(1 - (1 - level) / 2)
        let share = successes / trials
        let z2n = z * z / trials
        let centre = (share + z2n / 2) / (1 + z2n)
        let half = z / (1 + z2n) * (share * (1 - share) / trials + z2n / (4 * trials)).squareRoot()
        return Interval(low: max(0, centre - half), high: min(1, centre + half))
    }

    /// The ratio of two Poisson rates, (count1 / exposure1) / (count2 / exposure2), with the interval
    /// from its log: ln ratio ± z √(1/k₁ + 1/k₂). Nil when either count is 0 (the log ratio is unbounded).
    public static func rateRatio(
        count1: Int, exposure1: Double, count2: Int, exposure2: Double, level: Double = 0.95
    ) -> (ratio: Double, interval: Interval)? {
        logRatio(
            numerator: [RateCell(count: count1, exposure: exposure1)],
            denominator: [RateCell(count: count2, exposure: exposure2)], level: level)
    }

    /// Difference in differences on log rates, as a ratio: (area after / area before) divided by
    /// (comparison after / comparison before). Below 1 means the area fell more (or rose less) than the
    /// comparison. The interval uses SE = √(Σ 1/k) over the four counts; nil when any count is 0.
    /// Read it as an indication: areas chosen after a bad year drift back by themselves (regression to
    /// the mean), and crime may move next door.
    public static func differenceInDifferences(
        areaBefore: RateCell, areaAfter: RateCell, comparisonBefore: RateCell, comparisonAfter: RateCell,
        level: Double = 0.95
    ) -> (ratio: Double, interval: Interval)? {
        logRatio(
            numerator: [areaAfter, comparisonBefore], denominator: [areaBefore, comparisonAfter], level: level)
    }

    /// Π(numerator rates) / Π(denominator rates) with a Wald interval on the log scale.
    private static func logRatio(
        numerator: [RateCell], denominator: [RateCell], level: Double
    ) -> (ratio: Double, interval: Interval)? {
        let cells = numerator + denominator
        guard cells.allSatisfy({ $0.count > 0 && $0.exposure > 0 }) else { return nil }
        let logRatio =
            numerator.reduce(0) { $0 + log($1.rate) } - denominator.reduce(0) { $0 + log($1.rate) }
        let standardError = cells.reduce(0) { $0 + 1 / Double($1.count) }.squareRoot()
        let z = normalQuantile(1 - (1 - level) / 2)
        return (
            exp(logRatio),
            Interval(low: exp(logRatio - z * standardError), high: exp(logRatio + z * standardError))
        )
    }
}
