import Foundation
import LagesbildModel
import Testing

@testable import CSVReader

@Suite struct CSVInspectorTests {
    static let file = """
        Polisens händelser;;;;;;;;;
        Brottskod;Datum;Klockslag;Antal;Andel;Befolkning;DeSO;Dag;Tidpunkt;Anteckning
        0301;2023-01-05;08:15;12;12,5;1 234;1380C0120;20230105;2023-01-05 08:15;Vallås
        1208;2023-02-11;23:59;..;3,0;105 796;1380C0130;20230211;2023-02-11T23:59:10;
        0859;2023-02-11;7:05;4;0,5;.;1380C0120;20230212;2023-02-12 07:05;Andersberg
        0301;2023-03-01;12:00;-;1;XX;1380C0140;20230301;2023-03-01 12:00;850412-1234
        5010;bad
        """.replacingOccurrences(of: "\n", with: "\r\n")

    @Test func inspectsDialectColumnsAndRejects() throws {
        let inspection = try withTemporaryFile(utf8(Self.file)) { path in
            try CSVInspector.inspect(path: path, sampleCount: 2)
        }
        let wide = try withTemporaryFile(utf8(Self.file)) { try CSVInspector.inspect(path: $0, sampleCount: 10) }
        #expect(wide.columns[9].samples.count == 4)
        #expect(!wide.columns[9].samples.contains { $0.contains("0412-1234") })
        #expect(inspection.encoding == .utf8)
        #expect(inspection.encodingWasDetected)
        #expect(inspection.delimiter == ";")
        #expect(inspection.titleLines == ["Polisens händelser;;;;;;;;;"])
        #expect(inspection.headerLine == 2)
        #expect(inspection.summary.rowsRead == 5)
        #expect(inspection.summary.rowsDelivered == 4)
        let types = Dictionary(uniqueKeysWithValues: inspection.columns.map { ($0.name, $0.inferredType) })
        #expect(
            types == [
                "Brottskod": .code, "Datum": .date, "Klockslag": .time, "Antal": .swedishNumber, "Andel": .decimal,
                "Befolkning": .swedishNumber, "DeSO": .text, "Dag": .date, "Tidpunkt": .dateTime, "Anteckning": .text,
            ])
        let code = try #require(inspection.columns.first)
        #expect(code.samples == ["0301", "1208"])
        #expect(code.filledCount == 4)
        let antal = inspection.columns[3]
        #expect(antal.missingCounts == ["suppressed": 1, "not-applicable": 1])
        #expect(inspection.columns[5].missingCounts == ["not-available": 1, "survey-suppressed": 1])
        #expect(inspection.columns[9].missingCounts == ["empty": 1])
        #expect(inspection.rejected.count == 1)
        #expect(inspection.rejected.first?.location.line == 7)
        #expect(inspection.rejected.first?.reason == "row has 2 fields, the header has 10")
        // The inspection is Codable for `lagesbild inspect --json`, and carries no personal number.
        let json = String(decoding: try JSONEncoder().encode(inspection), as: UTF8.self)
        #expect(!json.contains("0412-1234"))
        #expect(json.contains("\"swedish-number\""))
    }

    @Test(arguments: [
        ("0301", CSVColumnType.code), ("12", .integer), ("-12", .integer), ("3,25", .decimal),
        ("1 234", .swedishNumber),
        ("12,5 %", .swedishNumber), ("2023-01-05", .date), ("05/01/2023", .date), ("5/1/2023", .date),
        ("05.01.2023", .date), ("20230105", .date), ("08:15", .time), ("8:15:30", .time), ("1380C0120", .text),
        ("Halmstad", .text), ("..", .empty),
    ])
    func singleValueTypes(_ value: String, _ type: CSVColumnType) throws {
        let inspection = try withTemporaryFile(utf8("Kolumn;Annan\n\"\(value)\";x\n")) { path in
            try CSVInspector.inspect(path: path)
        }
        #expect(inspection.columns.first?.inferredType == type)
    }

    // MARK: - Bounded whatever the file

    @Test func describesTheFirstColumnsOfAVeryWideHeader() throws {
        let columns = 1_000_000
        let file =
            String(repeating: "h;", count: columns - 1) + "h\n" + String(repeating: "1;", count: columns - 1) + "1\n"
        let inspection = try withTemporaryFile(utf8(file)) { try CSVInspector.inspect(path: $0) }
        #expect(inspection.columnCount == columns)
        #expect(inspection.header.count == CSVInspector.maximumColumns)
        #expect(inspection.columns.count == CSVInspector.maximumColumns)
        #expect(inspection.columns.allSatisfy { $0.inferredType == .integer && $0.filledCount == 1 })
        #expect(inspection.summary.rowsDelivered == 1)
    }

    @Test func keepsTheFirstRejectedRowsAndCountsThemAll() throws {
        let rows = 20_000
        var file = "a;b;c\n"
        for row in 0..<rows { file += row % 2 == 0 ? "\(row);x\n" : "\(row);1;2\n" }
        let inspection = try withTemporaryFile(utf8(file)) { try CSVInspector.inspect(path: $0) }
        #expect(inspection.summary.rowsRejected == rows / 2)
        #expect(inspection.summary.rowsDelivered == rows / 2)
        #expect(inspection.rejected.count == CSVInspector.maximumRejectedExamples)
        #expect(inspection.rejected.first?.location.line == 2)
        #expect(inspection.rejected.last?.location.line == 2 * CSVInspector.maximumRejectedExamples)
    }

    @Test func cutsLongSamplesAndRejectedRowsAfterMaskingThem() throws {
        let long = String(repeating: "å", count: 100_000)
        let file = "a;b\n\(long) 850412-1234;1\n850412-1234 \(long);2;3\n"
        let inspection = try withTemporaryFile(utf8(file)) { try CSVInspector.inspect(path: $0) }
        let sample = try #require(inspection.columns.first?.samples.first)
        #expect(sample.count == CSVInspector.maximumTextLength + 1)
        #expect(sample.hasSuffix("…"))
        let rejected = try #require(inspection.rejected.first)
        #expect(rejected.raw.count == CSVInspector.maximumTextLength + 1)
        #expect(!rejected.raw.contains("0412-1234"))
        #expect(rejected.raw.hasPrefix("******-****"))
        let json = String(decoding: try JSONEncoder().encode(inspection), as: UTF8.self)
        #expect(json.utf8.count < 10_000)
    }
}
