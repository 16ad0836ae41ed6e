import Foundation
import LagesbildModel

/// A code list file and how to read it: the crime codes (`code_lists.crime_codes`) or an events source's
/// own event types (`event_types:`).
///
/// The path form (`crime_codes: FILE`) reads Brå's layout (`brottskod;benamning;upphord`, UTF-8, `;`);
/// the mapping form names the file's own columns, encoding and delimiter, and may take each code's
/// categories from a category column and from flag columns.
public struct CodeListFile: Sendable, Hashable {
    /// Absolute path of the file.
    public var path: String
    public var encoding: TextEncoding = .utf8
    public var delimiter: UInt8 = UInt8(ascii: ";")
    /// The column holding the code (compared with the header case-insensitively).
    public var code: String
    /// The column holding the code's name.
    public var name: String
    /// The column holding the year a code stopped being used, if any.
    public var retired: String? = nil
    /// The column holding each code's category (one per code; an empty cell means none).
    public var category: String? = nil
    /// Categories whose members are marked in a column: a truthy cell makes the code a member.
    public var flags: [FlagColumn] = []

    public init(
        path: String, encoding: TextEncoding = .utf8, delimiter: UInt8 = UInt8(ascii: ";"), code: String,
        name: String, retired: String? = nil, category: String? = nil, flags: [FlagColumn] = []
    ) {
        self.path = path
        self.encoding = encoding
        self.delimiter = delimiter
        self.code = code
        self.name = name
        self.retired = retired
        self.category = category
        self.flags = flags
    }

    /// Brå's crime code list as the path form reads it.
    public static func bra(path: String) -> CodeListFile {
        CodeListFile(path: path, code: "brottskod", name: "benamning", retired: "upphord")
    }

    /// A stable text of the reading settings (not the file's content), for fingerprints.
    public var settingsText: String {
        [
            "encoding=\(encoding.rawValue)", "delimiter=\(delimiter)", "code=\(code)", "name=\(name)",
            "retired=\(retired ?? "")", "category=\(category ?? "")",
            "flags=" + flags.map { "\($0.category)=\($0.column)" }.joined(separator: ","),
        ].joined(separator: "|")
    }
}

/// A flag column of a code list: the codes with a truthy cell belong to ``category``.
public struct FlagColumn: Sendable, Hashable {
    public var category: String
    public var column: String

    public init(category: String, column: String) {
        self.category = category
        self.column = column
    }

    /// Reads a flag cell: `true` for 1, ja, j, x, true, sant; `false` for an empty cell, 0, nej, n, false,
    /// falskt; nil for anything else (case and surrounding spaces ignored).
    public static func truth(_ cell: String) -> Bool? {
        switch cell.trimmingCharacters(in: .whitespaces).lowercased() {
        case "1", "ja", "j", "x", "true", "sant": return true
        case "", "0", "nej", "n", "false", "falskt": return false
        default: return nil
        }
    }
}

extension SourceSpec {
    /// A role as the pipeline file names it: `event_type` for the code of a source with `event_types`
    /// (kept under the `crime_code` role), else the role itself.
    public func roleName(_ role: String) -> String {
        role == "crime_code" && eventTypes != nil ? "event_type" : role
    }
}
