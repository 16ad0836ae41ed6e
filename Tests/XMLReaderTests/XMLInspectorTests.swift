import Foundation
import Testing

@testable import XMLReader

@Suite struct XMLInspectorTests {
    private let export = """
        <?xml version="1.0"?>
        <lst:Export xmlns:lst="urn:lansstyrelsen:alkohol:1" xmlns="urn:gemensam">
          <lst:Kommun kod="1380" namn="Halmstad">
            <lst:Tillsyn typ="tobak"><lst:Antal>3</lst:Antal><Period><Start>2023-01-01</Start></Period></lst:Tillsyn>
            <lst:Tillsyn typ="folköl"><lst:Antal>4</lst:Antal><Period><Start>2023-01-01</Start></Period></lst:Tillsyn>
            <lst:Tillsyn typ="tobak"><lst:Antal>850412-1234</lst:Antal></lst:Tillsyn>
          </lst:Kommun>
          <lst:Kommun kod="1381" namn="Laholm"/>
        </lst:Export>
        """

    @Test func summarisesPathsAttributesSamplesAndNamespaces() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("export.xml", export)
        let inspection = XMLInspector.inspect(path: path, sampleCount: 2)
        #expect(inspection.error == nil)
        #expect(inspection.rootElement == "lst:Export")
        #expect(inspection.namespaces == ["lst": "urn:lansstyrelsen:alkohol:1", "": "urn:gemensam"])
        #expect(
            inspection.elements.map(\.path) == [
                "lst:Export", "lst:Export/lst:Kommun", "lst:Export/lst:Kommun/lst:Tillsyn",
                "lst:Export/lst:Kommun/lst:Tillsyn/lst:Antal", "lst:Export/lst:Kommun/lst:Tillsyn/Period",
                "lst:Export/lst:Kommun/lst:Tillsyn/Period/Start",
            ])
        let byPath = Dictionary(uniqueKeysWithValues: inspection.elements.map { ($0.path, $0) })
        let tillsyn = try #require(byPath["lst:Export/lst:Kommun/lst:Tillsyn"])
        #expect(tillsyn.count == 3)
        #expect(tillsyn.attributes == [XMLAttributeSummary(name: "typ", count: 3, samples: ["tobak", "folköl"])])
        let antal = try #require(byPath["lst:Export/lst:Kommun/lst:Tillsyn/lst:Antal"])
        #expect(antal.textSamples == ["3", "4"])
        #expect(byPath["lst:Export/lst:Kommun/lst:Tillsyn/Period/Start"]?.textSamples == ["2023-01-01"])
        #expect(byPath["lst:Export/lst:Kommun"]?.attributes.map(\.name) == ["kod", "namn"])
        // Tillsyn (3) beats Antal (3, no children nor attributes) and Period (2).
        #expect(inspection.suggestedRecordPath == "lst:Export/lst:Kommun/lst:Tillsyn")
        #expect(inspection.bytesRead == export.utf8.count)

        // The suggestion works as a record spec with the namespaces found.
        var namespaces = inspection.namespaces
        namespaces[""] = nil
        let spec = XMLRecordSpec(
            recordPath: try #require(inspection.suggestedRecordPath), namespaces: namespaces, fields: ["typ": "@typ"])
        #expect(try XMLRecordReader(path: path, spec: spec).forEachRecord { _ in }.recordsRead == 3)
    }

    @Test func samplesMaskPersonalNumbers() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("export.xml", export)
        let inspection = XMLInspector.inspect(path: path, sampleCount: 5)
        let antal = inspection.elements.first { $0.path.hasSuffix("lst:Antal") }
        #expect(antal?.textSamples.count == 3)
        #expect(antal?.textSamples.contains { $0.contains("0412-1234") } == false)
    }

    @Test func malformedDocumentKeepsWhatWasSeenAndTheError() throws {
        let directory = try TemporaryDirectory()
        // Long enough that libxml2, which parses a few hundred bytes ahead, returns nodes before the fault.
        let records = (1...100).map { "<t a=\"\($0)\"/>\n" }.joined()
        let path = try directory.write("bad.xml", "<r>\n" + records + "<t></u>\n</r>")
        let inspection = XMLInspector.inspect(path: path)
        let error = try #require(inspection.error)
        #expect(error.location.line == 102)
        #expect(inspection.rootElement == "r")
        #expect(inspection.suggestedRecordPath == "r/t")
        #expect(try JSONDecoder().decode(XMLInspection.self, from: JSONEncoder().encode(inspection)) == inspection)
    }

    @Test func missingFileIsAnError() {
        let inspection = XMLInspector.inspect(path: "/nonexistent/\(UUID().uuidString).xml")
        #expect(inspection.error?.message.contains("cannot open") == true)
        #expect(inspection.elements.isEmpty)
    }

    @Test func entityDeclarationsAreRefusedHereToo() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "xxe.xml", "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/hostname\">]>\n<r>&x;</r>")
        #expect(XMLInspector.inspect(path: path).error?.message.contains("declares entities") == true)
    }

    // MARK: - Bounded whatever the file

    /// Seconds `body` takes.
    private func seconds(_ body: () throws -> Void) rethrows -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        try body()
        let elapsed = clock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }

    /// Before the cap and the index, 300 000 distinct attribute names on one path did not end in 30 s
    /// (100 000 here: libxml2 spends superlinear time on that many distinct names itself).
    @Test func distinctAttributesAreCappedAndIndexed() throws {
        let count = 100_000
        var text = "<r>\n"
        for index in 0..<count { text += "<e a\(index)=\"\(index)\"/>\n" }
        let directory = try TemporaryDirectory()
        let path = try directory.write("attributes.xml", text + "</r>\n")
        var inspection: XMLInspection?
        let elapsed = seconds { inspection = XMLInspector.inspect(path: path) }
        let result = try #require(inspection)
        #expect(elapsed < 10)
        #expect(result.error == nil)
        let element = try #require(result.elements.first { $0.path == "r/e" })
        #expect(element.count == count)
        #expect(element.attributes.count == XMLInspector.maximumAttributes)
        #expect(element.attributes.last?.name == "a\(XMLInspector.maximumAttributes - 1)")
        #expect(result.attributesTruncated)
    }

    /// Before the cap, 300 000 namespace declarations took 15 s and were all kept (100 000 here, as above).
    @Test func namespacePrefixesAreCapped() throws {
        let count = 100_000
        var text = "<r xmlns=\"urn:default\">\n"
        for index in 0..<count { text += "<e xmlns:p\(index)=\"urn:\(index)\"/>\n" }
        let directory = try TemporaryDirectory()
        let path = try directory.write("namespaces.xml", text + "</r>\n")
        var inspection: XMLInspection?
        let elapsed = seconds { inspection = XMLInspector.inspect(path: path) }
        let result = try #require(inspection)
        #expect(elapsed < 10)
        #expect(result.error == nil)
        #expect(result.namespaces.count == XMLInspector.maximumNamespaces)
        #expect(result.namespaces[""] == "urn:default")
        #expect(result.namespacesTruncated)
    }

    /// Long names, deep: each path would repeat every name above it.
    @Test func longNamesAndDeepPathsAreCut() throws {
        let depth = 200
        let names = (0..<depth).map { "n\($0)" + String(repeating: "x", count: 5_000) }
        let text =
            names.map { "<\($0) \($0)=\"1\" xmlns:\($0)=\"urn:\(String(repeating: "u", count: 20_000))\">" }.joined()
            + names.reversed().map { "</\($0)>" }.joined()
        let directory = try TemporaryDirectory()
        let path = try directory.write("deep.xml", text)
        let inspection = XMLInspector.inspect(path: path)
        #expect(inspection.error == nil)
        #expect(inspection.elements.count == depth)
        #expect(inspection.elements.allSatisfy { $0.path.count <= XMLInspector.maximumPathLength + 2 })
        #expect(inspection.elements.last?.path.hasPrefix("…/n") == true)
        #expect(inspection.rootElement?.count == XMLInspector.maximumSampleLength + 1)
        #expect(inspection.namespaces.values.allSatisfy { $0.count == XMLInspector.maximumPathLength + 1 })
        let json = try JSONEncoder().encode(inspection)
        #expect(json.count < 2_000_000)
    }
}
