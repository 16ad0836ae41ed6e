import LagesbildModel

/// What one column of an inspected sheet holds.
public struct XLSXColumnInspection: Sendable, Codable, Hashable {
    public var name: String
    /// `number`, `date`, `text`, `empty`, or `mixed` when numbers and texts meet.
    public var type: String
    public var filledCount: Int
    /// Up to the sample count of distinct values, personal identity numbers masked.
    public var samples: [String]
}

/// A workbook described for `lagesbild inspect`: its sheets, the table found on one and its columns.
public struct XLSXInspection: Sendable, Codable, Hashable {
    public var file: String
    public var sheets: [XLSXSheet]
    public var sheet: String
    public var date1904: Bool
    public var headerRow: Int
    public var headerRowWasDetected: Bool
    /// The header's first column, as letters.
    public var firstColumn: String
    public var columns: [XLSXColumnInspection]
    public var rows: Int
    /// The empty row the table ended at.
    public var endedAtRow: Int?
    public var mergedRanges: Int
}

/// Builds an ``XLSXInspection``.
public enum XLSXInspector {
    /// Reads the sheet `options` pick and describes it; throws ``XLSXReadError``.
    public static func inspect(path: String, options: XLSXOptions = XLSXOptions(), sampleCount: Int = 5) throws
        -> XLSXInspection
    {
        let reader = try XLSXRecordReader(path: path, options: options)
        var columns = reader.header.map { XLSXColumnInspection(name: $0, type: "empty", filledCount: 0, samples: []) }
        let summary = try reader.forEachRecord { record in
            for (index, text) in record.cells.enumerated() where !text.isBlank {
                columns[index].filledCount += 1
                let kind =
                    Double(text) != nil
                    ? "number" : Self.isDate(text) ? "date" : SwedishNumber.parse(text).isMissing ? "empty" : "text"
                if kind != "empty" {
                    let current = columns[index].type
                    columns[index].type = current == "empty" || current == kind ? kind : "mixed"
                }
                let masked = PersonalNumberMask.mask(text)
                if columns[index].samples.count < sampleCount, !columns[index].samples.contains(masked) {
                    columns[index].samples.append(masked)
                }
            }
        }
        return XLSXInspection(
            file: path, sheets: reader.sheets, sheet: reader.sheet.name, date1904: reader.date1904,
            headerRow: reader.headerRow, headerRowWasDetected: reader.headerRowWasDetected,
            firstColumn: CellReference.letters(reader.firstColumn), columns: columns, rows: summary.rowsRead,
            endedAtRow: summary.endedAtRow, mergedRanges: reader.merges.count)
    }

    static func isDate(_ text: String) -> Bool {
        let bytes = Array(text.utf8.prefix(10))
        return bytes.count == 10 && bytes[4] == UInt8(ascii: "-") && bytes[7] == UInt8(ascii: "-")
            && bytes.enumerated().allSatisfy { $0.offset == 4 || $0.offset == 7 || (48...57).contains($0.element) }
    }
}

extension CellNumber {
    fileprivate var isMissing: Bool {
        if case .missing = self { return true }
        return false
    }
}
