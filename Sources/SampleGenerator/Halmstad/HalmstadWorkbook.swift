import CLibZ
import Foundation

extension HalmstadFormatSamples {
    static let xmlHead = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    static let ns = #"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main""#
    static let nsR = #"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#
    static let relationship = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    static let contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml."

    /// The shared string table, in the order strings are first used; rich text items are kept as given.
    final class SharedStrings {
        private(set) var items: [String] = []
        private var index: [String: Int] = [:]

        func add(_ text: String, rich: String? = nil) -> Int {
            let key = rich ?? text
            if let found = index[key] { return found }
            index[key] = items.count
            items.append(rich ?? "<t>\(escape(text))</t>")
            return items.count - 1
        }

        var xml: String {
            xmlHead + "<sst \(ns) count=\"\(items.count)\" uniqueCount=\"\(items.count)\">"
                + items.map { "<si>\($0)</si>" }.joined() + "</sst>"
        }
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "<", with: "&lt;")
    }

    static func cell(_ ref: String, _ text: String, _ strings: SharedStrings, style: Int = 0) -> String {
        "<c r=\"\(ref)\" t=\"s\"\(style == 0 ? "" : " s=\"\(style)\"")><v>\(strings.add(text))</v></c>"
    }

    static func cell(_ ref: String, number: Int, style: Int = 0) -> String {
        "<c r=\"\(ref)\"\(style == 0 ? "" : " s=\"\(style)\"")><v>\(number)</v></c>"
    }

    static func row(_ number: Int, _ cells: [String]) -> String { "<row r=\"\(number)\">\(cells.joined())</row>" }

    static func sheet(_ rows: [String], merges: [String] = []) -> String {
        let mergeXML =
            merges.isEmpty
            ? ""
            : "<mergeCells count=\"\(merges.count)\">" + merges.map { "<mergeCell ref=\"\($0)\"/>" }.joined()
                + "</mergeCells>"
        return xmlHead + "<worksheet \(ns) \(nsR)><sheetData>\(rows.joined())</sheetData>\(mergeXML)</worksheet>"
    }

    /// The workbook's parts in the order they are stored.
    static func workbookParts() -> [(name: String, data: [UInt8])] {
        let strings = SharedStrings()
        let info = sheet([
            row(1, [cell("A1", "Källa", strings), cell("B1", "Brå, kriminalstatistik (syntetiska siffror)", strings)]),
            row(2, [cell("A2", "Uttaget", strings), cell("B2", number: 45299, style: 1)]),  // 2024-01-08
        ])
        let title =
            #"<r><rPr><b/></rPr><t xml:space="preserve">Anmälda brott </t></r>"#
            + "<r><t>i Halmstad, Hallands län och hela landet 2020–2023</t></r>"
        var rows = [
            row(1, ["<c r=\"A1\" t=\"s\" s=\"4\"><v>\(strings.add("", rich: title))</v></c>"]),
            row(
                3,
                [
                    cell("A3", "Region", strings), cell("B3", "Brottstyp", strings), cell("C3", "År", strings),
                    cell("D3", "Anmälda brott", strings),
                ]),
            row(4, [cell("D4", "Antal", strings), cell("E4", "Per 100 000 inv.", strings)]),
        ]
        var number = 5
        for (region, crime, counts) in reported {
            for (year, (count, inhabitants)) in zip(years, zip(counts, population[region]!)) {
                var cells = [
                    cell("A\(number)", region, strings), cell("B\(number)", crime, strings),
                    cell("C\(number)", number: year),
                ]
                if let count {
                    let rate = Double(PythonFormat.fixed(Double(count) / Double(inhabitants) * 100000, 1))!
                    cells.append(cell("D\(number)", number: count, style: 2))
                    // A formula with its cached value, as Excel saves it.
                    cells.append(
                        "<c r=\"E\(number)\" s=\"3\"><f>ROUND(D\(number)/\(inhabitants)*100000,1)</f><v>\(rate)</v></c>"
                    )
                } else {
                    cells.append("<c r=\"D\(number)\" t=\"inlineStr\"><is><t>..</t></is></c>")
                    cells.append("<c r=\"E\(number)\" t=\"inlineStr\"><is><t>..</t></is></c>")
                }
                rows.append(row(number, cells))
                number += 1
            }
        }
        rows.append(row(number + 1, [cell("A\(number + 1)", "Källa: Brå. Siffrorna är syntetiska.", strings)]))
        let table = sheet(rows, merges: ["A1:E1", "A3:A4", "B3:B4", "C3:C4", "D3:E3"])
        let styles =
            xmlHead + "<styleSheet \(ns)>"
            + ##"<numFmts count="1"><numFmt numFmtId="164" formatCode="#,##0.0"/></numFmts>"##
            + #"<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/>"#
            + #"<name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill>"#
            + #"</fills><borders count="1"><border/></borders>"#
            + #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
            + #"<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#
            + #"<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
            + #"<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
            + #"<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
            + #"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>"#
            + "</styleSheet>"
        func override(_ part: String, _ type: String) -> String {
            "<Override PartName=\"\(part)\" ContentType=\"\(contentType)\(type)+xml\"/>"
        }
        let contentTypes =
            xmlHead + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
            + #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
            + #"<Default Extension="xml" ContentType="application/xml"/>"#
            + override("/xl/workbook.xml", "sheet.main") + override("/xl/worksheets/sheet1.xml", "worksheet")
            + override("/xl/worksheets/sheet2.xml", "worksheet") + override("/xl/styles.xml", "styles")
            + override("/xl/sharedStrings.xml", "sharedStrings") + "</Types>"
        func relations(_ items: [(String, String)]) -> String {
            xmlHead + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
                + items.enumerated().map {
                    "<Relationship Id=\"rId\($0.offset + 1)\" Type=\"\(relationship)\($0.element.0)\" Target=\"\($0.element.1)\"/>"
                }.joined() + "</Relationships>"
        }
        let workbook =
            xmlHead + "<workbook \(ns) \(nsR)><workbookPr/>"
            + #"<sheets><sheet name="Info" sheetId="1" r:id="rId1"/><sheet name="Tabell1" sheetId="2" r:id="rId2"/>"#
            + "</sheets></workbook>"
        let parts = [
            ("[Content_Types].xml", contentTypes),
            ("_rels/.rels", relations([("officeDocument", "xl/workbook.xml")])),
            ("xl/workbook.xml", workbook),
            (
                "xl/_rels/workbook.xml.rels",
                relations([
                    ("worksheet", "worksheets/sheet1.xml"), ("worksheet", "worksheets/sheet2.xml"),
                    ("styles", "styles.xml"), ("sharedStrings", "sharedStrings.xml"),
                ])
            ),
            ("xl/worksheets/sheet1.xml", info),
            ("xl/worksheets/sheet2.xml", table),
            ("xl/styles.xml", styles),
            ("xl/sharedStrings.xml", strings.xml),
        ]
        return parts.map { ($0.0, Array($0.1.utf8)) }
    }
}

/// A zip archive laid out as Python's `zipfile` writes one (deflated with zlib at its default level,
/// no data descriptors, made on Unix, mode 0600, every entry dated 2024-01-08 00:00), so that the
/// workbook keeps its bytes.
struct ZipArchive {
    var entries: [(name: String, data: [UInt8])]

    static let dosDate = UInt16((2024 - 1980) << 9 | 1 << 5 | 8)

    func bytes() throws -> [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        func le16(_ value: Int, _ buffer: inout [UInt8]) {
            buffer += [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)]
        }
        func le32(_ value: UInt32, _ buffer: inout [UInt8]) {
            buffer += [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)]
        }
        for (name, data) in entries {
            let compressed = try Self.deflate(data)
            let crc = UInt32(data.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) })
            let offset = out.count
            let nameBytes = Array(name.utf8)
            func header(_ buffer: inout [UInt8]) {
                le16(20, &buffer)  // version needed
                le16(0, &buffer)  // flags
                le16(8, &buffer)  // deflated
                le16(0, &buffer)  // time 00:00:00
                le16(Int(Self.dosDate), &buffer)
                le32(crc, &buffer)
                le32(UInt32(compressed.count), &buffer)
                le32(UInt32(data.count), &buffer)
                le16(nameBytes.count, &buffer)
                le16(0, &buffer)  // extra
            }
            le32(0x0403_4b50, &out)
            header(&out)
            out += nameBytes + compressed
            le32(0x0201_4b50, &central)
            le16(0x0314, &central)  // made by: Unix, version 2.0
            header(&central)
            le16(0, &central)  // comment
            le16(0, &central)  // disk
            le16(0, &central)  // internal attributes
            le32(0o600 << 16, &central)  // external attributes: -rw-------
            le32(UInt32(offset), &central)
            central += nameBytes
        }
        let centralOffset = out.count
        out += central
        le32(0x0605_4b50, &out)
        le16(0, &out)
        le16(0, &out)
        le16(entries.count, &out)
        le16(entries.count, &out)
        le32(UInt32(central.count), &out)
        le32(UInt32(centralOffset), &out)
        le16(0, &out)
        return out
    }

    /// Raw deflate (no zlib header) at zlib's default level, as `zlib.compressobj(-1, DEFLATED, -15)`.
    static func deflate(_ data: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        guard
            deflateInit2_(
                &stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
                Int32(MemoryLayout<z_stream>.size)) == Z_OK
        else {
            throw SampleGeneratorError("zlib: deflateInit2 failed")
        }
        defer { deflateEnd(&stream) }
        var input = data
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(data.count))) + 64)
        let produced: Int = try input.withUnsafeMutableBufferPointer { source in
            try output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = uInt(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(target.count)
                guard CLibZ.deflate(&stream, Z_FINISH) == Z_STREAM_END else {
                    throw SampleGeneratorError("zlib: deflate did not finish")
                }
                return target.count - Int(stream.avail_out)
            }
        }
        return Array(output.prefix(produced))
    }
}
