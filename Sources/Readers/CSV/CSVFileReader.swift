import LagesbildModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A streaming, byte-level CSV reader for one file.
///
/// Opening the file detects what the dialect leaves open (encoding, delimiter, title lines) and reads
/// the header; ``forEachRecord(_:onReject:)`` then streams the data rows in one pass, with memory
/// bounded by the chunk size and the longest record. Rows with the wrong number of fields, an
/// unterminated quote or bytes invalid in the encoding become ``RejectedRecord``s; reading goes on.
///
/// A large file can be read in parts on several cores: give the first reader a stop offset, open the
/// other parts with ``partOpener`` and check that each part starts where the one before it
/// ended (``endOffset``); see ``PartOpener``.
///
/// Not thread-safe: use one reader per file and task.
public final class CSVFileReader {
    /// The path as given, used in every location.
    public let path: String
    /// The dialect as given.
    public let dialect: CSVDialect
    /// The encoding used to decode the file.
    public let encoding: TextEncoding
    /// True when ``encoding`` was detected rather than given.
    public let encodingWasDetected: Bool
    /// The field delimiter used.
    public private(set) var delimiter: UInt8 = UInt8(ascii: ";")
    /// True when ``delimiter`` was detected rather than given.
    public private(set) var delimiterWasDetected = false
    /// The column names (`"1"`, `"2"`, ... without a header), personal identity numbers masked: a file
    /// delivered without its header has a data row here.
    public private(set) var header: [String] = []
    /// The 1-based line of the header (0 without a header).
    public private(set) var headerLine: Int = 0
    /// The lines skipped above the header, decoded, personal identity numbers masked.
    public private(set) var titleLines: [String] = []

    /// Chunk size of each read(2).
    public static let chunkSize = 1 << 20

    private let fd: Int32
    let buffer: ChunkedUTF8Buffer
    var scanner: RecordScanner
    var position = 0
    /// The line the next record starts on. In a part opened by a ``PartOpener`` lines are
    /// counted from the part's start, which is line 1.
    public internal(set) var nextLine = 1
    private var blankLines = 0
    private var expectedFieldCount: Int?
    private var pending: [Step] = []
    private var consumed = false
    /// With `footer_lines`: the non-blank lines of the footer, which the reader stops before.
    private var footerLines = 0

    /// Bytes of the file read so far (for progress reports).
    public var bytesRead: Int { buffer.bytesRead }

    /// True when the file's encoding lets it be split at line feed bytes (UTF-8, Windows-1252,
    /// ISO-8859-1; not UTF-16): only then is a stop offset obeyed.
    public var isSplittable: Bool { ChunkedUTF8Buffer.isSplittable(encoding) }

    /// With a stop offset: the file offset where ``forEachRecord(_:onReject:)`` stopped, the start of
    /// the first record at or after the stop offset (or the end of the file). Nil without one.
    public var endOffset: Int? {
        guard buffer.stopOffset != nil else { return nil }
        return buffer.fileOffset(of: position)
    }

    /// What the next record of the file is.
    enum Step {
        case record(line: Int, start: Int, end: Int, nonASCII: Bool)
        case blank
        /// A row that cannot be read: `raw` is the start of its text, `rawBytes` its whole length.
        case malformed(line: Int, raw: String, rawBytes: Int, column: Int, reason: String)
        case end
    }

    /// Opens `path`, detects what `dialect` leaves open and reads the title lines and the header.
    /// Throws ``CSVError`` when the file cannot be opened, is empty or has no header.
    ///
    /// With `stop` (a file offset), ``forEachRecord(_:onReject:)`` stops before the first record that
    /// starts at or after it: the first part of a file read in parts. It is ignored when the file is
    /// not ``isSplittable``.
    public init(path: String, dialect: CSVDialect = CSVDialect(), stoppingAt stop: Int? = nil) throws {
        self.path = path
        self.dialect = dialect
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw CSVError(
                location: SourceLocation(file: path, line: 1),
                message: "cannot open the file: \(String(cString: strerror(errno)))")
        }
        self.fd = fd
        var prefix = [UInt8](repeating: 0, count: 4)
        let prefixCount = prefix.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 4, 0) }
        prefix = Array(prefix.prefix(max(0, prefixCount)))
        let bom = EncodingDetection.byteOrderMark(prefix)
        var skip = 0
        if let given = dialect.encoding {
            encoding = given
            encodingWasDetected = false
            if let (marked, length) = bom, marked == given { skip = length }
        } else if let (marked, length) = bom {
            encoding = marked
            encodingWasDetected = true
            skip = length
        } else {
            encoding = EncodingDetection.detect(fd: fd, offset: 0)
            encodingWasDetected = true
        }
        var stop = stop
        if case .footerLines(let count) = dialect.tableEnd {
            guard ChunkedUTF8Buffer.isSplittable(encoding) else {
                close(fd)
                throw CSVError(
                    location: SourceLocation(file: path, line: 1),
                    message: "footer_lines reads the file from its end, which works for UTF-8 and single-byte "
                        + "encodings, not \(encoding.rawValue); use before_line_matching or first-blank-line")
            }
            let footer = FooterScan.find(fd: fd, lines: count)
            guard footer.lines == count else {
                close(fd)
                throw CSVError(
                    location: SourceLocation(file: path, line: 1),
                    message: "footer_lines is \(count), but the file has only \(footer.lines) non-blank lines")
            }
            footerLines = footer.lines
            stop = min(stop ?? Int.max, max(footer.start, skip))
        }
        lseek(fd, off_t(skip), SEEK_SET)
        buffer = ChunkedUTF8Buffer(
            fd: fd, encoding: encoding, chunkSize: Self.chunkSize, startOffset: skip,
            stopOffset: ChunkedUTF8Buffer.isSplittable(encoding) ? stop : nil)
        scanner = RecordScanner(delimiter: UInt8(ascii: ";"))
        do {
            while buffer.count < Self.chunkSize, !buffer.atEOF { try buffer.readMore() }
        } catch {
            close(fd)
            throw CSVError(location: SourceLocation(file: path, line: 1), message: error.message)
        }
        if buffer.count == 0 {
            close(fd)
            throw CSVError(
                location: SourceLocation(file: path, line: 1),
                message: footerLines > 0 ? "footer_lines \(footerLines) leaves no table" : "the file is empty")
        }

        // Explicit title lines are physical lines, skipped before anything is detected.
        if let count = dialect.titleLines {
            for _ in 0..<count {
                guard let line = try nextPhysicalLine() else { break }
                titleLines.append(PersonalNumberMask.mask(line))
            }
        }
        if let given = dialect.delimiter {
            delimiter = given
            delimiterWasDetected = false
        } else {
            let isUTF16 = encoding == .utf16LittleEndian || encoding == .utf16BigEndian
            delimiter = DialectDetection.delimiter(
                buffer.bytes, start: position, limit: buffer.count, atEOF: buffer.atEOF,
                fallback: isUTF16 ? UInt8(ascii: "\t") : UInt8(ascii: ";"))
            delimiterWasDetected = true
        }
        scanner.deallocate()
        scanner = RecordScanner(delimiter: delimiter)
        if dialect.titleLines == nil {
            let sample = DialectDetection.sample(
                buffer.bytes, start: position, limit: buffer.count, atEOF: buffer.atEOF, delimiter: delimiter)
            var titles = DialectDetection.titleCount(sample)
            while titles > 0 {
                switch try step() {
                case .record(_, let start, let end, _):
                    titleLines.append(PersonalNumberMask.mask(decode(start..<end)))
                    titles -= 1
                case .malformed(_, let raw, _, _, _):
                    titleLines.append(PersonalNumberMask.mask(raw))
                    titles -= 1
                case .blank: continue
                case .end: titles = 0
                }
            }
        }
        try readHeader()
    }

    /// What a reader for a part of this file needs to know from the reader that read its header.
    public struct PartOpener: Sendable {
        let path: String
        let dialect: CSVDialect
        let encoding: TextEncoding
        let encodingWasDetected: Bool
        let delimiter: UInt8
        let delimiterWasDetected: Bool
        let header: [String]
        let headerLine: Int
        let titleLines: [String]
        let expectedFieldCount: Int?

        /// Opens a reader for the records from file offset `start`, with the header reader's dialect,
        /// header and field count, that stops before the first record starting at or after `stop` (nil:
        /// the end of the file). Its lines are counted from `start` (line 1).
        ///
        /// `start` is a guess (say, the byte after a line feed) that may fall inside a quoted field: the
        /// records are the ones a serial read gives only when `start` is the ``endOffset`` of the part
        /// before, which the caller checks once that part is read, reading the part again from there if
        /// not.
        public func open(from start: Int, stoppingAt stop: Int?) throws -> CSVFileReader {
            try CSVFileReader(part: self, from: start, stoppingAt: stop)
        }
    }

    /// Opens readers for parts of the file; only for ``isSplittable`` files.
    public var partOpener: PartOpener {
        precondition(isSplittable, "only files in UTF-8 or a single-byte encoding can be split")
        return PartOpener(
            path: path, dialect: dialect, encoding: encoding, encodingWasDetected: encodingWasDetected,
            delimiter: delimiter, delimiterWasDetected: delimiterWasDetected, header: header,
            headerLine: headerLine, titleLines: titleLines, expectedFieldCount: expectedFieldCount)
    }

    private init(part: PartOpener, from start: Int, stoppingAt stop: Int?) throws {
        path = part.path
        dialect = part.dialect
        encoding = part.encoding
        encodingWasDetected = part.encodingWasDetected
        delimiter = part.delimiter
        delimiterWasDetected = part.delimiterWasDetected
        header = part.header
        headerLine = part.headerLine
        titleLines = part.titleLines
        expectedFieldCount = part.expectedFieldCount
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw CSVError(
                location: SourceLocation(file: path, line: 1),
                message: "cannot open the file: \(String(cString: strerror(errno)))")
        }
        self.fd = fd
        lseek(fd, off_t(start), SEEK_SET)
        buffer = ChunkedUTF8Buffer(
            fd: fd, encoding: encoding, chunkSize: Self.chunkSize, startOffset: start, stopOffset: stop ?? Int.max)
        scanner = RecordScanner(delimiter: delimiter)
    }

    deinit {
        scanner.deallocate()
        close(fd)
    }

    private func readHeader() throws {
        while true {
            let next = try step()
            switch next {
            case .blank: continue
            case .end:
                if dialect.hasHeader {
                    throw CSVError(
                        location: SourceLocation(file: path, line: nextLine),
                        message: "no header: the file has no line after its title and blank lines")
                }
                return
            case .malformed(let line, _, _, let column, let reason):
                if dialect.hasHeader {
                    throw CSVError(
                        location: SourceLocation(file: path, line: line, column: column),
                        message: "the header cannot be read: \(reason)")
                }
                pending.append(next)
            case .record(let line, _, _, _):
                expectedFieldCount = scanner.fieldCount
                if dialect.hasHeader {
                    header = (0..<scanner.fieldCount).map { PersonalNumberMask.mask(fieldString($0)) }
                    headerLine = line
                } else {
                    header = (1...max(1, scanner.fieldCount)).map(String.init)
                    pending.append(next)
                }
                return
            }
        }
    }

    /// The index of the column named `name` (exact match), or nil.
    public func columnIndex(_ name: String) -> Int? { header.firstIndex(of: name) }

    /// Streams every data record to `body`; records the reader cannot accept go to `onReject`.
    ///
    /// Single pass: a second call throws. An error thrown by a closure stops reading and is rethrown.
    @discardableResult
    public func forEachRecord(
        _ body: (CSVRecord) throws -> Void,
        onReject: (RejectedRecord) throws -> Void
    ) throws -> CSVReadSummary {
        guard !consumed else {
            throw CSVError(location: SourceLocation(file: path, line: 1), message: "the records were already read")
        }
        consumed = true
        var summary = CSVReadSummary()
        var watch = try TableEndWatch(dialect.tableEnd, path: path)
        pending.reverse()
        while true {
            let next: Step
            if let queued = pending.popLast() {
                next = queued
            } else if let stop = buffer.stopPosition, position >= stop {
                next = .end
            } else {
                next = try step()
            }
            switch next {
            case .end:
                summary.blankLines = blankLines
                summary.bytesRead = buffer.bytesRead
                summary.linesSkipped += footerLines
                return summary
            case .blank:
                watch.blankLine()
                continue
            case .malformed(let line, let raw, let rawBytes, let column, let reason):
                if watch.skips(raw) {
                    summary.linesSkipped += 1
                    continue
                }
                summary.rowsRead += 1
                summary.rowsRejected += 1
                try onReject(
                    RejectedRecord(
                        location: SourceLocation(file: path, line: line, column: column), reason: reason, raw: raw,
                        rawByteCount: rawBytes))
            case .record(let line, let start, let end, let nonASCII):
                let text = watch.matchesText ? decode(start..<end) : ""
                if watch.skips(text) {
                    summary.linesSkipped += 1
                    continue
                }
                summary.rowsRead += 1
                let count = scanner.fieldCount
                if let expected = expectedFieldCount, count != expected {
                    summary.rowsRejected += 1
                    let what = dialect.hasHeader ? "the header has" : "the first row has"
                    try onReject(
                        RejectedRecord(
                            location: SourceLocation(file: path, line: line, column: min(count, expected) + 1),
                            reason: "row has \(count) field\(count == 1 ? "" : "s"), \(what) \(expected)",
                            raw: rawHead(start..<end), rawByteCount: end - start))
                    continue
                }
                if nonASCII, let bad = UTF8Validation.firstInvalid(buffer.bytes + start, count: end - start) {
                    summary.rowsRejected += 1
                    let (column, reason) = describeInvalid(at: start + bad)
                    try onReject(
                        RejectedRecord(
                            location: SourceLocation(file: path, line: line, column: column), reason: reason,
                            raw: rawHead(start..<end), rawByteCount: end - start))
                    continue
                }
                summary.rowsDelivered += 1
                try body(
                    CSVRecord(
                        bytes: buffer.bytes, fields: scanner.fields, count: count, rawRange: start..<end, line: line))
            }
        }
    }

    // MARK: - Stepping through records

    /// Scans the next record, reading more of the file as needed.
    private func step() throws(CSVError) -> Step {
        while true {
            if position >= buffer.count {
                if buffer.atEOF { return .end }
                try refill()
                continue
            }
            switch scanner.scan(buffer.bytes, start: position, limit: buffer.count, atEOF: buffer.atEOF) {
            case .record(let end, let next, let innerLineBreaks, let nonASCII, let hasContent):
                if next - position > dialect.maxRecordBytes { return try skipLongRecord() }
                let line = nextLine
                let start = position
                nextLine += innerLineBreaks + 1
                position = next
                guard hasContent else {
                    blankLines += 1
                    return .blank
                }
                return .record(line: line, start: start, end: end, nonASCII: nonASCII)
            case .incomplete:
                if buffer.count - position > dialect.maxRecordBytes { return try skipLongRecord() }
                try refill()
            case .unterminatedQuote(let field):
                if buffer.count - position > dialect.maxRecordBytes { return try skipLongRecord() }
                return try resynchronize(column: field, reason: "field \(field) opens a quote that is never closed")
            case .textAfterQuote(let field):
                return try resynchronize(column: field, reason: "field \(field) has text after its closing quote")
            }
        }
    }

    /// Rejects the physical line where a broken record starts and goes on with the next line. A line
    /// longer than `maxRecordBytes` is passed over to its end without being kept (``skipLongRecord()``).
    func resynchronize(column: Int, reason: String) throws(CSVError) -> Step {
        while true {
            let found = RecordScanner.physicalLine(
                buffer.bytes, start: position, limit: buffer.count, atEOF: buffer.atEOF)
            if found == nil, buffer.count - position > dialect.maxRecordBytes {
                return try skipLongRecord(restOfLine: (column, reason))
            }
            if let (end, next) = found {
                let step = Step.malformed(
                    line: nextLine, raw: rawHead(position..<end), rawBytes: end - position, column: column,
                    reason: reason)
                nextLine += 1
                position = next
                return step
            }
            try refill()
        }
    }

    /// The next physical line (quotes ignored), decoded; nil at the end of the file.
    private func nextPhysicalLine() throws(CSVError) -> String? {
        while true {
            if position >= buffer.count, buffer.atEOF { return nil }
            if let (end, next) = RecordScanner.physicalLine(
                buffer.bytes, start: position, limit: buffer.count, atEOF: buffer.atEOF)
            {
                let line = decode(position..<end)
                nextLine += 1
                position = next
                return line
            }
            try refill()
        }
    }

    func refill() throws(CSVError) {
        buffer.compact(keepingFrom: position)
        position = 0
        do {
            try buffer.readMore()
        } catch {
            throw CSVError(location: SourceLocation(file: path, line: nextLine), message: error.message)
        }
    }

    // MARK: - Decoding

    private func decode(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(start: buffer.bytes + range.lowerBound, count: range.count), as: UTF8.self)
    }

    /// The start of a rejected row's text: what ``RawText`` keeps of it, never a whole huge field.
    func rawHead(_ range: Range<Int>) -> String {
        var end = min(range.upperBound, range.lowerBound + RawText.bytesNeeded)
        while end > range.lowerBound, end < range.upperBound, buffer.bytes[end] & 0xC0 == 0x80 { end -= 1 }
        return decode(range.lowerBound..<end)
    }

    private func fieldString(_ index: Int) -> String {
        CSVRecord(bytes: buffer.bytes, fields: scanner.fields, count: scanner.fieldCount, rawRange: 0..<0, line: 0)
            .string(at: index)
    }

    /// The 1-based field holding the invalid byte at `offset`, and why it is invalid.
    private func describeInvalid(at offset: Int) -> (Int, String) {
        var column = scanner.fieldCount
        for index in 0..<scanner.fieldCount where offset < scanner.fields[index].end {
            column = index + 1
            break
        }
        let byte = buffer.bytes[offset]
        let next = offset + 1 < buffer.count ? buffer.bytes[offset + 1] : 0
        switch encoding {
        case .windows1252 where byte == InvalidMarker.lead:
            return (column, "field \(column) holds the byte \(hex(next)), which Windows-1252 does not define")
        case .utf16LittleEndian, .utf16BigEndian:
            return (column, "field \(column) holds an unpaired UTF-16 surrogate or a cut-off code unit")
        case .utf8:
            let at = buffer.fileOffset(ofCharacterAt: offset)
            return (column, "field \(column) is not valid UTF-8 (byte \(hex(byte)) at byte offset \(at) of the file)")
        default:
            return (column, "field \(column) is not valid \(encoding.rawValue.uppercased()) (byte \(hex(byte)))")
        }
    }

    private func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "0x\(digits[Int(byte >> 4)])\(digits[Int(byte & 0xF)])"
    }
}
