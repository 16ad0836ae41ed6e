import CSVReader
import Foundation
import LagesbildModel
import Publish
import StageKit
import TestSupport
import Testing

/// The two CSV dialects and JSON carry the same table.
struct ExportTests {
    let rows: [[IndicatorExport.Field]] = [
        [
            .text("vald_per_100k"), .text("Anmälda våldsbrott; \"N07403\""), .text("1380"), .text("Halmstad"),
            .text("municipality"), .text("2023"), .text("year"), .text(""), .text(""), .number(265),
            .number(105_796), .number(250.482_059_813_2), .number(221.1), .number(282.6), .number(-12.5),
            .number(-4.752), .number(261.333_333), .text("per 100 000 inv."), .text("ok"), .null, .text("jump"),
        ],
        [
            .text("vald_per_100k"), .text("Anmälda våldsbrott; \"N07403\""), .text("1380C0090"),
            .text("Andersberg 3\nnorra"), .text("deso"), .text("2023"), .text("year"), .text(""), .text(""), .null,
            .number(1500), .null, .null, .null, .null, .null, .null, .text("per 100 000 inv."), .text("suppressed"),
            .text("fewer than 3 events"), .text(""),
        ],
    ]

    func readBack(_ data: Data, name: String) throws -> (reader: CSVFileReader, rows: [[String]]) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString)-\(name)").path
        try data.write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try CSVFileReader(path: path, dialect: CSVDialect(titleLines: 0))
        var rows: [[String]] = []
        let summary = try reader.forEachRecord({ rows.append($0.strings) }, onReject: { Issue.record("\($0.reason)") })
        #expect(summary.rowsRejected == 0)
        return (reader, rows)
    }

    @Test func bothDialectsReadBackEqual() throws {
        let plain = try readBack(try IndicatorExport.csv(rows, dialect: .plain), name: "plain.csv")
        let excel = try readBack(try IndicatorExport.csv(rows, dialect: .swedishExcel), name: "excel.csv")
        #expect(plain.reader.delimiter == UInt8(ascii: ","))
        #expect(excel.reader.delimiter == UInt8(ascii: ";"))
        #expect(excel.reader.encoding == .utf8)
        #expect(plain.reader.header == IndicatorExport.columns)
        #expect(excel.reader.header == IndicatorExport.columns)
        #expect(plain.rows.count == 2 && excel.rows.count == 2)
        for (plainRow, excelRow) in zip(plain.rows, excel.rows) {
            for (plainField, excelField) in zip(plainRow, excelRow) {
                // Numbers differ only in the decimal separator; read both as numbers and compare.
                if let number = Double(plainField) {
                    #expect(SwedishNumber.parse(excelField) == .value(number), "\(plainField) vs \(excelField)")
                } else {
                    #expect(plainField == excelField)
                }
            }
        }
        #expect(plain.rows[0][11] == "250.48206")
        #expect(excel.rows[0][11] == "250,48206")
        #expect(plain.rows[1][18] == "suppressed" && plain.rows[1][11] == "")
    }

    @Test func excelDialectStartsWithAByteOrderMarkAndUsesCRLF() throws {
        let data = try IndicatorExport.csv(rows, dialect: .swedishExcel)
        #expect(Array(data.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(String(decoding: data, as: UTF8.self).contains("\r\n"))
        #expect(!Array(try IndicatorExport.csv(rows, dialect: .plain).prefix(3)).elementsEqual([0xEF, 0xBB, 0xBF]))
    }

    @Test func numbersAreWrittenWithUpToSixDecimalsAsPrintfWould() {
        func reference(_ number: Double) -> String {
            if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
            var text = String(format: "%.6f", number)
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
            return text == "-0" ? "0" : text
        }
        // Seeded, so that a failure can be replayed: the seed is in the failure's message.
        let seed: UInt64 = 0x1A6E_5B11_D000_2026
        var generator = SeededGenerator(seed: seed)
        for exponent in -8...12 {
            for _ in 0..<2_000 {
                let number = Double.random(in: -1...1, using: &generator) * pow(10, Double(exponent))
                let text = IndicatorExport.format(number, decimalComma: false)
                let expected = reference(number)
                if text != expected {
                    // Only a value within a rounding error of a half millionth may round the other way.
                    let fraction = abs(number * 1_000_000) - abs(number * 1_000_000).rounded(.down)
                    #expect(abs(fraction - 0.5) < 1e-6, "\(number): \(text) vs \(expected) (seed \(seed))")
                }
                #expect(
                    IndicatorExport.format(number, decimalComma: true) == text.replacingOccurrences(of: ".", with: ","))
            }
        }
        #expect(IndicatorExport.format(2446.2172482891598, decimalComma: true) == "2446,217248")
        #expect(IndicatorExport.format(-0.5, decimalComma: false) == "-0.5")
        #expect(IndicatorExport.format(1e20 + 0.5, decimalComma: false) == "100000000000000000000")
        #expect(IndicatorExport.format(0.0000001, decimalComma: false) == "0")
    }

    @Test func jsonKeepsNumbersAndNulls() throws {
        let objects = try JSONSerialization.jsonObject(with: try IndicatorExport.json(rows)) as? [[String: Any]]
        let first = try #require(objects?.first)
        #expect(first["value"] as? Double == 250.482_059_813_2)
        #expect(first["title"] as? String == "Anmälda våldsbrott; \"N07403\"")
        #expect(objects?[1]["value"] is NSNull)
    }

    @Test func atomicWriteReplacesWholeFiles() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try AtomicFile.write(Data("old".utf8), to: path)
        try AtomicFile.write(Data("new".utf8), to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new")
        let leftovers = try FileManager.default.contentsOfDirectory(
            atPath: (path as NSString).deletingLastPathComponent
        )
        .filter { $0.hasPrefix((path as NSString).lastPathComponent + ".tmp") }
        #expect(leftovers.isEmpty)
    }
}
