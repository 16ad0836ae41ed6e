import Foundation
import Testing

/// Every documented exit status, produced from the command line.
struct ExitStatusTests {
    /// A small pipeline over files written into the scratch folder.
    func writePipeline(in scratch: ScratchFolder, quarantineLimit: String = "1%", pattern: String = "police/*.csv")
        throws
    {
        try scratch.write(
            "pipeline.yaml",
            """
            version: 1
            name: exit-test
            municipality: { code: "1380", name: Halmstad }
            workspace: ws
            sources:
              - id: police
                supplier: police
                kind: events
                files: \(pattern)
                encoding: utf-8
                delimiter: ";"
                quarantine_limit: \(quarantineLimit)
                columns: { crime_code: Brottskod, date: Datum }
            indicators:
              - id: crimes
                title: Anmälda brott
                kind: count
                numerator: { events: all }
            """)
        try scratch.write(
            "police/2023.csv",
            "Brottskod;Datum\n0301;2023-01-05\n0857;2023-02-06\n0857;2023-03-07\n0857;\n0860;2023-04-08\n")
    }

    @Test func successIsZero() throws {
        let scratch = try ScratchFolder()
        try writePipeline(in: scratch, quarantineLimit: "1")
        let result = try CommandLineTool.run(["run", "-p", "pipeline.yaml"], in: scratch.path)
        #expect(result.status == 0, "\(result.standardError)")
        let csv = try String(contentsOfFile: scratch.file("ws/out/crimes.csv"), encoding: .utf8)
        #expect(csv.contains("crimes,Anmälda brott,1380,Halmstad,municipality,2023,year,,,4,,4,,,,,,antal,ok,,"))
    }

    @Test func usageErrorIs64() throws {
        let scratch = try ScratchFolder()
        try writePipeline(in: scratch)
        #expect(try CommandLineTool.run(["run", "--no-such-option"], in: scratch.path).status == 64)
        #expect(
            try CommandLineTool.run(["run", "-p", "pipeline.yaml", "--stage", "bake"], in: scratch.path).status == 64)
        let unknownSource = try CommandLineTool.run(
            ["run", "-p", "pipeline.yaml", "--source", "nope"], in: scratch.path)
        #expect(unknownSource.status == 64)
        #expect(unknownSource.standardError.contains("unknown source 'nope'"))
        #expect(try CommandLineTool.run(["run"], in: scratch.path).status == 64)
    }

    @Test func dataErrorIs65WhenTheQuarantineLimitIsExceeded() throws {
        let scratch = try ScratchFolder()
        try writePipeline(in: scratch, quarantineLimit: "0")
        let result = try CommandLineTool.run(["run", "-p", "pipeline.yaml"], in: scratch.path)
        #expect(result.status == 65)
        #expect(result.standardError.contains("1 of 5 rows quarantined"))
        // The quarantined row is there to inspect, and nothing was published.
        #expect(!FileManager.default.fileExists(atPath: scratch.file("ws/out/crimes.csv")))
        let quarantine = try CommandLineTool.run(["quarantine", "-p", "pipeline.yaml"], in: scratch.path)
        #expect(quarantine.standardOutput.contains("police 2023.csv:5:2 [ingest] the required field Datum is empty"))
        #expect(quarantine.standardOutput.contains("from the last run, which failed and published nothing"))
        let runs = try CommandLineTool.run(["runs", "-p", "pipeline.yaml"], in: scratch.path)
        #expect(runs.standardOutput.contains("failed (exit 65"))
    }

    @Test func missingInputIs66() throws {
        let scratch = try ScratchFolder()
        try writePipeline(in: scratch, pattern: "nowhere/*.csv")
        let run = try CommandLineTool.run(["run", "-p", "pipeline.yaml"], in: scratch.path)
        #expect(run.status == 66)
        #expect(run.standardError.contains("source police: no file matches"))
        #expect(try CommandLineTool.run(["validate", "-p", "pipeline.yaml"], in: scratch.path).status == 66)
    }

    @Test func lockedWorkspaceIs75() throws {
        let scratch = try ScratchFolder()
        try writePipeline(in: scratch, quarantineLimit: "1")
        try FileManager.default.createDirectory(atPath: scratch.file("ws"), withIntermediateDirectories: true)
        // This test process holds the kernel's lock on the lock file, as a run does.
        let holder = "pid=\(getpid())\nhost=\(ProcessInfo.processInfo.hostName)\nstarted=2026-01-01T02:00:00Z\n"
        try scratch.write("ws/lagesbild.lock", holder)
        let descriptor = open(scratch.file("ws/lagesbild.lock"), O_RDWR)
        #expect(flock(descriptor, LOCK_EX | LOCK_NB) == 0)
        let result = try CommandLineTool.run(["run", "-p", "pipeline.yaml"], in: scratch.path)
        #expect(result.status == 75)
        #expect(result.standardError.contains("another run holds the workspace (PID \(getpid())"))
        close(descriptor)  // the holder ends: its lock is free, whatever the file says
        #expect(try CommandLineTool.run(["run", "-p", "pipeline.yaml", "-q"], in: scratch.path).status == 0)
        // An empty or garbled lock file locks nothing either.
        try scratch.write("ws/lagesbild.lock", "")
        #expect(try CommandLineTool.run(["run", "-p", "pipeline.yaml", "-q", "--force"], in: scratch.path).status == 0)
        try scratch.write("ws/lagesbild.lock", "pid=1\nhost=elsewhere\n")
        #expect(try CommandLineTool.run(["run", "-p", "pipeline.yaml", "-q", "--force"], in: scratch.path).status == 0)
    }

    @Test func invalidPipelineIs78WithKeyPathAndLine() throws {
        let scratch = try ScratchFolder()
        try writePipeline(in: scratch)
        let text = try String(contentsOfFile: scratch.file("pipeline.yaml"), encoding: .utf8)
        try scratch.write(
            "pipeline.yaml", text.replacingOccurrences(of: "    encoding: utf-8", with: "    encodng: utf-8"))
        let result = try CommandLineTool.run(["validate", "-p", "pipeline.yaml"], in: scratch.path)
        #expect(result.status == 78)
        #expect(result.standardError.contains("pipeline.yaml:10:5: sources[0].encodng: unknown key 'encodng'"))
        #expect(try CommandLineTool.run(["run", "-p", "missing.yaml"], in: scratch.path).status == 78)
    }
}
