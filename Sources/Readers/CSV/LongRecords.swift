import LagesbildModel

/// Records longer than `maxRecordBytes`: passed over to their true end without being kept, so that a
/// 20 MB field is one rejected row (its text cut by ``RawText``) and not the start of false ones.
extension CSVFileReader {
    /// Where the pass over a long record is.
    private enum LongRecordState {
        case fieldStart
        case unquoted
        case quoted
        /// A quote inside a quoted field: a doubled quote or the closing one.
        case quoteInQuoted
        /// The record is broken: on to the end of the physical line, quotes ignored.
        case restOfLine
    }

    /// Rejects the record at ``position``, which runs on past `maxRecordBytes`, and goes on after it.
    ///
    /// The record is followed byte by byte (quotes, delimiters, line breaks) to its end, keeping only
    /// its start and its length: a huge field that is closed where it should be is one rejected row,
    /// and the next record starts where it ends. When the record turns out broken — a quote never
    /// closed before the end of the file, or text after a closing quote — only its first physical line
    /// is rejected and reading goes on from the line after it (the file is read there again), as for
    /// a short broken record. With `restOfLine` the record is already known broken: its physical line,
    /// longer than the limit, is rejected with that column and reason.
    func skipLongRecord(restOfLine: (column: Int, reason: String)? = nil) throws(CSVError) -> Step {
        let line = nextLine
        let limit = dialect.maxRecordBytes
        let start = position
        let firstLine = RecordScanner.physicalLine(
            buffer.bytes, start: start, limit: buffer.count, atEOF: buffer.atEOF)
        let head = rawHead(start..<(firstLine?.end ?? buffer.count))
        guard ChunkedUTF8Buffer.isSplittable(buffer.encoding) else {
            return try cutAtLimit(line: line, restOfLine: restOfLine)
        }
        // Where reading goes on when the record is broken: after its first physical line.
        var lineRestart = firstLine.map { (offset: buffer.fileOffset(ofCharacterAt: $0.next), bytes: $0.end - start) }
        var state = restOfLine == nil ? LongRecordState.fieldStart : .restOfLine
        var field = 1
        var column = restOfLine?.column
        var length = 0
        var lineBreaks = 0
        var index = start
        let quote = RecordScanner.quote
        let tooLong = { (field: Int) in
            "field \(field) runs on for more than \(limit) bytes (probably a quote that is never closed)"
        }
        func broken() -> Step? {
            guard let restart = lineRestart else { return nil }
            buffer.restart(atFileOffset: restart.offset)
            position = 0
            nextLine = line + 1
            let shown = restOfLine?.column ?? column ?? field
            return .malformed(
                line: line, raw: head, rawBytes: restart.bytes, column: shown,
                reason: restOfLine?.reason ?? tooLong(shown))
        }
        while true {
            if index + 1 >= buffer.count, !buffer.atEOF {
                // Keep one byte of look-ahead (a CR's LF) and nothing before `index`.
                position = index
                try refill()
                index = position
                continue
            }
            guard index < buffer.count else {
                position = index
                if state == .quoted, let step = broken() { return step }
                break
            }
            let byte = buffer.bytes[index]
            var lineBreak = 0
            if byte == RecordScanner.lf {
                lineBreak = 1
            } else if byte == RecordScanner.cr {
                lineBreak = index + 1 < buffer.count && buffer.bytes[index + 1] == RecordScanner.lf ? 2 : 1
            }
            if lineBreak > 0, lineRestart == nil {
                lineRestart = (buffer.fileOffset(ofCharacterAt: index + lineBreak), length)
            }
            if length >= limit, column == nil { column = field }
            var ends = false
            switch state {
            case .fieldStart, .unquoted:
                if byte == delimiter {
                    field += 1
                    state = .fieldStart
                } else if lineBreak > 0 {
                    ends = true
                } else if state == .fieldStart, byte == quote {
                    state = .quoted
                } else {
                    state = .unquoted
                }
            case .quoted:
                if byte == quote {
                    state = .quoteInQuoted
                } else if lineBreak > 0 {
                    lineBreaks += 1
                }
            case .quoteInQuoted:
                if byte == quote {
                    state = .quoted
                } else if byte == delimiter {
                    field += 1
                    state = .fieldStart
                } else if lineBreak > 0 {
                    ends = true
                } else {
                    // Text after a closing quote: the record is broken.
                    position = index
                    if let step = broken() { return step }
                    state = .restOfLine
                }
            case .restOfLine:
                ends = lineBreak > 0
            }
            if ends {
                position = index + lineBreak
                break
            }
            let step = max(1, lineBreak)
            index += step
            length += step
        }
        let reason: String
        if let restOfLine {
            reason = restOfLine.reason
        } else if state == .restOfLine || state == .quoted {
            reason = tooLong(column ?? field)
        } else {
            reason =
                "field \(column ?? field) is longer than the limit of \(limit) bytes for a row; "
                + "the row (\(length) bytes) is not read"
        }
        nextLine = line + lineBreaks + 1
        return .malformed(
            line: line, raw: head, rawBytes: length, column: restOfLine?.column ?? column ?? field, reason: reason)
    }

    /// A record in UTF-16, which cannot be read again from a file offset: its physical line is cut at
    /// the limit (on a character) and reading goes on there. The column is the field that holds the
    /// record's byte `maxRecordBytes`, whatever the chunks read so far.
    private func cutAtLimit(line: Int, restOfLine: (column: Int, reason: String)?) throws(CSVError) -> Step {
        var cut = position + dialect.maxRecordBytes
        var column = 1
        while column <= scanner.fieldCount, scanner.fields[column - 1].end < cut { column += 1 }
        if let restOfLine { column = restOfLine.column }
        while cut > position + 1, buffer.bytes[cut] & 0xC0 == 0x80 { cut -= 1 }
        let step = Step.malformed(
            line: line, raw: rawHead(position..<cut), rawBytes: cut - position, column: column,
            reason: restOfLine?.reason
                ?? "field \(column) runs on for more than \(dialect.maxRecordBytes) bytes"
                + " (probably a quote that is never closed)")
        nextLine += 1
        position = cut
        return step
    }
}
