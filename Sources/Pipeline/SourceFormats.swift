/// How to find the table in a workbook source (`format: xlsx`).
public struct WorkbookSettings: Sendable, Hashable {
    /// The sheet by its name on the tab; nil with ``sheetIndex`` or for the first worksheet.
    public var sheetName: String?
    /// The sheet by its 1-based position.
    public var sheetIndex: Int?
    /// The header's row; nil to detect it.
    public var headerRow: Int?
    /// The table's cells, e.g. `A3:F200`; nil for the whole sheet.
    public var range: String?
    /// Stop at the first empty row below the data (default true).
    public var untilEmptyRow: Bool = true

    public init() {}

    /// A stable text of the settings, for the source's fingerprint.
    var fingerprintText: String {
        "sheet=\(sheetName ?? sheetIndex.map(String.init) ?? "")|header_row=\(headerRow.map(String.init) ?? "detect")"
            + "|range=\(range ?? "")|until_empty_row=\(untilEmptyRow)"
    }
}

/// How to find the records in a JSON source (`format: json`).
public struct JSONSettings: Sendable, Hashable {
    /// A built-in shape: `json-stat`, `kolada`, `police-events`, `ss12000`, `skolverket`.
    public var shape: String?
    /// Where the records are, e.g. `data[]` or `values[].values[]`.
    public var records: String?

    public init() {}

    /// The built-in shapes.
    public static let shapes = ["json-stat", "kolada", "police-events", "ss12000", "skolverket"]

    var fingerprintText: String { "shape=\(shape ?? "")|records=\(records ?? "")" }
}

extension ConfigMapping {
    /// `sheet`, `header_row`, `range` and `until_empty_row` of a workbook source.
    func workbookSettings() throws -> WorkbookSettings {
        var settings = WorkbookSettings()
        if let node = self["sheet"] {
            let text = try node.string()
            if let index = Int(text) {
                guard index >= 1 else { throw node.error("a sheet number counts from 1") }
                settings.sheetIndex = index
            } else {
                settings.sheetName = text
            }
        }
        if let node = self["header_row"] {
            let row = try node.int()
            guard (1...1_048_576).contains(row) else { throw node.error("header_row is a row number from 1") }
            settings.headerRow = row
        }
        if let node = self["range"] {
            let text = try node.string()
            guard Self.isCellRange(text) else {
                throw node.error("'\(text)' is not a cell range; write it like A3:F200")
            }
            settings.range = text
            if let row = settings.headerRow, let first = Self.firstRow(text), row < first {
                throw try require("header_row").error("header_row \(row) lies above the range \(text)")
            }
        }
        if let node = self["until_empty_row"] { settings.untilEmptyRow = try node.bool() }
        return settings
    }

    /// `shape` and `records` of a JSON source.
    func jsonSettings() throws -> JSONSettings {
        var settings = JSONSettings()
        if let node = self["shape"] {
            let shape = try node.string()
            guard JSONSettings.shapes.contains(shape) else {
                throw node.error(
                    "unknown JSON shape '\(shape)'; use one of: \(JSONSettings.shapes.joined(separator: ", "))")
            }
            settings.shape = shape
        }
        if let node = self["records"] {
            let text = try node.string()
            let valid = text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { piece in
                let name = piece.hasSuffix("[]") ? piece.dropLast(2) : piece[...]
                return !name.contains("[") && !name.contains("]") && (!name.isEmpty || piece.hasSuffix("[]"))
            }
            guard valid || text == "$" else {
                throw node.error("'\(text)' is not a records path; write it like data[] or values[].values[]")
            }
            settings.records = text
        }
        return settings
    }

    private static func isCellRange(_ text: String) -> Bool {
        let corners = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(corners.count) else { return false }
        return corners.allSatisfy { corner in
            let letters = corner.prefix { $0.isASCII && $0.isLetter }
            let digits = corner.dropFirst(letters.count)
            return (1...3).contains(letters.count) && !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
        }
    }

    private static func firstRow(_ text: String) -> Int? {
        Int(text.split(separator: ":").first?.drop { $0.isLetter } ?? "")
    }
}

extension SourceSpec {
    /// The workbook or JSON settings for the fingerprint; empty for CSV and XML, so that their
    /// fingerprints stay as they were.
    var formatFingerprintText: String {
        switch format {
        case .csv, .xml: return ""
        case .xlsx: return "\n" + workbook.fingerprintText
        case .json: return "\n" + json.fingerprintText
        }
    }
}
