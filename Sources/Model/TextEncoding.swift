/// A character encoding an export can be written in.
///
/// Swedish exports come in UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark
/// (Excel's "Unicode text"), Windows-1252 and ISO-8859-1 (older SOL and PX-Web exports).
public enum TextEncoding: String, Sendable, CaseIterable, Codable {
    case utf8 = "utf-8"
    case utf16LittleEndian = "utf-16le"
    case utf16BigEndian = "utf-16be"
    case windows1252 = "windows-1252"
    case iso88591 = "iso-8859-1"

    /// Reads an encoding name as users write it (`UTF-8`, `utf8`, `cp1252`, `latin1`, `utf-16`, ...).
    public init?(name: String) {
        let key = String(name.lowercased().map { $0 == "_" ? "-" : $0 })
        switch key {
        case "utf-8", "utf8": self = .utf8
        case "utf-16", "utf16", "utf-16le", "utf16le", "unicode": self = .utf16LittleEndian
        case "utf-16be", "utf16be": self = .utf16BigEndian
        case "windows-1252", "cp1252", "win1252", "windows1252": self = .windows1252
        case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "iso-latin-1": self = .iso88591
        default: return nil
        }
    }

    /// The names accepted by ``init(name:)``, for error messages.
    public static let acceptedNames = "utf-8, utf-16, utf-16le, utf-16be, windows-1252, iso-8859-1"
}
