import Foundation
import GRDB
import Testing

@testable import Publish

/// A publish after a small change links the exports whose rows did not change from the previous generation
/// (the same file, not written again) and gives every file exactly as a run from scratch would.
@Suite struct PublishReuseTests {
    let header = "Ärendenummer;Brottskod;Brottsdatum;Klockslag;Område;DeSO;Fritext\r\n"
    let events2023 = "1;0857;2023-03-01;;Vallås;;\r\n2;0857;2023-04-01;;;;\r\n3;1201;2023-05-01;;;;\r\n"
    /// `crimes` counts every event, `burglary` only 0857: an event of 1201 changes the first alone.
    let indicators = """
          - id: crimes
            title: Anmälda brott
            kind: count
            numerator: { events: all }
          - id: burglary
            title: Bostadsinbrott
            kind: count
            numerator: { events: bostadsinbrott }
        """

    func fixture(events2023: String, outputs: String = "", indicators: String? = nil) throws -> PipelineFixture {
        let fixture = try PipelineFixture()
        try write(fixture, events2023: events2023, outputs: outputs, indicators: indicators)
        return fixture
    }

    func write(_ fixture: PipelineFixture, events2023: String, outputs: String = "", indicators: String? = nil) throws {
        try fixture.writePipeline(sources: policeSource, indicators: indicators ?? self.indicators)
        if !outputs.isEmpty {
            try fixture.write(
                "pipeline.yaml",
                try String(contentsOfFile: fixture.path("pipeline.yaml"), encoding: .utf8) + "\noutputs: \(outputs)\n")
        }
        try fixture.writeWindows1252(
            "police/2022.csv", header + "1;0857;2022-03-01;;Vallås;;\r\n2;1201;2022-04-01;;;;\r\n")
        try fixture.writeWindows1252("police/2023.csv", header + events2023)
    }

    /// The published files by name: their bytes and inode.
    func published(_ fixture: PipelineFixture) throws -> [String: (bytes: Data, inode: UInt64)] {
        let folder = try FileManager.default.destinationOfSymbolicLink(atPath: fixture.path("ws/current"))
        let out = (fixture.path("ws") as NSString).appendingPathComponent(folder + "/out")
        var files: [String: (bytes: Data, inode: UInt64)] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: out) {
            let path = (out as NSString).appendingPathComponent(name)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            var info = stat()
            #expect(stat(path, &info) == 0)
            files[name] = (bytes, UInt64(info.st_ino))
        }
        return files
    }

    /// `publications` by file name: kind, rows and SHA-256 (the path's folder differs between workspaces).
    func publications(_ fixture: PipelineFixture) throws -> [String: String] {
        var rows: [String: String] = [:]
        for row in try fixture.rows("SELECT kind, path, rows, sha256 FROM publications WHERE kind NOT LIKE '%report'") {
            let name = ((row["path"] as String) as NSString).lastPathComponent
            rows[name] = "\(row["kind"] as String) \(row["rows"] as Int) \(row["sha256"] as String)"
        }
        return rows
    }

    /// Every file and publication of `fixture` equals those of a run from scratch over the same inputs.
    func expectSameAsFromScratch(
        _ fixture: PipelineFixture, events2023: String, outputs: String = "", indicators: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let scratch = try self.fixture(events2023: events2023, outputs: outputs, indicators: indicators)
        try await scratch.run()
        let got = try published(fixture)
        let expected = try published(scratch)
        #expect(got.keys.sorted() == expected.keys.sorted(), sourceLocation: sourceLocation)
        // The reports are written anew each time; the lägesbild names the previous run, which a workspace
        // from scratch has not had.
        for (name, file) in expected where !name.hasSuffix(".html") {
            #expect(
                got[name]?.bytes == file.bytes, "\(name) differs from a run from scratch",
                sourceLocation: sourceLocation)
        }
        #expect(try publications(fixture) == publications(scratch), sourceLocation: sourceLocation)
        // Each recorded SHA-256 is that of the file.
        for (name, file) in got where !name.hasSuffix(".html") {
            let sha = PublishStage.sha256(file.bytes)
            #expect(try publications(fixture)[name]?.hasSuffix(sha) == true, "\(name)", sourceLocation: sourceLocation)
        }
    }

    @Test func unchangedExportsAreLinkedAndEveryFileIsAsFromScratch() async throws {
        let fixture = try fixture(events2023: events2023)
        try await fixture.run()
        let first = try published(fixture)
        let writtenAt = try fixture.rows("SELECT path, written_at FROM publications").reduce(into: [String: String]()) {
            $0[(($1["path"] as String) as NSString).lastPathComponent] = $1["written_at"]
        }
        #expect(first.keys.contains("burglary.csv") && first.keys.contains("crimes.json"))

        // One more 1201 event: crimes changes, burglary does not.
        let changed = events2023 + "4;1201;2023-06-01;;;;\r\n"
        try write(fixture, events2023: changed)
        try await fixture.run()
        let second = try published(fixture)
        for name in ["burglary.csv", "burglary.excel-sv.csv", "burglary.json"] {
            #expect(second[name]?.inode == first[name]?.inode, "\(name) was written again")
            let reused = try fixture.rows("SELECT written_at FROM publications WHERE path LIKE '%/\(name)'")
            #expect(reused.first?["written_at"] == writtenAt[name], "\(name) keeps when it was written")
        }
        for name in ["crimes.csv", "crimes.excel-sv.csv", "crimes.json"] {
            #expect(second[name]?.inode != first[name]?.inode, "\(name) changed but was not written")
            #expect(second[name]?.bytes != first[name]?.bytes)
        }
        try await expectSameAsFromScratch(fixture, events2023: changed)

        // CSV off: only JSON; on again: the CSV files are written anew (the previous generation has none).
        try write(fixture, events2023: changed, outputs: "{ csv: false }")
        try await fixture.run()
        #expect(try published(fixture)["burglary.csv"] == nil)
        #expect(try published(fixture)["burglary.json"]?.inode == first["burglary.json"]?.inode)
        try await expectSameAsFromScratch(fixture, events2023: changed, outputs: "{ csv: false }")
        try write(fixture, events2023: changed)
        try await fixture.run()
        #expect(try published(fixture)["burglary.csv"]?.bytes == first["burglary.csv"]?.bytes)
        try await expectSameAsFromScratch(fixture, events2023: changed)

        // A changed title changes the indicator's rows, so its files are written again.
        let renamed = indicators.replacingOccurrences(of: "Bostadsinbrott", with: "Inbrott i bostad")
        let beforeRename = try published(fixture)
        try write(fixture, events2023: changed, indicators: renamed)
        try await fixture.run()
        let afterRename = try published(fixture)
        #expect(afterRename["burglary.json"]?.inode != beforeRename["burglary.json"]?.inode)
        let renamedJSON = String(decoding: afterRename["burglary.json"]?.bytes ?? Data(), as: UTF8.self)
        #expect(renamedJSON.contains("Inbrott i bostad"))
        #expect(afterRename["crimes.json"]?.inode == beforeRename["crimes.json"]?.inode)
        try await expectSameAsFromScratch(fixture, events2023: changed, indicators: renamed)
    }

    /// A run that does not publish (here every stage is skipped) carries the published files and their digests
    /// into its generation, so the publish after it still links what did not change.
    @Test func aRunThatDoesNotPublishCarriesTheDigestsAlong() async throws {
        let fixture = try fixture(events2023: events2023)
        try await fixture.run()
        let first = try published(fixture)
        let skipped = try await fixture.run()
        #expect(skipped.stages.allSatisfy { $0.skippedBecause != nil })
        let changed = events2023 + "4;1201;2023-06-01;;;;\r\n"
        try write(fixture, events2023: changed)
        try await fixture.run()
        let third = try published(fixture)
        for name in ["burglary.csv", "burglary.excel-sv.csv", "burglary.json"] {
            #expect(third[name]?.inode == first[name]?.inode, "\(name) was written again")
        }
        try await expectSameAsFromScratch(fixture, events2023: changed)
    }

    @Test func aChangedOrMissingPreviousFileIsWrittenAgain() async throws {
        let fixture = try fixture(events2023: events2023)
        try await fixture.run()
        // Someone truncates a file of the current generation: its size no longer matches the manifest.
        let folder = try FileManager.default.destinationOfSymbolicLink(atPath: fixture.path("ws/current"))
        let out = (fixture.path("ws") as NSString).appendingPathComponent(folder + "/out")
        #expect(truncate((out as NSString).appendingPathComponent("burglary.csv"), 10) == 0)
        try FileManager.default.removeItem(atPath: (out as NSString).appendingPathComponent("burglary.json"))
        let changed = events2023 + "4;1201;2023-06-01;;;;\r\n"
        try write(fixture, events2023: changed)
        try await fixture.run()
        try await expectSameAsFromScratch(fixture, events2023: changed)
    }
}
