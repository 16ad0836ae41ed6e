import Foundation
import GRDB
import Testing

/// Readers on extremes (issue 14, item 10), through the built executable on generated files.
@Suite struct ExtremeFileTests {
    static let twentyMB = 20 << 20

    /// A police export whose third data row holds a 20 MB field.
    func writeHugeFieldExport(_ scratch: ScratchFolder, name: String) throws {
        var data = Data("Brottskod;Datum;Kommentar\n0301;2023-01-05;kort\n0857;2023-02-01;".utf8)
        data.append(Data(repeating: UInt8(ascii: "x"), count: Self.twentyMB))
        data.append(Data("\n0301;2023-03-01;sista\n".utf8))
        let path = scratch.file(name)
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: path))
    }

    @Test func aTwentyMegabyteFieldIsCutInInspectQuarantineAndTheDatabase() throws {
        let scratch = try ScratchFolder()
        try writeHugeFieldExport(scratch, name: "police/2023.csv")
        let inspect = try CommandLineTool.run(["inspect", "police/2023.csv"], in: scratch.path)
        #expect(inspect.status == 0, "\(inspect.standardError)")
        #expect(inspect.standardOutput.utf8.count < 8_000)
        #expect(inspect.standardOutput.contains("Rows:       3 read = 2 readable + 1 rejected"))
        #expect(inspect.standardOutput.contains("line 3, column 3: field 3 is longer than the limit"))
        #expect(inspect.standardOutput.contains("0857;2023-02-01;xxxx"))
        #expect(!inspect.standardOutput.contains("never closed"))

        try scratch.write(
            "pipeline.yaml",
            smallPolicePipeline(name: "huge-field").replacingOccurrences(
                of: "    columns:", with: "    quarantine_limit: 50%\n    columns:"))
        let run = try CommandLineTool.run(["run", "-p", "pipeline.yaml"], in: scratch.path)
        #expect(run.status == 0, "\(run.standardError)")
        let raws = try DatabaseQueue(path: scratch.file("ws/lagesbild.sqlite")).read { db in
            try String.fetchAll(db, sql: "SELECT raw FROM quarantine")
        }
        #expect(raws.count == 1)
        #expect(raws.allSatisfy { $0.utf8.count < 1_100 && $0.hasSuffix("bytes more") })
        let listing = try CommandLineTool.run(["quarantine", "-p", "pipeline.yaml"], in: scratch.path)
        #expect(listing.standardOutput.utf8.count < 4_000)
        #expect(
            listing.standardOutput.contains("2023.csv: read 3 = accepted 2 + quarantined 1 (ingest 1, normalize 0)"))
    }

    @Test func utf8WithAFewBrokenBytesIsInspectedAsUTF8WithTheLinesNamed() throws {
        let scratch = try ScratchFolder()
        var bytes = Array("Område;Län;Antal\nSöder;Halland;1\nV".utf8) + [0xE5] + Array("xjö;Kronoberg;2\n".utf8)
        bytes += Array("Örebro;Örebro;3\nG".utf8) + [0xF6] + Array("teborg;V".utf8) + [0xE4]
        bytes += Array("stra;4\nMalmö;Skåne;5\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: scratch.file("areas.csv")))
        let inspect = try CommandLineTool.run(["inspect", "areas.csv"], in: scratch.path)
        #expect(inspect.status == 0, "\(inspect.standardError)")
        #expect(inspect.standardOutput.contains("Encoding:   utf-8 (detected)"))
        #expect(inspect.standardOutput.contains("1. Område"))
        #expect(inspect.standardOutput.contains("Rows that would be quarantined (2)"))
        let first = bytes.firstIndex(of: 0xE5)!
        let second = bytes.firstIndex(of: 0xF6)!
        #expect(
            inspect.standardOutput.contains(
                "line 3, column 1: field 1 is not valid UTF-8 (byte 0xE5 at byte offset \(first)"))
        #expect(
            inspect.standardOutput.contains(
                "line 5, column 1: field 1 is not valid UTF-8 (byte 0xF6 at byte offset \(second)"))
    }

    @Test func inspectExits65WhenAFileCannotBeReadToItsEnd() throws {
        let scratch = try ScratchFolder()
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rader>\n"
        for index in 0..<200 { xml += "  <rad kommun=\"1380\" ar=\"2023\"><antal>\(index)</antal></rad>\n" }
        xml += "</rader>\n"
        // Cut off in the middle of an element, as an interrupted download leaves it.
        try scratch.write("truncated.xml", String(xml.prefix(xml.count / 2)))
        let truncated = try CommandLineTool.run(["inspect", "truncated.xml"], in: scratch.path)
        #expect(truncated.status == 65, "\(truncated.standardOutput)\(truncated.standardError)")
        #expect(truncated.standardOutput.contains("The file cannot be read to its end"))
        #expect(truncated.standardError.contains("the file cannot be read to its end"))
        try scratch.write("whole.xml", xml)
        let whole = try CommandLineTool.run(["inspect", "whole.xml"], in: scratch.path)
        #expect(whole.status == 0, "\(whole.standardError)")

        // A workbook cut off is refused as a whole (65) too; a missing file is 66.
        try Data(Array("PK\u{03}\u{04}".utf8) + [UInt8](repeating: 0, count: 40)).write(
            to: URL(fileURLWithPath: scratch.file("cut.xlsx")))
        #expect(try CommandLineTool.run(["inspect", "cut.xlsx"], in: scratch.path).status == 65)
        #expect(try CommandLineTool.run(["inspect", "missing.csv"], in: scratch.path).status == 66)
    }
}
