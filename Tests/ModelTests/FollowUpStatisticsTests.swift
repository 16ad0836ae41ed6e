import Foundation
import LagesbildModel
import Testing

struct FollowUpStatisticsTests {
    // MARK: Intervals and comparisons computed by hand

    @Test(arguments: [
        (0, 0.0, 3.689),  // χ²(0.975; 2) / 2 = 3.689; no lower bound for k = 0
        (3, 0.619, 8.767),  // χ²(0.025; 6) / 2, χ²(0.975; 8) / 2
        (10, 4.795, 18.39),  // χ²(0.025; 20) / 2, χ²(0.975; 22) / 2
    ])
    func garwoodIntervals(count: Int, low: Double, high: Double) {
        let interval = FollowUpStatistics.poissonInterval(count: count)
        #expect(abs(interval.low - low) < 0.001)
        #expect(abs(interval.high - high) < 0.01)
        #expect(interval.contains(Double(count)))
    }

    @Test func wilsonIntervalOfEightOfTen() {
        // p = 0.8, z = 1.96: centre (0.8 + z²/20) / (1 + z²/10) = 0.7167,
        // half width z / (1 + z²/10) · √(0.8 · 0.2 / 10 + z²/400) = 0.2266.
        let interval = FollowUpStatistics.wilsonInterval(successes: 8, trials: 10)
        #expect(abs(interval.low - 0.490) < 0.001)
        #expect(abs(interval.high - 0.943) < 0.001)
        #expect(FollowUpStatistics.wilsonInterval(successes: 0, trials: 20).low == 0)
        #expect(FollowUpStatistics.wilsonInterval(successes: 20, trials: 20).high == 1)
    }

    @Test func rateRatio() throws {
        // 30 per 10 000 against 20 per 12 000: ratio 0.003 / 0.0016667 = 1.8;
        // SE = √(1/30 + 1/20) = 0.28868, 1.8 · e^(∓1.96 · 0.28868) = 1.0222 … 3.1695.
        let result = try #require(
            FollowUpStatistics.rateRatio(count1: 30, exposure1: 10_000, count2: 20, exposure2: 12_000))
        #expect(abs(result.ratio - 1.8) < 1e-12)
        #expect(abs(result.interval.low - 1.02224) < 1e-4)
        #expect(abs(result.interval.high - 3.16952) < 1e-4)
        #expect(FollowUpStatistics.rateRatio(count1: 0, exposure1: 1, count2: 5, exposure2: 1) == nil)
    }

    @Test func differenceInDifferences() throws {
        // Area: 40 per 8 000 before, 25 per 8 100 after: 0.0030864 / 0.005 = 0.61728.
        // Comparison: 300 per 90 000 before, 290 per 91 000 after: 0.0031868 / 0.0033333 = 0.95604.
        // Ratio 0.61728 / 0.95604 = 0.64566; SE = √(1/40 + 1/25 + 1/300 + 1/290) = 0.26792;
        // 0.64566 · e^(∓1.96 · 0.26792) = 0.38190 … 1.09160: a fall, but not clearly more than chance.
        let result = try #require(
            FollowUpStatistics.differenceInDifferences(
                areaBefore: RateCell(count: 40, exposure: 8_000), areaAfter: RateCell(count: 25, exposure: 8_100),
                comparisonBefore: RateCell(count: 300, exposure: 90_000),
                comparisonAfter: RateCell(count: 290, exposure: 91_000)))
        #expect(abs(result.ratio - 0.64566) < 1e-5)
        #expect(abs(result.interval.low - 0.38190) < 1e-5)
        #expect(abs(result.interval.high - 1.09160) < 1e-5)
        let withZero = FollowUpStatistics.differenceInDifferences(
            areaBefore: RateCell(count: 4, exposure: 100), areaAfter: RateCell(count: 0, exposure: 100),
            comparisonBefore: RateCell(count: 5, exposure: 100), comparisonAfter: RateCell(count: 5, exposure: 100))
        #expect(withZero == nil)
    }

    // MARK: Trends

    @Test func degenerateTrendsAreNil() {
        #expect(Trend.poisson(years: [2020, 2021, 2022], counts: [0, 0, 0], exposures: [1, 1, 1], scale: 1) == nil)
        // All events in the last year: the slope runs off to infinity.
        #expect(Trend.poisson(years: [2020, 2021, 2022], counts: [0, 0, 5], exposures: [1, 1, 1], scale: 1) == nil)
        #expect(Trend.poisson(years: [2020, 2020], counts: [3, 4], exposures: [1, 1], scale: 1) == nil)
        #expect(
            Trend.binomial(years: [2020, 2021, 2022], successes: [5, 5, 5], trials: [5, 5, 5], scale: 1) == nil)
        #expect(Trend.linear(years: [2020, 2021], values: [1, 2]) == nil)
    }

    @Test func linearTrendThroughExactLine() throws {
        let trend = try #require(Trend.linear(years: [2020, 2021, 2022, 2023], values: [10, 12, 14, 16]))
        #expect(abs(trend.annualChange - 2) < 1e-12)
        let predicted = trend.predicted(year: 2026)
        #expect(abs(predicted.value - 22) < 1e-9)
        #expect(predicted.interval.high - predicted.interval.low < 1e-9)
    }

    // MARK: Judging targets

    @Test func smallCountsAreTooUncertain() {
        // 3 → 4 → 5 events among 10 000 people; target 2 events (per 10 000) by 2025.
        let assessment = TargetJudge.assess(
            series: .counts(
                years: [2020, 2021, 2022], counts: [3, 4, 5], exposures: [10_000, 10_000, 10_000], scale: 10_000),
            baselineYear: 2020, targetYear: 2025, targetValue: 2, better: .lower)
        #expect(assessment.judgement == .tooUncertain)
        #expect(assessment.trend != nil)
        #expect(assessment.explanation.contains("too uncertain"))
    }

    @Test func risingViolenceIsNotOnTheWay() throws {
        let assessment = TargetJudge.assess(
            series: .counts(
                years: [2020, 2021, 2022, 2023], counts: [222, 237, 249, 265],
                exposures: [103_754, 104_573, 105_148, 105_796], scale: 100_000),
            baselineYear: 2020, targetYear: 2026, targetValue: 190, better: .lower)
        #expect(assessment.judgement == .notOnTheWay)
        let latest = try #require(assessment.latest)
        #expect(latest.year == 2023)
        #expect(abs(latest.value - 250.48) < 0.01)
        let trend = try #require(assessment.trend)
        #expect(trend.annualChange > 1.04 && trend.annualChange < 1.06)
        let projected = try #require(assessment.projected)
        #expect(projected.interval.low > 190)
        #expect(
            assessment.explanation
                == "The trend since 2020 (changes by +5.3 % a year, 95 % interval -0.46 % to +11.4 %) gives 292.2 "
                + "(95 % interval 226.0–377.8) in 2026, wholly above the target of 190.")
    }

    @Test func significantRiseIsNotOnTheWayWhateverTheProjection() throws {
        // Rising clearly; the target year lies before the data, where the fitted line is low.
        let assessment = TargetJudge.assess(
            series: .counts(
                years: [2020, 2021, 2022, 2023], counts: [100, 130, 170, 220],
                exposures: [50_000, 50_000, 50_000, 50_000], scale: 100_000),
            baselineYear: 2020, targetYear: 2015, targetValue: 150, better: .lower)
        #expect(assessment.judgement == .notOnTheWay)
        #expect(try #require(assessment.trend).annualChangeInterval.low > 1)
        #expect(try #require(assessment.projected).interval.high < 150)
        #expect(assessment.explanation.contains("wrong direction"))
    }

    @Test func slightlyRisingSeriesNeverReadsAsOnTheWay() throws {
        // Flat, then up a little: the projection to 2024 lies wholly under 1 050 per 100 000, but the
        // values rise and the latest year's interval reaches above the target.
        let years = Array(2014...2023)
        let assessment = TargetJudge.assess(
            series: .counts(
                years: years, counts: [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1001, 1003],
                exposures: years.map { _ in 100_000 }, scale: 100_000),
            baselineYear: 2014, targetYear: 2024, targetValue: 1050, better: .lower)
        #expect(try #require(assessment.projected).interval.high < 1050)
        #expect(try #require(assessment.trend).annualChange > 1)
        #expect(assessment.judgement == .tooUncertain)
    }

    @Test func clearlyFallingSeriesIsOnTheWay() throws {
        let assessment = TargetJudge.assess(
            series: .counts(
                years: [2018, 2019, 2020, 2021, 2022, 2023], counts: [900, 860, 830, 790, 760, 720],
                exposures: [150_000, 151_200, 152_500, 153_100, 154_000, 155_200], scale: 100_000),
            baselineYear: 2018, targetYear: 2026, targetValue: 450, better: .lower)
        #expect(assessment.judgement == .onTheWay)
        #expect(try #require(assessment.projected).interval.high <= 450)
        #expect(try #require(assessment.latest).interval.high > 450)
    }

    @Test func latestIntervalBeatingTheTargetIsReached() throws {
        // 150 events among 100 000: exact interval 127–176 per 100 000, wholly under 190.
        let assessment = TargetJudge.assess(
            series: .counts(
                years: [2021, 2022, 2023], counts: [200, 180, 150], exposures: [100_000, 100_000, 100_000],
                scale: 100_000),
            baselineYear: 2021, targetYear: 2026, targetValue: 190, better: .lower)
        #expect(assessment.judgement == .reached)
        #expect(try #require(assessment.latest).interval.high <= 190)
        // Reached needs only the latest point.
        let onePoint = TargetJudge.assess(
            series: .counts(years: [2023], counts: [150], exposures: [100_000], scale: 100_000),
            baselineYear: 2023, targetYear: 2026, targetValue: 190, better: .lower)
        #expect(onePoint.judgement == .reached)
    }

    @Test func twoPointsAreTooLittleData() {
        // Five years, but only two from the baseline year on; the earlier ones are ignored.
        let assessment = TargetJudge.assess(
            series: .counts(
                years: [2019, 2020, 2021, 2022, 2023], counts: [500, 480, 470, 300, 290],
                exposures: [100_000, 100_000, 100_000, 100_000, 100_000], scale: 100_000),
            baselineYear: 2022, targetYear: 2026, targetValue: 200, better: .lower)
        #expect(assessment.judgement == .tooLittleData)
        #expect(assessment.trend == nil)
        #expect(assessment.explanation.contains("only 2 yearly values"))
        let none = TargetJudge.assess(
            series: .values(years: [2019], values: [3]), baselineYear: 2020, targetYear: 2026, targetValue: 1,
            better: .lower)
        #expect(none.judgement == .tooLittleData)
    }

    @Test func noEventsAtAllIsTooUncertain() {
        let assessment = TargetJudge.assess(
            series: .counts(
                years: [2021, 2022, 2023], counts: [0, 0, 0], exposures: [1_000, 1_000, 1_000], scale: 1_000),
            baselineYear: 2021, targetYear: 2026, targetValue: 2, better: .lower)
        #expect(assessment.judgement == .tooUncertain)
        #expect(assessment.trend == nil)
    }

    @Test func shareSeries() throws {
        // Share of residents who feel unsafe, per cent: 31.2 → 30.4 → 27.7 → 26.8.
        let unsafe = TargetJudge.Series.shares(
            years: [2019, 2020, 2021, 2022], successes: [312, 298, 280, 265], trials: [1000, 980, 1010, 990],
            scale: 100)
        let lower = TargetJudge.assess(
            series: unsafe, baselineYear: 2019, targetYear: 2026, targetValue: 28, better: .lower)
        #expect(lower.judgement == .onTheWay)
        #expect(try #require(lower.trend).model == .binomial)
        #expect(try #require(lower.latest).interval.high > 28)  // Wilson 24.1–29.6: not yet reached
        // The same answers as the share who feel safe, where higher is better.
        let safe = TargetJudge.assess(
            series: .shares(
                years: [2019, 2020, 2021, 2022], successes: [688, 682, 730, 725], trials: [1000, 980, 1010, 990],
                scale: 100),
            baselineYear: 2019, targetYear: 2026, targetValue: 72, better: .higher)
        #expect(safe.judgement == .onTheWay)
        let tooHigh = TargetJudge.assess(
            series: unsafe, baselineYear: 2019, targetYear: 2026, targetValue: 20, better: .lower)
        #expect(tooHigh.judgement == .tooUncertain)
    }

    @Test func noisyPlainValuesAreTooUncertain() throws {
        let assessment = TargetJudge.assess(
            series: .values(years: [2019, 2020, 2021, 2022], values: [12.1, 14.3, 11.8, 13.9]), baselineYear: 2019,
            targetYear: 2025, targetValue: 10, better: .lower)
        #expect(assessment.judgement == .tooUncertain)
        #expect(try #require(assessment.trend).model == .linear)
        // A plain value is its own interval: 9.5 beats a target of 10 at once.
        let reached = TargetJudge.assess(
            series: .values(years: [2021, 2022], values: [12, 9.5]), baselineYear: 2021, targetYear: 2025,
            targetValue: 10, better: .lower)
        #expect(reached.judgement == .reached)
    }

    @Test func judgementCodesAreStable() {
        #expect(
            TargetJudgement.allCases.map(\.rawValue) == [
                "reached", "on-the-way", "not-on-the-way", "too-uncertain", "too-little-data",
            ])
    }

    // MARK: An independent reference (SciPy)

    @Test(
        "Every value agrees with the SciPy reference script",
        .enabled(if: pythonWithSciPyIsAvailable(), "needs python3 with numpy and scipy"))
    func agreesWithSciPyReference() throws {
        let reference = try JSONDecoder().decode(Reference.self, from: try runReferenceScript())
        var compared = 0
        func check(_ actual: Double, _ expected: Double, tolerance: Double, _ what: String) {
            compared += 1
            let scale = max(abs(actual), abs(expected))
            #expect(abs(actual - expected) <= tolerance * scale || abs(actual - expected) < 1e-12, "\(what)")
        }
        for item in reference.normal {
            check(FollowUpStatistics.normalQuantile(item.p), item.quantile, tolerance: 1e-6, "normal \(item.p)")
        }
        for item in reference.chiSquare {
            check(
                FollowUpStatistics.chiSquareQuantile(item.p, degreesOfFreedom: item.df), item.quantile,
                tolerance: 1e-6, "χ² \(item.p) \(item.df)")
        }
        for item in reference.studentT {
            check(
                FollowUpStatistics.studentTQuantile(item.p, degreesOfFreedom: item.df), item.quantile,
                tolerance: 1e-6, "t \(item.p) \(item.df)")
        }
        for item in reference.poisson {
            let interval = FollowUpStatistics.poissonInterval(count: item.count, level: item.level)
            check(interval.low, item.low, tolerance: 1e-6, "Poisson low \(item.count)")
            check(interval.high, item.high, tolerance: 1e-6, "Poisson high \(item.count)")
        }
        for item in reference.wilson {
            let interval = FollowUpStatistics.wilsonInterval(
                successes: item.successes, trials: item.trials, level: item.level)
            check(interval.low, item.low, tolerance: 1e-6, "Wilson low \(item.successes)/\(item.trials)")
            check(interval.high, item.high, tolerance: 1e-6, "Wilson high \(item.successes)/\(item.trials)")
        }
        for item in reference.rateRatio {
            let result = try #require(
                FollowUpStatistics.rateRatio(
                    count1: item.count1, exposure1: item.exposure1, count2: item.count2, exposure2: item.exposure2,
                    level: item.level))
            check(result.ratio, item.ratio, tolerance: 1e-6, "rate ratio")
            check(result.interval.low, item.low, tolerance: 1e-6, "rate ratio low")
            check(result.interval.high, item.high, tolerance: 1e-6, "rate ratio high")
        }
        for item in reference.differenceInDifferences {
            let cells = item.cells.map { RateCell(count: Int($0[0]), exposure: $0[1]) }
            let result = try #require(
                FollowUpStatistics.differenceInDifferences(
                    areaBefore: cells[0], areaAfter: cells[1], comparisonBefore: cells[2], comparisonAfter: cells[3],
                    level: item.level))
            check(result.ratio, item.ratio, tolerance: 1e-6, "DiD")
            check(result.interval.low, item.low, tolerance: 1e-6, "DiD low")
            check(result.interval.high, item.high, tolerance: 1e-6, "DiD high")
        }
        for item in reference.trends {
            let trend = try #require(item.fit(), "\(item.name)")
            #expect(trend.model.rawValue == item.model)
            check(trend.annualChange, item.annualChange, tolerance: 1e-4, "\(item.name) change")
            check(trend.annualChangeInterval.low, item.low, tolerance: 1e-4, "\(item.name) change low")
            check(trend.annualChangeInterval.high, item.high, tolerance: 1e-4, "\(item.name) change high")
            for prediction in item.predictions {
                let predicted = trend.predicted(year: prediction.year)
                let what = "\(item.name) in \(prediction.year)"
                check(predicted.value, prediction.value, tolerance: 1e-4, what)
                check(predicted.interval.low, prediction.low, tolerance: 1e-4, what + " low")
                check(predicted.interval.high, prediction.high, tolerance: 1e-4, what + " high")
            }
        }
        #expect(reference.trends.count >= 8)
        #expect(compared > 150, "the reference must not pass empty")
    }
}

// MARK: Running the reference script

/// The package root, three levels above this file.
private let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// Runs `python3` with `arguments` in the package root; its exit status and standard output.
private func runPython(_ arguments: [String]) throws -> (status: Int32, output: Data, errors: Data) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3"] + arguments
    process.currentDirectoryURL = packageRoot
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, outputData, errorData)
}

/// Whether `python3` can import numpy and scipy; the reference test is skipped (not passed) otherwise.
private func pythonWithSciPyIsAvailable() -> Bool {
    (try? runPython(["-c", "import numpy, scipy"]))?.status == 0
}

private func runReferenceScript() throws -> Data {
    let result = try runPython(["Tests/Reference/followup_reference.py"])
    guard result.status == 0 else {
        Issue.record("the reference script failed: \(String(decoding: result.errors, as: UTF8.self))")
        return Data()
    }
    return result.output
}

/// The JSON printed by Tests/Reference/followup_reference.py.
private struct Reference: Decodable {
    struct Quantile: Decodable {
        var p: Double
        var quantile: Double
    }
    struct DistributionQuantile: Decodable {
        var p: Double
        var df: Double
        var quantile: Double
    }
    struct PoissonCase: Decodable {
        var count: Int
        var level: Double
        var low: Double
        var high: Double
    }
    struct WilsonCase: Decodable {
        var successes: Double
        var trials: Double
        var level: Double
        var low: Double
        var high: Double
    }
    struct RateRatioCase: Decodable {
        var count1: Int
        var exposure1: Double
        var count2: Int
        var exposure2: Double
        var level: Double
        var ratio: Double
        var low: Double
        var high: Double
    }
    struct DifferenceCase: Decodable {
        /// Area before, area after, comparison before, comparison after, each [count, exposure].
        var cells: [[Double]]
        var level: Double
        var ratio: Double
        var low: Double
        var high: Double
    }
    struct Prediction: Decodable {
        var year: Int
        var value: Double
        var low: Double
        var high: Double
    }
    struct TrendCase: Decodable {
        var name: String
        var model: String
        var years: [Int]
        var counts: [Int]?
        var exposures: [Double]?
        var successes: [Double]?
        var trials: [Double]?
        var values: [Double]?
        var scale: Double?
        var level: Double
        var annualChange: Double
        var low: Double
        var high: Double
        var predictions: [Prediction]

        func fit() -> Trend? {
            switch model {
            case "poisson":
                return Trend.poisson(
                    years: years, counts: counts ?? [], exposures: exposures ?? [], scale: scale ?? 1, level: level)
            case "binomial":
                return Trend.binomial(
                    years: years, successes: successes ?? [], trials: trials ?? [], scale: scale ?? 1, level: level)
            default:
                return Trend.linear(years: years, values: values ?? [], level: level)
            }
        }
    }

    var normal: [Quantile]
    var chiSquare: [DistributionQuantile]
    var studentT: [DistributionQuantile]
    var poisson: [PoissonCase]
    var wilson: [WilsonCase]
    var rateRatio: [RateRatioCase]
    var differenceInDifferences: [DifferenceCase]
    var trends: [TrendCase]
}
