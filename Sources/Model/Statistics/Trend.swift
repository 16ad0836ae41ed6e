// Trends over years, fitted by hand (no statistics library is among Lagesbild's allowed packages):
// Poisson and binomial regressions by Newton's method (the same as IRLS for these canonical links),
// ordinary least squares in closed form. Years are centred on their mean so the two coefficients are
// nearly uncorrelated and the fit is well conditioned.

#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A fitted trend over years with its uncertainty.
///
/// - `poisson`: log-linear Poisson regression of counts on the year, with the exposure (population) as
///   offset: ln E[count] = ln exposure + a + b·year.
/// - `binomial`: logistic regression of successes of trials on the year: logit share = a + b·year.
/// - `linear`: ordinary least squares of plain values on the year, with t-based intervals.
///
/// The Poisson and binomial fits assume no variation beyond chance (no overdispersion); with a handful
/// of years that extra variation cannot be estimated reliably anyway.
public struct Trend: Sendable {
    /// The kind of regression.
    public enum Model: String, StoredWord, Codable {
        public static let storedName = "trend model"

        /// Counts with an exposure offset, log link.
        case poisson
        /// Successes of trials, logit link.
        case binomial
        /// Plain values, ordinary least squares.
        case linear
    }

    /// Which regression was fitted.
    public var model: Model
    /// The yearly change: a rate ratio for `poisson` (1.05 = +5 % a year), an odds ratio for `binomial`,
    /// a difference per year for `linear`.
    public var annualChange: Double
    /// The confidence interval of ``annualChange`` at ``level``.
    public var annualChangeInterval: Interval
    /// The confidence level of the intervals, e.g. 0.95.
    public var level: Double
    /// The first and last year of the data the trend was fitted to.
    public var years: ClosedRange<Int>
    /// The number of yearly points the trend was fitted to.
    public var pointCount: Int

    /// Coefficients on the link scale (log rate, logit share or value) against `year − centreYear`.
    var intercept: Double
    var slope: Double
    /// Covariance of (intercept, slope): var(intercept), cov, var(slope).
    var covariance: (Double, Double, Double)
    var centreYear: Double
    /// The multiplier of the fitted rate or share (1, 100, 100 000, …).
    var scale: Double
    /// z for `poisson` and `binomial`, t with n − 2 degrees of freedom for `linear`.
    var criticalValue: Double

    /// The fitted value in `year` with its confidence interval: a rate per `scale` units of exposure for
    /// `poisson`, a share times `scale` for `binomial`, a value for `linear`. The interval comes from
    /// the covariance of the fit (on the log or logit scale, then transformed back). Years outside the
    /// data extrapolate the trend.
    public func predicted(year: Int) -> (value: Double, interval: Interval) {
        let x = Double(year) - centreYear
        let eta = intercept + slope * x
        let variance = covariance.0 + 2 * x * covariance.1 + x * x * covariance.2
        let margin = criticalValue * max(0, variance).squareRoot()
        switch model {
        case .poisson:
            return (scale * exp(eta), Interval(low: scale * exp(eta - margin), high: scale * exp(eta + margin)))
        case .binomial:
            return (
                scale * logistic(eta),
                Interval(low: scale * logistic(eta - margin), high: scale * logistic(eta + margin))
            )
        case .linear:
            return (eta, Interval(low: eta - margin, high: eta + margin))
        }
    }

    /// A log-linear Poisson trend of `counts` with `exposures` as offset; rates are given per `scale`
    /// units of exposure (100 000 for "per 100 000 inhabitants"). Nil when the data cannot carry a trend:
    /// fewer than two distinct years, no events at all, a non-positive exposure, or a fit that does not
    /// converge (all events in the first or last year).
    public static func poisson(
        years: [Int], counts: [Int], exposures: [Double], scale: Double, level: Double = 0.95
    ) -> Trend? {
        precondition(years.count == counts.count && years.count == exposures.count, "one count and exposure a year")
        guard counts.allSatisfy({ $0 >= 0 }), exposures.allSatisfy({ $0 > 0 && $0.isFinite }),
            counts.reduce(0, +) > 0, Set(years).count >= 2
        else { return nil }
        let centre = mean(years.map(Double.init))
        let x = years.map { Double($0) - centre }
        let y = counts.map(Double.init)
        let start = (log(y.reduce(0, +) / exposures.reduce(0, +)), 0.0)
        let fit = newton(start: start) { a, b in
            var terms = LikelihoodTerms()
            for index in x.indices {
                let eta = a + b * x[index]
                let mu = exposures[index] * exp(eta)
                terms.add(
                    logLikelihood: y[index] * log(exposures[index]) + y[index] * eta - mu,
                    residual: y[index] - mu, weight: mu, x: x[index])
            }
            return terms
        }
        guard let fit else { return nil }
        let z = FollowUpStatistics.normalQuantile(1 - (1 - level) / 2)
        let slopeError = fit.covariance.2.squareRoot()
        return Trend(
            model: .poisson, annualChange: exp(fit.b),
            annualChangeInterval: Interval(low: exp(fit.b - z * slopeError), high: exp(fit.b + z * slopeError)),
            level: level, years: years.min()!...years.max()!, pointCount: years.count, intercept: fit.a,
            slope: fit.b, covariance: fit.covariance, centreYear: centre, scale: scale, criticalValue: z)
    }

    /// A logistic trend of `successes` out of `trials` (successes may be fractional, e.g. weighted
    /// survey answers); shares are given times `scale` (1 for 0–1, 100 for per cent). Nil when the data
    /// cannot carry a trend: fewer than two distinct years, a non-positive number of trials, no
    /// successes or no failures at all, or a fit that does not converge.
    public static func binomial(
        years: [Int], successes: [Double], trials: [Double], scale: Double, level: Double = 0.95
    ) -> Trend? {
        precondition(years.count == successes.count && years.count == trials.count, "one share a year")
        guard trials.allSatisfy({ $0 > 0 && $0.isFinite }),
            zip(successes, trials).allSatisfy({ $0 >= 0 && $0 <= $1 }), Set(years).count >= 2
        else { return nil }
        let total = successes.reduce(0, +)
        let totalTrials = trials.reduce(0, +)
        guard total > 0, total < totalTrials else { return nil }
        let centre = mean(years.map(Double.init))
        let x = years.map { Double($0) - centre }
        let share = total / totalTrials
        let fit = newton(start: (log(share / (1 - share)), 0)) { a, b in
            var terms = LikelihoodTerms()
            for index in x.indices {
                let eta = a + b * x[index]
                let p = logistic(eta)
                let s = successes[index]
                let n = trials[index]
                // ln p = −softplus(−η), ln(1 − p) = −softplus(η).
                terms.add(
                    logLikelihood: -s * softplus(-eta) - (n - s) * softplus(eta), residual: s - n * p,
                    weight: n * p * (1 - p), x: x[index])
            }
            return terms
        }
        guard let fit else { return nil }
        let z = FollowUpStatistics.normalQuantile(1 - (1 - level) / 2)
        let slopeError = fit.covariance.2.squareRoot()
        return Trend(
            model: .binomial, annualChange: exp(fit.b),
            annualChangeInterval: Interval(low: exp(fit.b - z * slopeError), high: exp(fit.b + z * slopeError)),
            level: level, years: years.min()!...years.max()!, pointCount: years.count, intercept: fit.a,
            slope: fit.b, covariance: fit.covariance, centreYear: centre, scale: scale, criticalValue: z)
    }

    /// A straight line through plain `values` by ordinary least squares, with intervals from Student's t
    /// with n − 2 degrees of freedom. Nil with fewer than three points, fewer than two distinct years or
    /// a value that is not finite.
    public static func linear(years: [Int], values: [Double], level: Double = 0.95) -> Trend? {
        precondition(years.count == values.count, "one value a year")
        guard years.count >= 3, Set(years).count >= 2, values.allSatisfy(\.isFinite) else { return nil }
        let n = Double(years.count)
        let centre = mean(years.map(Double.init))
        let x = years.map { Double($0) - centre }
        let meanValue = mean(values)
        let sxx = x.reduce(0) { $0 + $1 * $1 }
        let sxy = zip(x, values).reduce(0) { $0 + $1.0 * ($1.1 - meanValue) }
        let slope = sxy / sxx
        let residualSquares = zip(x, values).reduce(0) { sum, point in
            let residual = point.1 - meanValue - slope * point.0
            return sum + residual * residual
        }
        let residualVariance = residualSquares / (n - 2)
        let t = FollowUpStatistics.studentTQuantile(1 - (1 - level) / 2, degreesOfFreedom: n - 2)
        let slopeError = (residualVariance / sxx).squareRoot()
        return Trend(
            model: .linear, annualChange: slope,
            annualChangeInterval: Interval(low: slope - t * slopeError, high: slope + t * slopeError),
            level: level, years: years.min()!...years.max()!, pointCount: years.count, intercept: meanValue,
            slope: slope, covariance: (residualVariance / n, 0, residualVariance / sxx), centreYear: centre,
            scale: 1, criticalValue: t)
    }
}

/// Sums over the data points for one (a, b): the log-likelihood, the score and the information matrix.
private struct LikelihoodTerms {
    var logLikelihood = 0.0
    var score = (0.0, 0.0)
    var information = (0.0, 0.0, 0.0)

    mutating func add(logLikelihood term: Double, residual: Double, weight: Double, x: Double) {
        logLikelihood += term
        score.0 += residual
        score.1 += residual * x
        information.0 += weight
        information.1 += weight * x
        information.2 += weight * x * x
    }
}

/// Maximizes a concave two-parameter log-likelihood by Newton's method with step halving. Returns the
/// estimate and its covariance (the inverse information), or nil when it does not converge (e.g. the
/// estimate runs off to infinity) or the information is singular.
private func newton(
    start: (Double, Double), terms: (Double, Double) -> LikelihoodTerms
) -> (a: Double, b: Double, covariance: (Double, Double, Double))? {
    var (a, b) = start
    var current = terms(a, b)
    for _ in 0..<100 {
        guard let inverse = invert(current.information) else { return nil }
        let stepA = inverse.0 * current.score.0 + inverse.1 * current.score.1
        let stepB = inverse.1 * current.score.0 + inverse.2 * current.score.1
        var factor = 1.0
        var next = terms(a + stepA, b + stepB)
        while !(next.logLikelihood >= current.logLikelihood - 1e-12 * abs(current.logLikelihood)) && factor > 1e-6 {
            factor /= 2
            next = terms(a + factor * stepA, b + factor * stepB)
        }
        a += factor * stepA
        b += factor * stepB
        current = next
        guard a.isFinite, b.isFinite else { return nil }
        if abs(factor * stepA) < 1e-11 && abs(factor * stepB) < 1e-11 {
            guard let covariance = invert(terms(a, b).information),
                covariance.0 > 0, covariance.2 > 0, covariance.0.isFinite, covariance.2.isFinite
            else { return nil }
            return (a, b, covariance)
        }
    }
    return nil
}

/// The inverse of the symmetric 2 × 2 matrix ((m.0, m.1), (m.1, m.2)), or nil when it is singular.
private func invert(_ m: (Double, Double, Double)) -> (Double, Double, Double)? {
    let determinant = m.0 * m.2 - m.1 * m.1
    guard determinant > 0, determinant.isFinite else { return nil }
    return (m.2 / determinant, -m.1 / determinant, m.0 / determinant)
}

private func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }

private func logistic(_ eta: Double) -> Double {
    eta >= 0 ? 1 / (1 + exp(-eta)) : exp(eta) / (1 + exp(eta))
}

/// ln(1 + eˣ) without overflow.
private func softplus(_ x: Double) -> Double { max(x, 0) + log1p(exp(-abs(x))) }
