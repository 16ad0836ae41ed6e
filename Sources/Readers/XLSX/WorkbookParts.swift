import LagesbildModel

/// One sheet of a workbook, as `xl/workbook.xml` lists it.
public struct XLSXSheet: Sendable, Hashable, Codable {
    /// The sheet's name on its tab, e.g. `Blad1`.
    public var name: String
    /// The archive part holding the sheet, e.g. `xl/worksheets/sheet1.xml`; empty when not found.
    public var part: String
    /// A worksheet (false for chart sheets and dialog sheets, which hold no cells).
    public var isWorksheet: Bool
    /// `hidden` or `veryHidden` in Excel.
    public var isHidden: Bool
}

/// What the workbook's small parts say: sheets, the date system, number formats and shared strings.
struct WorkbookParts {
    var sheets: [XLSXSheet] = []
    var date1904 = false
    /// Number format kind per cell style index (`s` of a cell).
    var styleKinds: [NumberFormatKind] = []
    var sharedStrings: [String] = []

    /// Reads the parts of `archive` in order: `_rels/.rels` → workbook → its relationships → styles and
    /// shared strings.
    init(archive: WorkbookArchive) throws {
        let file = archive.path
        if !archive.contains("xl/workbook.xml") {
            if archive.contains("xl/workbook.bin") {
                throw XLSXReadError(
                    file: file,
                    "the file is a binary workbook (.xlsb), which is not read; save it as .xlsx (Excel-arbetsbok)")
            }
            if archive.contains("xl/vbaProject.bin")
                || archive.parts.contains(where: { $0.hasSuffix("vbaProject.bin") })
            {
                throw XLSXReadError(file: file, "the file holds macros only and no workbook; save the data as .xlsx")
            }
        }
        var workbookPart = "xl/workbook.xml"
        if archive.contains("_rels/.rels") {
            let rels = try Self.relationships(archive, part: "_rels/.rels")
            if let target = rels.first(where: { $0.type.hasSuffix("/officeDocument") })?.target {
                workbookPart = Self.resolve(target, relativeTo: "")
            }
        }
        guard archive.contains(workbookPart) else {
            throw XLSXReadError(
                file: file,
                "the zip archive is not an Excel workbook: it has no \(workbookPart) (a Word or other Office "
                    + "file, or a plain zip?)")
        }
        let folder = workbookPart.contains("/") ? String(workbookPart[..<workbookPart.lastIndex(of: "/")!]) : ""
        let workbook = WorkbookHandler()
        try archive.stream(workbookPart, into: SAXPushParser(file: file, part: workbookPart, handler: workbook))
        date1904 = workbook.date1904
        let relsPart =
            (folder.isEmpty ? "" : folder + "/") + "_rels/" + workbookPart.split(separator: "/").last! + ".rels"
        let rels = archive.contains(relsPart) ? try Self.relationships(archive, part: relsPart) : []
        for sheet in workbook.sheets {
            let relation = rels.first { $0.id == sheet.relationID }
            let part = relation.map { Self.resolve($0.target, relativeTo: folder) } ?? ""
            sheets.append(
                XLSXSheet(
                    name: sheet.name, part: part,
                    isWorksheet: relation.map { $0.type.hasSuffix("/worksheet") } ?? false,
                    isHidden: sheet.hidden))
        }
        let stylesPart =
            rels.first { $0.type.hasSuffix("/styles") }.map { Self.resolve($0.target, relativeTo: folder) }
            ?? "xl/styles.xml"
        if archive.contains(stylesPart) {
            let styles = StylesHandler()
            try archive.stream(stylesPart, into: SAXPushParser(file: file, part: stylesPart, handler: styles))
            styleKinds = styles.cellFormats.map { id in
                id < 164 ? NumberFormatKind.builtIn(id) : styles.customKinds[id] ?? .number
            }
        }
        let stringsPart =
            rels.first { $0.type.hasSuffix("/sharedStrings") }.map { Self.resolve($0.target, relativeTo: folder) }
            ?? "xl/sharedStrings.xml"
        if archive.contains(stringsPart) {
            let strings = SharedStringsHandler(file: file, part: stringsPart)
            try archive.stream(stringsPart, into: SAXPushParser(file: file, part: stringsPart, handler: strings))
            sharedStrings = strings.strings
        }
    }

    struct Relationship {
        var id: String
        var type: String
        var target: String
    }

    static func relationships(_ archive: WorkbookArchive, part: String) throws -> [Relationship] {
        let handler = RelationshipsHandler()
        try archive.stream(part, into: SAXPushParser(file: archive.path, part: part, handler: handler))
        return handler.relationships
    }

    /// A relationship target as an archive part: `/xl/x.xml` is absolute, `worksheets/sheet1.xml` relative
    /// to the folder of the part that names it; `..` steps up.
    static func resolve(_ target: String, relativeTo folder: String) -> String {
        var components = target.hasPrefix("/") ? [] : folder.split(separator: "/").map(String.init)
        for piece in target.split(separator: "/") {
            if piece == ".." {
                if !components.isEmpty { components.removeLast() }
            } else if piece != "." {
                components.append(String(piece))
            }
        }
        return components.joined(separator: "/")
    }
}

// MARK: - Handlers of the small parts

/// Collects text between start and end of the elements it is told to.
private func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

final class WorkbookHandler: SAXHandler {
    struct Sheet {
        var name: String
        var relationID: String
        var hidden: Bool
    }
    var sheets: [Sheet] = []
    var date1904 = false
    var failure: (any Error)?

    func startElement(_ name: XMLName, _ attributes: SAXAttributeList) {
        if name.is("sheet") {
            let state = attributes.string("state") ?? "visible"
            sheets.append(
                Sheet(
                    name: attributes.string("name") ?? "", relationID: attributes.string("id") ?? "",
                    hidden: state != "visible"))
        } else if name.is("workbookPr") {
            let value = attributes.string("date1904") ?? "0"
            date1904 = value == "1" || value.lowercased() == "true"
        }
    }
    func endElement(_ name: XMLName) {}
    func characters(_ text: UnsafeBufferPointer<UInt8>) {}
}

final class RelationshipsHandler: SAXHandler {
    var relationships: [WorkbookParts.Relationship] = []
    var failure: (any Error)?

    func startElement(_ name: XMLName, _ attributes: SAXAttributeList) {
        guard name.is("Relationship") else { return }
        relationships.append(
            WorkbookParts.Relationship(
                id: attributes.string("Id") ?? "", type: attributes.string("Type") ?? "",
                target: attributes.string("Target") ?? ""))
    }
    func endElement(_ name: XMLName) {}
    func characters(_ text: UnsafeBufferPointer<UInt8>) {}
}

/// `numFmts` (custom format codes by id) and `cellXfs` (the format id of each cell style).
final class StylesHandler: SAXHandler {
    var customKinds: [Int: NumberFormatKind] = [:]
    var cellFormats: [Int] = []
    var failure: (any Error)?
    private var inCellFormats = false

    func startElement(_ name: XMLName, _ attributes: SAXAttributeList) {
        if name.is("numFmt") {
            if let id = attributes.int("numFmtId") {
                customKinds[id] = NumberFormatKind.custom(attributes.string("formatCode") ?? "")
            }
        } else if name.is("cellXfs") {
            inCellFormats = true
        } else if inCellFormats, name.is("xf") {
            cellFormats.append(attributes.int("numFmtId") ?? 0)
        }
    }
    func endElement(_ name: XMLName) {
        if name.is("cellXfs") { inCellFormats = false }
    }
    func characters(_ text: UnsafeBufferPointer<UInt8>) {}
}

/// `<si>` items: the text of their `<t>` elements (plain, or the runs `<r><t>` of rich text), without the
/// phonetic guides `<rPh>`.
final class SharedStringsHandler: SAXHandler {
    let file: String
    let part: String
    var strings: [String] = []
    var failure: (any Error)?
    private var current: [UInt8] = []
    private var inText = false
    private var inPhonetic = false

    /// Longest text of one item, in bytes (Excel allows 32 767 characters in a cell).
    static let maximumBytes = 1 << 20

    init(file: String, part: String) {
        self.file = file
        self.part = part
    }

    func startElement(_ name: XMLName, _ attributes: SAXAttributeList) {
        if name.is("si") {
            current.removeAll(keepingCapacity: true)
        } else if name.is("t") {
            inText = !inPhonetic
        } else if name.is("rPh") {
            inPhonetic = true
        }
    }
    func endElement(_ name: XMLName) {
        if name.is("si") {
            strings.append(String(decoding: current, as: UTF8.self))
        } else if name.is("t") {
            inText = false
        } else if name.is("rPh") {
            inPhonetic = false
        }
    }
    func characters(_ text: UnsafeBufferPointer<UInt8>) {
        guard inText else { return }
        current.append(contentsOf: text)
        if current.count > Self.maximumBytes, failure == nil {
            failure = XLSXReadError(
                file: file, place: part,
                "shared string \(strings.count) is longer than \(Self.maximumBytes) bytes")
        }
    }
}
