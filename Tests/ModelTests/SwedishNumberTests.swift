import LagesbildModel
import Testing

struct SwedishNumberTests {
    @Test(arguments: [
        ("1 234,5", 1234.5),
        ("1\u{00A0}234", 1234),
        ("1\u{202F}234\u{202F}567", 1_234_567),
        ("12,5 %", 12.5),
        ("12,5%", 12.5),
        ("-3,25", -3.25),
        ("\u{2212}4", -4),
        ("0,1", 0.1),
        ("12.34", 12.34),
        (" 42 ", 42),
    ])
    func readsNumbers(text: String, expected: Double) {
        #expect(SwedishNumber.parse(text) == .value(expected))
    }

    @Test(arguments: [
        ("..", MissingReason.suppressed),
        (".", MissingReason.notAvailable),
        ("-", MissingReason.notApplicable),
        ("XX", MissingReason.surveySuppressed),
        ("", MissingReason.empty),
        ("  ", MissingReason.empty),
    ])
    func markersAreMissingNeverZero(text: String, reason: MissingReason) {
        #expect(SwedishNumber.parse(text) == .missing(reason))
        #expect(SwedishNumber.parse(text).value == nil)
    }

    @Test(arguments: ["abc", "1,2,3", "12 34", "1 2345", "--1"])
    func rejectsText(text: String) {
        #expect(SwedishNumber.parse(text) == .invalid(text))
    }
}
