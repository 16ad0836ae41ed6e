import Foundation
import Testing

@testable import XMLReader

/// Hostile documents: external entities, external DTDs, parameter entities and entity bombs.
@Suite struct XMLSecurityTests {
    static let secret = "LAGESBILD-SECRET-7f3a9c"

    /// A temp dir holding a secret file; returns the dir and the secret file's path.
    private func secretFile() throws -> (TemporaryDirectory, String) {
        let directory = try TemporaryDirectory()
        let path = try directory.write("secret.txt", Self.secret + "\n")
        return (directory, path)
    }

    /// Reads everything, collecting every value and the error text.
    private func everythingSeen(_ path: String, fields: [String: String] = ["a": "a", "b": "@b", "all": "."]) throws
        -> (text: String, error: XMLReadError?, records: Int)
    {
        let reader = try XMLRecordReader(path: path, spec: XMLRecordSpec(recordPath: "r/t", fields: fields))
        var seen = ""
        var records = 0
        do {
            _ = try reader.forEachRecord { record in
                records += 1
                seen += record.values.values.joined(separator: "|") + record.rawText
            }
            return (seen, nil, records)
        } catch let error as XMLReadError {
            return (seen + error.description + error.message, error, records)
        }
    }

    @Test func externalEntityToALocalFileIsRefused() throws {
        let (directory, secretPath) = try secretFile()
        for (name, document) in [
            ("element", "<!DOCTYPE r [<!ENTITY xxe SYSTEM \"file://\(secretPath)\">]>\n<r><t><a>&xxe;</a></t></r>"),
            ("plain path", "<!DOCTYPE r [<!ENTITY xxe SYSTEM \"\(secretPath)\">]>\n<r><t><a>&xxe;</a></t></r>"),
            ("attribute", "<!DOCTYPE r [<!ENTITY xxe SYSTEM \"file://\(secretPath)\">]>\n<r><t b=\"&xxe;\"/></r>"),
        ] {
            let path = try directory.write("xxe-\(name).xml", "<?xml version=\"1.0\"?>\n" + document)
            let (seen, error, _) = try everythingSeen(path)
            #expect(!seen.contains(Self.secret), "\(name): the secret leaked")
            let fault = try #require(error, "\(name): expected an error")
            #expect(fault.message.contains("entit"), "\(name): \(fault.message)")
        }
    }

    @Test func externalEntityAfterManyRecordsIsRefusedBeforeAnyRecord() throws {
        let (directory, secretPath) = try secretFile()
        let records = String(repeating: "<t><a>ok</a></t>\n", count: 200)
        let path = try directory.write(
            "xxe-late.xml",
            "<!DOCTYPE r [<!ENTITY xxe SYSTEM \"file://\(secretPath)\">]>\n<r>\n\(records)<t><a>&xxe;</a></t></r>")
        let (seen, error, delivered) = try everythingSeen(path)
        #expect(!seen.contains(Self.secret))
        let fault = try #require(error)
        #expect(fault.message.contains("declares entities"))
        #expect(fault.location.line == 2)
        #expect(delivered == 0)
    }

    @Test func externalDTDIsNotLoaded() throws {
        let (directory, secretPath) = try secretFile()
        let path = try directory.write(
            "dtd.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE r SYSTEM \"file://\(secretPath)\">\n<r><t><a>x</a></t></r>")
        let (seen, error, records) = try everythingSeen(path)
        #expect(!seen.contains(Self.secret))
        // The DTD is only named, not loaded: the document reads normally.
        #expect(error == nil)
        #expect(records == 1)
    }

    @Test func externalParameterEntityIsRefused() throws {
        let (directory, secretPath) = try secretFile()
        let path = try directory.write(
            "pe.xml",
            "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY % ext SYSTEM \"file://\(secretPath)\"> %ext;]>\n"
                + "<r><t><a>x</a></t></r>")
        let (seen, error, records) = try everythingSeen(path)
        #expect(!seen.contains(Self.secret))
        let fault = try #require(error)
        #expect(fault.message.contains("declares entities"))
        #expect(records == 0)
    }

    @Test func undeclaredEntityReferenceIsRefused() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "undeclared.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE r SYSTEM \"r.dtd\">\n<r>\n<t><a>&namn;</a></t></r>")
        let (_, error, records) = try everythingSeen(path)
        let fault = try #require(error)
        #expect(fault.message.contains("namn"))
        #expect(fault.location.line == 4)
        #expect(records == 0)
    }

    /// The classic "billion laughs": 10⁹ copies of "lol", about 3 GB if expanded.
    private func billionLaughs(reference: String, padding: Int) -> String {
        var text = "<?xml version=\"1.0\"?>\n<!DOCTYPE r [\n <!ENTITY lol0 \"lol\">\n"
        for level in 1...9 {
            text += " <!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">\n"
        }
        text += "]>\n<r>\n" + String(repeating: "<t><a>ok</a></t>\n", count: padding) + reference + "\n</r>\n"
        return text
    }

    @Test(arguments: [
        ("<t><a>&lol9;</a></t>", 0),
        ("<t b=\"&lol9;\"/>", 0),
        ("<t><a>&lol9;&lol9;</a></t>", 500),
    ])
    func entityExpansionBombStopsQuicklyWithBoundedMemory(reference: String, padding: Int) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("bomb.xml", billionLaughs(reference: reference, padding: padding))
        let started = ContinuousClock.now
        let (_, error, _) = try everythingSeen(path)
        let elapsed = ContinuousClock.now - started
        let fault = try #require(error)
        #expect(fault.message.localizedCaseInsensitiveContains("entit"), "\(fault.message)")
        #expect(fault.location.file == path)
        #expect(elapsed < .seconds(2))
        // Expanded, the bomb needs gigabytes; the whole test process must stay far below.
        if let peak = peakResidentKilobytes() { #expect(peak < 1_000_000) }
    }

    @Test func hugeTextNodeIsRefusedByLibXMLLimits() throws {
        let directory = try TemporaryDirectory()
        let big = String(repeating: "x", count: 11_000_000)
        let path = try directory.write("huge.xml", "<r><t><a>\(big)</a></t></r>")
        let (_, error, records) = try everythingSeen(path, fields: ["a": "a"])
        #expect(error?.message.contains("10 MB") == true)
        #expect(records == 0)
    }

    // The limits and refusals below were applied by libxml2's tree builder when the reader used the
    // text reader; the SAX2 handler applies them itself.

    @Test func unparsedEntityDeclarationIsRefused() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "ndata.xml",
            "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!NOTATION gif SYSTEM \"gif\">"
                + "<!ENTITY logo SYSTEM \"logo.gif\" NDATA gif>]>\n<r><t><a>x</a></t></r>")
        let (_, error, records) = try everythingSeen(path)
        let fault = try #require(error)
        #expect(fault.message.contains("declares entities"))
        #expect(records == 0)
    }

    @Test func undeclaredEntityReferenceInAnAttributeIsRefused() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "undeclared-attribute.xml",
            "<?xml version=\"1.0\"?>\n<!DOCTYPE r SYSTEM \"r.dtd\">\n<r>\n<t b=\"&namn;\"><a>1</a></t></r>")
        let (_, error, records) = try everythingSeen(path)
        let fault = try #require(error)
        #expect(fault.message.contains("namn"))
        #expect(fault.location.line == 4)
        #expect(records == 0)
    }

    @Test func deepNestingIsRefusedAtLibXMLsDepthLimit() throws {
        let directory = try TemporaryDirectory()
        let deep = String(repeating: "<d>", count: 100_000)
        let path = try directory.write("deep.xml", "<r><t><a>1</a></t>\(deep)")
        let started = ContinuousClock.now
        let (_, error, records) = try everythingSeen(path)
        let fault = try #require(error)
        #expect(fault.message.contains("256"), "\(fault.message)")
        #expect(records == 1)
        #expect(ContinuousClock.now - started < .seconds(2))
    }

    @Test func nestingUpToTheLimitIsRead() throws {
        let directory = try TemporaryDirectory()
        let depth = 250
        let text =
            "<r><t>" + String(repeating: "<d>", count: depth) + "<a>deep</a>" + String(repeating: "</d>", count: depth)
            + "</t></r>"
        let path = try directory.write("nested.xml", text)
        let reader = try XMLRecordReader(path: path, spec: XMLRecordSpec(recordPath: "r/t", fields: ["all": "."]))
        var values: [String?] = []
        _ = try reader.forEachRecord { values.append($0["all"]) }
        #expect(values == ["deep"])
    }

    @Test func hugeTextNodeOutsideAnyFieldIsRefused() throws {
        let directory = try TemporaryDirectory()
        let big = String(repeating: "x", count: 11_000_000)
        let path = try directory.write("huge-other.xml", "<r><t><a>1</a><z>\(big)</z></t></r>")
        let (_, error, records) = try everythingSeen(path, fields: ["a": "a"])
        #expect(error?.message.contains("10 MB") == true)
        #expect(records == 0)
    }

    @Test func attributesDefaultedByTheDTDAreNotValues() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "attlist.xml",
            "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ATTLIST t b CDATA \"from-dtd\">]>\n"
                + "<r><t><a>1</a></t><t b=\"own\"><a>2</a></t></r>")
        let (_, error, _) = try everythingSeen(path)
        #expect(error == nil)
        let reader = try XMLRecordReader(path: path, spec: XMLRecordSpec(recordPath: "r/t", fields: ["b": "@b"]))
        var values: [String?] = []
        _ = try reader.forEachRecord { values.append($0["b"]) }
        #expect(values == [nil, "own"])
    }
}
