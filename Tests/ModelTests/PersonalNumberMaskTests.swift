import LagesbildModel
import Testing

struct PersonalNumberMaskTests {
    @Test(arguments: [
        ("ringde från 850412-1234 igår", "ringde från ******-**** igår"),
        ("850412+1234", "******+****"),
        ("8504121234", "**********"),
        ("19850412-1234 och 198504121234", "********-**** och ************"),
        ("samordningsnummer 850472-1234", "samordningsnummer ******-****"),
        // With a space the check digit must be right (850412-1230 is Luhn-valid).
        ("850412 1230", "****** ****"),
        ("19850412 1230;x", "******** ****;x"),
        ("plats: 20050101 9996", "plats: ******** ****"),
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
        "1380",  // an SCB municipality code
        "0013",  // Kolada's county code
        "2023-01-01 12:34:56",  // a timestamp
        "20230105 1431",  // a date and a clock time: the check digit is wrong
        "556123-4567",  // an organisation number (month 61)
        "850412 12345",  // five digits after the space
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

extension PersonalNumberMaskTests {
    @Test func bytesAreMaskedOnlyWhenTheyHoldANumber() {
        let field = Array("Hemma hos 850412-1230".utf8)
        let masked = field.withUnsafeBufferPointer { bytes in
            PersonalNumberMask.withMasked(bytes) { String(decoding: $0, as: UTF8.self) }
        }
        #expect(masked == "Hemma hos ******-****")
        for text in ["2023-01-05", "Andersberg", "1380C0120", "2023-01-05 12:34", "0301"] {
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { buffer in
                #expect(!PersonalNumberMask.mightContain(buffer), "\(text)")
                PersonalNumberMask.withMasked(buffer) { #expect($0.baseAddress == buffer.baseAddress) }
            }
        }
    }

    @Test func aSpacedNumberNeedsItsCheckDigit() {
        // 850412-123C for every check digit C: only the right one is a number with a space.
        let masked = (0...9).filter { PersonalNumberMask.containsPersonalNumber("850412 123\($0)") }
        #expect(masked == [0])
        #expect((0...9).allSatisfy { PersonalNumberMask.containsPersonalNumber("850412-123\($0)") })
    }
}
