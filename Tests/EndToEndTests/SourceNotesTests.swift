import Foundation
import GRDB
import Testing

/// `table_ends`, `markers` and `texts` of observation sources, run end to end through the `lagesbild`
/// executable: the workspace's rows, the exports, `status` and the report.
@Suite struct SourceNotesTests {
    static let root = CommandLineTool.repositoryRoot

    /// A comment longer than the 500 characters kept.
    static let longComment = String(repeating: "lång kommentar ", count: 41) + "slut"  // 619 characters

    static let pipeline = """
        version: 1
        name: source-notes
        municipality: { code: "1380", name: Halmstad, county_code: "13" }
        workspace: ws
        data_roots: [., \(root)/Pipelines]
        code_lists:
          areas: \(root)/Pipelines/codelists/areas_halmstad.csv
        sources:
          # A table, a blank line, then the source and a note.
          - id: population
            supplier: scb
            kind: observations
            files: data/befolkning.csv
            delimiter: ";"
            encoding: utf-8
            measure: population
            table_ends: first-blank-line
            columns: { area: Region, period: År, value: Folkmängd }
          # The same file read as before table_ends existed: its footer lines are quarantined.
          - id: population-unbounded
            supplier: scb
            kind: observations
            files: data/befolkning.csv
            delimiter: ";"
            encoding: utf-8
            measure: population_unbounded
            quarantine_limit: 100%
            columns: { area: Region, period: År, value: Folkmängd }
          # The kommun's own markers, a text column and a footer found by its first word.
          - id: preschool
            supplier: municipality
            kind: observations
            files: data/forskola.csv
            delimiter: ";"
            encoding: utf-8
            measure: places
            table_ends: { before_line_matching: "^Källa" }
            markers: { "..": suppressed, ".": missing, "-": zero, "X": suppressed, "": missing, "–": not-applicable }
            texts: { comment: Kommentar }
            columns: { area: Kommun, period: År, value: Platser }
          # An XML source whose comment is a CDATA section.
          - id: inspections
            supplier: county-board
            kind: observations
            format: xml
            files: data/tillsyn.xml
            record_path: Export/Rad
            measure: inspections
            texts: { comment: Kommentar }
            columns: { area: Kommun, period: Ar, value: Antal }
        indicators:
          - id: population
            title: Folkmängd
            kind: value
            numerator: { measure: population }
          - id: preschool_places
            title: Platser i förskolan
            kind: value
            section: schools
            numerator: { measure: places }
            texts: [comment]
          - id: inspections
            title: Tillsynsbesök
            kind: value
            section: county-board
            numerator: { measure: inspections }
            texts: [comment]

        """

    static let population = """
        Region;År;Folkmängd
        1380;2022;104 512
        1380;2023;105 796

        Källa: SCB, befolkningsstatistik
        Anm: 2023 är preliminärt

        """

    static let preschool = """
        Kommun;År;Platser;Kommentar
        1380;2018;40;\(longComment)
        1380;2019;X;Färre än tre barn
        1380;2020;-;
        1380;2021;..;
        1380;2022;.;
        1380;2023;–;Ingen förskola av den typen
        1380;2024;1 234;Ny förskola, kontakt 19850412-1234
        Källa: kommunens egen uppföljning

        """

    static let inspections = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Export>
          <Rad>
            <Kommun>1380</Kommun>
            <Ar>2023</Ar>
            <Antal>7</Antal>
            <Kommentar><![CDATA[Besök hos 19850412-1234 <se akten> & bilaga]]></Kommentar>
          </Rad>
          <Rad><Kommun>1380</Kommun><Ar>2022</Ar><Antal>5</Antal></Rad>
        </Export>

        """

    func runPipeline() throws -> ScratchFolder {
        let scratch = try ScratchFolder()
        try scratch.write("pipeline.yaml", Self.pipeline)
        try scratch.write("data/befolkning.csv", Self.population)
        try scratch.write("data/forskola.csv", Self.preschool)
        try scratch.write("data/tillsyn.xml", Self.inspections)
        let run = try CommandLineTool.run(["run", "-p", "pipeline.yaml"], in: scratch.path)
        #expect(run.status == 0, "\(run.standardError)")
        return scratch
    }

    func rows(_ scratch: ScratchFolder, _ sql: String) throws -> [Row] {
        try DatabaseQueue(path: scratch.file("ws/lagesbild.sqlite")).read { try Row.fetchAll($0, sql: sql) }
    }

    @Test func footerLinesAreSkippedAndCountedNotQuarantined() throws {
        let scratch = try runPipeline()
        let deliveries = try rows(
            scratch,
            "SELECT source_id, rows_read, rows_accepted, rows_quarantined, lines_skipped FROM deliveries "
                + "ORDER BY source_id")
        let counts = Dictionary(
            uniqueKeysWithValues: deliveries.map {
                (
                    $0["source_id"] as String,
                    [$0["rows_read"], $0["rows_accepted"], $0["rows_quarantined"], $0["lines_skipped"]] as [Int]
                )
            })
        #expect(counts["population"] == [2, 2, 0, 2])
        #expect(counts["preschool"] == [7, 7, 0, 1])
        #expect(counts["inspections"] == [2, 2, 0, 0])
        // Without table_ends the two note lines are rows of the wrong width, quarantined.
        #expect(counts["population-unbounded"] == [4, 2, 2, 0])
        let reasons = try rows(
            scratch, "SELECT line, reason FROM quarantine WHERE source_id = 'population-unbounded' ORDER BY line")
        #expect(reasons.map { $0["line"] as Int } == [5, 6])
        #expect(reasons.allSatisfy { ($0["reason"] as String).contains("row has 1 field, the header has 3") })
        #expect(try rows(scratch, "SELECT 1 FROM quarantine WHERE source_id <> 'population-unbounded'").isEmpty)

        let status = try CommandLineTool.run(["status", "-p", "pipeline.yaml"], in: scratch.path)
        let line = try #require(
            status.standardOutput.split(separator: "\n").first {
                $0.contains("befolkning.csv") && $0.contains("population ")
            })
        #expect(line.contains("read 2 = accepted 2 + quarantined 0"))
        #expect(line.contains("2 lines after the table's end skipped"))
        let json = try CommandLineTool.run(["status", "-p", "pipeline.yaml", "--json"], in: scratch.path)
        #expect(json.standardOutput.contains("\"lines_skipped\" : 2"))

        let report = try String(contentsOfFile: scratch.file("ws/out/lagesbild.html"), encoding: .utf8)
        #expect(report.contains("2 rader efter tabellens slut (källhänvisningar, anmärkningar) lästes inte som data."))
        #expect(report.contains("1 rad efter tabellens slut (källhänvisning, anmärkning) lästes inte som data."))
    }

    @Test func markersGiveEachMissingValueItsMeaning() throws {
        let scratch = try runPipeline()
        let stored = try rows(
            scratch, "SELECT period, value, missing FROM observations WHERE source_id = 'preschool' ORDER BY period")
        #expect(stored.map { $0["period"] as String } == ["2018", "2019", "2020", "2021", "2022", "2023", "2024"])
        #expect(stored.map { $0["value"] as Double? } == [40, nil, 0, nil, nil, nil, 1234])
        #expect(
            stored.map { $0["missing"] as String? } == [
                nil, "suppressed", nil, "suppressed", "not-available", "not-applicable", nil,
            ])

        // The exports keep each meaning in the note; zero is a published value.
        let csv = try String(contentsOfFile: scratch.file("ws/out/preschool_places.csv"), encoding: .utf8)
        let lines = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let header = lines[0].map(String.init)
        func field(_ period: String, _ column: String) -> String {
            let index = header.firstIndex(of: column)!
            return lines.first { $0[header.firstIndex(of: "period")!] == period }.map { String($0[index]) } ?? "?"
        }
        #expect(field("2019", "status") == "missing")
        #expect(field("2019", "note") == "the source has no number (suppressed)")
        #expect(field("2020", "status") == "ok")
        #expect(field("2020", "value") == "0")
        #expect(field("2021", "note") == "the source has no number (suppressed)")
        #expect(field("2022", "note") == "the source has no number (not-available)")
        #expect(field("2023", "note") == "the source has no number (not-applicable)")
        #expect(field("2024", "value") == "1234")
        let json = try String(contentsOfFile: scratch.file("ws/out/preschool_places.json"), encoding: .utf8)
        #expect(json.contains("\"note\" : \"the source has no number (not-applicable)\""))
        #expect(json.contains("\"note\" : \"the source has no number (suppressed)\""))

        // The report reads them differently: prickad, saknas, ej tillämpligt.
        let report = try String(contentsOfFile: scratch.file("ws/out/lagesbild.html"), encoding: .utf8)
        let article = try #require(
            report.range(of: "id=\"ind-preschool_places\"").map { String(report[$0.lowerBound...]) })
        let section = article.components(separatedBy: "</article>")[0]
        let table = section.components(separatedBy: "</table>")[0]
        #expect(table.contains(".. prickad"))
        #expect(table.contains("– ej tillämpligt"))
        #expect(table.contains(">saknas<"))
        #expect(section.contains("källan redovisar inget värde (prickat av uppgiftslämnaren)"))
        #expect(section.contains("källan redovisar inget värde (uppgift saknas)"))
        #expect(section.contains("källan redovisar inget värde (ej tillämpligt)"))
    }

    @Test func textsAreMaskedBoundedStoredExportedAndShown() throws {
        let scratch = try runPipeline()
        let texts = try rows(
            scratch,
            "SELECT d.source_id, t.line, t.name, t.text FROM observation_texts t JOIN deliveries d ON d.id = t.delivery_id "
                + "ORDER BY d.source_id, t.line")
        #expect(texts.map { $0["source_id"] as String } == ["inspections"] + Array(repeating: "preschool", count: 4))
        #expect(texts.allSatisfy { ($0["name"] as String) == "comment" })
        let byKey = Dictionary(
            uniqueKeysWithValues: texts.map {
                ("\($0["source_id"] as String):\($0["line"] as Int)", $0["text"] as String)
            })
        // CDATA is read as text, the personal identity number masked.
        #expect(texts.first?["text"] == "Besök hos ********-**** <se akten> & bilaga")
        #expect(
            byKey.keys.filter { $0.hasPrefix("preschool") }.sorted() == [
                "preschool:2", "preschool:3", "preschool:7", "preschool:8",
            ])
        #expect(byKey["preschool:8"] == "Ny förskola, kontakt ********-****")
        #expect(byKey["preschool:2"] == String(Self.longComment.prefix(500)) + "… 119 tecken till")
        #expect(byKey["preschool:3"] == "Färre än tre barn")

        // No personal identity number anywhere in the workspace or the outputs.
        for file in ["ws/out/observation_texts.csv", "ws/out/observation_texts.json", "ws/out/lagesbild.html"] {
            let text = try String(contentsOfFile: scratch.file(file), encoding: .utf8)
            #expect(!text.contains("0412-1234"), "\(file)")
        }
        let export = try String(contentsOfFile: scratch.file("ws/out/observation_texts.csv"), encoding: .utf8)
        let exportLines = export.split(separator: "\n").map(String.init)
        #expect(exportLines.first == "source_id,file,line,area_code,area_level,period,measure,dimensions,name,text")
        #expect(
            exportLines.contains {
                $0.hasPrefix("inspections,tillsyn.xml,") && $0.contains(",1380,municipality,2023,inspections,")
            })
        #expect(exportLines.contains { $0.hasSuffix(",comment,\"Ny förskola, kontakt ********-****\"") })

        let report = try String(contentsOfFile: scratch.file("ws/out/lagesbild.html"), encoding: .utf8)
        #expect(report.contains("<h4>Kommentarer från uppgiftslämnaren</h4>"))
        #expect(report.contains("Besök hos ********-**** &lt;se akten&gt; &amp; bilaga"))
        #expect(report.contains("<strong>Halmstad</strong>, 2019: Färre än tre barn"))
        // Texts are listed only under the indicators that ask for them.
        let population = try #require(
            report.range(of: "id=\"ind-population\"").map { String(report[$0.lowerBound...]) })
        let populationArticle = population.components(separatedBy: "</article>")[0]
        #expect(!populationArticle.contains("Kommentarer"))
    }
}
