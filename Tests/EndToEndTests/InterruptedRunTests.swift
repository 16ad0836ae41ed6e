import Foundation
import GRDB
import Testing

/// A run killed with SIGKILL in the middle of a stage leaves the last good database and files exactly
/// as they were, and the next run recovers on its own.
struct InterruptedRunTests {
    /// A workspace with one good run of three events.
    func workspaceWithOneGoodRun() throws -> ScratchFolder {
        let scratch = try ScratchFolder()
        try scratch.write("pipeline.yaml", smallPolicePipeline(name: "kill-test"))
        try scratch.write("police/small.csv", "Brottskod;Datum\n0857;2023-01-05\n0857;2023-02-06\n0857;2023-03-07\n")
        let first = try CommandLineTool.run(["run", "-p", "pipeline.yaml", "-q"], in: scratch.path)
        #expect(first.status == 0, "\(first.standardError)")
        return scratch
    }

    /// Adds a large delivery and starts a run on it; returns once the run is under way (its working copy
    /// exists), so that ingest is still reading.
    func startARunOnALargeDelivery(_ scratch: ScratchFolder, standardError: Any = FileHandle.nullDevice) throws
        -> Process
    {
        var big = "Brottskod;Datum\n"
        big.reserveCapacity(3_000_000)
        for index in 0..<150_000 { big += "0857;2024-0\(index % 9 + 1)-1\(index % 9)\n" }
        try scratch.write("police/big.csv", big)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLineTool.executable)
        process.arguments = ["run", "-p", "pipeline.yaml", "-q"]
        process.currentDirectoryURL = URL(fileURLWithPath: scratch.path)
        process.standardError = standardError
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let generations = scratch.file("ws/generations")
        let before = try FileManager.default.contentsOfDirectory(atPath: generations).count
        let deadline = Date(timeIntervalSinceNow: 30)
        while (try? FileManager.default.contentsOfDirectory(atPath: generations).count) == before, process.isRunning,
            Date() < deadline
        {
            usleep(5_000)
        }
        usleep(150_000)
        #expect(process.isRunning, "the run ended before it could be stopped; make the delivery larger")
        return process
    }

    func values(_ scratch: ScratchFolder) throws -> [String] {
        try DatabaseQueue(path: scratch.file("ws/lagesbild.sqlite")).read { db in
            try String.fetchAll(
                db, sql: "SELECT period || '=' || CAST(numerator AS INTEGER) FROM indicator_values ORDER BY 1")
        }
    }

    @Test func killedRunLeavesThePreviousOutputsAndTheNextRunSucceeds() throws {
        let scratch = try workspaceWithOneGoodRun()
        let database = scratch.file("ws/lagesbild.sqlite")
        let csv = scratch.file("ws/out/crimes.csv")
        let csvBefore = try Data(contentsOf: URL(fileURLWithPath: csv))
        let valuesBefore = try values(scratch)
        #expect(valuesBefore == ["2023=3"])

        let process = try startARunOnALargeDelivery(scratch)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        // The last good outputs are exactly as they were.
        #expect(try values(scratch) == valuesBefore)
        #expect(try Data(contentsOf: URL(fileURLWithPath: csv)) == csvBefore)
        #expect(FileManager.default.fileExists(atPath: scratch.file("ws/lagesbild.lock")))

        // The next run takes over the dead process's lock, discards its working copy and succeeds.
        let next = try CommandLineTool.run(["run", "-p", "pipeline.yaml", "-q"], in: scratch.path)
        #expect(next.status == 0, "\(next.standardError)")
        #expect(try values(scratch).count > 1)
        let runs = try DatabaseQueue(path: database).read { db in
            try String.fetchAll(db, sql: "SELECT status FROM runs ORDER BY id")
        }
        #expect(runs == ["succeeded", "interrupted", "succeeded"])
        // The killed run's unfinished generation is gone; the current one and the one before it remain.
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.file("ws/generations")).count == 2)
    }

    @Test func aStoppedRunSaysNothingWasPublishedAndExits143() throws {
        let scratch = try workspaceWithOneGoodRun()
        let standardError = Pipe()
        let process = try startARunOnALargeDelivery(scratch, standardError: standardError)
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        let message = String(decoding: standardError.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 143)
        #expect(message.contains("stopped (SIGTERM): nothing of this run was published"))
        #expect(try values(scratch) == ["2023=3"])
        let next = try CommandLineTool.run(["run", "-p", "pipeline.yaml", "-q"], in: scratch.path)
        #expect(next.status == 0, "\(next.standardError)")
    }
}
