/// Gives each distinct byte string a small integer, without building a `String` per lookup: the
/// dictionary encoding of a column file's text columns (a crime code, a date or an area name repeats
/// on thousands of rows).
///
/// Written by hand because Swift's `Dictionary` needs a `String` or `[UInt8]` key, which allocates on
/// every row; here the bytes are hashed and compared where they lie.
public struct ByteInterner {
    private var arena: [UInt8] = []
    private var starts: [Int] = [0]
    private var hashes: [UInt64] = []
    /// Open-addressing table of entry index + 1 (0 = empty); its size is a power of two.
    private var table = [Int32](repeating: 0, count: 1024)

    public init() {}

    /// The number of distinct strings.
    public var count: Int { hashes.count }

    /// The index of `bytes`, added when new.
    @inline(__always)
    public mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
        while true {
            let entry = Int(table[slot])
            if entry == 0 { break }
            let index = entry - 1
            if hashes[index] == hash, equals(index, bytes) { return Int32(index) }
            slot = (slot + 1) & mask
        }
        let index = hashes.count
        hashes.append(hash)
        arena.append(contentsOf: bytes)
        starts.append(arena.count)
        table[slot] = Int32(index + 1)
        if hashes.count * 2 > table.count { grow() }
        return Int32(index)
    }

    /// The index of a Swift string (slower path, for sources read as strings).
    public mutating func intern(_ string: String) -> Int32 {
        var copy = string
        return copy.withUTF8 { intern($0) }
    }

    /// The strings in index order.
    public var strings: [String] {
        (0..<count).map { index in String(decoding: arena[starts[index]..<starts[index + 1]], as: UTF8.self) }
    }

    @inline(__always)
    private func equals(_ index: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = starts[index]
        guard starts[index + 1] - start == bytes.count else { return false }
        return arena.withUnsafeBufferPointer { arena in
            for offset in 0..<bytes.count where arena[start + offset] != bytes[offset] { return false }
            return true
        }
    }

    private mutating func grow() {
        table = [Int32](repeating: 0, count: table.count * 2)
        let mask = table.count - 1
        for (index, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
            while table[slot] != 0 { slot = (slot + 1) & mask }
            table[slot] = Int32(index + 1)
        }
    }
}
