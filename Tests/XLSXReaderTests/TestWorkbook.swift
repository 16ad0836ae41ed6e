import Foundation
import ZIPFoundation

/// Writes small workbooks for the tests with ZIPFoundation: the parts are given as XML text.
struct TestWorkbook {
    var sheets: [(name: String, xml: String)] = []
    var sharedStrings: [String] = []
    /// Extra `<xf>` number formats (cell styles 1, 2, …) and custom formats (`id`, `code`).
    var cellFormats: [Int] = []
    var customFormats: [(id: Int, code: String)] = []
    var date1904 = false
    /// Parts added as they are (name → bytes), e.g. to build an xlsb.
    var extraParts: [(name: String, data: Data)] = []
    var omitWorkbook = false
    /// Store the parts without compression (so that a test can change a byte of one).
    var stored = false

    static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

    /// A worksheet part from `<row>` elements and optional merged ranges.
    static func sheet(_ rows: String, merges: [String] = []) -> String {
        let mergeXML =
            merges.isEmpty
            ? "" : "<mergeCells>" + merges.map { "<mergeCell ref=\"\($0)\"/>" }.joined() + "</mergeCells>"
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"\(main)\"><sheetData>\(rows)</sheetData>"
            + "\(mergeXML)</worksheet>"
    }

    /// Writes the workbook into a new temporary folder and returns its path.
    func write(name: String = "test.xlsx") throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("xlsx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        let archive = try Archive(url: url, accessMode: .create)
        var parts: [(String, Data)] = []
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        parts.append(
            (
                "_rels/.rels",
                Data(
                    ("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                        + "<Relationship Id=\"rId1\" Type=\"\(rel)/officeDocument\" Target=\"xl/workbook.xml\"/>"
                        + "</Relationships>").utf8)
            ))
        if !omitWorkbook {
            let sheetList = sheets.enumerated().map { index, sheet in
                "<sheet name=\"\(sheet.name)\" sheetId=\"\(index + 1)\" r:id=\"rId\(index + 1)\"/>"
            }.joined()
            parts.append(
                (
                    "xl/workbook.xml",
                    Data(
                        ("<workbook xmlns=\"\(Self.main)\" xmlns:r=\"\(rel)\"><workbookPr"
                            + (date1904 ? " date1904=\"1\"" : "") + "/><sheets>\(sheetList)</sheets></workbook>")
                            .utf8)
                ))
            var rels = sheets.indices.map { index in
                "<Relationship Id=\"rId\(index + 1)\" Type=\"\(rel)/worksheet\" Target=\"worksheets/sheet\(index + 1).xml\"/>"
            }
            rels.append("<Relationship Id=\"rS\" Type=\"\(rel)/styles\" Target=\"styles.xml\"/>")
            rels.append("<Relationship Id=\"rT\" Type=\"\(rel)/sharedStrings\" Target=\"sharedStrings.xml\"/>")
            parts.append(
                (
                    "xl/_rels/workbook.xml.rels",
                    Data(
                        ("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                            + rels.joined() + "</Relationships>").utf8)
                ))
            for (index, sheet) in sheets.enumerated() {
                parts.append(("xl/worksheets/sheet\(index + 1).xml", Data(sheet.xml.utf8)))
            }
            let strings = sharedStrings.map { $0.hasPrefix("<") ? "<si>\($0)</si>" : "<si><t>\($0)</t></si>" }
            parts.append(("xl/sharedStrings.xml", Data("<sst xmlns=\"\(Self.main)\">\(strings.joined())</sst>".utf8)))
            let custom = customFormats.map { "<numFmt numFmtId=\"\($0.id)\" formatCode=\"\($0.code)\"/>" }.joined()
            let xfs = ([0] + cellFormats).map { "<xf numFmtId=\"\($0)\"/>" }.joined()
            parts.append(
                (
                    "xl/styles.xml",
                    Data(
                        ("<styleSheet xmlns=\"\(Self.main)\"><numFmts>\(custom)</numFmts>"
                            + "<cellStyleXfs><xf numFmtId=\"14\"/></cellStyleXfs><cellXfs>\(xfs)</cellXfs></styleSheet>")
                            .utf8)
                ))
        }
        parts += extraParts
        for (name, data) in parts {
            try archive.addEntry(
                with: name, type: .file, uncompressedSize: Int64(data.count),
                compressionMethod: stored ? .none : .deflate,
                provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
        }
        return url.path
    }
}

/// A new temporary file with these bytes.
func temporaryFile(_ bytes: Data, name: String) throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("xlsx-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let path = folder.appendingPathComponent(name).path
    try bytes.write(to: URL(fileURLWithPath: path))
    return path
}
