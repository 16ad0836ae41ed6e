import Foundation
import PipelineModel
import Testing

/// Pipeline files are untrusted input: size, nesting and aliases are bounded before Yams composes them.
struct PipelineFileLimitsTests {
    func parse(_ yaml: String) throws -> Pipeline {
        try PipelineLoader.parse(yaml: yaml, path: "/tmp/pipelines/test.yaml", displayName: "test.yaml")
    }

    /// The error `yaml` fails with, and how long it took.
    func failure(_ yaml: String) throws -> (error: PipelineFileError, seconds: Double) {
        let clock = ContinuousClock()
        let start = clock.now
        do {
            _ = try parse(yaml)
        } catch let error as PipelineFileError {
            let elapsed = clock.now - start
            return (error, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        }
        throw PipelineFileError(file: "test.yaml", keyPath: "", message: "expected an error")
    }

    /// `levels` anchored mappings, each using the one above it as a key and as values: Yams hashes
    /// the keys with every alias expanded. Before the limits, 7 levels took 11 s and 9 did not end.
    static func aliasKeyBomb(levels: Int) -> String {
        var yaml = "version: 1\nname: bomb\nl0: &l0 {a: 1, b: 2}\n"
        for level in 1...levels {
            let above = "*l\(level - 1)"
            yaml += "l\(level): &l\(level) {? \(above) : [\(above), \(above)], x: [\(above), \(above)]}\n"
        }
        return yaml
    }

    @Test func anAliasAsAKeyIsRefusedAtOnce() throws {
        let (error, seconds) = try failure(Self.aliasKeyBomb(levels: 9))
        #expect(seconds < 10)  // about 0.03 s here; before the limits this took minutes
        #expect(error.line == 4)
        #expect(error.column == 12)
        #expect(error.message.contains("an alias (*l0) cannot be a key"))
        #expect(error.description.hasPrefix("test.yaml:4:12: an alias"))
    }

    @Test func aliasesThatExpandBeyondTheLimitAreRefused() throws {
        // Ten aliases per level, nine levels: a billion values once expanded, from 1 KB of text.
        var yaml = "version: 1\nname: bomb\nl0: &l0 [lol]\n"
        for level in 1...9 {
            yaml +=
                "l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ")
                + "]\n"
        }
        let (error, seconds) = try failure(yaml)
        #expect(seconds < 10)  // about 0.03 s here; before the limits this took minutes
        #expect(error.message.contains("more than 100000 values"))
        #expect(error.line == 8)
    }

    @Test func deepNestingIsRefused() throws {
        let (error, _) = try failure(
            "version: 1\nsources: " + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "\n")
        #expect(error.message.contains("nested more than 32 levels"))
        #expect(error.line == 2)
        #expect(error.column == 41)
    }

    @Test func aLargeFileIsRefusedBeforeItIsRead() throws {
        let yaml = "version: 1\n#" + String(repeating: "x", count: 1 << 20) + "\n"
        let (error, _) = try failure(yaml)
        #expect(error.message.contains("may have at most 1048576"))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("limits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("large.yaml").path
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: PipelineFileError.self) { try PipelineLoader.load(path: path) }
    }

    @Test func anchorsAndAliasesAsValuesStillWork() throws {
        let yaml = """
            version: 1
            name: test
            municipality: { code: "1380", name: Halmstad }
            sources:
              - id: police-2022
                supplier: police
                kind: events
                files: data/2022/*.csv
                encoding: &encoding windows-1252
                columns: &columns
                  crime_code: Brottskod
                  date: Datum
              - id: police-2023
                supplier: police
                kind: events
                files: data/2023/*.csv
                encoding: *encoding
                columns: *columns
            """
        let pipeline = try parse(yaml)
        #expect(pipeline.sources.count == 2)
        #expect(pipeline.sources[1].encoding == .windows1252)
        #expect(pipeline.sources[1].columns["date"]?.column == "Datum")
        #expect(pipeline.sources[0].columns == pipeline.sources[1].columns)
    }

    @Test func aMergeKeyIsAnUnknownKey() throws {
        let yaml = """
            version: 1
            name: test
            municipality: &m { code: "1380", name: Halmstad }
            scope: municipality
            sources:
              - <<: *m
            """
        let (error, _) = try failure(yaml)
        #expect(error.message.contains("unknown key '<<'"))
        #expect(error.line == 6)
    }
}
