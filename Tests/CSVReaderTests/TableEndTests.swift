import Foundation
import LagesbildModel
import Testing

@testable import CSVReader

/// `table_ends`: the lines after a table's end are skipped and counted, never rows.
@Suite struct TableEndTests {
    static let file = """
        Region;År;Antal\r
        1380;2022;10\r
        1380;2023;12\r
        ;;\r
        Källa: SCB\r
        Anm: 2023 är preliminärt\r
        \r

        """

    @Test func withoutAnEndTheNotesAreRejectedRows() throws {
        let result = try read(utf8(Self.file))
        #expect(result.rows.count == 2)
        #expect(result.rejected.map(\.location.line) == [5, 6])
        #expect(result.summary.linesSkipped == 0)
    }

    @Test func theFirstBlankLineEndsTheTable() throws {
        let result = try read(utf8(Self.file), dialect: CSVDialect(tableEnd: .firstBlankLine))
        #expect(result.rows == [["1380", "2022", "10"], ["1380", "2023", "12"]])
        #expect(result.rejected.isEmpty)
        #expect(result.summary.rowsRead == 2)
        #expect(result.summary.linesSkipped == 2)
    }

    @Test func aMatchingLineEndsTheTable() throws {
        let text = "Region;År;Antal\n1380;2022;10\nKälla: SCB\n1380;2023;12\n\"Not: \"\"x\"\n"
        let result = try read(utf8(text), dialect: CSVDialect(tableEnd: .beforeLineMatching("^(Källa|Not)")))
        #expect(result.rows == [["1380", "2022", "10"]])
        #expect(result.rejected.isEmpty)
        #expect(result.summary.linesSkipped == 3)
    }

    @Test func footerLinesAreCountedFromTheEndInAnySingleByteEncoding() throws {
        // Windows-1252: "Källa" with ä as 0xE4; two trailing blank lines are not footer lines.
        let bytes =
            utf8("Region;Antal\n1380;10\n1381;11\n") + utf8("K") + [0xE4] + utf8("lla: SCB\nAnm: x\n\n\n")
        let result = try read(bytes, dialect: CSVDialect(encoding: .windows1252, tableEnd: .footerLines(2)))
        #expect(result.rows == [["1380", "10"], ["1381", "11"]])
        #expect(result.rejected.isEmpty)
        #expect(result.summary.linesSkipped == 2)
        // A footer longer than the file is an error that says so.
        #expect(throws: CSVError.self) {
            try read(utf8("Region;Antal\n1380;10\n"), dialect: CSVDialect(tableEnd: .footerLines(5)))
        }
    }

    @Test func footerLinesRefuseUTF16() throws {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in "a\tb\n1\t2\nKälla\n".utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        #expect(throws: CSVError.self) { try read(bytes, dialect: CSVDialect(tableEnd: .footerLines(1))) }
    }

    @Test func anInvalidPatternIsAnError() throws {
        #expect(throws: CSVError.self) {
            try read(utf8("a;b\n1;2\n"), dialect: CSVDialect(tableEnd: .beforeLineMatching("(")))
        }
    }
}
