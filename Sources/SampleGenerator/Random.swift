/// A small, fast, seedable random number generator (SplitMix64), so that the same seed gives the same
/// bytes on every machine and Swift version (the standard library's generator is not seedable).
struct SampleRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A generator for one part of the output (a year, a file, a region): independent streams from one
    /// seed, so that generating one part does not shift another.
    init(seed: UInt64, stream: String) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a over the stream name
        for byte in stream.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        var mixer = SampleRandom(seed: seed ^ hash)
        state = mixer.next()
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in 0..<1.
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A whole number in 0..<bound.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// A number in lower...upper.
    mutating func uniform(_ lower: Double, _ upper: Double) -> Double { lower + (upper - lower) * unit() }

    /// An approximately normal number (sum of four uniforms), mean 0 and standard deviation 1.
    mutating func normal() -> Double { (unit() + unit() + unit() + unit() - 2) * 1.732_050_8 }
}

/// Draws an index with given weights in O(log n) through cumulative sums.
struct WeightedChoice: Sendable {
    private let cumulative: [Double]

    init(_ weights: [Double]) {
        precondition(!weights.isEmpty, "no weights")
        var sum = 0.0
        cumulative = weights.map { weight in
            sum += max(0, weight)
            return sum
        }
        precondition(sum > 0, "weights sum to zero")
    }

    var count: Int { cumulative.count }

    func pick(_ random: inout SampleRandom) -> Int {
        let target = random.unit() * cumulative[cumulative.count - 1]
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] > target { high = middle } else { low = middle + 1 }
        }
        return low
    }
}

/// Splits `total` into whole numbers proportional to `weights` that add up to `total` exactly
/// (largest remainder; ties go to the lower index).
func largestRemainder(_ total: Int, _ weights: [Double]) -> [Int] {
    let sum = weights.reduce(0, +)
    guard sum > 0 else { return weights.map { _ in 0 } }
    let raw = weights.map { Double(total) * $0 / sum }
    var parts = raw.map { Int($0.rounded(.down)) }
    let rest = total - parts.reduce(0, +)
    let order = raw.indices.sorted { lhs, rhs in
        let left = raw[lhs] - Double(parts[lhs])
        let right = raw[rhs] - Double(parts[rhs])
        return left != right ? left > right : lhs < rhs
    }
    for index in order.prefix(max(0, rest)) { parts[index] += 1 }
    return parts
}
