import Testing

@testable import PostgresOutput

@Suite struct CopyTextEncoderTests {
    @Test func plainTextIsUnchanged() throws {
        #expect(try CopyTextEncoder.escape("Göteborgs stad, 2024") == "Göteborgs stad, 2024")
        #expect(try CopyTextEncoder.escape("") == "")
    }

    @Test func backslashTabCarriageReturnAndNewlineAreEscaped() throws {
        #expect(try CopyTextEncoder.escape("a\\b") == "a\\\\b")
        #expect(try CopyTextEncoder.escape("a\tb") == "a\\tb")
        #expect(try CopyTextEncoder.escape("a\nb") == "a\\nb")
        #expect(try CopyTextEncoder.escape("a\rb") == "a\\rb")
        #expect(try CopyTextEncoder.escape("\r\n") == "\\r\\n")
        #expect(try CopyTextEncoder.escape("åäö\t\\\n") == "åäö\\t\\\\\\n")
    }

    @Test func textThatLooksLikeMarkersStaysText() throws {
        #expect(try CopyTextEncoder.escape("\\N") == "\\\\N")
        #expect(try CopyTextEncoder.escape("\\.") == "\\\\.")
    }

    @Test func nulCharacterIsRefused() {
        #expect(throws: CopyValueError.nulCharacter) { try CopyTextEncoder.escape("a\u{0}b") }
    }

    @Test func rowsAreTabSeparatedWithNullMarker() throws {
        let table = PublishedTable(
            name: "t",
            columns: [
                .init(name: "a", type: .text), .init(name: "b", type: .integer), .init(name: "c", type: .double),
                .init(name: "d", type: .timestamp), .init(name: "e", type: .double),
            ],
            rows: []
        )
        var buffer = ""
        try CopyTextEncoder.appendRow(
            [.text("x\ty"), .integer(Int64.min), .double(0.1), .text("2024-03-01 12:00:00+01"), .integer(3)],
            of: table,
            rowNumber: 1,
            to: &buffer
        )
        try CopyTextEncoder.appendRow([.null, .null, .null, .null, .null], of: table, rowNumber: 2, to: &buffer)
        #expect(
            buffer
                == "x\\ty\t-9223372036854775808\t0.1\t2024-03-01 12:00:00+01\t3\n\\N\t\\N\t\\N\t\\N\t\\N\n"
        )
    }

    @Test func doublesAreSpelledSoPostgreSQLReadsThemBack() {
        #expect(CopyTextEncoder.spelling(of: 1.0) == "1.0")
        #expect(CopyTextEncoder.spelling(of: 1e300) == "1e+300")
        #expect(CopyTextEncoder.spelling(of: -2.5e-8) == "-2.5e-08")
        #expect(CopyTextEncoder.spelling(of: .infinity) == "Infinity")
        #expect(CopyTextEncoder.spelling(of: -.infinity) == "-Infinity")
        #expect(CopyTextEncoder.spelling(of: .nan) == "NaN")
    }

    @Test func rowWidthAndTypesAreChecked() {
        let table = PublishedTable(
            name: "t",
            columns: [.init(name: "a", type: .integer), .init(name: "b", type: .text)],
            rows: []
        )
        var buffer = ""
        #expect(throws: PostgresPublishError.rowWidth(table: "t", row: 7, expected: 2, actual: 1)) {
            try CopyTextEncoder.appendRow([.integer(1)], of: table, rowNumber: 7, to: &buffer)
        }
        #expect(
            throws: PostgresPublishError.invalidValue(
                table: "t",
                row: 2,
                column: "a",
                reason: "text value in a integer column"
            )
        ) {
            try CopyTextEncoder.appendRow([.text("1"), .text("x")], of: table, rowNumber: 2, to: &buffer)
        }
        #expect(throws: PostgresPublishError.self) {
            try CopyTextEncoder.appendRow([.double(1.5), .text("x")], of: table, rowNumber: 1, to: &buffer)
        }
        #expect(throws: PostgresPublishError.self) {
            try CopyTextEncoder.appendRow([.integer(1), .integer(2)], of: table, rowNumber: 1, to: &buffer)
        }
    }
}
