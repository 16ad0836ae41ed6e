import Foundation
import Testing

/// With `--log-format json` every line a batch job sees, on standard output and standard error, is a
/// JSON object: the log, the run's summary and the error that ends a failed run.
struct JSONLogFormatTests {
    /// The lines of `text` that are not JSON objects.
    func nonJSONLines(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] == nil
        }
    }

    /// The JSON objects of `text`'s lines.
    func objects(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
    }

    /// Runs `arguments` with `--log-format json` and checks the status and that every line is JSON.
    @discardableResult
    func run(_ arguments: [String], in scratch: ScratchFolder, expecting status: Int32) throws -> CommandLineTool.Result
    {
        let result = try CommandLineTool.run(arguments + ["--log-format", "json"], in: scratch.path)
        #expect(result.status == status, "\(arguments): \(result.standardError)")
        #expect(nonJSONLines(result.standardOutput).isEmpty, "\(arguments) printed \(result.standardOutput)")
        #expect(nonJSONLines(result.standardError).isEmpty, "\(arguments) logged \(result.standardError)")
        if status != 0 {
            let error = objects(result.standardError).last
            #expect(error?["level"] as? String == "error", "\(arguments)")
            #expect(error?["exit_status"] as? String == "\(status)", "\(arguments)")
        }
        return result
    }

    @Test func aSuccessfulRunWritesJSONOnly() throws {
        let scratch = try ScratchFolder()
        try ExitStatusTests().writePipeline(in: scratch, quarantineLimit: "1")
        let result = try run(["run", "-p", "pipeline.yaml"], in: scratch, expecting: 0)
        let summary = try #require(objects(result.standardOutput).last)
        #expect(summary["message"] as? String == "run finished")
        #expect((summary["stages"] as? [[String: Any]])?.count == 4)
        #expect(objects(result.standardError).contains { $0["message"] as? String == "ingested" })
        let dryRun = try run(["run", "-p", "pipeline.yaml", "--dry-run"], in: scratch, expecting: 0)
        #expect(objects(dryRun.standardOutput).first?["plan"] != nil)
    }

    @Test func failuresEndWithAJSONErrorLine() throws {
        let scratch = try ScratchFolder()
        try ExitStatusTests().writePipeline(in: scratch, quarantineLimit: "0")
        try run(["run", "-p", "pipeline.yaml"], in: scratch, expecting: 65)
        try run(["run", "-p", "pipeline.yaml", "--no-such-option"], in: scratch, expecting: 64)
        try run(["run", "-p", "pipeline.yaml", "--downstream"], in: scratch, expecting: 64)
        try run(["status", "-p", "missing.yaml"], in: scratch, expecting: 78)
        try run(["validate", "-p", "missing.yaml"], in: scratch, expecting: 78)

        let text = try String(contentsOfFile: scratch.file("pipeline.yaml"), encoding: .utf8)
        try scratch.write(
            "pipeline.yaml", text.replacingOccurrences(of: "    encoding: utf-8", with: "    encodng: utf-8"))
        try run(["run", "-p", "pipeline.yaml"], in: scratch, expecting: 78)

        let missing = try ScratchFolder()
        try ExitStatusTests().writePipeline(in: missing, pattern: "nowhere/*.csv")
        try run(["run", "-p", "pipeline.yaml"], in: missing, expecting: 66)
        try run(["run", "-p", "pipeline.yaml", "--stage", "aggregate"], in: missing, expecting: 66)
    }
}
