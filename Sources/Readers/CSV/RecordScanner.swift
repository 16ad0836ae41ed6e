/// One field of the current record: a byte range in the reader's buffer.
@usableFromInline
struct FieldSpan {
    @usableFromInline var start: Int
    @usableFromInline var end: Int
    /// The field was quoted and holds doubled quotes, which must be undoubled when read.
    @usableFromInline var hasDoubledQuotes: Bool

    @inlinable init(start: Int, end: Int, hasDoubledQuotes: Bool) {
        self.start = start
        self.end = end
        self.hasDoubledQuotes = hasDoubledQuotes
    }
}

/// What scanning one record from a position found.
enum ScanOutcome {
    /// A record `[start, end)` (without its line break); the next record starts at `next`.
    case record(end: Int, next: Int, innerLineBreaks: Int, nonASCII: Bool, hasContent: Bool)
    /// The buffer ends inside the record; read more and scan again.
    case incomplete
    /// A quoted field (1-based `field`) is still open at the end of the file.
    case unterminatedQuote(field: Int)
    /// Text follows the closing quote of field `field` before the next delimiter.
    case textAfterQuote(field: Int)
}

/// Finds the fields of one record in UTF-8 bytes: the state machine of RFC 4180 plus lone CR line
/// breaks. A quote opens a quoted field only as the field's first byte; elsewhere it is text.
struct RecordScanner {
    let delimiter: UInt8
    private(set) var fields: UnsafeMutablePointer<FieldSpan>
    private(set) var fieldCapacity: Int
    private(set) var fieldCount = 0

    static let quote = UInt8(ascii: "\"")
    static let lf = UInt8(ascii: "\n")
    static let cr = UInt8(ascii: "\r")

    init(delimiter: UInt8) {
        self.delimiter = delimiter
        fieldCapacity = 64
        fields = .allocate(capacity: fieldCapacity)
    }

    /// Frees the tables; call once when done.
    func deallocate() {
        fields.deallocate()
    }

    @inline(__always)
    private mutating func append(_ start: Int, _ end: Int, _ doubled: Bool) {
        if fieldCount == fieldCapacity {
            let grown = UnsafeMutablePointer<FieldSpan>.allocate(capacity: fieldCapacity * 2)
            grown.moveInitialize(from: fields, count: fieldCount)
            fields.deallocate()
            fields = grown
            fieldCapacity *= 2
        }
        (fields + fieldCount).initialize(to: FieldSpan(start: start, end: end, hasDoubledQuotes: doubled))
        fieldCount += 1
    }

    static let highBits: UInt64 = 0x8080_8080_8080_8080
    static let lowBits: UInt64 = 0x0101_0101_0101_0101
    static let lfPattern = broadcast(lf)
    static let crPattern = broadcast(cr)

    @inline(__always) static func broadcast(_ byte: UInt8) -> UInt64 { UInt64(byte) &* lowBits }

    /// High bit set in each byte of `word` equal to the byte broadcast in `pattern`. Bits above the first
    /// match may be false positives; the lowest set bit is always exact.
    @inline(__always) static func matches(_ word: UInt64, _ pattern: UInt64) -> UInt64 {
        let x = word ^ pattern
        return (x &- lowBits) & ~x & highBits
    }

    /// Advances `index` to the next LF, CR or `pattern` byte (or `limit`), eight bytes at a time,
    /// OR-ing the bytes passed into `seen`.
    @inline(__always)
    static func skipToStop(
        _ bytes: UnsafePointer<UInt8>, _ index: inout Int, _ limit: Int, _ pattern: UInt64, _ seen: inout UInt64
    ) {
        while index &+ 8 <= limit {
            let word = UnsafeRawPointer(bytes + index).loadUnaligned(as: UInt64.self).littleEndian
            let hits = matches(word, pattern) | matches(word, lfPattern) | matches(word, crPattern)
            if hits != 0 {
                let stop = hits.trailingZeroBitCount &>> 3
                seen |= word & ((1 &<< UInt64(stop &* 8)) &- 1)
                index &+= stop
                return
            }
            seen |= word
            index &+= 8
        }
        let stopByte = UInt8(truncatingIfNeeded: pattern)
        while index < limit {
            let byte = bytes[index]
            if byte == stopByte || byte == lf || byte == cr { return }
            seen |= UInt64(byte)
            index &+= 1
        }
    }

    /// Scans the record starting at `start` in `bytes[start..<limit]`.
    mutating func scan(_ bytes: UnsafePointer<UInt8>, start: Int, limit: Int, atEOF: Bool) -> ScanOutcome {
        fieldCount = 0
        let delimiter = self.delimiter
        let delimiterPattern = Self.broadcast(delimiter)
        let quotePattern = Self.broadcast(Self.quote)
        var index = start
        var lineBreaks = 0
        var seen: UInt64 = 0  // OR of all content bytes (in words), for the non-ASCII test
        var hasContent = false
        while true {
            if index < limit && bytes[index] == Self.quote {
                // Quoted field.
                hasContent = true
                index += 1
                let contentStart = index
                var doubled = false
                while true {
                    Self.skipToStop(bytes, &index, limit, quotePattern, &seen)
                    if index >= limit {
                        if !atEOF { return .incomplete }
                        return .unterminatedQuote(field: fieldCount + 1)
                    }
                    let byte = bytes[index]
                    if byte == Self.quote {
                        if index + 1 < limit {
                            if bytes[index + 1] == Self.quote {
                                doubled = true
                                index += 2
                                continue
                            }
                        } else if !atEOF {
                            return .incomplete
                        }
                        break
                    }
                    // A line break inside the field: CRLF, LF or CR each count once.
                    lineBreaks += 1
                    if byte == Self.cr {
                        if index + 1 < limit {
                            index += bytes[index + 1] == Self.lf ? 2 : 1
                        } else if !atEOF {
                            return .incomplete
                        } else {
                            index += 1
                        }
                    } else {
                        index += 1
                    }
                }
                append(contentStart, index, doubled)
                index += 1  // the closing quote
                if index >= limit {
                    if !atEOF { return .incomplete }
                    return .record(
                        end: index, next: index, innerLineBreaks: lineBreaks, nonASCII: seen & Self.highBits != 0,
                        hasContent: true)
                }
                let next = bytes[index]
                if next == delimiter {
                    index += 1
                    continue
                }
                if next != Self.lf && next != Self.cr { return .textAfterQuote(field: fieldCount) }
            } else {
                // Unquoted field.
                let fieldStart = index
                Self.skipToStop(bytes, &index, limit, delimiterPattern, &seen)
                if index >= limit {
                    if !atEOF { return .incomplete }
                    append(fieldStart, index, false)
                    hasContent = hasContent || index > fieldStart
                    return .record(
                        end: index, next: index, innerLineBreaks: lineBreaks, nonASCII: seen & Self.highBits != 0,
                        hasContent: hasContent)
                }
                append(fieldStart, index, false)
                hasContent = hasContent || index > fieldStart
                if bytes[index] == delimiter {
                    index += 1
                    continue
                }
            }
            // A line break ends the record at `index`.
            let end = index
            if bytes[index] == Self.cr {
                if index + 1 < limit {
                    index += bytes[index + 1] == Self.lf ? 2 : 1
                } else if !atEOF {
                    return .incomplete
                } else {
                    index += 1
                }
            } else {
                index += 1
            }
            return .record(
                end: end, next: index, innerLineBreaks: lineBreaks, nonASCII: seen & Self.highBits != 0,
                hasContent: hasContent)
        }
    }

    /// The end of the physical line starting at `start` (quotes ignored) and where the next line starts,
    /// or nil when the buffer ends first and more may come.
    static func physicalLine(_ bytes: UnsafePointer<UInt8>, start: Int, limit: Int, atEOF: Bool) -> (
        end: Int, next: Int
    )? {
        var index = start
        while index < limit {
            let byte = bytes[index]
            if byte == lf { return (index, index + 1) }
            if byte == cr {
                if index + 1 < limit { return (index, bytes[index + 1] == lf ? index + 2 : index + 1) }
                return atEOF ? (index, index + 1) : nil
            }
            index += 1
        }
        return atEOF ? (limit, limit) : nil
    }
}
