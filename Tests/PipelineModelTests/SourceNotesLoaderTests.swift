import LagesbildModel
import PipelineModel
import Testing

/// `table_ends`, `markers` and `texts` in the pipeline file.
struct SourceNotesLoaderTests {
    static func pipeline(source extra: String, indicator: String = "") -> String {
        """
        version: 1
        name: test
        municipality: { code: "1380", name: Halmstad }
        sources:
          - id: places
            supplier: municipality
            kind: observations
            files: data/*.csv
            measure: places
            columns: { area: Kommun, period: År, value: Platser }
        \(extra)
        indicators:
          - id: places
            title: Platser
            kind: value
            numerator: { measure: places }
        \(indicator)
        """
    }

    func parse(_ yaml: String) throws -> Pipeline {
        try PipelineLoader.parse(yaml: yaml, path: "/tmp/pipelines/test.yaml", displayName: "test.yaml")
    }

    func error(_ yaml: String) -> PipelineFileError? {
        do {
            _ = try parse(yaml)
            return nil
        } catch {
            return error as? PipelineFileError
        }
    }

    @Test func theThreeFormsOfTableEndsAreRead() throws {
        let cases: [(String, TableEnd)] = [
            ("first-blank-line", .firstBlankLine),
            ("{ before_line_matching: \"^(Källa|Anm)\" }", .beforeLineMatching("^(Källa|Anm)")),
            ("{ footer_lines: 3 }", .footerLines(3)),
        ]
        for (text, expected) in cases {
            let pipeline = try parse(Self.pipeline(source: "    table_ends: \(text)"))
            #expect(pipeline.source("places")?.tableEnd == expected)
        }
    }

    @Test func badTableEndsSayWhatIsAllowed() {
        #expect(error(Self.pipeline(source: "    table_ends: last-line"))?.message.contains("first-blank-line") == true)
        #expect(
            error(Self.pipeline(source: "    table_ends: { before_line_matching: \"(\" }"))?.message
                .contains("not a valid regular expression") == true)
        #expect(
            error(Self.pipeline(source: "    table_ends: { footer_lines: 0 }"))?.keyPath
                == "sources[0].table_ends.footer_lines")
    }

    @Test func markersAreReadAndParseCells() throws {
        let pipeline = try parse(
            Self.pipeline(
                source: "    markers: { \"X\": suppressed, \"-\": zero, \"..\": missing, \"–\": not-applicable }"))
        let markers = try #require(pipeline.source("places")?.markers)
        #expect(markers.parse(" x ") == .missing(.suppressed))
        #expect(markers.parse("-") == .value(0))
        #expect(markers.parse("..") == .missing(.notAvailable))
        #expect(markers.parse("–") == .missing(.notApplicable))
        // Unlisted default markers keep their meaning; numbers are numbers.
        #expect(markers.parse("XX") == .missing(.surveySuppressed))
        #expect(markers.parse("1 234") == .value(1234))
        #expect(markers.parse("tio") == .invalid("tio"))
    }

    @Test func badMarkersAreLoadErrors() {
        #expect(error(Self.pipeline(source: "    markers: { \"X\": hidden }"))?.message.contains("suppressed") == true)
        #expect(error(Self.pipeline(source: "    markers: { \"0\": zero }"))?.message.contains("is a number") == true)
        #expect(
            error(Self.pipeline(source: "    markers: { \"x\": zero, \"X\": suppressed }"))?.message
                .contains("listed twice") == true)
    }

    @Test func textsAndTheIndicatorsListingThem() throws {
        let pipeline = try parse(
            Self.pipeline(source: "    texts: { comment: Kommentar }", indicator: "    texts: [comment]"))
        #expect(pipeline.source("places")?.texts == ["comment": "Kommentar"])
        #expect(pipeline.indicators.first?.texts == ["comment"])
        let unknown = error(Self.pipeline(source: "    texts: { comment: Kommentar }", indicator: "    texts: [note]"))
        #expect(unknown?.message.contains("no source keeps a text named 'note'") == true)
        #expect(error(Self.pipeline(source: "    texts: { \"a b\": Kommentar }"))?.message.contains("ASCII") == true)
    }

    @Test func settingsChangeTheFingerprintOnlyWhenGiven() throws {
        let plain = try #require(try parse(Self.pipeline(source: "")).source("places"))
        let marked = try #require(
            try parse(Self.pipeline(source: "    markers: { \"X\": suppressed }")).source("places"))
        #expect(!plain.fingerprintText.contains("markers"))
        #expect(marked.fingerprintText.hasPrefix(plain.fingerprintText))
        #expect(marked.fingerprintText != plain.fingerprintText)
    }
}
