import ColumnStore
import Foundation
import LagesbildModel
import PipelineModel
import Testing

@testable import Ingest

/// A CSV events file read in parts on several threads gives exactly what a serial read gives: the same
/// column file (rows, lines, dictionaries), the same rejected records with their lines, the same counts,
/// wherever the parts are cut.
@Suite struct SplitParsingTests {
    let header = "Ärendenummer;Brottskod;Brottsdatum;Klockslag;Område;DeSO;Fritext"

    /// Rows with quoted free text holding line breaks (CRLF, LF, lone CR), delimiters and doubled
    /// quotes, short rows, an empty crime code and blank lines; `lineBreak` ends each row.
    func rows(_ lineBreak: String) -> String {
        var text = "Polisens utdrag 2023" + lineBreak + header + lineBreak
        for number in 1...24 {
            let code = ["0857", "9301", "0875", "1201"][number % 4]
            let place = ["Vallås", "Centrum", "Söndrum", "Andersberg", "Oskarström"][number % 5]
            switch number % 6 {
            case 0:
                text +=
                    "\(number);\(code);2023-03-\(10 + number);22:15;\(place);;\"rad ett\r\nrad två; \"\"citat\"\"\r\nslut\""
            case 1: text += "\(number);\(code);2023-04-01;10:00;\(place);1380C0090;\"kort\nmed LF\""
            case 2: text += "\(number);\(code);2023-04-02;11:00;\(place)"  // too few fields
            case 3: text += "\(number);;2023-04-03;12:00;\(place);;\"\"\"\r\"\"\""  // empty code
            case 4: text += lineBreak + "\(number);\(code);2023-04-04;13:00;\(place);;ringde 850412-1234"
            default: text += "\(number);\(code);2023-04-05;14:00;\(place);;\"a;b\"\"\n\n\nc\""
            }
            text += lineBreak
        }
        return text
    }

    func source(_ encoding: String) -> String {
        """
          - id: police
            supplier: police
            kind: events
            files: police/*.csv
            encoding: \(encoding)
            delimiter: ";"
            quarantine_limit: 100%
            columns:
              crime_code: Brottskod
              date: Brottsdatum
              time: Klockslag
              area: Område
              deso: DeSO
              place: Fritext
        """
    }

    /// The column file (its chunks' bytes and its footer), the rejected records and the counts of one
    /// read of a file.
    struct Read: Equatable {
        var chunks: Data
        var footer: ColumnFileFooter
        var rejected: [RejectedRecord]
        var counts: [Int]
        var encoding: String?
    }

    func read(_ fixture: PipelineFixture, _ name: String, partBytes: Int?) throws -> Read {
        let spec = try #require(try fixture.pipeline().source("police"))
        let output = fixture.path("out-\(UUID().uuidString).raw")
        var parser = EventFileParser(source: spec, path: fixture.path(name), outputPath: output)
        if let partBytes {
            parser.splitting = .init(threshold: 0, partBytes: partBytes, threads: 2, alignToLines: false)
        } else {
            parser.splitting.threads = 1
        }
        let result = try parser.parse()
        #expect(result.problem == nil)
        defer {
            try? FileManager.default.removeItem(atPath: output)
            try? FileManager.default.removeItem(atPath: result.spoolPath)
        }
        return try Read(output: output, spool: result.spoolPath, counts: result)
    }

    /// Splits `bytes` at every offset (and every multiple of it) and compares each read with the
    /// serial one; returns the serial read.
    @discardableResult
    func expectSameAtEveryOffset(_ bytes: [UInt8], encoding: String) throws -> Read {
        let fixture = try PipelineFixture()
        try fixture.writePipeline(sources: source(encoding), codeLists: false)
        try fixture.write("police/2023.csv", bytes: bytes)
        let serial = try read(fixture, "police/2023.csv", partBytes: nil)
        for offset in 1...bytes.count {
            let parts = try read(fixture, "police/2023.csv", partBytes: offset)
            #expect(parts == serial, "split every \(offset) bytes")
            if parts != serial { break }
        }
        return serial
    }

    @Test func multiLineQuotedFieldsWithCRLF() throws {
        let bytes = Array(rows("\r\n").utf8)
        #expect(bytes.count > 1_000)
        let serial = try expectSameAtEveryOffset(bytes, encoding: "utf-8")
        #expect(serial.counts == [24, 16, 8, 16])
    }

    @Test func multiLineQuotedFieldsWithLF() throws {
        try expectSameAtEveryOffset(Array(rows("\n").utf8), encoding: "utf-8")
    }

    @Test func windows1252WithAnUndefinedByte() throws {
        var bytes = rows("\r\n").unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
        // 0x81 is undefined in Windows-1252 (its row is rejected); 0xFF is ÿ.
        let marker = try #require((0..<bytes.count).first { bytes[$0...].starts(with: Array("kort".utf8)) })
        bytes[marker] = 0x81
        bytes[marker + 1] = 0xFF
        let serial = try expectSameAtEveryOffset(bytes, encoding: "windows-1252")
        #expect(serial.counts[2] == 9)
        #expect(serial.rejected.contains { $0.reason.contains("Windows-1252 does not define") })
    }

    @Test func aQuoteNeverClosed() throws {
        let text =
            rows("\r\n") + "99;0857;2023-05-01;10:00;Centrum;;\"öppnas men stängs aldrig\r\n"
            + "100;0857;2023-05-02;10:00;Centrum;;sista\r\n"
        let serial = try expectSameAtEveryOffset(Array(text.utf8), encoding: "utf-8")
        #expect(serial.rejected.contains { $0.reason.contains("never closed") })
        #expect(serial.counts[0] == 26)
    }

    @Test func utf16IsReadSerially() throws {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in rows("\r\n").utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let fixture = try PipelineFixture()
        try fixture.writePipeline(sources: source("utf-16le"), codeLists: false)
        try fixture.write("police/2023.csv", bytes: bytes)
        let serial = try read(fixture, "police/2023.csv", partBytes: nil)
        for offset in [1, 2, 3, 101, 1_000] {
            #expect(try read(fixture, "police/2023.csv", partBytes: offset) == serial)
        }
        #expect(serial.counts == [24, 16, 8, 16])
    }

    @Test func partsStartAfterALineFeedByDefault() throws {
        let fixture = try PipelineFixture()
        try fixture.writePipeline(sources: source("utf-8"), codeLists: false)
        try fixture.write("police/2023.csv", rows("\r\n") + rows("\r\n"))
        let serial = try read(fixture, "police/2023.csv", partBytes: nil)
        let spec = try #require(try fixture.pipeline().source("police"))
        for partBytes in [7, 64, 500] {
            let output = fixture.path("aligned-\(partBytes).raw")
            var parser = EventFileParser(source: spec, path: fixture.path("police/2023.csv"), outputPath: output)
            parser.splitting = .init(threshold: 0, partBytes: partBytes, threads: 2)
            let result = try parser.parse()
            #expect(try Read(output: output, spool: result.spoolPath, counts: result) == serial)
        }
    }
}

extension SplitParsingTests.Read {
    /// Reads what `result` wrote (the footer's dictionaries are compared as values: the encoder may
    /// write a dictionary's keys in any order).
    init(output: String, spool: String, counts result: EventFileParser.Result) throws {
        let file = try ColumnFileReader(path: output)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: output))
        let footerLength = bytes.suffix(16).prefix(8).reversed().reduce(0) { $0 << 8 | Int($1) }
        chunks = bytes.prefix(bytes.count - 16 - footerLength)
        footer = file.footer
        var records: [RejectedRecord] = []
        try RejectionSpool.forEach(path: spool) { records.append($0) }
        rejected = records
        let outcome = result.outcome
        counts = [outcome.rowsRead, outcome.rowsAccepted, outcome.rowsQuarantined, result.rows]
        encoding = outcome.encoding
    }
}
