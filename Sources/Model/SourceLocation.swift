/// Where in an input file something was found: the file, the 1-based line and, when known, the
/// 1-based column (a field number for CSV, a character column for XML and YAML).
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int?

    public init(file: String, line: Int, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String {
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
