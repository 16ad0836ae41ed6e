import JSONReader
import LagesbildRunner
import XLSXReader

extension InspectCommand {
    /// `--sheet` and `--header-row` as the workbook reader's options.
    var workbookOptions: XLSXOptions {
        var options = XLSXOptions(headerRow: headerRow)
        if let sheet { options.sheet = Int(sheet).map(XLSXOptions.Sheet.index) ?? .name(sheet) }
        return options
    }

    func printWorkbook(_ workbook: XLSXInspection) {
        Output.print("Format:     Excel workbook (xlsx)\(workbook.date1904 ? ", 1904 date system" : "")")
        Output.print("Sheets:")
        for (index, sheet) in workbook.sheets.enumerated() {
            let kind = sheet.isWorksheet ? "" : " (not a worksheet)"
            Output.print(
                "  \(index + 1). \(sheet.name)\(kind)\(sheet.isHidden ? " (hidden)" : "")\(sheet.name == workbook.sheet ? "  ← read" : "")"
            )
        }
        Output.print(
            "Header:     row \(workbook.headerRow)\(workbook.headerRowWasDetected ? " (detected)" : ""), from column "
                + "\(workbook.firstColumn), \(workbook.columns.count) columns; \(workbook.mergedRanges) merged ranges")
        let end = workbook.endedAtRow.map { ", ended at the empty row \($0)" } ?? ""
        Output.print("Rows:       \(workbook.rows) data rows\(end)")
        Output.print("Columns:")
        for (index, column) in workbook.columns.enumerated() {
            Output.print("  \(index + 1). \(column.name) — \(column.type), \(column.filledCount) filled")
            if !column.samples.isEmpty {
                Output.print("     e.g. \(column.samples.map { "'\($0)'" }.joined(separator: ", "))")
            }
        }
        Output.print("Pipeline keys: format: xlsx, sheet: \(workbook.sheet), header_row: \(workbook.headerRow)")
        if workbook.sheets.count > 1 { Output.print("Another sheet: lagesbild inspect FILE --sheet NAME") }
    }

    func printJSON(_ json: JSONInspection) {
        Output.print("Format:     JSON\(json.shape.map { ", shape \($0.rawValue) (detected)" } ?? "")")
        Output.print("Records:    \(json.records)")
        Output.print("Fields:")
        for (index, field) in json.fields.enumerated() {
            let absent = field.absentCount > 0 ? ", missing in \(field.absentCount)" : ""
            Output.print("  \(index + 1). \(field.name) — \(field.type), \(field.filledCount) filled\(absent)")
            if !field.samples.isEmpty {
                Output.print("     e.g. \(field.samples.map { "'\($0)'" }.joined(separator: ", "))")
            }
        }
    }
}
