import Foundation
import Testing
import XLSXReader

/// Reads every record of a workbook.
private func records(_ path: String, _ options: XLSXOptions = XLSXOptions()) throws -> (
    reader: XLSXRecordReader, rows: [XLSXRecord]
) {
    let reader = try XLSXRecordReader(path: path, options: options)
    var rows: [XLSXRecord] = []
    _ = try reader.forEachRecord { rows.append($0) }
    return (reader, rows)
}

/// The error a call throws, as an ``XLSXReadError``.
private func readError(_ body: () throws -> Void) -> XLSXReadError? {
    do {
        try body()
        return nil
    } catch let error as XLSXReadError {
        return error
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}

@Suite struct XLSXCellTests {
    @Test func everyCellTypeReadsAsText() throws {
        var book = TestWorkbook()
        book.sharedStrings = [
            "Namn", "Värde", "delad", "<r><rPr><b/></rPr><t>fet </t></r><r><t>och mager</t></r><rPh><t>x</t></rPh>",
        ]
        book.cellFormats = [14]  // style 1: a date
        book.sheets = [
            (
                "Blad1",
                TestWorkbook.sheet(
                    """
                    <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>
                    <row r="2"><c r="A2" t="inlineStr"><is><t>shared</t></is></c><c r="B2" t="s"><v>2</v></c></row>
                    <row r="3"><c r="A3" t="inlineStr"><is><t>rich</t></is></c><c r="B3" t="s"><v>3</v></c></row>
                    <row r="4"><c r="A4" t="inlineStr"><is><t>inline</t></is></c><c r="B4" t="inlineStr"><is><r><t>in</t></r><r><t>line</t></r></is></c></row>
                    <row r="5"><c r="A5" t="inlineStr"><is><t>number</t></is></c><c r="B5"><v>12.5</v></c></row>
                    <row r="6"><c r="A6" t="inlineStr"><is><t>exponent</t></is></c><c r="B6"><v>1.5E-3</v></c></row>
                    <row r="7"><c r="A7" t="inlineStr"><is><t>true</t></is></c><c r="B7" t="b"><v>1</v></c></row>
                    <row r="8"><c r="A8" t="inlineStr"><is><t>false</t></is></c><c r="B8" t="b"><v>0</v></c></row>
                    <row r="9"><c r="A9" t="inlineStr"><is><t>formula</t></is></c><c r="B9"><f>B5*2</f><v>25</v></c></row>
                    <row r="10"><c r="A10" t="inlineStr"><is><t>text formula</t></is></c><c r="B10" t="str"><f>A1&amp;"x"</f><v>Namnx</v></c></row>
                    <row r="11"><c r="A11" t="inlineStr"><is><t>error</t></is></c><c r="B11" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>
                    <row r="12"><c r="A12" t="inlineStr"><is><t>date</t></is></c><c r="B12" s="1"><v>45299</v></c></row>
                    <row r="13"><c r="A13" t="inlineStr"><is><t>empty</t></is></c><c r="B13" s="1"/></row>
                    <row r="14"><c r="A14" t="inlineStr"><is><t>amp &amp; lt &lt;</t></is></c><c r="B14"><v>-3</v></c></row>
                    """)
            )
        ]
        let (reader, rows) = try records(try book.write())
        #expect(reader.header == ["Namn", "Värde"])
        #expect(reader.headerRow == 1)
        let values = Dictionary(uniqueKeysWithValues: rows.map { ($0.cells[0], $0.cells[1]) })
        #expect(values["shared"] == "delad")
        #expect(values["rich"] == "fet och mager")  // runs joined, the phonetic guide left out
        #expect(values["inline"] == "inline")
        #expect(values["number"] == "12.5")
        #expect(values["exponent"] == "0.0015")
        #expect(values["true"] == "TRUE")
        #expect(values["false"] == "FALSE")
        #expect(values["formula"] == "25")
        #expect(values["text formula"] == "Namnx")
        #expect(values["error"] == "")  // missing
        #expect(values["date"] == "2024-01-08")
        #expect(values["empty"] == "")
        #expect(values["amp & lt <"] == "-3")
        #expect(rows.first?.place(ofColumn: 1) == "Blad1!B2")
        #expect(rows.count == 13)
    }

    @Test func datesOfThe1900System() throws {
        var book = TestWorkbook()
        book.cellFormats = [14, 164, 22, 20, 3]
        book.customFormats = [(164, "[$-41D]d\\ mmmm\\ yyyy;@")]
        book.sheets = [
            (
                "Blad1",
                TestWorkbook.sheet(
                    """
                    <row r="1"><c r="A1" t="inlineStr"><is><t>Datum</t></is></c></row>
                    <row r="2"><c r="A2" s="1"><v>1</v></c></row>
                    <row r="3"><c r="A3" s="1"><v>59</v></c></row>
                    <row r="4"><c r="A4" s="1"><v>60</v></c></row>
                    <row r="5"><c r="A5" s="1"><v>61</v></c></row>
                    <row r="6"><c r="A6" s="2"><v>45299</v></c></row>
                    <row r="7"><c r="A7" s="3"><v>45299.5</v></c></row>
                    <row r="8"><c r="A8" s="4"><v>0.75</v></c></row>
                    <row r="9"><c r="A9" s="5"><v>45299</v></c></row>
                    """)
            )
        ]
        let (_, rows) = try records(try book.write())
        #expect(
            rows.map { $0.cells[0] } == [
                "1900-01-01", "1900-02-28", "1900-02-29", "1900-03-01", "2024-01-08", "2024-01-08 12:00",
                "18:00:00", "45299",
            ])
    }

    @Test func datesOfThe1904System() throws {
        var book = TestWorkbook()
        book.date1904 = true
        book.cellFormats = [14]
        book.sheets = [
            (
                "Blad1",
                TestWorkbook.sheet(
                    """
                    <row r="1"><c r="A1" t="inlineStr"><is><t>Datum</t></is></c></row>
                    <row r="2"><c r="A2" s="1"><v>0</v></c></row>
                    <row r="3"><c r="A3" s="1"><v>43837</v></c></row>
                    """)
            )
        ]
        let (reader, rows) = try records(try book.write())
        #expect(reader.date1904)
        #expect(rows.map { $0.cells[0] } == ["1904-01-01", "2024-01-08"])
    }
}

@Suite struct XLSXTableTests {
    @Test func mergedAndEmptyHeaderCells() throws {
        var book = TestWorkbook()
        book.sheets = [
            (
                "Data",
                TestWorkbook.sheet(
                    """
                    <row r="1"><c r="A1" t="inlineStr"><is><t>Region</t></is></c><c r="B1" t="inlineStr"><is><t>Antal</t></is></c>
                    <c r="D1" t="inlineStr"><is><t>Not</t></is></c></row>
                    <row r="2"><c r="B2" t="inlineStr"><is><t>2022</t></is></c><c r="C2" t="inlineStr"><is><t>2023</t></is></c></row>
                    <row r="3"><c r="A3" t="inlineStr"><is><t>Halmstad</t></is></c><c r="B3"><v>1</v></c><c r="C3"><v>2</v></c>
                    <c r="E3"><v>9</v></c></row>
                    """, merges: ["A1:A2", "B1:C1", "D1:E1"])
            )
        ]
        let path = try book.write()
        // Header on row 2: A2 takes the value merged down from A1; D1:E1 does not reach row 2, so the header
        // ends at C and E3 is not read.
        let (reader, rows) = try records(path, XLSXOptions(headerRow: 2))
        #expect(reader.header == ["Region", "2022", "2023"])
        #expect(rows.map(\.cells) == [["Halmstad", "1", "2"]])
        // Header on row 1: B1:C1 spans two columns, so C takes its value.
        let first = try XLSXRecordReader(path: path, options: XLSXOptions(headerRow: 1))
        #expect(first.header == ["Region", "Antal", "Antal", "Not", "Not"])
        // An empty header cell between names is named after its column.
        var gap = TestWorkbook()
        gap.sheets = [
            (
                "Blad1",
                TestWorkbook.sheet(
                    """
                    <row r="1"><c r="A1" t="inlineStr"><is><t>A</t></is></c><c r="C1" t="inlineStr"><is><t>C</t></is></c></row>
                    <row r="2"><c r="A2"><v>1</v></c><c r="B2"><v>2</v></c><c r="C2"><v>3</v></c></row>
                    """)
            )
        ]
        #expect(try XLSXRecordReader(path: try gap.write()).header == ["A", "Kolumn B", "C"])
    }

    @Test func aTwoRowHeaderIsDetectedByItsMergedGroupHeading() throws {
        var book = TestWorkbook()
        book.sheets = [
            (
                "Blad1",
                TestWorkbook.sheet(
                    """
                    <row r="1"><c r="A1" t="inlineStr"><is><t>Region</t></is></c><c r="B1" t="inlineStr"><is><t>År</t></is></c>
                    <c r="C1" t="inlineStr"><is><t>Anmälda brott</t></is></c></row>
                    <row r="2"><c r="C2" t="inlineStr"><is><t>Antal</t></is></c><c r="D2" t="inlineStr"><is><t>Per 100 000 inv.</t></is></c></row>
                    <row r="3"><c r="A3" t="inlineStr"><is><t>Halmstad</t></is></c><c r="B3"><v>2023</v></c><c r="C3"><v>877</v></c><c r="D3"><v>829</v></c></row>
                    """, merges: ["A1:A2", "B1:B2", "C1:D1"])
            )
        ]
        let (reader, rows) = try records(try book.write())
        #expect(reader.headerRow == 2)
        #expect(reader.header == ["Region", "År", "Antal", "Per 100 000 inv."])
        #expect(rows.map(\.cells) == [["Halmstad", "2023", "877", "829"]])
    }

    @Test func headerOnAnotherRowIsDetectedAndNotesBelowAreLeftOut() throws {
        var book = TestWorkbook()
        book.sheets = [
            ("Info", TestWorkbook.sheet("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>x</t></is></c></row>")),
            (
                "Tabell 1",
                TestWorkbook.sheet(
                    """
                    <row r="1"><c r="B1" t="inlineStr"><is><t>Anmälda brott 2023</t></is></c></row>
                    <row r="3"><c r="B3" t="inlineStr"><is><t>Region</t></is></c><c r="C3" t="inlineStr"><is><t>År</t></is></c>
                    <c r="D3" t="inlineStr"><is><t>Antal</t></is></c></row>
                    <row r="4"><c r="B4" t="inlineStr"><is><t>Halmstad</t></is></c><c r="C4"><v>2023</v></c><c r="D4"><v>10</v></c></row>
                    <row r="5"><c r="B5" t="inlineStr"><is><t>Laholm</t></is></c><c r="C5"><v>2023</v></c><c r="D5" t="inlineStr"><is><t>x</t></is></c></row>
                    <row r="7"><c r="B7" t="inlineStr"><is><t>Källa: Brå</t></is></c></row>
                    """, merges: ["B1:D1"])
            ),
        ]
        let path = try book.write(name: "brå.xlsx")
        let (reader, rows) = try records(path, XLSXOptions(sheet: .name("Tabell 1")))
        #expect(reader.headerRow == 3)
        #expect(reader.headerRowWasDetected)
        #expect(reader.header == ["Region", "År", "Antal"])
        #expect(rows.map(\.cells) == [["Halmstad", "2023", "10"], ["Laholm", "2023", "x"]])
        #expect(rows[1].place(ofColumn: 2) == "'Tabell 1'!D5")
        #expect(rows[1].line == 5)
        // Without until_empty_row the note is a row too; by index the same sheet.
        let (_, all) = try records(path, XLSXOptions(sheet: .index(2), untilEmptyRow: false))
        #expect(all.count == 3)
        // A range narrows rows and columns.
        let (ranged, some) = try records(path, XLSXOptions(sheet: .index(2), range: CellRange("B3:C4")))
        #expect(ranged.header == ["Region", "År"])
        #expect(some.map(\.cells) == [["Halmstad", "2023"]])
        // A sheet that does not exist names the sheets there are.
        let error = readError { _ = try XLSXRecordReader(path: path, options: XLSXOptions(sheet: .name("Blad9"))) }
        #expect(error?.message.contains("has no sheet named 'Blad9'") == true)
        #expect(error?.message.contains("'Info', 'Tabell 1'") == true)
    }
}

@Suite struct XLSXSafetyTests {
    @Test func corruptArchive() throws {
        var bytes = Data([0x50, 0x4B, 0x03, 0x04])
        bytes.append(Data(repeating: 0x41, count: 200))
        let error = readError { _ = try XLSXRecordReader(path: try temporaryFile(bytes, name: "trasig.xlsx")) }
        #expect(error?.message.contains("not a readable zip archive") == true)
        #expect(error?.location.file.hasSuffix("trasig.xlsx") == true)
        // A truncated workbook: the central directory is gone.
        var book = TestWorkbook()
        book.sheets = [("Blad1", TestWorkbook.sheet("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"))]
        let whole = try Data(contentsOf: URL(fileURLWithPath: try book.write()))
        let truncated = readError {
            _ = try XLSXRecordReader(path: try temporaryFile(whole.prefix(whole.count / 2), name: "halv.xlsx"))
        }
        #expect(truncated != nil)
    }

    @Test func aChangedByteFailsTheChecksum() throws {
        var book = TestWorkbook()
        book.stored = true
        book.sheets = [
            (
                "Blad1",
                TestWorkbook.sheet(
                    "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Region</t></is></c></row>"
                        + "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>Halmstad</t></is></c></row>")
            )
        ]
        var bytes = try Data(contentsOf: URL(fileURLWithPath: try book.write()))
        let range = try #require(bytes.range(of: Data("Halmstad".utf8)))
        bytes[range.lowerBound + 4] = UInt8(ascii: "x")
        let path = try temporaryFile(bytes, name: "ändrad.xlsx")
        let error = readError { _ = try records(path) }
        #expect(error?.message.contains("checksum does not match") == true)
        #expect(error?.location.place == "xl/worksheets/sheet1.xml")
    }

    @Test func zipBombIsStoppedWhileInflating() throws {
        var book = TestWorkbook()
        // 8 MB of spaces inside the worksheet: valid XML, compressed about 1000:1.
        let padding = String(repeating: " ", count: 8 << 20)
        book.sheets = [("Blad1", TestWorkbook.sheet("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>" + padding))]
        let path = try book.write(name: "bomb.xlsx")
        let error = readError { _ = try XLSXRecordReader(path: path) }
        #expect(error?.message.contains("zip bomb") == true)
        #expect(error?.message.contains("100 times") == true)
        #expect(error?.location.place == "xl/worksheets/sheet1.xml")
        // The size limits, checked on the bytes that come out.
        let small = XLSXLimits(entryBytes: 1_000_000, totalBytes: 10_000_000, compressionRatio: 100_000)
        let sized = readError { _ = try XLSXRecordReader(path: path, limits: small) }
        #expect(sized?.message.contains("more than the limit of 1000000") == true)
        let total = XLSXLimits(entryBytes: 100_000_000, totalBytes: 2_000_000, compressionRatio: 100_000)
        let summed = readError { _ = try XLSXRecordReader(path: path, limits: total) }
        #expect(summed?.message.contains("the parts read decompress to more than the limit of 2000000") == true)
    }

    @Test func encryptedWorkbookAndOtherFormatsAreRefusedInPlainWords() throws {
        let ole: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
        var encrypted = Data(ole + [UInt8](repeating: 0, count: 504))
        encrypted.append(Data("EncryptedPackage".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }))
        let error = readError { _ = try XLSXRecordReader(path: try temporaryFile(encrypted, name: "hemlig.xlsx")) }
        #expect(error?.message == "the workbook is encrypted (password-protected); save it without a password")
        #expect(error?.location.file.hasSuffix("hemlig.xlsx") == true)
        let legacy = readError {
            _ = try XLSXRecordReader(path: try temporaryFile(Data(ole + [0, 0, 0]), name: "gammal.xls"))
        }
        #expect(legacy?.message.contains("Excel 97–2003") == true)
        let html = readError {
            _ = try XLSXRecordReader(path: try temporaryFile(Data("<html><table>".utf8), name: "webb.xlsx"))
        }
        #expect(html?.message.contains("HTML") == true)
        var binary = TestWorkbook()
        binary.omitWorkbook = true
        binary.extraParts = [("xl/workbook.bin", Data([1, 2, 3]))]
        let xlsb = readError { _ = try XLSXRecordReader(path: try binary.write(name: "binar.xlsb")) }
        #expect(xlsb?.message.contains("binary workbook (.xlsb)") == true)
        var macros = TestWorkbook()
        macros.omitWorkbook = true
        macros.extraParts = [("xl/vbaProject.bin", Data([1, 2, 3]))]
        let macro = readError { _ = try XLSXRecordReader(path: try macros.write(name: "makro.xlsm")) }
        #expect(macro?.message.contains("macros only") == true)
    }

    @Test func entitiesAreRefused() throws {
        var book = TestWorkbook()
        book.sheets = [
            (
                "Blad1",
                "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                    + "<worksheet xmlns=\"\(TestWorkbook.main)\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\">"
                    + "<is><t>&x;</t></is></c></row></sheetData></worksheet>"
            )
        ]
        let error = readError { _ = try XLSXRecordReader(path: try book.write()) }
        #expect(error?.message.contains("entities") == true)
        #expect(error?.location.place == "xl/worksheets/sheet1.xml")
    }

    @Test func malformedSheetNamesItsPartAndLine() throws {
        var book = TestWorkbook()
        book.sheets = [("Blad1", TestWorkbook.sheet("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>\n<row>"))]
        let error = readError { _ = try XLSXRecordReader(path: try book.write()) }
        #expect(error?.message.contains("malformed XML at line 2") == true)
        #expect(error?.location.place == "xl/worksheets/sheet1.xml")
    }
}

@Suite struct CellReferenceTests {
    @Test func lettersAndRanges() {
        #expect(CellReference.letters(1) == "A")
        #expect(CellReference.letters(27) == "AA")
        #expect(CellReference.letters(16_384) == "XFD")
        #expect(CellReference.parse("$C$17")! == (3, 17))
        #expect(CellRange("A3:F200") == CellRange(firstColumn: 1, firstRow: 3, lastColumn: 6, lastRow: 200))
        #expect(CellRange("F3:A1") == nil)
        #expect(ExcelDate.isoDate(serial: 60, date1904: false) == "1900-02-29")
    }
}
