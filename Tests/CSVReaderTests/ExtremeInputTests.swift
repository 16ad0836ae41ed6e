import Foundation
import LagesbildModel
import Testing

@testable import CSVReader

/// Readers on extremes: a 20 MB field, a UTF-8 file with a few broken bytes, and the bounded raw text.
@Suite struct ExtremeInputTests {
    static let twentyMB = 20 << 20

    @Test func aTwentyMegabyteFieldIsOneRejectedRowAndTheNextRowIsRead() throws {
        let bytes =
            utf8("a;b;c\n1;x;2\n3;") + [UInt8](repeating: UInt8(ascii: "y"), count: Self.twentyMB)
            + utf8(";4\n5;z;6\n")
        let result = try read(bytes, dialect: CSVDialect(encoding: .utf8))
        #expect(result.rows == [["1", "x", "2"], ["5", "z", "6"]])
        #expect(result.lines == [2, 4])
        #expect(result.rejected.count == 1)
        let rejected = try #require(result.rejected.first)
        #expect(rejected.location.line == 3)
        #expect(rejected.location.column == 2)
        #expect(rejected.reason.contains("field 2 is longer than the limit of 16777216 bytes"))
        #expect(!rejected.reason.contains("never closed"))
        // The first 1 KB is kept, then how much more there was.
        #expect(rejected.raw.hasPrefix("3;yyy"))
        #expect(rejected.raw.hasSuffix("… \(Self.twentyMB + 4 - RawText.limit) bytes more"))
        #expect(rejected.raw.utf8.count < RawText.limit + 40)
        #expect(result.summary.rowsRead == 3)
        #expect(result.summary.rowsRead == result.summary.rowsDelivered + result.summary.rowsRejected)
    }

    @Test func aQuotedTwentyMegabyteFieldWithLineBreaksKeepsTheLineNumbers() throws {
        let half = [UInt8](repeating: UInt8(ascii: "q"), count: Self.twentyMB / 2)
        let bytes =
            utf8("a;b;c\n1;\"") + half + utf8("\r\n\"\"quoted\"\";") + half + utf8("\";2\r\n3;ok;4\r\n")
        let result = try read(bytes, dialect: CSVDialect(encoding: .utf8))
        #expect(result.rows == [["3", "ok", "4"]])
        #expect(result.lines == [4])
        #expect(result.rejected.count == 1)
        #expect(result.rejected.first?.location.line == 2)
        #expect(result.rejected.first?.reason.contains("longer than the limit") == true)
    }

    @Test func aRunawayQuoteStillLosesOnlyItsLine() throws {
        // No quote closes it before the end of the file: only the line it opens on is rejected.
        var text = "a;b\n1;\"never closed " + String(repeating: "w", count: 3_000) + "\n"
        for index in 0..<2_000 { text += "\(index);row\n" }
        let result = try read(utf8(text), dialect: CSVDialect(maxRecordBytes: 1_000))
        #expect(result.rejected.count == 1)
        #expect(result.rejected.first?.reason.contains("probably a quote that is never closed") == true)
        #expect(result.rows.count == 2_000)
        #expect(result.rows.first == ["0", "row"])
        #expect(result.lines.first == 3)
    }

    @Test func utf8WithThreeBrokenBytesOnTwoLinesStaysUTF8() throws {
        // Valid UTF-8 except for 0xE5 (a Windows-1252 å) on line 3 and 0xF6, 0xE4 on line 5.
        var bytes = utf8("Område;Län;Värde\n")
        bytes += utf8("Söder;Halland;1\n") + utf8("V") + [0xE5] + utf8("xjö;Kronoberg;2\n")
        bytes += utf8("Örebro;Örebro;3\n") + utf8("G") + [0xF6] + utf8("teborg;V") + [0xE4] + utf8("stra;4\n")
        bytes += utf8("Malmö;Skåne;5\n")
        try withTemporaryFile(bytes) { path in
            let result = try read(path: path)
            #expect(result.encoding == .utf8)
            #expect(result.encodingWasDetected)
            #expect(result.header == ["Område", "Län", "Värde"])
            #expect(result.rows.map(\.first) == ["Söder", "Örebro", "Malmö"])
            #expect(result.rejected.map(\.location.line) == [3, 5])
            let offsets = result.rejected.map(\.reason)
            let third = bytes.firstIndex(of: 0xE5)!
            let fifth = bytes.firstIndex(of: 0xF6)!
            #expect(
                offsets == [
                    "field 1 is not valid UTF-8 (byte 0xE5 at byte offset \(third) of the file)",
                    "field 1 is not valid UTF-8 (byte 0xF6 at byte offset \(fifth) of the file)",
                ])
        }
    }

    @Test func windows1252IsStillDetected() throws {
        let text = "Område;Län\nVäxjö;Kronoberg\nGöteborg;Västra Götaland\n"
        let bytes = text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
        let result = try read(bytes)
        #expect(result.encoding == .windows1252)
        #expect(result.header == ["Område", "Län"])
        #expect(result.rejected.isEmpty)
    }

    @Test func rawTextIsMaskedBeforeItIsCut() {
        // A personal identity number across the 1 KB cut is masked whole, never half.
        let text = String(repeating: "a", count: RawText.limit - 5) + "850412-1234" + String(repeating: "b", count: 100)
        let bounded = RawText.bounded(text)
        #expect(!bounded.contains("8504"))
        #expect(bounded.hasPrefix(String(repeating: "a", count: RawText.limit - 5) + "*****"))
        #expect(bounded.hasSuffix("… \(text.utf8.count - RawText.limit) bytes more"))
        // A cut inside a character moves back to its start.
        let letters = String(repeating: "å", count: 600)
        let cut = RawText.bounded(letters)
        #expect(cut.hasPrefix(String(repeating: "å", count: 512) + "…"))
        #expect(cut.hasSuffix("… \(1_200 - 1_024) bytes more"))
        #expect(RawText.bounded("kort 850412-1234") == "kort ******-****")
    }
}
