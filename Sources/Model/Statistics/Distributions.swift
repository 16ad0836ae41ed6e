// Special functions and quantiles for the follow-up statistics, written by hand: none of the Swift
// packages allowed in Lagesbild offers statistical distributions, and the model module stays free of
// Foundation. Methods follow Numerical Recipes (3rd ed., §6.1–6.4, 6.14) and Acklam's normal quantile.

#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

extension FollowUpStatistics {
    /// The quantile of the standard normal distribution: the `x` with P(Z ≤ x) = `p`.
    ///
    /// Acklam's rational approximation (relative error below 1.2e-9), polished by one Halley step on
    /// `erfc`, which brings it to full double precision. Returns -∞ for `p` = 0 and +∞ for `p` = 1.
    public static func normalQuantile(_ p: Double) -> Double {
        precondition(p >= 0 && p <= 1, "a probability lies in 0...1")
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        let a = [
            -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
            1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00,
        ]
        let b = [
            -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
            6.680131188771972e+01, -1.328068155288572e+01,
        ]
        let c = [
            -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
            -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00,
        ]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        var x: Double
        if p < low {
            let q = (-2 * log(p)).squareRoot()
            x =
                (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else if p <= 1 - low {
            let q = p - 0.5
            let r = q * q
            x =
                (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        } else {
            let q = (-2 * log1p(-p)).squareRoot()
            x =
                -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        // One Halley step: e is the error in probability, u the step in x.
        let e = normalCDF(x) - p
        let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        x -= u / (1 + x * u / 2)
        return x
    }

    /// The standard normal distribution function P(Z ≤ x).
    public static func normalCDF(_ x: Double) -> Double {
        0.5 * erfc(-x / 2.0.squareRoot())
    }

    /// The quantile of the chi-square distribution with `degreesOfFreedom` (> 0): the `x` with
    /// P(X ≤ x) = `p`. Found by bisection on the regularized incomplete gamma function, to full precision.
    public static func chiSquareQuantile(_ p: Double, degreesOfFreedom: Double) -> Double {
        precondition(p >= 0 && p < 1, "a chi-square quantile needs p in 0..<1")
        precondition(degreesOfFreedom > 0, "a chi-square distribution needs degrees of freedom > 0")
        if p == 0 { return 0 }
        let shape = degreesOfFreedom / 2
        // P(X ≤ x) = P(k/2, x/2): find the x/2 where the regularized lower incomplete gamma equals p.
        let half = invert(increasing: { regularizedGammaP(shape, $0) }, target: p, lowerBound: 0)
        return 2 * half
    }

    /// The quantile of Student's t distribution with `degreesOfFreedom` (> 0): the `t` with
    /// P(T ≤ t) = `p`. Found by bisection on the regularized incomplete beta function.
    public static func studentTQuantile(_ p: Double, degreesOfFreedom: Double) -> Double {
        precondition(p > 0 && p < 1, "a t quantile needs p in 0<..<1")
        precondition(degreesOfFreedom > 0, "a t distribution needs degrees of freedom > 0")
        if p == 0.5 { return 0 }
        // Symmetric: solve for the upper tail q = min(p, 1 − p) and give it the right sign.
        let upper = min(p, 1 - p)
        let t = invert(
            increasing: { studentTCDF($0, degreesOfFreedom: degreesOfFreedom) }, target: 1 - upper, lowerBound: 0)
        return p < 0.5 ? -t : t
    }

    /// The distribution function of Student's t with `degreesOfFreedom`: P(T ≤ t).
    public static func studentTCDF(_ t: Double, degreesOfFreedom v: Double) -> Double {
        // P(|T| > |t|) / 2 = I_{v/(v+t²)}(v/2, 1/2) / 2.
        let tail = 0.5 * regularizedBeta(v / (v + t * t), v / 2, 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    /// The `x` ≥ `lowerBound` where an increasing function reaches `target`: doubles an upper bracket
    /// until it passes the target, then bisects until the bracket stops shrinking.
    private static func invert(increasing f: (Double) -> Double, target: Double, lowerBound: Double) -> Double {
        var low = lowerBound
        var high = max(1, lowerBound * 2)
        while f(high) < target && high < 1e300 {
            low = high
            high *= 2
        }
        for _ in 0..<2000 {
            let middle = low + (high - low) / 2
            if middle <= low || middle >= high { break }
            if f(middle) < target { low = middle } else { high = middle }
        }
        return low + (high - low) / 2
    }
}

/// ln Γ(x) for x > 0: the Lanczos approximation (g = 7, nine coefficients), about 15 significant digits.
func logGamma(_ x: Double) -> Double {
    precondition(x > 0, "logGamma is used for positive arguments only")
    if x < 0.5 {
        // Reflection: Γ(x) Γ(1 − x) = π / sin(πx).
        return log(Double.pi / sin(Double.pi * x)) - logGamma(1 - x)
    }
    let coefficients = [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7,
    ]
    let z = x - 1
    var sum = coefficients[0]
    for index in 1..<coefficients.count { sum += coefficients[index] / (z + Double(index)) }
    let t = z + 7.5
    return 0.5 * log(2 * Double.pi) + (z + 0.5) * log(t) - t + log(sum)
}

/// The regularized lower incomplete gamma function P(a, x) = γ(a, x) / Γ(a), for a > 0 and x ≥ 0:
/// its series where x < a + 1, one minus the continued fraction for Q(a, x) elsewhere.
func regularizedGammaP(_ a: Double, _ x: Double) -> Double {
    precondition(a > 0 && x >= 0, "P(a, x) needs a > 0 and x ≥ 0")
    if x == 0 { return 0 }
    let prefactor = exp(-x + a * log(x) - logGamma(a))
    if x < a + 1 {
        // Series: P = e^−x x^a / Γ(a + 1) · Σ x^n / ((a + 1) … (a + n)).
        var term = 1 / a
        var sum = term
        var denominator = a
        for _ in 0..<10_000 {
            denominator += 1
            term *= x / denominator
            sum += term
            if abs(term) < abs(sum) * 1e-17 { break }
        }
        return min(1, sum * prefactor)
    }
    // Continued fraction for Q(a, x) by the modified Lentz method.
    let tiny = 1e-300
    var b = x + 1 - a
    var c = 1 / tiny
    var d = 1 / b
    var h = d
    for index in 1..<10_000 {
        let an = -Double(index) * (Double(index) - a)
        b += 2
        d = an * d + b
        if abs(d) < tiny { d = tiny }
        c = b + an / c
        if abs(c) < tiny { c = tiny }
        d = 1 / d
        let step = d * c
        h *= step
        if abs(step - 1) < 1e-16 { break }
    }
    return max(0, 1 - prefactor * h)
}

/// The regularized incomplete beta function I_x(a, b) for a, b > 0 and x in 0...1, by its continued
/// fraction (modified Lentz), using the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where it converges faster.
func regularizedBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
    precondition(a > 0 && b > 0 && x >= 0 && x <= 1, "I_x(a, b) needs a, b > 0 and x in 0...1")
    if x == 0 { return 0 }
    if x == 1 { return 1 }
    let front = exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * log(x) + b * log1p(-x))
    if x < (a + 1) / (a + b + 2) {
        return front * betaContinuedFraction(x, a, b) / a
    }
    return 1 - front * betaContinuedFraction(1 - x, b, a) / b
}

private func betaContinuedFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
    let tiny = 1e-300
    let qab = a + b
    let qap = a + 1
    let qam = a - 1
    var c = 1.0
    var d = 1 - qab * x / qap
    if abs(d) < tiny { d = tiny }
    d = 1 / d
    var h = d
    for index in 1..<10_000 {
        let m = Double(index)
        let m2 = 2 * m
        var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1 + aa * d
        if abs(d) < tiny { d = tiny }
        c = 1 + aa / c
        if abs(c) < tiny { c = tiny }
        d = 1 / d
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1 + aa * d
        if abs(d) < tiny { d = tiny }
        c = 1 + aa / c
        if abs(c) < tiny { c = tiny }
        d = 1 / d
        let step = d * c
        h *= step
        if abs(step - 1) < 1e-16 { break }
    }
    return h
}
