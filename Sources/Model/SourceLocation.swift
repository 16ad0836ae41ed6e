/// Where in an input file something was found: the file, the 1-based line and, when known, the
/// 1-based column (a field number for CSV, a character column for XML and YAML).
///
/// Workbooks and JSON answers have no useful lines: their rows carry a ``place`` as well — the sheet
/// and cell (`Blad1!C17`) or the JSON path (`$.values[3].values[1].value`) — with the row number (the
/// sheet's row, the record's number) as the line.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int?
    /// The sheet and cell, or the JSON path, when the file is a workbook or a JSON answer.
    public var place: String?

    public init(file: String, line: Int, column: Int? = nil, place: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.place = place
    }

    public var description: String {
        if let place { return "\(file):\(place)" }
        if let column { return "\(file):\(line):\(column)" }
        return "\(file):\(line)"
    }
}

/// A row or element that could not be accepted: where it is, why, and its raw text.
///
/// The raw text is masked for personal identity numbers when the issue is created, then cut to
/// ``RawText/limit`` bytes (``RawText/bounded(_:byteCount:)``), so an issue can be logged, stored in the
/// quarantine or shown without leaking one, and a huge field is never copied whole.
public struct RejectedRecord: Sendable, Hashable, Codable {
    public var location: SourceLocation
    public var reason: String
    public var raw: String

    /// `raw` may be a prefix of the row's text when `rawByteCount` gives the whole row's length in
    /// UTF-8 bytes (a reader that does not decode a 20 MB field just to cut it).
    public init(location: SourceLocation, reason: String, raw: String, rawByteCount: Int? = nil) {
        self.location = location
        self.reason = RawText.bounded(reason)
        self.raw = RawText.bounded(raw, byteCount: rawByteCount)
    }
}

/// The raw text of a rejected row as it is kept: masked for personal identity numbers, then cut to the
/// first ``limit`` bytes (on a character boundary) followed by `… N bytes more`.
public enum RawText {
    /// The bytes kept of a rejected row's text.
    public static let limit = 1024
    /// Bytes masked past the cut, so that a personal identity number across it is masked whole.
    public static let margin = 32

    /// The bytes a reader needs to decode of a row: the kept part and the margin.
    public static var bytesNeeded: Int { limit + margin }

    /// `text` masked and cut; `byteCount` is the length of the whole text in UTF-8 bytes when `text` is
    /// only its start (at least ``bytesNeeded`` bytes of it).
    public static func bounded(_ text: String, byteCount: Int? = nil) -> String {
        let total = max(byteCount ?? text.utf8.count, text.utf8.count)
        guard total > limit else { return PersonalNumberMask.mask(text) }
        // Masking keeps every length, so the masked start's bytes line up with the original's.
        let head = Array(text.utf8.prefix(bytesNeeded + 1))
        let masked = Array(
            PersonalNumberMask.mask(String(decoding: head[..<boundary(head, at: bytesNeeded)], as: UTF8.self)).utf8)
        let kept = boundary(masked, at: limit)
        return String(decoding: masked[..<kept], as: UTF8.self) + "… \(total - kept) bytes more"
    }

    /// The start of the character at `index` in UTF-8 `bytes` (`index` itself past the end).
    static func boundary(_ bytes: [UInt8], at index: Int) -> Int {
        var cut = min(index, bytes.count)
        while cut > 0, cut < bytes.count, bytes[cut] & 0xC0 == 0x80 { cut -= 1 }
        return cut
    }
}
