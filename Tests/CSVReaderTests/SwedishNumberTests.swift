import LagesbildModel
import Testing

@Suite struct SwedishNumberTests {
    @Test(arguments: [
        ("1 234,5", 1234.5), ("1\u{00A0}234", 1234), ("1\u{202F}234", 1234), ("12,5 %", 12.5), ("12,5%", 12.5),
        ("−4", -4), ("-1 234 567,25", -1_234_567.25), (" 7 ", 7), ("0,05", 0.05),
    ])
    func values(_ text: String, _ expected: Double) {
        #expect(SwedishNumber.parse(text) == .value(expected))
    }

    @Test(arguments: [
        ("..", MissingReason.suppressed), (".", .notAvailable), ("-", .notApplicable), ("XX", .surveySuppressed),
        ("", .empty), ("  ", .empty), ("\u{2013}", .notApplicable),
    ])
    func missingMarkersAreNeverZero(_ text: String, _ reason: MissingReason) {
        #expect(SwedishNumber.parse(text) == .missing(reason))
        #expect(SwedishNumber.parse(text).value == nil)
    }

    @Test func percentAfterNarrowNoBreakSpace() {
        #expect(SwedishNumber.parse("12,5\u{202F}%") == .value(12.5))
    }

    @Test(arguments: ["abc", "1 23", "12 3456", "1,2,3", "1e5", "%"])
    func invalid(_ text: String) {
        #expect(SwedishNumber.parse(text) == .invalid(text))
    }
}
