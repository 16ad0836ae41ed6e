import LagesbildModel
import Testing

/// The stored vocabulary: words in, words out, and an unknown word is an error.
@Suite struct VocabularyTests {
    @Test func flagsAreStoredInOneOrderWhateverOrderTheyWereSetIn() throws {
        var flags: ValueFlags = []
        flags.insert(.seriesBreak)
        flags.insert(.jump)
        flags.insert(.areaChanged)
        #expect(flags.stored == "area-changed,jump,series-break")
        #expect(try ValueFlags(stored: "jump,partial") == [.jump, .partial])
        #expect(try ValueFlags(stored: "") == [])
        #expect(throws: UnknownStoredValue(type: "value flag", "hot-spot")) { try ValueFlags(stored: "jump,hot-spot") }
    }

    @Test func storedWordsParseOrFail() throws {
        #expect(try AreaLevel(stored: "deso") == .deso)
        #expect(throws: UnknownStoredValue(type: "area level", "comparison")) { try AreaLevel(stored: "comparison") }
        #expect(try ReportSection(stored: "county-board") == .countyBoard)
        #expect(throws: UnknownStoredValue(type: "value status", "okay")) { try ValueStatus(stored: "okay") }
        #expect(throws: UnknownStoredValue(type: "direction", "down")) { try Direction(stored: "down") }
    }

    @Test func areaLevelOfACode() {
        #expect(AreaLevel(code: "00") == .country)
        #expect(AreaLevel(code: "13") == .county)
        #expect(AreaLevel(code: "1380") == .municipality)
        #expect(AreaLevel.deso.depth > AreaLevel.municipality.depth)
    }
}
