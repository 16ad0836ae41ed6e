import Foundation
import LagesbildModel
import TestSupport
import Testing

@testable import CSVReader

/// Property: any table written by `CSVWriter` reads back equal, in every encoding and dialect.
@Suite struct RoundTripTests {
    struct Encoding: CustomStringConvertible, Sendable {
        var encoding: TextEncoding
        var byteOrderMark: Bool
        /// Characters this encoding can hold besides ASCII.
        var extra: [String]
        var description: String { encoding.rawValue + (byteOrderMark ? "+bom" : "") }
    }

    static let swedish = ["å", "ä", "ö", "Å", "Ä", "Ö", "é", "ü"]
    static let encodings: [Encoding] = [
        Encoding(encoding: .utf8, byteOrderMark: false, extra: swedish + ["€", "–", "😀", "\u{00A0}", "\u{202F}"]),
        Encoding(encoding: .utf8, byteOrderMark: true, extra: swedish + ["€", "ł", "😀"]),
        Encoding(encoding: .utf16LittleEndian, byteOrderMark: true, extra: swedish + ["€", "ł", "😀", "\u{202F}"]),
        Encoding(encoding: .windows1252, byteOrderMark: false, extra: swedish + ["€", "–", "”", "\u{00A0}", "ÿ"]),
        Encoding(encoding: .iso88591, byteOrderMark: false, extra: swedish + ["\u{00A0}", "ÿ", "×"]),
    ]
    static let delimiters: [UInt8] = [UInt8(ascii: ";"), UInt8(ascii: ","), UInt8(ascii: "\t")]

    static func randomCell(_ extra: [String], _ random: inout SeededGenerator) -> String {
        if Int.random(in: 0..<5, using: &random) == 0 { return "" }
        let pieces = ["a", "b", "Z", "1", "0", " ", "\"", ";", ",", "\t", "\n", "\r\n", "\r", "..", "-", "1 234,5"]
        var cell = ""
        for _ in 0..<Int.random(in: 1...8, using: &random) {
            cell +=
                Bool.random(using: &random)
                ? pieces.randomElement(using: &random)! : extra.randomElement(using: &random)!
        }
        return cell
    }

    @Test(arguments: encodings)
    func randomTablesReadBackEqual(_ encoding: Encoding) throws {
        var tables = 0
        for delimiter in Self.delimiters {
            for lineEnding in CSVWriter.LineEnding.allCases {
                for index in 0..<12 {
                    let encodingIndex = Self.encodings.firstIndex { $0.description == encoding.description } ?? 0
                    let seed =
                        UInt64(encodingIndex) << 32 | UInt64(delimiter) << 16 | (lineEnding == .crlf ? 1 << 8 : 0)
                        | UInt64(index)
                    var random = SeededGenerator(seed: seed)
                    let columns = Int.random(in: 1...6, using: &random)
                    let header = (0..<columns).map { "Kolumn \($0) \(encoding.extra.randomElement(using: &random)!)" }
                    let rows = (0..<Int.random(in: 0...25, using: &random)).map { _ in
                        (0..<columns).map { _ in Self.randomCell(encoding.extra, &random) }
                    }
                    var writer = CSVWriter(
                        delimiter: delimiter, encoding: encoding.encoding, byteOrderMark: encoding.byteOrderMark,
                        lineEnding: lineEnding)
                    try writer.writeRow(header)
                    for row in rows { try writer.writeRow(row) }
                    let single = encoding.encoding == .windows1252 || encoding.encoding == .iso88591
                    let dialect = CSVDialect(
                        delimiter: delimiter, encoding: single ? encoding.encoding : nil, titleLines: 0)
                    let result = try read(Array(writer.data), dialect: dialect)
                    let context = "seed \(seed), \(encoding), delimiter \(delimiter), \(lineEnding)"
                    #expect(result.encoding == encoding.encoding, "\(context)")
                    #expect(result.header == header, "\(context)")
                    #expect(result.rows == rows, "\(context)")
                    #expect(result.rejected.isEmpty, "\(context)")
                    #expect(result.summary.rowsRead == rows.count, "\(context)")
                    tables += 1
                }
            }
        }
        #expect(tables == 72)
    }

    @Test func writerRefusesCharactersOutsideTheEncoding() {
        var writer = CSVWriter(encoding: .iso88591)
        #expect(throws: CSVWriterError.self) { try writer.writeRow(["€"]) }
        var windows = CSVWriter(encoding: .windows1252)
        #expect(throws: CSVWriterError.self) { try windows.writeRow(["😀"]) }
    }

    @Test func writerQuotesOnlyWhatNeedsIt() throws {
        var writer = CSVWriter(lineEnding: .lf)
        try writer.writeRow(["a", "b;c", "d\"e", "f\ng", ""])
        try writer.writeRow(["", ""])
        #expect(String(decoding: writer.data, as: UTF8.self) == "a;\"b;c\";\"d\"\"e\";\"f\ng\";\n\"\";\n")
    }
}
