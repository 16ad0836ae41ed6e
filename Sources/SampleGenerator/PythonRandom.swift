import Crypto
import Foundation

/// Python's `random.Random` (CPython 3.11) draw for draw: the Mersenne Twister MT19937, seeded from an
/// integer or a string as `random.seed(a, version=2)` does, and the methods the Halmstad sample uses
/// (`random`, `getrandbits`, `randrange`, `randint`, `choice`, `choices`, `uniform`, `gauss`). The
/// Halmstad sample was first written by a Python script; this generator reproduces its bytes.
struct PythonRandom {
    private var state = [UInt32](repeating: 0, count: 624)
    private var index = 625
    /// `gauss` draws two values at a time and keeps the second for the next call.
    private var gaussNext: Double?

    /// `random.Random(seed)` for a whole number: the 32-bit words of `abs(seed)`, least significant first.
    init(_ seed: Int) {
        var magnitude = seed.magnitude
        var key: [UInt32] = []
        repeat {
            key.append(UInt32(truncatingIfNeeded: magnitude))
            magnitude >>= 32
        } while magnitude > 0
        initialize(key: key)
    }

    /// `random.Random(text)` (version 2): the integer whose big-endian bytes are the UTF-8 text followed
    /// by its SHA-512 digest.
    init(_ text: String) {
        let bytes = Array(text.utf8) + Array(SHA512.hash(data: Array(text.utf8)))
        var key: [UInt32] = []
        var end = bytes.count
        while end > 0 {
            let start = max(0, end - 4)
            var word: UInt32 = 0
            for byte in bytes[start..<end] { word = word << 8 | UInt32(byte) }
            key.append(word)
            end = start
        }
        while key.count > 1, key.last == 0 { key.removeLast() }
        initialize(key: key)
    }

    private mutating func initialize(key: [UInt32]) {
        state[0] = 19_650_218
        for i in 1..<624 {
            state[i] = 1_812_433_253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i)
        }
        index = 624
        var i = 1
        var j = 0
        for _ in 0..<max(624, key.count) {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1_664_525)) &+ key[j] &+ UInt32(j)
            i += 1
            j += 1
            if i >= 624 {
                state[0] = state[623]
                i = 1
            }
            if j >= key.count { j = 0 }
        }
        for _ in 0..<623 {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1_566_083_941)) &- UInt32(i)
            i += 1
            if i >= 624 {
                state[0] = state[623]
                i = 1
            }
        }
        state[0] = 0x8000_0000
        gaussNext = nil
    }

    /// The next 32 random bits (`genrand_uint32`).
    mutating func nextWord() -> UInt32 {
        if index >= 624 {
            for k in 0..<624 {
                let y = (state[k] & 0x8000_0000) | (state[(k + 1) % 624] & 0x7fff_ffff)
                state[k] = state[(k + 397) % 624] ^ (y >> 1) ^ (y & 1 == 0 ? 0 : 0x9908_b0df)
            }
            index = 0
        }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9d2c_5680
        y ^= (y << 15) & 0xefc6_0000
        y ^= y >> 18
        return y
    }

    /// `random()`: a number in 0..<1 with 53 random bits.
    mutating func random() -> Double {
        let a = Double(nextWord() >> 5)
        let b = Double(nextWord() >> 6)
        return (a * 67_108_864.0 + b) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `getrandbits(k)` for 0 ≤ k ≤ 64.
    mutating func getrandbits(_ k: Int) -> UInt64 {
        precondition((0...64).contains(k), "getrandbits supports 0...64 bits")
        var result: UInt64 = 0
        var remaining = k
        var shift: UInt64 = 0
        while remaining > 0 {
            var word = UInt64(nextWord())
            if remaining < 32 { word >>= UInt64(32 - remaining) }
            result |= word << shift
            shift += 32
            remaining -= 32
        }
        return result
    }

    /// `_randbelow(n)`: a whole number in 0..<n by rejection over `n.bit_length()` bits.
    mutating func below(_ n: Int) -> Int {
        precondition(n > 0, "randbelow needs n > 0")
        let bits = Int.bitWidth - n.leadingZeroBitCount
        var r = getrandbits(bits)
        while r >= UInt64(n) { r = getrandbits(bits) }
        return Int(r)
    }

    /// `randrange(start, stop)`.
    mutating func randrange(_ start: Int, _ stop: Int) -> Int { start + below(stop - start) }

    /// `randint(a, b)`: a whole number in a...b.
    mutating func randint(_ lower: Int, _ upper: Int) -> Int { randrange(lower, upper + 1) }

    /// `choice(seq)`.
    mutating func choice<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// `uniform(a, b)`.
    mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * random() }

    /// `choices(population, weights)[0]`: the index drawn (weights accumulated as floats, then bisect_right).
    mutating func choiceIndex(weights: [Double]) -> Int {
        var cumulative: [Double] = []
        cumulative.reserveCapacity(weights.count)
        var sum = 0.0
        for weight in weights {
            sum += weight
            cumulative.append(sum)
        }
        return choiceIndex(cumulativeWeights: cumulative)
    }

    /// `choices(population, cum_weights=…)[0]`: the index drawn.
    mutating func choiceIndex(cumulativeWeights cumulative: [Double]) -> Int {
        let target = random() * cumulative[cumulative.count - 1]
        var low = 0
        var high = cumulative.count - 1
        while low < high {  // bisect_right over cumulative[0..<count-1]
            let middle = (low + high) / 2
            if target < cumulative[middle] { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// `choices(population)[0]` without weights: the index `floor(random() * n)`.
    mutating func choiceIndex(count: Int) -> Int { Int((random() * Double(count)).rounded(.down)) }

    /// `gauss(mu, sigma)` with its cached second value.
    mutating func gauss(_ mu: Double, _ sigma: Double) -> Double {
        let z: Double
        if let cached = gaussNext {
            z = cached
            gaussNext = nil
        } else {
            let x2pi = random() * (2 * Double.pi)
            let g2rad = (-2.0 * log(1.0 - random())).squareRoot()
            z = cos(x2pi) * g2rad
            gaussNext = sin(x2pi) * g2rad
        }
        return mu + z * sigma
    }
}
