import Foundation
import LagesbildModel

/// One row of a sheet as its XML has it: the row number and the cells that have text, in column order.
struct SheetRow {
    var number = 0
    var cells: [(column: Int, text: String)] = []

    /// The text of `column`, or "" when the row has no such cell.
    func text(_ column: Int) -> String {
        cells.first { $0.column == column }?.text ?? ""
    }
}

/// Reads a worksheet part (`<sheetData><row r><c r t s><v>…` and `<mergeCells>`), turning each cell into
/// text: shared and inline strings (rich text runs joined, phonetic guides left out), numbers as written,
/// booleans `TRUE`/`FALSE`, dates and times (by the cell's number format) as ISO text, formulas by their
/// cached value, and errors (`t="e"`, `#N/A`) as empty, that is missing.
final class SheetHandler: SAXHandler {
    let file: String
    let sheetName: String
    let parts: WorkbookParts
    /// Cells outside these columns are skipped without being converted.
    var columns: ClosedRange<Int> = 1...16_384
    var collectMerges = false
    private(set) var merges: [CellRange] = []
    /// Called at each row's end; returning false stops the parse.
    var onRow: (SheetRow) -> Bool = { _ in true }
    unowned(unsafe) var parser: SAXPushParser?
    var failure: (any Error)?

    private var row = SheetRow()
    private var column = 0
    private var type = CellType.number
    private var style = 0
    private var bytes: [UInt8] = []
    private var inValue = false
    private var inInline = false
    private var inInlineText = false
    private var inPhonetic = false

    /// Longest text of one cell, in bytes (Excel allows 32 767 characters).
    static let maximumCellBytes = 1 << 20
    /// Most merged ranges kept.
    static let maximumMerges = 100_000

    enum CellType {
        case number
        case sharedString
        case inlineString
        case formulaString
        case boolean
        case error
        case date
    }

    init(file: String, sheetName: String, parts: WorkbookParts) {
        self.file = file
        self.sheetName = sheetName
        self.parts = parts
    }

    /// Set once only the merged ranges are wanted: cells and rows are no longer looked at.
    var mergesOnly = false

    func startElement(_ name: XMLName, _ attributes: SAXAttributeList) {
        if mergesOnly {
            if name.is("mergeCell") { startMerge(attributes) }
            return
        }
        if name.is("c") {
            column = (attributes.withValue("r") { CellReference.column($0) } ?? nil) ?? column + 1
            type = attributes.withValue("t", Self.cellType) ?? .number
            style = attributes.int("s") ?? 0
            bytes.removeAll(keepingCapacity: true)
        } else if name.is("v") {
            inValue = true
        } else if name.is("row") {
            row.number = attributes.int("r") ?? row.number + 1
            row.cells.removeAll(keepingCapacity: true)
            column = 0
        } else if name.is("is") {
            inInline = true
        } else if name.is("t") {
            inInlineText = inInline && !inPhonetic
        } else if name.is("rPh") {
            inPhonetic = true
        } else if collectMerges, name.is("mergeCell") {
            startMerge(attributes)
        }
    }

    private func startMerge(_ attributes: SAXAttributeList) {
        if let reference = attributes.string("ref"), let range = CellRange(reference), merges.count < Self.maximumMerges
        {
            merges.append(range)
        }
    }

    func endElement(_ name: XMLName) {
        if mergesOnly { return }
        if name.is("v") {
            inValue = false
        } else if name.is("c") {
            guard columns.contains(column) else { return }
            let text = cellText()
            if !text.isEmpty { row.cells.append((column, text)) }
        } else if name.is("row") {
            if !onRow(row) { parser?.stop() }
        } else if name.is("t") {
            inInlineText = false
        } else if name.is("is") {
            inInline = false
        } else if name.is("rPh") {
            inPhonetic = false
        }
    }

    func characters(_ text: UnsafeBufferPointer<UInt8>) {
        guard inValue || inInlineText else { return }
        bytes.append(contentsOf: text)
        if bytes.count > Self.maximumCellBytes, failure == nil {
            failure = XLSXReadError(
                file: file, place: place, row: row.number, "the cell is longer than \(Self.maximumCellBytes) bytes")
            parser?.stop()
        }
    }

    /// The current cell as `Blad1!C17`.
    var place: String { XLSXRecord.place(sheet: sheetName, column: column, row: row.number) }

    private static func cellType(_ value: UnsafeBufferPointer<UInt8>) -> CellType {
        switch value.count {
        case 1:
            switch value[0] {
            case UInt8(ascii: "s"): return .sharedString
            case UInt8(ascii: "b"): return .boolean
            case UInt8(ascii: "e"): return .error
            case UInt8(ascii: "d"): return .date
            default: return .number
            }
        case 3: return .formulaString  // "str"
        case 9: return .inlineString  // "inlineStr"
        default: return .number
        }
    }

    private func cellText() -> String {
        switch type {
        case .inlineString, .formulaString:
            return String(decoding: bytes, as: UTF8.self)
        case .error:
            return ""
        case .boolean:
            return bytes.first == UInt8(ascii: "1") ? "TRUE" : bytes.isEmpty ? "" : "FALSE"
        case .sharedString:
            guard let index = Int(String(decoding: bytes, as: UTF8.self)), index >= 0,
                index < parts.sharedStrings.count
            else {
                if failure == nil {
                    failure = XLSXReadError(
                        file: file, place: place, row: row.number,
                        "the cell refers to shared string \(String(decoding: bytes, as: UTF8.self)), which the "
                            + "workbook does not have (\(parts.sharedStrings.count) strings)")
                    parser?.stop()
                }
                return ""
            }
            return parts.sharedStrings[index]
        case .date:
            // An ISO 8601 date cell (rare; Strict Open XML): keep the date, and the time when it has one.
            let text = String(decoding: bytes, as: UTF8.self)
            guard text.count > 10 else { return text }
            let time = text.dropFirst(11).prefix(5)
            return time == "00:00" ? String(text.prefix(10)) : "\(text.prefix(10)) \(time)"
        case .number:
            guard !bytes.isEmpty else { return "" }
            let kind = style < parts.styleKinds.count ? parts.styleKinds[style] : .number
            if kind != .number, let serial = Double(String(decoding: bytes, as: UTF8.self)) {
                switch kind {
                case .date:
                    if let date = ExcelDate.isoDate(serial: serial, date1904: parts.date1904) { return date }
                case .dateTime:
                    if let date = ExcelDate.isoDate(serial: serial, date1904: parts.date1904, time: true) {
                        return date
                    }
                case .time:
                    if let time = ExcelDate.isoTime(serial: serial) { return time }
                case .number:
                    break
                }
            }
            return Self.plainNumber(bytes)
        }
    }

    /// A number as Excel stored it, without an exponent (`1.5E-3` → `0.0015`), so that the Swedish number
    /// reader takes it.
    static func plainNumber(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        guard bytes.contains(where: { $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "e") }),
            let value = Double(text), value.isFinite
        else { return text }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        let exponent = value == 0 ? 0 : Int(log10(abs(value)).rounded(.down))
        let digits = min(max(0, 14 - exponent), 40)
        var result = String(format: "%.\(digits)f", value)
        if result.contains(".") {
            while result.hasSuffix("0") { result.removeLast() }
            if result.hasSuffix(".") { result.removeLast() }
        }
        return result
    }
}
