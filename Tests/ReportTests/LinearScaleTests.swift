import Testing

@testable import Report

struct LinearScaleTests {
    @Test func mapsDomainOntoRange() {
        let scale = LinearScale(domain: (0, 100), range: (0, 500))
        #expect(scale(0) == 0)
        #expect(scale(50) == 250)
        #expect(scale(100) == 500)
        #expect(scale(120) == 600)  // outside the domain: extrapolated, not clamped
    }

    @Test func mapsOntoAReversedRangeAsAnSVGYAxis() {
        let scale = LinearScale(domain: (0, 1000), range: (300, 20))
        #expect(scale(0) == 300)
        #expect(scale(1000) == 20)
        #expect(scale(500) == 160)
    }

    @Test(arguments: [
        (0.0, 2330.0, [0.0, 500, 1000, 1500, 2000]),
        (0.0, 1.0, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]),
        (0.0, 100.0, [0.0, 20, 40, 60, 80, 100]),
        (81.4, 88.8, [82.0, 84, 86, 88]),
        (-30.0, 45.0, [-20.0, 0, 20, 40]),
        (0.0, 0.07, [0.0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07]),
        (10_240.0, 15_290.0, [11_000.0, 12_000, 13_000, 14_000, 15_000]),
    ])
    func niceTicks(lower: Double, upper: Double, expected: [Double]) {
        let ticks = LinearScale(domain: (lower, upper), range: (0, 1)).ticks()
        #expect(ticks == expected)
    }

    @Test func nicedDomainCoversTheData() {
        let scale = LinearScale(domain: (0, 2330), range: (300, 20)).niced()
        #expect(scale.domainLower == 0)
        #expect(scale.domainUpper == 2500)
        #expect(scale.ticks() == [0, 500, 1000, 1500, 2000, 2500])
        #expect(scale(2500) == 20)
    }

    @Test func zeroHeightDomainMapsToTheMiddleAndNicesToReachZero() {
        let flat = LinearScale(domain: (500, 500), range: (300, 100))
        #expect(flat(500) == 200)
        #expect(flat.ticks() == [500])
        let niced = flat.niced()
        #expect(niced.domainLower == 0)
        #expect(niced.domainUpper == 500)
        #expect(niced(500) == 100)

        let zero = LinearScale(domain: (0, 0), range: (300, 100)).niced()
        #expect(zero.domainLower == 0)
        #expect(zero.domainUpper == 1)
        #expect(zero(0) == 300)

        let negative = LinearScale(domain: (-4, -4), range: (0, 10)).niced()
        #expect(negative.domainLower == -4)
        #expect(negative.domainUpper == 0)
    }

    @Test func tickDecimalsFollowTheStep() {
        #expect(LinearScale(domain: (0, 2330), range: (0, 1)).tickDecimals() == 0)
        #expect(LinearScale(domain: (0, 1), range: (0, 1)).tickDecimals() == 1)
        #expect(LinearScale(domain: (0, 0.07), range: (0, 1)).tickDecimals() == 2)
    }
}
