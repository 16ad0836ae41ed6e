import LagesbildModel
import LagesbildRunner
import StageKit
import Testing

@testable import Aggregate
@testable import PipelineModel
@testable import Publish

/// The indicator arithmetic on small inputs whose results are computed by hand.
struct IndicatorMathTests {
    func indicator(_ kind: IndicatorKind, numerator: Quantity = .events(category: "all"), denominator: Quantity? = nil)
        -> IndicatorSpec
    {
        IndicatorSpec(
            id: "x", title: "x", definition: "", kind: kind, numerator: numerator, denominator: denominator,
            scale: kind == .rate ? 100_000 : kind == .share ? 100 : 1, unit: "", periods: [.year],
            areaLevels: [.municipality], patterns: [], comparison: nil, jumpThreshold: 25, better: .lower,
            section: .crime)
    }

    @Test func ratePer100000() throws {
        let rate = indicator(.rate, denominator: .measure(name: "population", dimensions: [:]))
        let value = try IndicatorMath.value(
            of: rate, areaName: "Halmstad", period: "2022", numerator: Observed(value: 2507),
            denominator: Observed(value: 105_148), threshold: 3)
        // 2507 / 105 148 × 100 000 = 2384.2584...
        #expect(abs((value.value ?? 0) - 2384.2584) < 0.0001)
        #expect(value.status == .ok)
        #expect(value.denominator == 105_148)
    }

    @Test func ratesPer1000And10000() {
        #expect(IndicatorMath.rate(12, per: 3000, scale: 1_000) == 4)
        #expect(IndicatorMath.rate(21, per: 105_000, scale: 10_000) == 2)
    }

    @Test func missingDenominatorNamesAreaAndPeriod() {
        let rate = indicator(.rate, denominator: .measure(name: "population", dimensions: [:]))
        do {
            _ = try IndicatorMath.value(
                of: rate, areaName: "Vallås (1380D03)", period: "2024", numerator: Observed(value: 40),
                denominator: nil,
                threshold: 3)
            Issue.record("expected an error")
        } catch let error as MissingDenominatorError {
            #expect(error.description.contains("Vallås (1380D03) in 2024"))
            #expect(error.description.contains("measure 'population'"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func smallEventCountsAreSuppressedWithTheirRate() throws {
        let rate = indicator(.rate, denominator: .measure(name: "population", dimensions: [:]))
        let value = try IndicatorMath.value(
            of: rate, areaName: "a", period: "2023", numerator: Observed(value: 2), denominator: Observed(value: 800),
            threshold: 3)
        #expect(value.status == .suppressed)
        #expect(value.value == nil && value.numerator == nil)
        #expect(value.note == "fewer than 3 events")
        // Zero reveals no one and is published; three is at the threshold and published.
        for count in [0.0, 3.0] {
            let published = try IndicatorMath.value(
                of: rate, areaName: "a", period: "2023", numerator: Observed(value: count),
                denominator: Observed(value: 800), threshold: 3)
            #expect(published.status == .ok)
        }
    }

    @Test func fractionsFromTheCrosswalkAndCountsWithoutADenominatorStayHidden() throws {
        let rate = indicator(.rate, denominator: .measure(name: "population", dimensions: [:]))
        let fraction = try IndicatorMath.value(
            of: rate, areaName: "a", period: "2023", numerator: Observed(value: 0.4, viaCrosswalk: true),
            denominator: Observed(value: 900), threshold: 3)
        #expect(fraction.status == .suppressed && fraction.numerator == nil)
        let noPopulation = try IndicatorMath.value(
            of: rate, areaName: "a", period: "2023", numerator: Observed(value: 2),
            denominator: Observed(value: nil, missing: "suppressed"), threshold: 3)
        #expect(noPopulation.status == .suppressed && noPopulation.numerator == nil)
        let largeWithoutPopulation = try IndicatorMath.value(
            of: rate, areaName: "a", period: "2023", numerator: Observed(value: 40),
            denominator: Observed(value: nil, missing: "suppressed"), threshold: 3)
        #expect(largeWithoutPopulation.status == .missing && largeWithoutPopulation.numerator == 40)
    }

    @Test func markersStayMissingNeverZero() throws {
        let value = try IndicatorMath.value(
            of: indicator(.value, numerator: .measure(name: "problem_index", dimensions: [:])), areaName: "a",
            period: "2021", numerator: Observed(value: nil, missing: "suppressed"), denominator: nil, threshold: 3)
        #expect(value.status == .missing)
        #expect(value.value == nil)
        #expect(value.note?.contains("suppressed") == true)
    }

    /// A kommun's mean from its districts when one district is `..`: the mean of the others, weighted by their
    /// respondents, marked partial; a sum with an unknown part stays unknown (never the sum of the survivors).
    @Test func aMeanOverAreasWithOneSuppressedIsPartialAndASumIsMissing() throws {
        let parts = [
            Observed(value: 2, base: 10), Observed(value: nil, missing: "suppressed"), Observed(value: 4, base: 30),
        ]
        let mean = try #require(QuantityReader.combine(parts, additive: false))
        #expect(mean.value == 3.5)  // (2·10 + 4·30) / 40
        #expect(mean.base == 40)
        #expect(mean.partial?.used == 2 && mean.partial?.of == 3)
        let sum = try #require(QuantityReader.combine(parts, additive: true))
        #expect(sum.value == nil && sum.missing == "suppressed" && sum.partial == nil)
        let value = try IndicatorMath.value(
            of: indicator(.value, numerator: .measure(name: "problem_index", dimensions: [:])), areaName: "a",
            period: "2021", numerator: mean, denominator: nil, threshold: 3)
        #expect(value.status == .ok && value.value == 3.5 && value.flags.contains(.partial))
        #expect(value.note == "computed from 2 of 3 areas, the others have no number in the source")
        #expect(
            ReportBuilder.swedishNotePart(value.note ?? "")
                == "Delvis: beräknat ur 2 av 3 områden, de övriga saknar värde i källan")
    }

    @Test func wilsonIntervalMatchesHandComputation() {
        // p = 0.5, n = 100: centre 0.5, margin 1.96·√(0.0025 + 0.96/40000)/(1.0384) ≈ 0.0962.
        let (low, high) = IndicatorMath.wilson(share: 0.5, respondents: 100)
        #expect(abs(low - 0.4038) < 0.0001)
        #expect(abs(high - 0.5962) < 0.0001)
        // p = 0 keeps a positive upper bound (unlike the Wald interval): n = 20 → 0.1611.
        let (zeroLow, zeroHigh) = IndicatorMath.wilson(share: 0, respondents: 20)
        #expect(zeroLow == 0)
        #expect(abs(zeroHigh - 0.1611) < 0.0001)
    }

    @Test func deliveredShareGetsItsIntervalFromRespondents() throws {
        let share = indicator(.share, numerator: .measure(name: "safety_share", dimensions: [:]))
        let value = try IndicatorMath.value(
            of: share, areaName: "a", period: "2023", numerator: Observed(value: 50, base: 100), denominator: nil,
            threshold: 3)
        #expect(value.value == 50)
        #expect(abs((value.ciLow ?? 0) - 40.38) < 0.01)
        #expect(abs((value.ciHigh ?? 0) - 59.62) < 0.01)
        let few = try IndicatorMath.value(
            of: share, areaName: "a", period: "2023", numerator: Observed(value: 50, base: 2), denominator: nil,
            threshold: 3)
        #expect(few.status == .suppressed)
        #expect(few.note == "fewer than 3 respondents")
    }

    @Test func shareOfTwoMeasures() throws {
        let share = indicator(
            .share, numerator: .measure(name: "invalid_absence_minutes", dimensions: [:]),
            denominator: .measure(name: "offered_minutes", dimensions: [:]))
        let value = try IndicatorMath.value(
            of: share, areaName: "a", period: "2023", numerator: Observed(value: 54_981),
            denominator: Observed(value: 2_185_920), threshold: 3)
        #expect(abs((value.value ?? 0) - 2.5152) < 0.0001)
        #expect(value.ciLow == nil)
    }

    @Test func previousPeriods() {
        #expect(SeriesAnalysis.previous("2023") == "2022")
        #expect(SeriesAnalysis.previous("2023-01") == "2022-12")
        #expect(SeriesAnalysis.previous("2023-10") == "2023-09")
        #expect(SeriesAnalysis.previous("2023-Q1") == "2022-Q4")
        #expect(SeriesAnalysis.previous("2023-Q3") == "2023-Q2")
    }

    @Test func changeMovingAverageAndJumps() {
        func ok(_ value: Double) -> IndicatorValue {
            IndicatorValue(numerator: value, denominator: nil, value: value, status: .ok)
        }
        var series = ["2020": ok(100), "2021": ok(110), "2022": ok(150), "2023": ok(140)]
        series["2019"] = IndicatorValue(numerator: nil, denominator: nil, value: nil, status: .suppressed)
        SeriesAnalysis.analyse(&series, jumpThreshold: 25)
        #expect(series["2020"]?.changeAbsolute == nil)  // the previous year is suppressed: nothing derived
        #expect(series["2021"]?.changeAbsolute == 10)
        #expect(series["2021"]?.changePercent == 10)
        #expect(series["2021"]?.movingAverage3 == nil)  // needs 2019
        #expect(abs((series["2022"]?.changePercent ?? 0) - 36.3636) < 0.0001)
        #expect(series["2022"]?.flags == [.jump])
        #expect(series["2022"]?.movingAverage3 == 120)
        #expect(abs((series["2023"]?.movingAverage3 ?? 0) - 133.3333) < 0.0001)
        #expect(series["2023"]?.flags == [])
    }

    @Test func secondarySuppressionProtectsACellThatATotalWouldReveal() {
        // Districts of one municipality whose total (2 + 10 + 25 + 40 = 77) is published.
        func cell(_ area: String) -> Cell { Cell(area: area, period: "2023") }
        var values: [Cell: IndicatorValue] = [:]
        for (area, count) in [("A", 2.0), ("B", 10), ("C", 25), ("D", 40)] {
            var value = IndicatorValue(numerator: count, denominator: nil, value: count, status: .ok)
            if count < 3 { value.suppress("fewer than 3 events") }
            values[cell(area)] = value
        }
        // Without secondary suppression: 77 − (10 + 25 + 40) = 2 recovers A.
        Disclosure.secondarySuppression(&values) { $0.period }
        #expect(values[cell("A")]?.status == .suppressed)
        #expect(values[cell("B")]?.status == .suppressed)
        #expect(values[cell("B")]?.note?.contains("secondary suppression") == true)
        #expect(values[cell("C")]?.status == .ok && values[cell("D")]?.status == .ok)
        // With two cells suppressed, the total no longer tells either one.
        let published = values.values.compactMap { $0.status == .ok ? $0.numerator : nil }.reduce(0, +)
        #expect(77 - published == 12)
    }

    @Test func noSecondarySuppressionWhenNothingOrTwoAreSuppressed() {
        var values: [Cell: IndicatorValue] = [:]
        for (area, count) in [("A", 5.0), ("B", 10)] {
            values[Cell(area: area, period: "2023")] = IndicatorValue(
                numerator: count, denominator: nil, value: count, status: .ok)
        }
        Disclosure.secondarySuppression(&values) { $0.period }
        #expect(values.values.allSatisfy { $0.status == .ok })
    }

    @Test func theStraightPathToATarget() {
        let target = TargetSpec(
            id: "t", indicator: "x", area: "1380", commitment: .actionPlan, name: "", baselineYear: 2020,
            targetYear: 2024, targetValue: 80)
        // Halfway from 100 in 2020 to 80 in 2024.
        #expect(FollowUp.expected(target, baseline: 100, in: 2022) == 90)
        #expect(FollowUp.expected(target, baseline: 100, in: 2030) == 80)
    }

    @Test func aDeclaredBaselineMustAgreeWithTheDataOrNameItsSource() throws {
        var target = TargetSpec(
            id: "vald", indicator: "vald_per_100k", area: "1380", commitment: .actionPlan, name: "Minskat våld",
            baselineYear: 2020, declaredBaseline: 380, targetYear: 2026, targetValue: 320,
            definedAt: "pipeline.yaml:396:5")
        #expect {
            try FollowUp.baseline(target, computed: 213.97)
        } throws: { error in
            let text = "\(error)"
            return ExitStatus.of(error) == .dataError && text.contains("target 'Minskat våld' (pipeline.yaml:396:5)")
                && text.contains("declared baseline 380") && text.contains("own value 214.0")
        }
        // Within the tolerance (1 % by default) the declared value stands.
        #expect(try FollowUp.baseline(target, computed: 378) == 380)
        // Without a computed value it cannot be checked.
        #expect(throws: StageDataError.self) { try FollowUp.baseline(target, computed: nil) }
        // A named source makes the declared figure the baseline.
        target.baselineSource = "Brå, preliminär statistik"
        #expect(try FollowUp.baseline(target, computed: 213.97) == 380)
        // Without a declared value the computed one is the baseline.
        target.declaredBaseline = nil
        #expect(try FollowUp.baseline(target, computed: 213.97) == 213.97)
    }
}
