import LagesbildModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds a footer of a given number of lines by reading the file backwards from its end.
enum FooterScan {
    /// The file offset where the last `lines` non-blank lines start, and how many non-blank lines
    /// there are from there (fewer than `lines` when the whole file is shorter). A line of spaces,
    /// tabs and delimiters only is blank.
    static func find(fd: Int32, lines wanted: Int) -> (start: Int, lines: Int) {
        var status = stat()
        guard wanted > 0, fstat(fd, &status) == 0 else { return (Int.max, 0) }
        let size = Int(status.st_size)
        let blockSize = 64 * 1024
        var block = [UInt8](repeating: 0, count: blockSize)
        var found = 0
        var lineHasContent = false
        var blockEnd = size
        while blockEnd > 0 {
            let blockStart = max(0, blockEnd - blockSize)
            let count = block.withUnsafeMutableBytes {
                pread(fd, $0.baseAddress, blockEnd - blockStart, off_t(blockStart))
            }
            guard count == blockEnd - blockStart else { return (Int.max, 0) }
            for index in stride(from: count - 1, through: 0, by: -1) {
                let byte = block[index]
                if byte == 0x0A {
                    if lineHasContent {
                        found += 1
                        if found == wanted { return (blockStart + index + 1, found) }
                    }
                    lineHasContent = false
                } else if !isBlank(byte) {
                    lineHasContent = true
                }
            }
            blockEnd = blockStart
        }
        if lineHasContent { found += 1 }
        return (0, found)
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x09, 0x0D, UInt8(ascii: ";"), UInt8(ascii: ","), UInt8(ascii: "|"): return true
        default: return false
        }
    }
}

/// Watches the records of a CSV file for the end of its table (first blank line or a matching line).
struct TableEndWatch {
    private let firstBlankLine: Bool
    private let regex: Regex<AnyRegexOutput>?
    /// True once the table has ended; every later record is skipped.
    private(set) var ended = false

    init(_ end: TableEnd?, path: String) throws(CSVError) {
        switch end {
        case .firstBlankLine:
            firstBlankLine = true
            regex = nil
        case .beforeLineMatching(let pattern):
            firstBlankLine = false
            do {
                regex = try Regex(pattern)
            } catch {
                throw CSVError(
                    location: SourceLocation(file: path, line: 1),
                    message: "the table end pattern \(pattern) is not a valid regular expression")
            }
        case .footerLines, nil:
            firstBlankLine = false
            regex = nil
        }
    }

    /// True when the watch needs each record's text.
    var matchesText: Bool { regex != nil }

    /// A blank line below the header: the end, with `first-blank-line`.
    mutating func blankLine() {
        if firstBlankLine { ended = true }
    }

    /// A record's text: the end when it matches the pattern; returns true when the record is skipped.
    mutating func skips(_ text: String) -> Bool {
        if ended { return true }
        if let regex, (try? regex.firstMatch(in: text)) != nil { ended = true }
        return ended
    }
}
