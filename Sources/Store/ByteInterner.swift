import Foundation

/// Gives each distinct byte string a small integer, without building a `String` per lookup: the
/// dictionary encoding of a column file's text columns (a crime code, a date or an area name repeats
/// on thousands of rows).
///
/// Written by hand because Swift's `Dictionary` needs a `String` or `[UInt8]` key, which allocates on
/// every row; here the bytes are hashed eight at a time and compared where they lie. The value met last
/// is checked first: exports sorted by date repeat it row after row.
public struct ByteInterner {
    private var arena: [UInt8] = []
    private var starts: [Int] = [0]
    private var hashes: [UInt64] = []
    /// Open-addressing table of entry index + 1 (0 = empty); its size is a power of two.
    private var table = [Int32](repeating: 0, count: 1024)
    private var last: Int32 = -1

    public init() {}

    /// The number of distinct strings.
    public var count: Int { hashes.count }

    /// The index of `bytes`, added when new.
    @inline(__always)
    public mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        if last >= 0, equals(Int(last), bytes) { return last }
        let hash = Self.hash(bytes)
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
        while true {
            let entry = Int(table[slot])
            if entry == 0 { break }
            let index = entry - 1
            if hashes[index] == hash, equals(index, bytes) {
                last = Int32(index)
                return last
            }
            slot = (slot + 1) & mask
        }
        let index = hashes.count
        hashes.append(hash)
        arena.append(contentsOf: bytes)
        starts.append(arena.count)
        table[slot] = Int32(index + 1)
        if hashes.count * 2 > table.count { grow() }
        last = Int32(index)
        return last
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

    /// A 64-bit hash of the bytes, read eight at a time.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        guard let base = bytes.baseAddress else { return hash }
        let count = bytes.count
        var offset = 0
        while offset + 8 <= count {
            let word = UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self)
            hash = (hash ^ word) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
            offset += 8
        }
        if offset < count {
            var word: UInt64 = 0
            var shift: UInt64 = 0
            while offset < count {
                word |= UInt64(base[offset]) << shift
                shift += 8
                offset += 1
            }
            hash = (hash ^ word) &* 0x94D0_49BB_1331_11EB
            hash ^= hash >> 29
        }
        return hash
    }

    @inline(__always)
    private func equals(_ index: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = starts[index]
        let length = starts[index + 1] - start
        guard length == bytes.count else { return false }
        guard length > 0 else { return true }
        return arena.withUnsafeBufferPointer { arena in
            memcmp(arena.baseAddress! + start, bytes.baseAddress!, length) == 0
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
