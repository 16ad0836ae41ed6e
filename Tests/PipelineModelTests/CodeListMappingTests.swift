import Foundation
import PipelineModel
import Testing

/// `code_lists.crime_codes` in its mapping form and an events source's `event_types`.
struct CodeListMappingTests {
    /// A folder with a code list file, so that the loader finds it.
    static let folder: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lagesbild-codelist-mapping").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: path + "/koder.csv", contents: Data("Kod;Namn\n".utf8))
        return path
    }()

    func parse(_ yaml: String) throws -> Pipeline {
        try PipelineLoader.parse(yaml: yaml, path: Self.folder + "/test.yaml", displayName: "test.yaml")
    }

    func pipeline(codeLists: String = "", source: String = "", numerator: String = "{ events: all }") -> String {
        """
        version: 1
        name: test
        municipality: { code: "1380", name: Halmstad }
        \(codeLists)
        sources:
          - id: police
            supplier: police
            kind: events
            files: data/*.csv
            columns: { crime_code: Brottskod, date: Datum }
        \(source)
        indicators:
          - id: n
            title: N
            kind: count
            numerator: \(numerator)
        """
    }

    static let incidents = """
          - id: incidents
            supplier: municipality
            kind: events
            files: data/*.csv
            event_types: { file: koder.csv, code: Kod, name: Namn, category: Kategori }
            columns: { event_type: Typ, date: Datum }
        """

    func expectError(_ yaml: String, containing text: String) {
        #expect {
            try parse(yaml)
        } throws: { error in
            (error as? PipelineFileError)?.message.contains(text) == true && "\(error)".hasPrefix("test.yaml:")
        }
    }

    @Test func thePathFormReadsBrasLayout() throws {
        let pipeline = try parse(pipeline(codeLists: "code_lists: { crime_codes: koder.csv }"))
        let list = try #require(pipeline.codeLists.crimeCodes)
        #expect(list == CodeListFile.bra(path: Self.folder + "/koder.csv"))
        #expect(list.code == "brottskod" && list.retired == "upphord" && list.encoding == .utf8)
    }

    @Test func theMappingFormNamesColumnsEncodingDelimiterAndFlags() throws {
        let pipeline = try parse(
            pipeline(
                codeLists: """
                    code_lists:
                      crime_codes:
                        file: koder.csv
                        encoding: cp1252
                        delimiter: ","
                        code: Kod
                        name: Benämning
                        retired: Upphörd
                        category: Kategori
                        flags:
                          vald: Våldsbrott
                          narkotika: Narkotikaflagga
                    """))
        let list = try #require(pipeline.codeLists.crimeCodes)
        #expect(list.encoding == .windows1252)
        #expect(list.delimiter == UInt8(ascii: ","))
        #expect(list.category == "Kategori" && list.retired == "Upphörd")
        #expect(
            list.flags == [
                FlagColumn(category: "vald", column: "Våldsbrott"),
                FlagColumn(category: "narkotika", column: "Narkotikaflagga"),
            ])
    }

    @Test func mappingErrorsNameTheKey() {
        expectError(
            pipeline(codeLists: "code_lists: { crime_codes: { file: koder.csv, code: Kod } }"),
            containing: "missing required key 'name'")
        expectError(
            pipeline(codeLists: "code_lists: { crime_codes: { file: saknas.csv, code: Kod, name: Namn } }"),
            containing: "does not exist or cannot be read")
        expectError(
            pipeline(
                codeLists: "code_lists: { crime_codes: { file: koder.csv, code: Kod, name: Namn, encoding: ebcdic } }"),
            containing: "unknown encoding 'ebcdic'")
        expectError(
            pipeline(codeLists: "code_lists: { crime_codes: { file: koder.csv, code: Kod, name: Kod } }"),
            containing: "the column 'kod' is named twice")
        expectError(
            pipeline(
                codeLists: "code_lists: { crime_codes: { file: koder.csv, code: Kod, name: Namn, flags: { all: X } } }"),
            containing: "the category name 'all' is reserved")
    }

    @Test func anEventTypesSourceMapsEventTypeAndIsCountedWithSource() throws {
        let pipeline = try parse(
            pipeline(source: Self.incidents, numerator: "{ events: klotter_est, source: incidents }"))
        let source = try #require(pipeline.source("incidents"))
        #expect(source.eventTypes?.category == "Kategori")
        #expect(source.columns["crime_code"]?.column == "Typ")
        #expect(source.columns["event_type"] == nil)
        #expect(pipeline.indicators[0].numerator == .events(category: "klotter_est", source: "incidents"))
        #expect(pipeline.source("police")?.eventTypes == nil)
    }

    @Test func eventTypeErrors() {
        expectError(
            pipeline(source: Self.incidents.replacingOccurrences(of: "event_type: Typ", with: "crime_code: Typ")),
            containing: "unknown key 'crime_code'")
        expectError(
            pipeline(
                source: Self.incidents.replacingOccurrences(of: "name: Namn,", with: "name: Namn, retired: Slut,")),
            containing: "unknown key 'retired'")
        expectError(pipeline(numerator: "{ events: all, source: nowhere }"), containing: "no source with id 'nowhere'")
        expectError(
            pipeline(numerator: "{ measure: x, source: police }"), containing: "'source' names the events source")
        // Without a crime-coded source, an events quantity must name its source.
        let onlyIncidents = pipeline(source: Self.incidents)
            .replacingOccurrences(
                of: "  - id: police\n    supplier: police\n    kind: events\n    files: data/*.csv\n"
                    + "    columns: { crime_code: Brottskod, date: Datum }\n",
                with: "")
        expectError(onlyIncidents, containing: "without 'source:' events are counted from sources coded by crime codes")
    }
}
