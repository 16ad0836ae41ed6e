import Testing

@testable import PostgresOutput

@Suite struct NameValidationTests {
    @Test(arguments: ["a", "lagesbild", "kommun_2024", "x1_y2", String(repeating: "a", count: 63)])
    func plainNamesAreAccepted(_ name: String) {
        #expect(SQLName.isValid(name))
    }

    @Test(arguments: [
        "", "1abc", "_abc", "Abc", "abC", "a-b", "a b", "a.b", "a\"b", "a;drop table x", "å", "ä_tabell",
        "a\u{0}", String(repeating: "a", count: 64),
    ])
    func otherNamesAreRefused(_ name: String) {
        #expect(!SQLName.isValid(name))
        #expect(throws: PostgresPublishError.invalidName(name, what: "table")) {
            try SQLName.validate(name, what: "table")
        }
    }

    @Test func errorExplainsTheRule() {
        let error = PostgresPublishError.invalidName("Kommun", what: "column")
        #expect(error.description.contains("invalid column name \"Kommun\""))
        #expect(error.description.contains("lowercase"))
    }

    @Test func publishChecksEveryNameBeforeConnecting() {
        let good = PublishedTable(name: "t", columns: [.init(name: "a", type: .text)], rows: [])
        #expect(throws: PostgresPublishError.invalidName("Bad", what: "schema")) {
            try PostgresPublisher.validate(schema: "Bad", tables: [good])
        }
        #expect(throws: PostgresPublishError.invalidName("a b", what: "column")) {
            try PostgresPublisher.validate(
                schema: "s",
                tables: [PublishedTable(name: "t", columns: [.init(name: "a b", type: .text)], rows: [])]
            )
        }
        #expect(throws: PostgresPublishError.duplicateName("t", what: "table")) {
            try PostgresPublisher.validate(schema: "s", tables: [good, good])
        }
        #expect(throws: PostgresPublishError.duplicateName("t.a", what: "column")) {
            try PostgresPublisher.validate(
                schema: "s",
                tables: [
                    PublishedTable(
                        name: "t",
                        columns: [.init(name: "a", type: .text), .init(name: "a", type: .integer)],
                        rows: []
                    )
                ]
            )
        }
        #expect(throws: PostgresPublishError.reservedName("lagesbild_runs")) {
            try PostgresPublisher.validate(
                schema: "s",
                tables: [PublishedTable(name: "lagesbild_runs", columns: [.init(name: "a", type: .text)], rows: [])]
            )
        }
        #expect(throws: PostgresPublishError.noColumns(table: "t")) {
            try PostgresPublisher.validate(schema: "s", tables: [PublishedTable(name: "t", columns: [], rows: [])])
        }
    }
}
