import Foundation
import Testing

@testable import XMLReader

/// Reads all records, or returns the error with the records delivered before it.
private func readAll(_ path: String, _ spec: XMLRecordSpec) throws -> (records: [XMLRecord], error: XMLReadError?) {
    let reader = try XMLRecordReader(path: path, spec: spec)
    var records: [XMLRecord] = []
    do {
        let summary = try reader.forEachRecord { records.append($0) }
        #expect(summary.recordsRead == records.count)
        return (records, nil)
    } catch let error as XMLReadError {
        return (records, error)
    }
}

private let countyExport = """
    <?xml version="1.0" encoding="UTF-8"?>
    <lst:Export xmlns:lst="urn:lansstyrelsen:alkohol:1" xmlns="urn:lansstyrelsen:gemensam:1" skapad="2024-02-01">
      <lst:Kommun kod="1380" namn="Halmstad">
        <lst:Ar varde="2023">
          <lst:Tillsyn typ="serveringstillst&#229;nd" id="T1">
            <lst:Antal>12</lst:Antal>
            <Period><Start>2023-01-01</Start><Slut>2023-03-31</Slut></Period>
            <lst:Anmarkning><![CDATA[Öppet efter 01:00 & <kontroll>]]></lst:Anmarkning>
            <Stalle>Caf&#xE9; V&#228;stra &amp; Co</Stalle>
          </lst:Tillsyn>
          <lst:Tillsyn typ="tobak" id="T2">
            <lst:Antal>3</lst:Antal>
            <Stalle/>
          </lst:Tillsyn>
        </lst:Ar>
      </lst:Kommun>
      <lst:Kommun kod="1381" namn="Laholm">
        <lst:Ar varde="2023">
          <lst:Tillsyn typ="folköl" id="T3"><lst:Antal>1</lst:Antal></lst:Tillsyn>
        </lst:Ar>
      </lst:Kommun>
    </lst:Export>
    """

private let countySpec = XMLRecordSpec(
    recordPath: "lst:Export/lst:Kommun/lst:Ar/lst:Tillsyn",
    namespaces: ["lst": "urn:lansstyrelsen:alkohol:1", "g": "urn:lansstyrelsen:gemensam:1"],
    fields: [
        "kommun": "../../@kod",
        "kommunnamn": "../../@namn",
        "ar": "../@varde",
        "typ": "@typ",
        "antal": "lst:Antal",
        "start": "Period/Start",
        "slut": "g:Period/g:Slut",
        "anmarkning": "Anmarkning",
        "stalle": "Stalle",
    ])

@Suite struct XMLRecordReaderTests {
    @Test func readsNamespacedCountyExport() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("lst.xml", countyExport)
        let (records, error) = try readAll(path, countySpec)
        #expect(error == nil)
        try #require(records.count == 3)

        let first = records[0]
        #expect(first.line == 5)
        #expect(first.elementName == "Tillsyn")
        #expect(first["kommun"] == "1380")
        #expect(first["kommunnamn"] == "Halmstad")
        #expect(first["ar"] == "2023")
        #expect(first["typ"] == "serveringstillstånd")
        #expect(first["antal"] == "12")
        #expect(first["start"] == "2023-01-01")
        #expect(first["slut"] == "2023-03-31")
        #expect(first["anmarkning"] == "Öppet efter 01:00 & <kontroll>")
        #expect(first["stalle"] == "Café Västra & Co")

        let second = records[1]
        #expect(second.line == 11)
        #expect(second["antal"] == "3")
        #expect(second["start"] == nil)
        #expect(second["stalle"] == "")
        #expect(second.values["start"] == nil)
        #expect(second.values.count == 6)

        #expect(records[2]["kommun"] == "1381")
        #expect(records[2]["kommunnamn"] == "Laholm")
        #expect(records[2]["typ"] == "folköl")
        #expect(records[2].line == 19)
    }

    @Test func prefixedStepsMatchTheNamespaceURIAndUnprefixedStepsAnyNamespace() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "ns.xml",
            """
            <r xmlns:a="urn:a" xmlns:b="urn:b">
              <a:post><a:v>1</a:v><b:v>2</b:v></a:post>
              <b:post><a:v>3</a:v></b:post>
              <post><v>4</v></post>
            </r>
            """)
        let onlyA = XMLRecordSpec(recordPath: "r/x:post", namespaces: ["x": "urn:a"], fields: ["v": "x:v"])
        #expect(try readAll(path, onlyA).records.map { $0["v"] } == ["1"])

        let any = XMLRecordSpec(recordPath: "r/post", fields: ["v": "v"])
        #expect(try readAll(path, any).records.map { $0["v"] } == ["1", "3", "4"])

        let inB = XMLRecordSpec(recordPath: "r/post", namespaces: ["y": "urn:b"], fields: ["v": "y:v"])
        #expect(try readAll(path, inB).records.map { $0["v"] } == ["2", nil, nil])
    }

    @Test func wildcardStepsAndDescendantAttributes() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "wild.xml",
            """
            <Export>
              <Halland><Enhet kod="A"><Period start="2023-01"/><Namn>Ett</Namn></Enhet></Halland>
              <Skane><Enhet kod="B"><Namn>Två</Namn></Enhet></Skane>
              <Enhet kod="C"/>
            </Export>
            """)
        let spec = XMLRecordSpec(
            recordPath: "/Export/*/Enhet",
            fields: ["kod": "@kod", "start": "Period/@start", "namn": "Namn"])
        let records = try readAll(path, spec).records
        #expect(records.map { $0["kod"] } == ["A", "B"])
        #expect(records.map { $0["start"] } == ["2023-01", nil])
        #expect(records.map { $0["namn"] } == ["Ett", "Två"])
    }

    @Test func recordTextAndWholeElementText() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "text.xml", "<r><v>a<b>b</b><![CDATA[c]]>&lt;</v><v/><v>x&#10;y</v></r>")
        let records = try readAll(path, XMLRecordSpec(recordPath: "r/v", fields: ["text": ".", "b": "b"])).records
        #expect(records.map { $0["text"] } == ["abc<", "", "x\ny"])
        #expect(records.map { $0["b"] } == ["b", nil, nil])
    }

    @Test func attributeValuesAreDecoded() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "attributes.xml",
            "<r><t a=\"x &amp; y &#38; z &lt;&gt;&quot;&apos; &#233;&#xE5; &#10;end\" b=\"plain\" c=\"\" "
                + "d=\"V\u{E4}xj\u{F6}\tdone\" e=\"&amp;#38;\"/></r>")
        let spec = XMLRecordSpec(
            recordPath: "r/t", fields: ["a": "@a", "b": "@b", "c": "@c", "d": "@d", "e": "@e"])
        let record = try #require(try readAll(path, spec).records.first)
        #expect(record["a"] == "x & y & z <>\"' éå \nend")
        #expect(record["b"] == "plain")
        #expect(record["c"] == "")
        #expect(record["d"] == "Växjö done")
        #expect(record["e"] == "&#38;")
    }

    @Test func keptRecordsKeepTheirValues() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("kept.xml", "<r><t k=\"1\"><v>a</v></t><t k=\"2\"/><t><v>c</v></t></r>")
        let spec = XMLRecordSpec(recordPath: "r/t", fields: ["k": "@k", "v": "v"])
        let reader = try XMLRecordReader(path: path, spec: spec)
        var kept: [XMLRecord] = []
        var seen: [[String: String]] = []
        _ = try reader.forEachRecord { record in
            seen.append(record.values)
            if record["k"] != "2" { kept.append(record) }
        }
        #expect(seen == [["k": "1", "v": "a"], ["k": "2"], ["v": "c"]])
        #expect(kept.map(\.values) == [["k": "1", "v": "a"], ["v": "c"]])
    }

    @Test func rawTextIsCompactAndQuoted() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("raw.xml", #"<r><t kod="1380"><a>12</a><n>Västra "hamnen"</n></t></r>"#)
        let records = try readAll(
            path, XMLRecordSpec(recordPath: "r/t", fields: ["kod": "@kod", "a": "a", "n": "n", "z": "z"])
        )
        .records
        #expect(records.first?.rawText == #"t a=12 kod=1380 n="Västra \"hamnen\"""#)
    }

    @Test func lineNumbersPast65535() throws {
        let directory = try TemporaryDirectory()
        var text = "<r>\n"
        for index in 0..<30_000 {
            // Both layouts: children on their own lines, and a record on one line.
            text += index % 2 == 0 ? "<t>\n<v>\(index)</v>\n</t>\n" : "<t><v>\(index)</v></t>\n\n\n"
        }
        text += "</r>\n"
        let path = try directory.write("long.xml", text)
        let records = try readAll(path, XMLRecordSpec(recordPath: "r/t", fields: ["v": "v"])).records
        #expect(records.count == 30_000)
        let wrong = records.enumerated().filter { $0.element.line != 2 + 3 * $0.offset }
        #expect(wrong.isEmpty, "first wrong: \(wrong.prefix(3).map { ($0.offset, $0.element.line) })")
        #expect(records.last?.line == 2 + 3 * 29_999)
        #expect(records.last?["v"] == "29999")
    }

    @Test func declaredLatin1EncodingIsDecoded() throws {
        let directory = try TemporaryDirectory()
        var bytes = Array(#"<?xml version="1.0" encoding="ISO-8859-1"?><r><t namn="V"#.utf8)
        bytes +=
            [0xE4] + Array(#"xj"#.utf8) + [0xF6] + Array(#""><v>Sm"#.utf8) + [0xE5] + Array("land</v></t></r>".utf8)
        let path = try directory.write("latin1.xml", bytes: bytes)
        let records = try readAll(path, XMLRecordSpec(recordPath: "r/t", fields: ["namn": "@namn", "v": "v"])).records
        #expect(records.first?["namn"] == "Växjö")
        #expect(records.first?["v"] == "Småland")
    }

    @Test func truncatedFileKeepsEarlierRecordsAndReportsTheLastLine() throws {
        let directory = try TemporaryDirectory()
        var text = "<?xml version=\"1.0\"?>\n<r>\n"
        for index in 0..<1_000 { text += "  <t k=\"\(index)\">\n    <a>\(index)</a>\n  </t>\n" }
        let cut = text.utf8.count + 18
        for index in 1_000..<1_010 { text += "  <t k=\"\(index)\">\n    <a>\(index)</a>\n  </t>\n" }
        let truncated = Array(text.utf8.prefix(cut)) + Array("\n   \n".utf8)
        let lines = truncated.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).count
        let path = try directory.write("truncated.xml", bytes: truncated)
        let (records, error) = try readAll(path, XMLRecordSpec(recordPath: "r/t", fields: ["k": "@k", "a": "a"]))
        let fault = try #require(error)
        #expect(fault.recordsBeforeFault == records.count)
        // Every record that ended before the cut is delivered (the SAX parser calls back as it goes).
        #expect(records.count == 1_000)
        #expect(records.enumerated().allSatisfy { $0.element["k"] == String($0.offset) })
        #expect(fault.location.line == lines)
        #expect(fault.location.file == path)
        #expect(fault.message.contains("truncated"), "\(fault.message)")
        #expect(fault.description.contains(path))
    }

    @Test func mismatchedTagReportsLineAndMessage() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "mismatch.xml", "<?xml version=\"1.0\"?>\n<r>\n  <t><a>1</a></t>\n  <t><a>2</b></t>\n</r>\n")
        let (_, error) = try readAll(path, XMLRecordSpec(recordPath: "r/t", fields: ["a": "a"]))
        let fault = try #require(error)
        #expect(fault.location.line == 4)
        #expect(fault.location.column != nil)
        #expect(fault.message.contains("mismatch"))
        #expect(!fault.message.hasSuffix("\n"))
    }

    @Test func undefinedNamespacePrefixFailsTheFile() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("prefix.xml", "<r>\n<t><a>1</a></t>\n<x:t><a>2</a></x:t>\n<t><a>3</a></t>\n</r>")
        let (records, error) = try readAll(path, XMLRecordSpec(recordPath: "r/t", fields: ["a": "a"]))
        let fault = try #require(error)
        #expect(fault.message.contains("prefix"))
        #expect(fault.location.line == 3)
        #expect(records.count == fault.recordsBeforeFault)
        #expect(records.count <= 1)
    }

    @Test func bodyErrorsAreRethrown() throws {
        struct Stop: Error {}
        let directory = try TemporaryDirectory()
        let path = try directory.write("body.xml", "<r><t/><t/><t/></r>")
        let reader = try XMLRecordReader(path: path, spec: XMLRecordSpec(recordPath: "r/t", fields: [:]))
        var seen = 0
        #expect(throws: Stop.self) {
            _ = try reader.forEachRecord { _ in
                seen += 1
                if seen == 2 { throw Stop() }
            }
        }
        #expect(seen == 2)
        // A reader can be used again: each call opens the file anew.
        #expect(try reader.forEachRecord { _ in }.recordsRead == 3)
    }

    @Test func missingFileThrowsOnInit() throws {
        let path = "/nonexistent/lagesbild/\(UUID().uuidString).xml"
        do {
            _ = try XMLRecordReader(path: path, spec: XMLRecordSpec(recordPath: "r/t", fields: [:]))
            Issue.record("expected an error")
        } catch let error as XMLReadError {
            #expect(error.location.file == path)
            #expect(error.message.contains("No such file"))
            #expect(error.recordsBeforeFault == 0)
        }
    }

    @Test(
        arguments: [
            ("r//t", [:], "empty step"),
            ("r/x:t", [:], "unknown namespace prefix 'x'"),
            ("r/t", ["a": "../../@k"], "only 1 ancestor"),
            ("r/t", ["a": "../b"], "only an attribute"),
            ("r/t", ["a": "@*"], "not allowed for an attribute"),
            ("r/t", ["a": "b c"], "not a valid"),
            ("", [:], "empty"),
        ] as [(String, [String: String], String)])
    func invalidSpecsAreRejected(recordPath: String, fields: [String: String], expected: String) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("ok.xml", "<r><t/></r>")
        do {
            _ = try XMLRecordReader(path: path, spec: XMLRecordSpec(recordPath: recordPath, fields: fields))
            Issue.record("spec \(recordPath) \(fields) should be rejected")
        } catch let error as XMLReadError {
            #expect(error.message.contains(expected), "\(error.message)")
            #expect(error.location.line == 0)
        }
    }

    @Test func overlappingFieldStepsAllMatch() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "overlap.xml", #"<r xmlns:g="urn:g"><t><g:x v="1">a</g:x><x v="2">b</x><y><z>c</z></y></t></r>"#)
        let spec = XMLRecordSpec(
            recordPath: "r/t", namespaces: ["g": "urn:g"],
            fields: ["any": "x", "g": "g:x", "star": "*", "v": "*/@v", "z": "*/z", "yz": "y/z"])
        let records = try readAll(path, spec).records
        #expect(records.count == 1)
        #expect(records.first?.values == ["any": "a", "g": "a", "star": "a", "v": "1", "z": "c", "yz": "c"])
    }
}

@Suite struct XMLReadErrorTests {
    @Test func emptyFileSaysSo() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("empty.xml", "")
        let reader = try XMLRecordReader(path: path, spec: XMLRecordSpec(recordPath: "r", fields: [:]))
        #expect(throws: XMLReadError.self) { _ = try reader.forEachRecord { _ in } }
        do {
            _ = try reader.forEachRecord { _ in }
        } catch let error as XMLReadError {
            #expect(error.message == "the file is empty")
        }
    }

    @Test func personalNumbersAreMaskedInErrors() {
        let error = XMLReadError(location: .init(file: "a.xml", line: 3), message: "bad value 19850412-1234")
        #expect(!error.message.contains("0412-1234"))
    }
}
