// Judging a follow-up target on every year since its baseline, never on one latest point alone.

/// How a target is doing, judged on every year since its baseline.
public enum TargetJudgement: String, StoredWord, Codable {
    public static let storedName = "target judgement"

    /// The latest year's whole interval is on the good side of the target.
    case reached
    /// The trend, projected to the target year, has its whole interval on the good side of the target.
    case onTheWay = "on-the-way"
    /// The trend goes significantly the wrong way, or its projection is wholly on the bad side.
    case notOnTheWay = "not-on-the-way"
    /// The projection's interval spans the target, or no trend could be fitted: too uncertain to say.
    case tooUncertain = "too-uncertain"
    /// Fewer than three yearly values from the baseline year on.
    case tooLittleData = "too-little-data"
}

/// The judgement of one target with the numbers behind it.
public struct TargetAssessment: Sendable {
    /// The verdict.
    public var judgement: TargetJudgement
    /// The trend fitted to the years from the baseline on, when there were enough of them.
    public var trend: Trend?
    /// The trend's fitted value in the target year, with its interval.
    public var projected: (value: Double, interval: Interval)?
    /// The latest year's value with its interval (exact Poisson for counts, Wilson for shares, the value
    /// itself for plain values).
    public var latest: (year: Int, value: Double, interval: Interval)?
    /// One plain English sentence on why, with the numbers.
    public var explanation: String

    /// An assessment from its parts.
    public init(
        judgement: TargetJudgement, trend: Trend?, projected: (value: Double, interval: Interval)?,
        latest: (year: Int, value: Double, interval: Interval)?, explanation: String
    ) {
        self.judgement = judgement
        self.trend = trend
        self.projected = projected
        self.latest = latest
        self.explanation = explanation
    }
}

/// Judges whether a target is reached, on the way, not on the way or too uncertain to say.
public enum TargetJudge {
    /// The yearly data behind a target, one entry a year in arrays of equal length (any order). Rates,
    /// shares and targets use the same `scale` (e.g. per 100 000 inhabitants, or 100 for per cent).
    public enum Series: Sendable {
        /// Event counts with their exposure (population); rates per `scale` units of exposure.
        case counts(years: [Int], counts: [Int], exposures: [Double], scale: Double)
        /// Successes out of trials (survey answers); shares times `scale`.
        case shares(years: [Int], successes: [Double], trials: [Double], scale: Double)
        /// Plain values without a known sampling error.
        case values(years: [Int], values: [Double])
    }

    /// Judges a target on the years from `baselineYear` on:
    ///
    /// 1. `reached` when the latest year's interval lies wholly on the good side of `targetValue`
    ///    (for lower-is-better: high ≤ target). Needs only the latest point.
    /// 2. `tooLittleData` with fewer than three distinct years from the baseline year on (baseline included).
    /// 3. `tooUncertain` when no trend can be fitted.
    /// 4. `notOnTheWay` when the yearly change is significantly in the wrong direction, whatever the
    ///    projection: a rising series never reads as on the way when lower is better.
    /// 5. Otherwise the trend is projected to `targetYear`: `onTheWay` when its interval lies wholly on
    ///    the good side of the target, `notOnTheWay` when wholly on the bad side, else `tooUncertain`.
    ///    A trend whose estimate moves the wrong way (even insignificantly) is never `onTheWay`: a
    ///    projection wholly on the good side then reads `tooUncertain`.
    public static func assess(
        series: Series, baselineYear: Int, targetYear: Int, targetValue: Double, better: Direction,
        level: Double = 0.95
    ) -> TargetAssessment {
        let points = YearlyPoints(series: series, from: baselineYear, level: level)
        let judge = Wording(better: better, target: targetValue, level: level)
        let target = number(targetValue, trimmed: true)
        guard let latest = points.latest else {
            return TargetAssessment(
                judgement: .tooLittleData, trend: nil, projected: nil, latest: nil,
                explanation: "There is no value from the baseline year \(baselineYear) on.")
        }
        if judge.isGood(latest.interval) {
            return TargetAssessment(
                judgement: .reached, trend: nil, projected: nil, latest: latest,
                explanation: "In \(latest.year) the value was \(judge.describe(latest.value, latest.interval)), "
                    + (latest.interval.low < latest.interval.high ? "wholly " : "")
                    + "\(judge.goodSide) the target of \(target).")
        }
        guard points.count >= 3 else {
            return TargetAssessment(
                judgement: .tooLittleData, trend: nil, projected: nil, latest: latest,
                explanation:
                    "There \(points.count == 1 ? "is only 1 yearly value" : "are only \(points.count) yearly values") "
                    + "from the baseline year \(baselineYear) on; at least 3 are needed to judge a trend.")
        }
        guard let trend = points.trend else {
            return TargetAssessment(
                judgement: .tooUncertain, trend: nil, projected: nil, latest: latest,
                explanation: "No trend could be fitted to the \(points.count) yearly values from \(baselineYear) on "
                    + "(\(points.degenerateReason)), so it is too uncertain to say.")
        }
        let change = judge.describeChange(trend)
        if judge.isWrongWay(trend) {
            return TargetAssessment(
                judgement: .notOnTheWay, trend: trend, projected: trend.predicted(year: targetYear), latest: latest,
                explanation: "Since \(baselineYear) the value \(change), "
                    + "clearly the wrong direction for a target of \(target) by \(targetYear)."
            )
        }
        let projected = trend.predicted(year: targetYear)
        let projection =
            "The trend since \(baselineYear) (\(change)) gives "
            + "\(judge.describe(projected.value, projected.interval)) in \(targetYear)"
        if judge.isGood(projected.interval) && judge.isMovingWrongWay(trend) {
            // The level is low enough for now, but it moves the wrong way: never call that on the way.
            return TargetAssessment(
                judgement: .tooUncertain, trend: trend, projected: projected, latest: latest,
                explanation: projection + ", \(judge.goodSide) the target of \(target), "
                    + "but the values are moving the wrong way and the latest year is not clearly there yet: "
                    + "too uncertain to say.")
        }
        if judge.isGood(projected.interval) {
            return TargetAssessment(
                judgement: .onTheWay, trend: trend, projected: projected, latest: latest,
                explanation: projection
                    + ", wholly \(judge.goodSide) the target of \(target).")
        }
        if judge.isBad(projected.interval) {
            return TargetAssessment(
                judgement: .notOnTheWay, trend: trend, projected: projected, latest: latest,
                explanation: projection
                    + ", wholly \(judge.badSide) the target of \(target).")
        }
        return TargetAssessment(
            judgement: .tooUncertain, trend: trend, projected: projected, latest: latest,
            explanation: projection
                + ", an interval that spans the target of \(target): too uncertain to say.")
    }
}

/// The points of a series from the baseline year on, sorted by year, with the latest point's interval
/// and the trend fitted to them.
private struct YearlyPoints {
    var count: Int
    var latest: (year: Int, value: Double, interval: Interval)?
    var trend: Trend?
    var degenerateReason: String

    init(series: TargetJudge.Series, from baselineYear: Int, level: Double) {
        switch series {
        case .counts(let years, let counts, let exposures, let scale):
            let kept = Self.kept(years, from: baselineYear)
            count = Set(kept.map { years[$0] }).count
            if let last = kept.last {
                let exposure = exposures[last]
                let interval = FollowUpStatistics.poissonInterval(count: counts[last], level: level)
                latest = (years[last], Double(counts[last]) / exposure * scale, interval.scaled(by: scale / exposure))
            }
            trend = Trend.poisson(
                years: kept.map { years[$0] }, counts: kept.map { counts[$0] }, exposures: kept.map { exposures[$0] },
                scale: scale, level: level)
            degenerateReason = "too few events, or all of them in one end year"
        case .shares(let years, let successes, let trials, let scale):
            let kept = Self.kept(years, from: baselineYear)
            count = Set(kept.map { years[$0] }).count
            if let last = kept.last {
                let interval = FollowUpStatistics.wilsonInterval(
                    successes: successes[last], trials: trials[last], level: level)
                latest = (years[last], successes[last] / trials[last] * scale, interval.scaled(by: scale))
            }
            trend = Trend.binomial(
                years: kept.map { years[$0] }, successes: kept.map { successes[$0] },
                trials: kept.map { trials[$0] }, scale: scale, level: level)
            degenerateReason = "every share is 0 or every share is full, or they change all at once"
        case .values(let years, let values):
            let kept = Self.kept(years, from: baselineYear)
            count = Set(kept.map { years[$0] }).count
            if let last = kept.last {
                latest = (years[last], values[last], Interval(low: values[last], high: values[last]))
            }
            trend = Trend.linear(years: kept.map { years[$0] }, values: kept.map { values[$0] }, level: level)
            degenerateReason = "the values are not all finite numbers"
        }
    }

    /// Indices of the years from the baseline on, in year order.
    private static func kept(_ years: [Int], from baselineYear: Int) -> [Int] {
        years.indices.filter { years[$0] >= baselineYear }.sorted { years[$0] < years[$1] }
    }
}

/// Which side of the target is good, and the words for it.
private struct Wording {
    var better: Direction
    var target: Double
    var level: Double

    var goodSide: String { better == .lower ? "at or below" : "at or above" }
    var badSide: String { better == .lower ? "above" : "below" }

    func isGood(_ interval: Interval) -> Bool {
        better == .lower ? interval.high <= target : interval.low >= target
    }

    func isBad(_ interval: Interval) -> Bool {
        better == .lower ? interval.low > target : interval.high < target
    }

    /// Whether the yearly change's point estimate goes the wrong way (significantly or not).
    func isMovingWrongWay(_ trend: Trend) -> Bool {
        let noChange = trend.model == .linear ? 0.0 : 1.0
        return better == .lower ? trend.annualChange > noChange : trend.annualChange < noChange
    }

    /// Whether the yearly change's whole interval lies on the bad side of "no change".
    func isWrongWay(_ trend: Trend) -> Bool {
        let noChange = trend.model == .linear ? 0.0 : 1.0
        let interval = trend.annualChangeInterval
        return better == .lower ? interval.low > noChange : interval.high < noChange
    }

    /// A value with its interval; a plain value (no sampling error) on its own.
    func describe(_ value: Double, _ interval: Interval) -> String {
        guard interval.low < interval.high else { return number(value) }
        return "\(number(value)) (\(percent(level)) interval \(number(interval.low))–\(number(interval.high)))"
    }

    func describeChange(_ trend: Trend) -> String {
        let interval = trend.annualChangeInterval
        let level = percent(trend.level)
        switch trend.model {
        case .poisson:
            return "changes by \(signedPercent(trend.annualChange)) a year, \(level) interval "
                + "\(signedPercent(interval.low)) to \(signedPercent(interval.high))"
        case .binomial:
            return "changes its odds by a factor of \(number(trend.annualChange)) a year, \(level) interval "
                + "\(number(interval.low))–\(number(interval.high))"
        case .linear:
            return "changes by \(number(trend.annualChange)) a year, \(level) interval "
                + "\(number(interval.low)) to \(number(interval.high))"
        }
    }
}

/// A ratio as a signed percentage change: 1.053 → "+5.3 %".
private func signedPercent(_ ratio: Double) -> String {
    let change = (ratio - 1) * 100
    return (change >= 0 ? "+" : "") + number(change, decimals: abs(change) < 1 ? 2 : 1) + " %"
}

private func percent(_ level: Double) -> String { number(level * 100, trimmed: true) + " %" }

/// A number for a sentence, with a point as decimal separator: one decimal from 10 up, two below,
/// three below 0.1; `trimmed` drops trailing zeros (for targets and levels as the user gave them).
private func number(_ value: Double, decimals: Int? = nil, trimmed: Bool = false) -> String {
    guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "∞" : "−∞") }
    let magnitude = abs(value)
    let places = decimals ?? (magnitude >= 10 ? 1 : magnitude >= 0.1 ? 2 : 3)
    var factor = 1.0
    for _ in 0..<places { factor *= 10 }
    let scaled = (magnitude * factor).rounded()
    guard scaled < 9e15 else { return "\(value)" }
    let units = Int(scaled)
    let whole = units / Int(factor)
    var fraction = places > 0 ? String(units % Int(factor)) : ""
    while fraction.count < places { fraction = "0" + fraction }
    while trimmed && fraction.hasSuffix("0") { fraction.removeLast() }
    let sign = value < 0 && units > 0 ? "-" : ""
    return sign + String(whole) + (fraction.isEmpty ? "" : "." + fraction)
}
