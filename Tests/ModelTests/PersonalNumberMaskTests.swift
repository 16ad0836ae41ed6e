import LagesbildModel
import Testing

struct PersonalNumberMaskTests {
    @Test(arguments: [
        ("ringde från 850412-1234 igår", "ringde från ******-**** igår"),
        ("850412+1234", "******+****"),
        ("8504121234", "**********"),
        ("19850412-1234 och 198504121234", "********-**** och ************"),
        ("samordningsnummer 850472-1234", "samordningsnummer ******-****"),
    ])
    func masksEveryForm(input: String, expected: String) {
        #expect(PersonalNumberMask.mask(input) == expected)
        #expect(PersonalNumberMask.containsPersonalNumber(input))
        #expect(!PersonalNumberMask.containsPersonalNumber(PersonalNumberMask.mask(input)))
    }

    @Test(arguments: [
        "5000-K102210-22",  // case number
        "2023-04-05",  // a date
        "1380C0120",  // a DeSO code
        "6284052",  // a SWEREF 99 coordinate
        "12345678901",  // 11 digits: not a personal number
        "851312-1234",  // month 13
        "0301;2020-05-22;19:00",
    ])
    func leavesOtherNumbersAlone(input: String) {
        #expect(PersonalNumberMask.mask(input) == input)
    }

    @Test func rejectedRecordsAreMaskedWhenCreated() {
        let record = RejectedRecord(
            location: SourceLocation(file: "f.csv", line: 3), reason: "bad 850412-1234", raw: "a;850412-1234;b")
        #expect(record.raw == "a;******-****;b")
        #expect(record.reason == "bad ******-****")
    }
}
