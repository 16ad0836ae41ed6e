import Foundation
import JSONReader
import LagesbildModel
import XLSXReader

extension FileInspection {
    /// Inspects a workbook (a zip or OLE signature, or `.xlsx`/`.xlsm`/`.xls`/`.xlsb`) or a JSON file (`.json`,
    /// or text starting with `{` or `[`); nil for anything else.
    static func inspectWorkbookOrJSON(path: String, sampleCount: Int, workbook: XLSXOptions) throws
        -> FileInspection?
    {
        let lowered = path.lowercased()
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        let head = Array((try? handle.read(upToCount: 64)) ?? Data())
        try? handle.close()
        let zip = head.starts(with: [0x50, 0x4B]) || head.starts(with: [0xD0, 0xCF, 0x11, 0xE0])
        if zip || [".xlsx", ".xlsm", ".xls", ".xlsb"].contains(where: lowered.hasSuffix) {
            do {
                return .xlsx(try XLSXInspector.inspect(path: path, options: workbook, sampleCount: sampleCount))
            } catch let error as XLSXReadError {
                throw InspectionError(message: error.description)
            }
        }
        let first = head.first { ![9, 10, 13, 32, 0xEF, 0xBB, 0xBF].contains($0) }
        if lowered.hasSuffix(".json") || first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            do {
                return .json(try JSONInspector.inspect(path: path, sampleCount: sampleCount))
            } catch let error as JSONReadError {
                throw InspectionError(message: error.description)
            }
        }
        return nil
    }
}
