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
/// The raw text is masked for personal identity numbers when the issue is created, so an issue can be
/// logged, stored in the quarantine or shown without leaking one.
public struct RejectedRecord: Sendable, Hashable, Codable {
    public var location: SourceLocation
    public var reason: String
    public var raw: String

    public init(location: SourceLocation, reason: String, raw: String) {
        self.location = location
        self.reason = PersonalNumberMask.mask(reason)
        self.raw = PersonalNumberMask.mask(raw)
    }
}
