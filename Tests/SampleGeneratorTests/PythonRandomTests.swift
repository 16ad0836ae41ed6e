import Testing

@testable import SampleGenerator

/// `PythonRandom` draws what CPython 3.11's `random.Random` draws. The expected values were printed by
/// Python (`random.Random(seed)`, the same calls in the same order); a change in any one is a changed
/// Halmstad sample.
@Suite struct PythonRandomTests {
    @Test func randomFromAnIntegerSeed() {
        var random = PythonRandom(20_240_501)
        #expect(
            [random.random(), random.random(), random.random()] == [
                0.8966996101719598, 0.3052813142824903, 0.3558893615374553,
            ])
        var big = PythonRandom(1 << 40 + 3)
        #expect(big.random() == 0.21978710637116716)
    }

    @Test func getrandbitsOfEveryWidth() {
        var random = PythonRandom(20_240_501 * 10 + 2023)
        let bits = [1, 7, 27, 32, 33, 64].map { random.getrandbits($0) }
        #expect(bits == [0, 84, 118_704_017, 4_039_483_363, 359_898_917, 16_849_593_140_623_823_072])
    }

    @Test func stringSeedHashesWithSHA512() {
        var random = PythonRandom("20240501-1380C0010")
        #expect([random.random(), random.random()] == [0.5540534870168647, 0.6571530360047311])
    }

    @Test func negativeSeedRandrangeRandintChoice() {
        var random = PythonRandom(-5)
        #expect(random.randrange(0, 60) == 39)
        #expect(random.randint(10_000_000, 99_999_999) == 44_285_249)
        #expect(random.choice(["a", "b", "c"]) == "c")
    }

    @Test func uniformAndGauss() {
        var random = PythonRandom(7)
        #expect(
            [random.uniform(-0.04, 0.04), random.uniform(-0.04, 0.04)] == [
                -0.014093378813347011, -0.027932066086039847,
            ])
        var normal = PythonRandom(7)
        let draws = (0..<3).map { _ in normal.gauss(368_700, 600) }
        #expect(draws == [368546.47182693146, 369006.8589075099, 368564.3423011301])
    }

    @Test func choicesWithAndWithoutWeights() {
        var random = PythonRandom(11)
        let weighted = (0..<10).map { _ in random.choiceIndex(weights: [0.5, 2.0, 0.0, 1.25, 3.0]) }
        #expect(weighted == [3, 4, 4, 3, 3, 4, 1, 3, 4, 4])
        let plain = (0..<5).map { _ in random.choiceIndex(count: 14) }
        #expect(plain == [1, 4, 1, 11, 9])
    }
}
