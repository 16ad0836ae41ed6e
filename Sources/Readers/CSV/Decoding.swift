import LagesbildModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Bytes that mark a byte or code unit the source encoding does not define. `0xFF` never occurs in
/// valid UTF-8, so the marked bytes fail validation and their row is rejected; the byte after the
/// marker says what was wrong.
enum InvalidMarker {
    static let lead: UInt8 = 0xFF
    /// Follows the lead for an unpaired UTF-16 surrogate or an odd trailing byte.
    static let utf16: UInt8 = 0xFE
}

/// Reads a file in chunks and turns it into UTF-8 in one growable buffer.
///
/// Memory stays at about two chunks plus the longest record: `compact(keepingFrom:)` moves the
/// unfinished record to the front before each read.
final class ChunkedUTF8Buffer {
    let fd: Int32
    let encoding: TextEncoding
    let chunkSize: Int
    /// The UTF-8 bytes; `bytes[0..<count]` are valid.
    private(set) var bytes: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    private(set) var count: Int = 0
    /// True once the file is exhausted and everything is in `bytes`.
    private(set) var atEOF = false
    /// Bytes read from the file (including a byte-order mark), counting bytes read again after a
    /// ``restart(atFileOffset:)``.
    private(set) var bytesRead: Int = 0
    /// The file offset the next read starts at.
    private var filePosition: Int

    /// A file offset that a read never crosses, so that the record reader can stop there (a part of
    /// a file split for parallel reading); nil reads on to the end.
    let stopOffset: Int?
    /// Where `stopOffset` is in `bytes` once it has been read (negative once compacted away).
    private(set) var stopPosition: Int?
    /// The file offset of `bytes[0]`, kept when `stopOffset` is set.
    private var baseOffset: Int

    private var raw: UnsafeMutablePointer<UInt8>?
    private var pendingByte: UInt8?  // UTF-16: the first byte of a code unit split between reads
    private var pendingHighSurrogate: UInt16?  // UTF-16: a high surrogate waiting for its pair
    private let singleByteTable: UnsafeMutablePointer<UInt32>?  // UTF-8 bytes of each byte, packed

    /// Reads from `startOffset` (where `fd` is positioned). A `stopOffset` is only allowed for
    /// encodings where ``isSplittable(_:)``.
    init(fd: Int32, encoding: TextEncoding, chunkSize: Int, startOffset: Int, stopOffset: Int? = nil) {
        precondition(stopOffset == nil || Self.isSplittable(encoding))
        self.fd = fd
        self.encoding = encoding
        self.chunkSize = chunkSize
        self.capacity = 2 * chunkSize + 16
        self.bytes = .allocate(capacity: capacity)
        self.bytesRead = startOffset
        self.filePosition = startOffset
        self.baseOffset = startOffset
        self.stopOffset = stopOffset
        if let stopOffset, stopOffset <= startOffset { stopPosition = 0 }
        switch encoding {
        case .utf8:
            raw = nil
            singleByteTable = nil
        case .utf16LittleEndian, .utf16BigEndian:
            raw = .allocate(capacity: chunkSize)
            singleByteTable = nil
        case .windows1252, .iso88591:
            raw = .allocate(capacity: chunkSize)
            let table = UnsafeMutablePointer<UInt32>.allocate(capacity: 256)
            for byte in 0..<256 { table[byte] = SingleByteDecoding.packedUTF8(UInt8(byte), encoding) }
            singleByteTable = table
        }
    }

    deinit {
        bytes.deallocate()
        raw?.deallocate()
        singleByteTable?.deallocate()
    }

    /// True when a file in `encoding` can be cut at any line feed byte: every byte below 0x80 is the
    /// ASCII character itself (UTF-8 and the single-byte encodings, not UTF-16).
    static func isSplittable(_ encoding: TextEncoding) -> Bool {
        switch encoding {
        case .utf8, .windows1252, .iso88591: true
        case .utf16LittleEndian, .utf16BigEndian: false
        }
    }

    /// The file offset of `bytes[position]`; only while `stopOffset` is set.
    func fileOffset(of position: Int) -> Int {
        precondition(stopOffset != nil)
        return baseOffset + fileByteCount(0..<position)
    }

    /// The file offset of `bytes[position]` (a character start) in a file that ``isSplittable(_:)``:
    /// what was read so far less the file bytes of `bytes[position...]`.
    func fileOffset(ofCharacterAt position: Int) -> Int {
        precondition(Self.isSplittable(encoding))
        return filePosition - fileByteCount(position..<count)
    }

    /// Forgets what was read and reads on from file offset `offset` (a character start), as if the
    /// buffer had been opened there.
    func restart(atFileOffset offset: Int) {
        precondition(Self.isSplittable(encoding))
        lseek(fd, off_t(offset), SEEK_SET)
        count = 0
        atEOF = false
        filePosition = offset
        baseOffset = offset
        if let stopOffset { stopPosition = stopOffset <= offset ? 0 : nil }
    }

    /// The number of file bytes that became `bytes[range]` (`range` starting on a character).
    private func fileByteCount(_ range: Range<Int>) -> Int {
        guard encoding != .utf8 else { return range.count }
        // Single-byte encodings: one file byte per UTF-8 sequence, and an undefined byte becomes
        // 0xFF followed by itself, which is 0x80–0x9F, so counting non-continuation bytes counts both.
        // Eight bytes at a time: a continuation byte has its top bit set and the next one clear.
        var continuations = 0
        var index = range.lowerBound
        while index &+ 8 <= range.upperBound {
            let word = UnsafeRawPointer(bytes + index).loadUnaligned(as: UInt64.self)
            continuations &+= (word & ~(word &<< 1) & RecordScanner.highBits).nonzeroBitCount
            index &+= 8
        }
        while index < range.upperBound {
            if bytes[index] & 0xC0 == 0x80 { continuations &+= 1 }
            index &+= 1
        }
        return range.count - continuations
    }

    /// Drops `bytes[0..<start]`, moving the rest to the front.
    func compact(keepingFrom start: Int) {
        guard start > 0 else { return }
        if stopOffset != nil {
            baseOffset += fileByteCount(0..<start)
            stopPosition = stopPosition.map { $0 - start }
        }
        let remaining = count - start
        if remaining > 0 { (bytes).update(from: bytes + start, count: remaining) }
        count = remaining
    }

    /// Reads the next chunk after `count`, growing the buffer when the kept bytes fill it.
    /// Returns the number of UTF-8 bytes added (0 only at the end of the file).
    @discardableResult
    func readMore() throws(CSVReadFailure) -> Int {
        guard !atEOF else { return 0 }
        let expansion = encoding == .utf8 ? 1 : 3
        if capacity - count < chunkSize * expansion {
            grow(to: max(capacity * 2, count + chunkSize * expansion + 16))
        }
        while true {
            let before = count
            var readSize = min(chunkSize, (capacity - count) / expansion)
            if let stopOffset, filePosition < stopOffset { readSize = min(readSize, stopOffset - filePosition) }
            let target = raw ?? (bytes + count)
            let n = read(fd, target, readSize)
            if n < 0 {
                if errno == EINTR { continue }
                throw CSVReadFailure(message: "cannot read the file: \(String(cString: strerror(errno)))")
            }
            bytesRead += n
            filePosition += n
            if n == 0 {
                atEOF = true
                finishUTF16()
                return count - before
            }
            switch encoding {
            case .utf8: count += n
            case .utf16LittleEndian: appendUTF16(raw!, n, littleEndian: true)
            case .utf16BigEndian: appendUTF16(raw!, n, littleEndian: false)
            case .windows1252, .iso88591: appendSingleByte(raw!, n)
            }
            if filePosition == stopOffset { stopPosition = count }
            if count > before { return count - before }
        }
    }

    private func grow(to newCapacity: Int) {
        let newBytes = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBytes.update(from: bytes, count: count)
        bytes.deallocate()
        bytes = newBytes
        capacity = newCapacity
    }

    private func appendSingleByte(_ source: UnsafeMutablePointer<UInt8>, _ n: Int) {
        let table = singleByteTable!
        var out = bytes + count
        for index in 0..<n {
            let byte = source[index]
            if byte < 0x80 {
                out.pointee = byte
                out += 1
                continue
            }
            // Packed: low byte = length, then up to three UTF-8 bytes.
            let packed = table[Int(byte)]
            let length = Int(packed & 0xFF)
            out[0] = UInt8(truncatingIfNeeded: packed >> 8)
            out[1] = UInt8(truncatingIfNeeded: packed >> 16)
            out[2] = UInt8(truncatingIfNeeded: packed >> 24)
            out += length
        }
        count = out - bytes
    }

    private func appendUTF16(_ source: UnsafeMutablePointer<UInt8>, _ n: Int, littleEndian: Bool) {
        var index = 0
        var out = bytes + count
        func emit(_ scalar: UInt32) {
            if scalar < 0x80 {
                out[0] = UInt8(scalar)
                out += 1
            } else if scalar < 0x800 {
                out[0] = UInt8(0xC0 | (scalar >> 6))
                out[1] = UInt8(0x80 | (scalar & 0x3F))
                out += 2
            } else if scalar < 0x10000 {
                out[0] = UInt8(0xE0 | (scalar >> 12))
                out[1] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
                out[2] = UInt8(0x80 | (scalar & 0x3F))
                out += 3
            } else {
                out[0] = UInt8(0xF0 | (scalar >> 18))
                out[1] = UInt8(0x80 | ((scalar >> 12) & 0x3F))
                out[2] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
                out[3] = UInt8(0x80 | (scalar & 0x3F))
                out += 4
            }
        }
        func emitInvalid() {
            out[0] = InvalidMarker.lead
            out[1] = InvalidMarker.utf16
            out += 2
        }
        while true {
            let unit: UInt16
            if let first = pendingByte {
                guard index < n else { break }
                let second = source[index]
                index += 1
                pendingByte = nil
                unit = littleEndian ? UInt16(first) | UInt16(second) << 8 : UInt16(first) << 8 | UInt16(second)
            } else {
                guard index < n else { break }
                guard index + 1 < n else {
                    pendingByte = source[index]
                    index += 1
                    break
                }
                let a = UInt16(source[index])
                let b = UInt16(source[index + 1])
                index += 2
                unit = littleEndian ? a | b << 8 : a << 8 | b
            }
            if let high = pendingHighSurrogate {
                pendingHighSurrogate = nil
                if unit >= 0xDC00 && unit <= 0xDFFF {
                    emit(0x10000 + ((UInt32(high) - 0xD800) << 10) + (UInt32(unit) - 0xDC00))
                    continue
                }
                emitInvalid()
            }
            if unit >= 0xD800 && unit <= 0xDBFF {
                pendingHighSurrogate = unit
            } else if unit >= 0xDC00 && unit <= 0xDFFF {
                emitInvalid()
            } else {
                emit(UInt32(unit))
            }
        }
        count = out - bytes
    }

    private func finishUTF16() {
        guard encoding == .utf16LittleEndian || encoding == .utf16BigEndian else { return }
        if pendingByte != nil || pendingHighSurrogate != nil {
            if capacity - count < 4 { grow(to: capacity + 16) }
            bytes[count] = InvalidMarker.lead
            bytes[count + 1] = InvalidMarker.utf16
            count += 2
            pendingByte = nil
            pendingHighSurrogate = nil
        }
    }
}

/// A read(2) failure inside the buffer; the reader turns it into a ``CSVError`` with the file name.
struct CSVReadFailure: Error {
    var message: String
}

/// Windows-1252 and ISO-8859-1 to UTF-8.
enum SingleByteDecoding {
    /// Windows-1252's 0x80–0x9F; 0 marks the five undefined bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D).
    static let windows1252High: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E,
        0x0178,
    ]

    /// The Unicode scalar of `byte`, or nil when the encoding does not define it.
    static func scalar(_ byte: UInt8, _ encoding: TextEncoding) -> UInt32? {
        if encoding == .windows1252, byte >= 0x80, byte <= 0x9F {
            let scalar = windows1252High[Int(byte - 0x80)]
            return scalar == 0 ? nil : scalar
        }
        return UInt32(byte)
    }

    /// The UTF-8 bytes of `byte` packed as length | b0 << 8 | b1 << 16 | b2 << 24; an undefined byte
    /// becomes the invalid marker followed by the byte itself.
    static func packedUTF8(_ byte: UInt8, _ encoding: TextEncoding) -> UInt32 {
        guard let scalar = scalar(byte, encoding) else {
            return 2 | UInt32(InvalidMarker.lead) << 8 | UInt32(byte) << 16
        }
        if scalar < 0x80 { return 1 | scalar << 8 }
        if scalar < 0x800 { return 2 | (0xC0 | scalar >> 6) << 8 | (0x80 | scalar & 0x3F) << 16 }
        return 3 | (0xE0 | scalar >> 12) << 8 | (0x80 | (scalar >> 6) & 0x3F) << 16 | (0x80 | scalar & 0x3F) << 24
    }
}

/// UTF-8 validation over raw bytes.
enum UTF8Validation {
    private static let high: UInt64 = 0x8080_8080_8080_8080

    /// The offset of the first byte that does not begin a complete, valid UTF-8 sequence, or nil.
    /// With `allowTruncatedEnd`, a sequence cut off by the end of the buffer is accepted.
    ///
    /// Eight bytes at a time while the text holds only ASCII and two-byte sequences (Swedish text:
    /// å, ä, ö, é); byte by byte around longer sequences and errors.
    static func firstInvalid(_ start: UnsafePointer<UInt8>, count: Int, allowTruncatedEnd: Bool = false) -> Int? {
        var index = 0
        var carry: UInt64 = 0  // 0x80 when the previous word ended with a two-byte lead
        while index &+ 8 <= count {
            let word = UnsafeRawPointer(start + index).loadUnaligned(as: UInt64.self).littleEndian
            let top = word & high
            let bit6 = (word &<< 1) & high
            let bit5 = (word &<< 2) & high
            let lead = top & bit6
            let continuation = top & ~bit6
            let overlong = RecordScanner.matches(word & 0xFEFE_FEFE_FEFE_FEFE, 0xC0C0_C0C0_C0C0_C0C0)
            if lead & bit5 == 0 && overlong == 0 && (lead &<< 8) | carry == continuation {
                carry = lead &>> 56
                index &+= 8
                continue
            }
            // Something else in this word: check it byte by byte from the last sequence start.
            let from = carry != 0 ? index - 1 : index
            switch scalarCheck(start, from: from, until: index + 8, count: count, allowTruncatedEnd: allowTruncatedEnd)
            {
            case .invalid(let offset): return offset
            case .valid(let next):
                index = next
                carry = 0
            }
        }
        let from = carry != 0 ? index - 1 : index
        switch scalarCheck(start, from: from, until: count, count: count, allowTruncatedEnd: allowTruncatedEnd) {
        case .invalid(let offset): return offset
        case .valid: return nil
        }
    }

    /// The multi-byte characters and the bytes that start no valid sequence in `start[0..<count]`.
    static func tally(_ start: UnsafePointer<UInt8>, count: Int, allowTruncatedEnd: Bool) -> (
        characters: Int, invalidBytes: Int
    ) {
        var characters = 0
        var invalid = 0
        var index = 0
        while index < count {
            if start[index] < 0x80 {
                index += 1
                continue
            }
            switch scalarCheck(start, from: index, until: index + 1, count: count, allowTruncatedEnd: allowTruncatedEnd)
            {
            case .valid(let next):
                characters += 1
                index = next
            case .invalid:
                invalid += 1
                index += 1
            }
        }
        return (characters, invalid)
    }

    private enum ScalarResult {
        case valid(next: Int)
        case invalid(Int)
    }

    /// Checks whole sequences starting at `from` (a sequence start) until one ends at or after `until`.
    private static func scalarCheck(
        _ start: UnsafePointer<UInt8>, from: Int, until: Int, count: Int, allowTruncatedEnd: Bool
    ) -> ScalarResult {
        var index = from
        while index < until {
            let lead = start[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED:
                length = 3
                high = 0x9F
            case 0xF0:
                length = 4
                low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                high = 0x8F
            default: return .invalid(index)
            }
            for offset in 1..<length {
                guard index + offset < count else { return allowTruncatedEnd ? .valid(next: count) : .invalid(index) }
                let byte = start[index + offset]
                if offset == 1 {
                    if byte < low || byte > high { return .invalid(index) }
                } else if byte & 0xC0 != 0x80 {
                    return .invalid(index)
                }
            }
            index += length
        }
        return .valid(next: index)
    }
}

/// Chooses the encoding of a file that gives none.
enum EncodingDetection {
    /// The encoding named by a byte-order mark at the start of `prefix`, and the mark's length.
    static func byteOrderMark(_ prefix: [UInt8]) -> (TextEncoding, Int)? {
        if prefix.starts(with: [0xEF, 0xBB, 0xBF]) { return (.utf8, 3) }
        if prefix.starts(with: [0xFF, 0xFE]) { return (.utf16LittleEndian, 2) }
        if prefix.starts(with: [0xFE, 0xFF]) { return (.utf16BigEndian, 2) }
        return nil
    }

    /// Looks at up to `limit` bytes from `offset`, chunk by chunk, for the first non-ASCII byte. From
    /// there on (within its chunk) the multi-byte UTF-8 characters are counted against the bytes that
    /// are not UTF-8: UTF-8 when there are at least as many characters as bad bytes (a UTF-8 file with
    /// a few broken bytes stays UTF-8, and their rows are rejected naming the byte), else Windows-1252
    /// (whose letters å, ä, ö, followed by ASCII, are never UTF-8). A prefix that is all ASCII is taken
    /// as UTF-8.
    static func detect(fd: Int32, offset: Int, limit: Int = 64 << 20, chunkSize: Int = 1 << 20) -> TextEncoding {
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkSize)
        defer { buffer.deallocate() }
        var position = offset
        while position - offset < limit {
            let n = pread(fd, buffer, chunkSize, off_t(position))
            if n <= 0 { break }
            var first = 0
            while first < n, buffer[first] < 0x80 { first += 1 }
            if first < n {
                // Earlier chunks were all ASCII, so `first` starts a sequence.
                let tally = UTF8Validation.tally(buffer + first, count: n - first, allowTruncatedEnd: n == chunkSize)
                return tally.characters > 0 && tally.characters >= tally.invalidBytes ? .utf8 : .windows1252
            }
            position += n
        }
        return .utf8
    }
}
