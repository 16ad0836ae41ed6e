import Foundation
import PipelineModel
import Testing

/// The repository's root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

struct PipelineLoaderTests {
    /// A minimal valid pipeline; tests replace parts of it.
    static let valid = """
        version: 1
        name: test
        municipality:
          code: "1380"
          name: Halmstad
        sources:
          - id: police
            supplier: police
            kind: events
            files: data/*.csv
            encoding: windows-1252
            columns:
              crime_code: Brottskod
              date: Datum
        indicators:
          - id: crimes
            title: Anmälda brott
            kind: count
            numerator: { events: all }
        """

    func parse(_ yaml: String) throws -> Pipeline {
        try PipelineLoader.parse(yaml: yaml, path: "/tmp/pipelines/test.yaml", displayName: "test.yaml")
    }

    func expectError(_ yaml: String, line: Int?, keyPath: String, containing text: String) {
        do {
            _ = try parse(yaml)
            Issue.record("expected an error at \(keyPath)")
        } catch let error as PipelineFileError {
            #expect(error.line == line, "\(error)")
            #expect(error.keyPath == keyPath, "\(error)")
            #expect(error.message.contains(text), "\(error)")
            #expect(error.description.hasPrefix("test.yaml:"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func loadsTheHalmstadPipeline() throws {
        let pipeline = try PipelineLoader.load(path: repositoryRoot + "/Pipelines/halmstad.yaml")
        #expect(pipeline.municipality.code == "1380")
        #expect(pipeline.municipality.countyCode == "13")
        #expect(pipeline.sources.map(\.id).contains("police-events"))
        let police = try #require(pipeline.source("police-events"))
        #expect(police.encoding == .windows1252)
        #expect(police.delimiter == UInt8(ascii: ";"))
        #expect(police.columns["crime_code"]?.column == "Brottskod")
        #expect(police.files.allSatisfy { $0.hasPrefix(repositoryRoot + "/SampleData/") })
        #expect(pipeline.workspace == repositoryRoot + "/workspace/halmstad")
        #expect(pipeline.indicators.contains { $0.kind == .rate && $0.scale == 100_000 })
    }

    @Test func resolvesRelativePathsAgainstTheFilesFolder() throws {
        let pipeline = try parse(Self.valid)
        #expect(pipeline.sources[0].files == ["/tmp/pipelines/data/*.csv"])
        #expect(pipeline.disclosure.threshold == DisclosureSpec.defaultThreshold)
        #expect(pipeline.sources[0].quarantineLimit == .share(0.01))
    }

    @Test func unknownKeyNamesKeyPathAndLine() {
        let yaml = Self.valid.replacingOccurrences(of: "    encoding: windows-1252", with: "    encodng: windows-1252")
        expectError(yaml, line: 11, keyPath: "sources[0].encodng", containing: "unknown key 'encodng'")
    }

    @Test func missingRequiredKey() {
        let yaml = Self.valid.replacingOccurrences(of: "    supplier: police\n", with: "")
        expectError(yaml, line: 7, keyPath: "sources[0]", containing: "missing required key 'supplier'")
    }

    @Test func supplierNameIsTheReportsNameForTheSupplier() throws {
        let named = Self.valid.replacingOccurrences(
            of: "    supplier: police\n", with: "    supplier: police\n    supplier_name: Polisen, LPO Halmstad\n")
        #expect(try parse(named).sources[0].supplierName == "Polisen, LPO Halmstad")
        #expect(try parse(Self.valid).sources[0].supplierName == nil)
        let empty = Self.valid.replacingOccurrences(
            of: "    supplier: police\n", with: "    supplier: police\n    supplier_name: \"  \"\n")
        expectError(empty, line: 9, keyPath: "sources[0].supplier_name", containing: "must be 1–80 characters")
    }

    @Test func wrongTypeIsReported() {
        let yaml = Self.valid.replacingOccurrences(of: "version: 1", with: "version: one")
        expectError(yaml, line: 1, keyPath: "version", containing: "expected a whole number")
    }

    @Test func unknownEnumerationValueListsTheAllowedOnes() {
        let yaml = Self.valid.replacingOccurrences(of: "kind: events", with: "kind: happenings")
        expectError(yaml, line: 9, keyPath: "sources[0].kind", containing: "use one of: events, observations")
    }

    @Test func unknownEncoding() {
        let yaml = Self.valid.replacingOccurrences(of: "windows-1252", with: "ebcdic")
        expectError(yaml, line: 11, keyPath: "sources[0].encoding", containing: "unknown encoding 'ebcdic'")
    }

    @Test func missingRequiredColumnMapping() {
        let yaml = Self.valid.replacingOccurrences(of: "      date: Datum\n", with: "")
        expectError(yaml, line: 13, keyPath: "sources[0].columns", containing: "missing required column mapping 'date'")
    }

    @Test func municipalityCodeMustHaveFourDigits() {
        let yaml = Self.valid.replacingOccurrences(of: "code: \"1380\"", with: "code: 138")
        expectError(yaml, line: 4, keyPath: "municipality.code", containing: "4 digits")
    }

    @Test func unknownReportSectionAndEventsComparisonAreRefused() {
        let section = Self.valid + "\n    section: skola"
        expectError(section, line: 20, keyPath: "indicators[0].section", containing: "unknown report section 'skola'")
        let comparison = Self.valid + "\n    comparison: { events: all }"
        expectError(comparison, line: 20, keyPath: "indicators[0].comparison", containing: "a comparison is a measure")
    }

    @Test func scopeAndTheMunicipalityColumn() throws {
        let yaml = Self.valid.replacingOccurrences(of: "sources:", with: "scope: county\nsources:")
            .replacingOccurrences(of: "date: Datum", with: "date: Datum\n      municipality: Kommun")
        let pipeline = try parse(yaml)
        #expect(pipeline.scope == .county)
        #expect(pipeline.sources[0].columns["municipality"]?.column == "Kommun")
        #expect(try parse(Self.valid).scope == .municipality)
        expectError(
            Self.valid.replacingOccurrences(of: "sources:", with: "scope: region\nsources:"), line: 6, keyPath: "scope",
            containing: "use one of: municipality, county, country")
    }

    @Test func rateNeedsADenominator() {
        let yaml = Self.valid.replacingOccurrences(of: "kind: count", with: "kind: rate")
        expectError(yaml, line: 16, keyPath: "indicators[0]", containing: "a rate needs a 'denominator'")
    }

    @Test func missingCodeListFile() {
        let yaml = Self.valid + "\ncode_lists:\n  crime_codes: nowhere/brottskoder.csv\n"
        expectError(yaml, line: 21, keyPath: "code_lists.crime_codes", containing: "does not exist")
    }

    @Test func yamlSyntaxErrorHasALine() {
        let yaml = Self.valid.replacingOccurrences(of: "  name: Halmstad", with: "  name: [Halmstad")
        do {
            _ = try parse(yaml)
            Issue.record("expected a syntax error")
        } catch let error as PipelineFileError {
            #expect(error.line != nil)
            #expect(error.message.contains("YAML syntax error"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func duplicateSourceIds() {
        let source = Self.valid.components(separatedBy: "sources:\n")[1].components(separatedBy: "indicators:")[0]
        let yaml = Self.valid.replacingOccurrences(of: "sources:\n", with: "sources:\n" + source)
        expectError(yaml, line: 15, keyPath: "sources[1]", containing: "used twice")
    }

    @Test func quarantineLimitForms() throws {
        let share = try parse(
            Self.valid.replacingOccurrences(of: "    encoding", with: "    quarantine_limit: 2.5%\n    encoding"))
        #expect(share.sources[0].quarantineLimit == .share(0.025))
        let count = try parse(
            Self.valid.replacingOccurrences(of: "    encoding", with: "    quarantine_limit: 10\n    encoding"))
        #expect(count.sources[0].quarantineLimit == .count(10))
        #expect(QuarantineLimit.share(0.01).allows(quarantined: 1, read: 100))
        #expect(!QuarantineLimit.share(0.01).allows(quarantined: 2, read: 100))
        #expect(!QuarantineLimit.count(0).allows(quarantined: 1, read: 1000))
        expectError(
            Self.valid.replacingOccurrences(of: "    encoding", with: "    quarantine_limit: lots\n    encoding"),
            line: 11, keyPath: "sources[0].quarantine_limit", containing: "expected a row count")
    }

    @Test func missingFileIsReported() {
        #expect(throws: PipelineFileError.self) { try PipelineLoader.load(path: "/nonexistent/pipeline.yaml") }
    }

    @Test func measureReportsNeedAnActionPlanAndCSV() throws {
        let reports = """
              - id: reports
                supplier: municipality
                kind: measure-reports
                files: data/rapporter_*.csv
                columns: { measure: Åtgärd, period: Period, status: Status }
            """
        let yaml = Self.valid.replacingOccurrences(of: "indicators:", with: reports + "\nindicators:")
        expectError(
            yaml, line: 15, keyPath: "sources[1]",
            containing: "a measure-reports source reports on the measures of an action plan")
        expectError(
            yaml.replacingOccurrences(of: "kind: measure-reports", with: "kind: measure-reports\n    format: xml"),
            line: 18, keyPath: "sources[1].format", containing: "measure reports are read from CSV files")
        expectError(
            yaml.replacingOccurrences(
                of: "{ measure: Åtgärd, period: Period, status: Status }", with: "{ measure: A, status: S }"),
            line: 19, keyPath: "sources[1].columns", containing: "missing required column mapping 'period'")
    }
}
