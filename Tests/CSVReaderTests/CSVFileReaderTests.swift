import Foundation
import LagesbildModel
import TestSupport
import Testing

@testable import CSVReader

@Suite struct EncodingTests {
    @Test func windows1252WithSwedishLettersIsDetected() throws {
        // "Område;Antal\r\nÅstorp;12\r\nVästra Götaland;5\r\n" with å/ä/ö as single bytes, and € (0x80).
        let bytes: [UInt8] =
            [0x4F, 0x6D, 0x72, 0xE5, 0x64, 0x65] + utf8(";Antal\r\n") + [0xC5] + utf8("storp;12\r\nV") + [0xE4]
            + utf8("stra G") + [0xF6] + utf8("taland;5\r\n") + [0x80] + utf8("uro;1\r\n")
        let result = try read(bytes)
        #expect(result.encoding == .windows1252)
        #expect(result.encodingWasDetected)
        #expect(result.header == ["Område", "Antal"])
        #expect(result.rows == [["Åstorp", "12"], ["Västra Götaland", "5"], ["€uro", "1"]])
    }

    @Test func iso88591GivenExplicitly() throws {
        let bytes: [UInt8] =
            utf8("Kommun;Kod\n") + [0x48, 0xE4, 0x73, 0x73, 0x6C, 0x65, 0x68, 0x6F, 0x6C, 0x6D] + utf8(";1293\n")
        let result = try read(bytes, dialect: CSVDialect(encoding: .iso88591))
        #expect(result.encoding == .iso88591)
        #expect(!result.encodingWasDetected)
        #expect(result.rows == [["Hässleholm", "1293"]])
    }

    @Test func utf8WithByteOrderMark() throws {
        let result = try read([0xEF, 0xBB, 0xBF] + utf8("Län;Kommun\nHallands län;Halmstad\n"))
        #expect(result.encoding == .utf8)
        #expect(result.encodingWasDetected)
        #expect(result.header == ["Län", "Kommun"])  // no BOM in the first name
        #expect(result.rows == [["Hallands län", "Halmstad"]])
    }

    @Test func utf8WithoutByteOrderMarkIsDetected() throws {
        let result = try read(utf8("Kommun,Befolkning\nHalmstad,105796\nLaholm,26248\n"))
        #expect(result.encoding == .utf8)
        #expect(result.delimiter == UInt8(ascii: ","))
        #expect(result.rows.count == 2)
    }

    @Test func utf16LittleEndianTabSeparatedWithByteOrderMark() throws {
        let text = "Område\tAntal\r\nAndersberg\t12\r\nVallås 😀\t3\r\n"
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let result = try read(bytes)
        #expect(result.encoding == .utf16LittleEndian)
        #expect(result.encodingWasDetected)
        #expect(result.delimiter == UInt8(ascii: "\t"))
        #expect(result.header == ["Område", "Antal"])
        #expect(result.rows == [["Andersberg", "12"], ["Vallås 😀", "3"]])
        #expect(result.lines == [2, 3])
    }

    @Test func utf16BigEndianWithByteOrderMark() throws {
        var bytes: [UInt8] = [0xFE, 0xFF]
        for unit in "a\tb\nå\tö\n".utf16 { bytes += [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
        let result = try read(bytes)
        #expect(result.encoding == .utf16BigEndian)
        #expect(result.rows == [["å", "ö"]])
    }

    @Test func unpairedSurrogateInUTF16IsRejected() throws {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in "a\tb\nx\ty\n".utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        bytes += [0x00, 0xD8, 0x7A, 0x00, 0x09, 0x00, 0x31, 0x00, 0x0A, 0x00]  // lone high surrogate, "z\t1\n"
        let result = try read(bytes)
        #expect(result.rows == [["x", "y"]])
        #expect(result.rejected.count == 1)
        #expect(
            result.rejected.first?.location
                == SourceLocation(file: result.rejected[0].location.file, line: 3, column: 1))
    }

    @Test func invalidUTF8WithExplicitUTF8IsRejectedWithItsColumn() throws {
        let bytes: [UInt8] = utf8("a;b;c\n1;2;3\n4;5") + [0xE5] + utf8("x;6\n7;8;9\n")
        let result = try read(bytes, dialect: CSVDialect(encoding: .utf8))
        #expect(result.rows == [["1", "2", "3"], ["7", "8", "9"]])
        #expect(result.rejected.count == 1)
        let rejected = try #require(result.rejected.first)
        #expect(rejected.location.line == 3)
        #expect(rejected.location.column == 2)
        #expect(rejected.reason == "field 2 is not valid UTF-8 (byte 0xE5 at byte offset 15 of the file)")
        #expect(rejected.raw == "4;5\u{FFFD}x;6")
        #expect(result.summary.rowsRead == result.summary.rowsDelivered + result.summary.rowsRejected)
    }

    @Test func undefinedWindows1252ByteIsRejected() throws {
        let bytes: [UInt8] = utf8("a;b\n1;2\n3;") + [0x81] + utf8("\n5;6\n")
        let result = try read(bytes, dialect: CSVDialect(encoding: .windows1252))
        #expect(result.rows == [["1", "2"], ["5", "6"]])
        #expect(result.rejected.map(\.location.column) == [2])
        #expect(result.rejected.first?.reason == "field 2 holds the byte 0x81, which Windows-1252 does not define")
    }

    @Test func nonASCIIAfterALongASCIIPrefixIsStillDetected() throws {
        var bytes = utf8("Kod;Namn\n")
        for index in 0..<40_000 { bytes += utf8("\(index);Halmstad\n") }  // ~600 KB of ASCII
        bytes += utf8("1;") + [0xD6] + utf8("rebro\n")
        let result = try read(bytes)
        #expect(result.encoding == .windows1252)
        #expect(result.rows.last == ["1", "Örebro"])
    }
}

@Suite struct StructureTests {
    @Test func crlfLfAndLoneCR() throws {
        for separator in ["\r\n", "\n", "\r"] {
            let text = ["a;b", "1;2", "3;4"].joined(separator: separator) + separator
            let result = try read(utf8(text))
            #expect(result.rows == [["1", "2"], ["3", "4"]], "line break \(separator.debugDescription)")
            #expect(result.lines == [2, 3], "line break \(separator.debugDescription)")
            #expect(result.rawTexts == ["1;2", "3;4"])
        }
    }

    @Test func embeddedLineBreaksKeepLineNumbersRight() throws {
        let text = "id;text\n1;\"first\nsecond\r\nthird\rfourth\"\n2;plain\n3;\"x;y\"\n"
        let result = try read(utf8(text))
        #expect(result.rows == [["1", "first\nsecond\r\nthird\rfourth"], ["2", "plain"], ["3", "x;y"]])
        #expect(result.lines == [2, 6, 7])
    }

    @Test func doubledQuotes() throws {
        let result = try read(utf8("a;b\n\"hon sa \"\"hej\"\"\";\"\"\"\"\n\"\";x\n"))
        #expect(result.rows == [["hon sa \"hej\"", "\""], ["", "x"]])
    }

    @Test func quoteInsideAnUnquotedFieldIsText() throws {
        let result = try read(utf8("a;b\n12\" rör;2\n"))
        #expect(result.rows == [["12\" rör", "2"]])
    }

    @Test func unterminatedQuoteAtEndOfFileIsRejectedAndLaterLinesAreKept() throws {
        let text = "a;b;c\n1;2;3\n4;\"open;6\n7;8;9\n"
        let result = try read(utf8(text))
        #expect(result.rows == [["1", "2", "3"], ["7", "8", "9"]])
        #expect(result.lines == [2, 4])
        let rejected = try #require(result.rejected.first)
        #expect(rejected.location.line == 3)
        #expect(rejected.location.column == 2)
        #expect(rejected.reason == "field 2 opens a quote that is never closed")
        #expect(rejected.raw == "4;\"open;6")
        #expect(result.summary.rowsRead == 3)
        #expect(result.summary.rowsRejected == 1)
    }

    @Test func textAfterAClosingQuoteIsRejected() throws {
        let result = try read(utf8("a;b\n\"x\"y;1\n2;3\n"))
        #expect(result.rows == [["2", "3"]])
        #expect(result.rejected.first?.location.column == 1)
        #expect(result.rejected.first?.reason == "field 1 has text after its closing quote")
    }

    @Test func wrongFieldCountIsRejected() throws {
        let text = "a;b;c;d\n1;2;3;4\n1;2;3;4;5\n1;2\n5;6;7;8"
        let result = try read(utf8(text))
        #expect(result.rows == [["1", "2", "3", "4"], ["5", "6", "7", "8"]])
        #expect(
            result.rejected.map(\.reason) == [
                "row has 5 fields, the header has 4", "row has 2 fields, the header has 4",
            ])
        #expect(result.rejected.map(\.location.line) == [3, 4])
        #expect(result.rejected.map(\.location.column) == [5, 3])
        #expect(result.rejected.map(\.raw) == ["1;2;3;4;5", "1;2"])
        #expect(
            result.summary
                == CSVReadSummary(
                    rowsRead: 4, rowsDelivered: 2, rowsRejected: 2, blankLines: 0, bytesRead: text.utf8.count))
    }

    @Test func personalNumbersAreMaskedInRejectedRows() throws {
        let result = try read(utf8("a;b\n850412-1234;x;y\n"))
        let raw = try #require(result.rejected.first?.raw)
        #expect(!raw.contains("0412") && !raw.contains("1234"))
        #expect(raw.hasSuffix("-****;x;y"))
        #expect(raw == "******-****;x;y")
    }

    @Test func blankLinesAreSkippedAndCounted() throws {
        let text = "\na;b\n\n1;2\n\r\n;\n3;4\n\n"
        let result = try read(utf8(text))
        #expect(result.header == ["a", "b"])
        #expect(result.headerLine == 2)
        #expect(result.rows == [["1", "2"], ["3", "4"]])
        #expect(result.lines == [4, 7])
        #expect(result.summary.blankLines == 5)
        #expect(result.summary.rowsRead == 2)
    }

    @Test func quotedEmptyRowIsNotBlank() throws {
        let result = try read(utf8("a;b\n\"\";\n"))
        #expect(result.rows == [["", ""]])
    }

    @Test func missingFinalNewline() throws {
        #expect(try read(utf8("a;b\n1;2")).rows == [["1", "2"]])
        #expect(try read(utf8("a;b\n1;\"2\"")).rows == [["1", "2"]])
        #expect(try read(utf8("a;b\r1;2\r")).rows == [["1", "2"]])
        #expect(try read(utf8("a;b\n1;")).rows == [["1", ""]])
    }

    @Test func noHeaderNamesColumnsByNumber() throws {
        let result = try read(utf8("1;2;3\n4;5;6\n"), dialect: CSVDialect(hasHeader: false))
        #expect(result.header == ["1", "2", "3"])
        #expect(result.headerLine == 0)
        #expect(result.rows == [["1", "2", "3"], ["4", "5", "6"]])
        #expect(result.lines == [1, 2])
    }

    @Test func emptyFileAndMissingFileThrow() throws {
        #expect(throws: CSVError.self) { try read([]) }
        #expect(throws: CSVError.self) { try read(path: "/nonexistent/lagesbild.csv") }
        #expect(throws: CSVError.self) { try read(utf8("\n\n")) }
        #expect(throws: CSVError.self) { try read([0xEF, 0xBB, 0xBF]) }
    }

    @Test func recordsCanBeReadOnlyOnce() throws {
        try withTemporaryFile(utf8("a\n1\n")) { path in
            let reader = try CSVFileReader(path: path)
            _ = try reader.forEachRecord({ _ in }, onReject: { _ in })
            #expect(throws: CSVError.self) { try reader.forEachRecord({ _ in }, onReject: { _ in }) }
        }
    }

    @Test func recordsLongerThanAChunkAndSpanningReads() throws {
        let long = String(repeating: "å;\"\n", count: 400_000)  // 2.4 MB inside one quoted field
        let text = "a;b\n1;\"" + long.replacingOccurrences(of: "\"", with: "\"\"") + "\"\n2;x\n"
        let result = try read(utf8(text))
        #expect(result.rows.count == 2)
        #expect(result.rows.first?[1] == long)
        #expect(result.lines == [2, 400_003])
    }

    @Test func runawayQuoteIsCutAtTheRecordLimit() throws {
        var text = "a;b\n1;\"never closed\n"
        for index in 0..<2_000 { text += "\(index);row\n" }
        let result = try read(utf8(text), dialect: CSVDialect(maxRecordBytes: 1_000))
        #expect(result.rejected.count == 1)
        #expect(result.rows.count == 2_000)
        #expect(result.rows.first == ["0", "row"])
    }
}

@Suite struct DetectionTests {
    @Test func delimiterDetection() throws {
        #expect(try read(utf8("a;b;c\n1,5;2;3\n")).delimiter == UInt8(ascii: ";"))
        #expect(try read(utf8("a,b,c\n\"1;5\",2,3\n")).delimiter == UInt8(ascii: ","))
        #expect(try read(utf8("a\tb\n1,5\t2\n")).delimiter == UInt8(ascii: "\t"))
        // Decimal commas in a semicolon file: the header settles it.
        #expect(try read(utf8("Region;2022;2023\nHalmstad;1,5;2,3\nLaholm;0,5;1,1\n")).delimiter == UInt8(ascii: ";"))
    }

    @Test func braStyleTitleLineIsSkipped() throws {
        let text = "Anmälda brott;;;\nRegion;Brott;2022;2023\nHalmstad;Misshandel;812;790\n"
        let result = try read(utf8(text))
        #expect(result.titleLines == ["Anmälda brott;;;"])
        #expect(result.header == ["Region", "Brott", "2022", "2023"])
        #expect(result.headerLine == 2)
        #expect(result.rows == [["Halmstad", "Misshandel", "812", "790"]])
        #expect(result.lines == [3])
    }

    @Test func pxWebTitleAndBlankLineAreSkipped() throws {
        let text =
            "\"Folkmängden efter region, ålder och år\"\n\n\"region\",\"ålder\",\"2022\",\"2023\"\n\"1380 Halmstad\",\"0-4 år\",5612,5598\n"
        let result = try read(utf8(text))
        #expect(result.delimiter == UInt8(ascii: ","))
        #expect(result.titleLines == ["\"Folkmängden efter region, ålder och år\""])
        #expect(result.headerLine == 3)
        #expect(result.rows == [["1380 Halmstad", "0-4 år", "5612", "5598"]])
        #expect(result.summary.blankLines == 1)
    }

    @Test func explicitTitleLineCountSkipsPhysicalLines() throws {
        let text = "Titel med \"citat\nrad två\na;b\n1;2\n"
        let result = try read(utf8(text), dialect: CSVDialect(titleLines: 2))
        #expect(result.titleLines == ["Titel med \"citat", "rad två"])
        #expect(result.header == ["a", "b"])
        #expect(result.headerLine == 3)
        #expect(result.lines == [4])
    }

    @Test func noTitleWhenTheFirstLineIsWide() throws {
        let result = try read(utf8("a;b\n1;\n2;\n"))
        #expect(result.titleLines.isEmpty)
        #expect(result.header == ["a", "b"])
    }
}

@Suite struct TypedAccessTests {
    @Test func numbersAndMarkersThroughTheRecord() throws {
        let cells = [
            "1 234,5", "1\u{00A0}234", "1\u{202F}234", "12,5 %", "..", ".", "-", "XX", "", "-3,25", "0301", "abc",
        ]
        let text = "v\n" + cells.map { "\"\($0)\"" }.joined(separator: "\n") + "\n"
        try withTemporaryFile(utf8(text)) { path in
            let reader = try CSVFileReader(path: path)
            var numbers: [CellNumber] = []
            try reader.forEachRecord({ numbers.append($0.number(at: 0)) }, onReject: { _ in })
            #expect(
                numbers == [
                    .value(1234.5), .value(1234), .value(1234), .value(12.5), .missing(.suppressed),
                    .missing(.notAvailable), .missing(.notApplicable), .missing(.surveySuppressed), .missing(.empty),
                    .value(-3.25), .value(301), .invalid("abc"),
                ])
        }
    }

    @Test(arguments: ["0", "12", "-7", "3,25", "3.25", "+4", "0,1", "123456789012345", "1.", ",5", "-0,0"])
    func fastPathAgreesWithSwedishNumber(_ text: String) throws {
        let fast = Array(text.utf8).withUnsafeBufferPointer { FastNumber.plainDecimal($0) }
        #expect(fast == SwedishNumber.parse(text).value)
        #expect(fast?.sign == SwedishNumber.parse(text).value?.sign)
    }

    @Test func integersAndEmptiness() throws {
        try withTemporaryFile(utf8("a;b;c\n42;;\"x\"\"y\"\n")) { path in
            let reader = try CSVFileReader(path: path)
            _ = try reader.forEachRecord(
                { record in
                    #expect(record.integer(at: 0) == 42)
                    #expect(record.integer(at: 1) == nil)
                    #expect(record.isEmpty(at: 1))
                    #expect(!record.isEmpty(at: 2))
                    #expect(record.string(at: 2) == "x\"y")
                    #expect(record.string(at: 9) == "")
                    #expect(record.rawText == "42;;\"x\"\"y\"")
                    #expect(reader.columnIndex("c") == 2)
                }, onReject: { _ in })
        }
    }
}

@Suite struct ValidationTests {
    /// The word-at-a-time UTF-8 validator agrees with the standard library on random, mostly Swedish text.
    @Test func validatorAgreesWithTheStandardLibrary() {
        let seed: UInt64 = 1380
        var random = SeededGenerator(seed: seed)
        let pieces: [[UInt8]] =
            ["a", "å", "Ö", "é", "€", "😀", " ", "–"].map { Array($0.utf8) }
            + [[0xC3], [0xA5], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF], [0xE2, 0x82]]
        for round in 0..<5_000 {
            var bytes: [UInt8] = []
            let invalidAllowed = round % 2 == 0
            for _ in 0..<Int.random(in: 0...40, using: &random) {
                let piece = pieces.randomElement(using: &random)!
                if !invalidAllowed && String(validating: piece, as: UTF8.self) == nil { continue }
                bytes += piece
            }
            let offset = bytes.withUnsafeBufferPointer { UTF8Validation.firstInvalid($0.baseAddress!, count: $0.count) }
            let valid = String(validating: bytes, as: UTF8.self) != nil
            #expect((offset == nil) == valid, "seed \(seed), round \(round): \(bytes)")
            if let offset {
                #expect(String(validating: bytes[..<offset], as: UTF8.self) != nil, "seed \(seed), round \(round)")
            }
        }
    }
}
