import Crypto
import Foundation
import GRDB
import Testing

/// What an operator needs to leave the tool alone at 02:00: one run at a time, one atomic publication,
/// no silent loss of a delivery, clear messages under faults. Every test runs the built `lagesbild`.
@Suite(.serialized)
struct UnattendedSafetyTests {
    static let pipeline = smallPolicePipeline(name: "safety-test")

    /// A scratch folder with the pipeline and one police file per year given (`count` events each).
    func scratchWithDeliveries(_ years: [Int], count: Int = 5, pipeline: String = pipeline) throws -> ScratchFolder {
        let scratch = try ScratchFolder()
        try scratch.write("pipeline.yaml", pipeline)
        for year in years { try writeYear(year, count: count, in: scratch) }
        return scratch
    }

    /// `variant` moves the first event's day (10–27), so the file's content changes but not its counts.
    func writeYear(_ year: Int, count: Int, in scratch: ScratchFolder, variant: Int = 0) throws {
        var text = "Brottskod;Datum\n"
        for index in 0..<count {
            let day = index == 0 ? 10 + variant % 18 : 10 + index % 9
            text += "0857;\(year)-0\(index % 9 + 1)-\(day)\n"
        }
        try scratch.write("police/\(year).csv", text)
    }

    func run(_ arguments: [String], in scratch: ScratchFolder) throws -> CommandLineTool.Result {
        try CommandLineTool.run(arguments, in: scratch.path)
    }

    /// `year=count` of the published yearly values, read through the workspace's `lagesbild.sqlite` link.
    func values(_ scratch: ScratchFolder) throws -> [String] {
        try DatabaseQueue(path: scratch.file("ws/lagesbild.sqlite")).read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT period || '=' || CAST(numerator AS INTEGER) FROM indicator_values
                    WHERE period_type = 'year' ORDER BY 1
                    """)
        }
    }

    // MARK: The lock

    /// Two runs started together: exactly one runs, the other exits 75, and the database stays sound.
    @Test func twoRunsStartedTogetherNeverBothRun() throws {
        // Large enough that a run lasts far longer than the two starts are apart (about 0.7 s here).
        let scratch = try scratchWithDeliveries([2022, 2023], count: 100_000)
        #expect(try run(["run", "-p", "pipeline.yaml", "-q"], in: scratch).status == 0)
        let folder = scratch.path
        for round in 0..<50 {
            // A changed delivery each round: ingest and normalize read it again (an unchanged one is kept), so
            // each run lasts long enough to overlap the other.
            try writeYear(2023, count: 100_000, in: scratch, variant: round + 1)
            let statuses = Statuses()
            DispatchQueue.concurrentPerform(iterations: 2) { _ in
                let result = try? CommandLineTool.run(
                    ["run", "-p", "pipeline.yaml", "--workspace", "ws", "--force", "-q"], in: folder)
                statuses.append(result?.status ?? -1)
            }
            #expect(statuses.sorted == [0, 75], "round \(round): \(statuses.sorted)")
            let check = try DatabaseQueue(path: scratch.file("ws/lagesbild.sqlite")).read { db in
                try String.fetchAll(db, sql: "PRAGMA integrity_check")
            }
            #expect(check == ["ok"], "round \(round)")
        }
        #expect(try values(scratch) == ["2022=100000", "2023=100000"])
    }

    final class Statuses: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Int32] = []
        func append(_ value: Int32) { lock.withLock { values.append(value) } }
        var sorted: [Int32] { lock.withLock { values.sorted() } }
    }

    /// A run killed with SIGKILL shows as interrupted in `status` and `runs` at once, not as running.
    @Test func aKilledRunShowsAsInterrupted() throws {
        let scratch = try scratchWithDeliveries([2023])
        #expect(try run(["run", "-p", "pipeline.yaml", "-q"], in: scratch).status == 0)
        try writeYear(2024, count: 300_000, in: scratch)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLineTool.executable)
        process.arguments = ["run", "-p", "pipeline.yaml", "-q"]
        process.currentDirectoryURL = URL(fileURLWithPath: scratch.path)
        process.standardError = FileHandle.nullDevice
        try process.run()
        usleep(300_000)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let runs = try run(["runs", "-p", "pipeline.yaml", "--json"], in: scratch)
        #expect(runs.status == 0)
        #expect(runs.standardOutput.contains("\"status\" : \"interrupted\""), "\(runs.standardOutput)")
        #expect(!runs.standardOutput.contains("\"status\" : \"running\""))
    }

    // MARK: One atomic publication

    /// The state a workspace shows: whether its database and its published files belong together (every
    /// file the database lists is there with the hash it recorded, and nothing else is), and the values.
    func publishedState(_ scratch: ScratchFolder) throws -> (whole: Bool, values: [String]) {
        let listed = try DatabaseQueue(path: scratch.file("ws/lagesbild.sqlite")).read { db in
            try Row.fetchAll(db, sql: "SELECT path, sha256 FROM publications").map {
                (($0["path"] as String as NSString).lastPathComponent, $0["sha256"] as String?)
            }
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: scratch.file("ws/out")).sorted()
        var whole = files == listed.map(\.0).sorted()
        for (name, hash) in listed {
            guard let data = FileManager.default.contents(atPath: scratch.file("ws/out/\(name)")) else {
                whole = false
                continue
            }
            if SHA256.hash(data: data).map({ String(format: "%02x", $0) }).joined() != hash { whole = false }
        }
        return (whole, try values(scratch))
    }

    /// SIGKILL and SIGTERM swept in 1 ms steps over the end of a run, where it switches to its new
    /// generation: every outcome is the old generation whole or the new one whole, and SIGTERM's message
    /// says which.
    @Test func aStopAnywhereNearTheSwitchLeavesOneGenerationWhole() throws {
        let scratch = try scratchWithDeliveries([2023])
        #expect(try run(["run", "-p", "pipeline.yaml", "-q"], in: scratch).status == 0)
        let old = try publishedState(scratch)
        #expect(old.whole && old.values == ["2023=5"])
        try FileManager.default.copyItem(atPath: scratch.file("ws"), toPath: scratch.file("ws.base"))
        try writeYear(2024, count: 20_000, in: scratch)

        func restore() throws {
            try FileManager.default.removeItem(atPath: scratch.file("ws"))
            try FileManager.default.copyItem(atPath: scratch.file("ws.base"), toPath: scratch.file("ws"))
        }
        func start() throws -> (Process, Pipe) {
            let process = Process()
            let standardError = Pipe()
            process.executableURL = URL(fileURLWithPath: CommandLineTool.executable)
            process.arguments = ["run", "-p", "pipeline.yaml", "-q"]
            process.currentDirectoryURL = URL(fileURLWithPath: scratch.path)
            process.standardError = standardError
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            return (process, standardError)
        }
        // When, from its start, a run switches to its new generation here: the `current` link is watched
        // (median of three runs).
        var switches: [Double] = []
        let before = try FileManager.default.destinationOfSymbolicLink(atPath: scratch.file("ws.base/current"))
        for _ in 0..<3 {
            try restore()
            let began = Date()
            let (process, _) = try start()
            var switched: Double?
            while switched == nil {
                let now = try? FileManager.default.destinationOfSymbolicLink(atPath: scratch.file("ws/current"))
                if let now, now != before { switched = Date().timeIntervalSince(began) }
                if !process.isRunning, switched == nil { switched = Date().timeIntervalSince(began) }
                usleep(200)
            }
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            switches.append(switched ?? 0)
        }
        let switchTime = switches.sorted()[1]
        let new = try publishedState(scratch)
        #expect(new.whole && new.values == ["2023=5", "2024=20000"])

        /// Starts a run, stops it with `signal` after `delay` seconds, and checks what it left.
        func stop(with signal: Int32, after delay: Double) throws -> Bool {
            try restore()
            let (process, standardError) = try start()
            usleep(useconds_t(max(0, delay) * 1_000_000))
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
            let message = String(decoding: standardError.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let state = try publishedState(scratch)
            #expect(state.whole, "signal \(signal) after \(delay) s: database and files disagree")
            let isNew = state.values == new.values
            #expect(isNew || state.values == old.values, "signal \(signal) after \(delay) s: \(state.values)")
            if signal == SIGTERM, process.terminationStatus == 143 {
                let saysPublished = message.contains("after its results were published")
                #expect(saysPublished == isNew, "SIGTERM after \(delay) s said: \(message)")
            }
            return isNew
        }

        for signal in [SIGKILL, SIGTERM] {
            var outcomes: [Bool: Int] = [:]
            for step in -40..<20 {
                outcomes[try stop(with: signal, after: switchTime + Double(step) * 0.001), default: 0] += 1
            }
            // A loaded machine shifts the switch: go on outward until the sweep has crossed it.
            var extra = 1
            while outcomes[false] == nil || outcomes[true] == nil, extra <= 30 {
                let delay =
                    outcomes[false] == nil
                    ? switchTime - 0.040 - Double(extra) * 0.010 : switchTime + Double(extra) * 0.010
                outcomes[try stop(with: signal, after: delay), default: 0] += 1
                extra += 1
            }
            // The sweep crossed the switch: some stops came before it, some after.
            #expect(outcomes[false, default: 0] > 0 && outcomes[true, default: 0] > 0, "signal \(signal): \(outcomes)")
        }
    }

    // MARK: No silent loss

    @Test func anEmptiedFileFailsTheDeliveryGateAndKeepsItsData() throws {
        let scratch = try scratchWithDeliveries([2022, 2023])
        #expect(try run(["run", "-p", "pipeline.yaml", "-q"], in: scratch).status == 0)
        try scratch.write("police/2022.csv", "")
        let result = try run(["run", "-p", "pipeline.yaml", "-q"], in: scratch)
        #expect(result.status == 65)
        #expect(result.standardError.contains("gate deliveries failed"), "\(result.standardError)")
        #expect(result.standardError.contains("2022.csv is empty (0 bytes); the 5 rows delivered before are kept"))
        #expect(try values(scratch) == ["2022=5", "2023=5"])  // nothing was published
        let runs = try run(["runs", "-p", "pipeline.yaml"], in: scratch)
        #expect(runs.standardOutput.contains("2022.csv is empty"))
    }

    @Test func aVanishedFileFailsTheGateUnlessWithdrawn() throws {
        let scratch = try scratchWithDeliveries([2022, 2023])
        #expect(try run(["run", "-p", "pipeline.yaml", "-q"], in: scratch).status == 0)
        try FileManager.default.removeItem(atPath: scratch.file("police/2022.csv"))
        let result = try run(["run", "-p", "pipeline.yaml", "-q"], in: scratch)
        #expect(result.status == 65)
        #expect(result.standardError.contains("2022.csv, delivered before with 5 rows, is missing"))
        #expect(try values(scratch) == ["2022=5", "2023=5"])

        // As a warning only, the run publishes and keeps the last good data of the missing file.
        try scratch.write("pipeline.yaml", Self.pipeline + "\ngates: { deliveries: warn }\n")
        #expect(try run(["run", "-p", "pipeline.yaml", "-q"], in: scratch).status == 0)
        #expect(try values(scratch) == ["2022=5", "2023=5"])
        let status = try run(["status", "-p", "pipeline.yaml"], in: scratch)
        #expect(status.standardOutput.contains("file missing now, its data kept"), "\(status.standardOutput)")

        // Declared withdrawn, its data is retired and the gate is quiet.
        try scratch.write(
            "pipeline.yaml",
            Self.pipeline.replacingOccurrences(
                of: "    files: police/*.csv",
                with: "    files: police/*.csv\n    delivery: { withdrawn: [police/2022.csv] }"
            ))
        let withdrawn = try run(["run", "-p", "pipeline.yaml", "-q"], in: scratch)
        #expect(withdrawn.status == 0, "\(withdrawn.standardError)")
        #expect(try values(scratch) == ["2023=5"])
    }

    @Test func theDeliveryContractNamesAMissingYearAndTooFewRows() throws {
        let contract = Self.pipeline.replacingOccurrences(
            of: "    files: police/*.csv",
            with:
                "    files: police/*.csv\n    delivery: { expect: \"police/{year}.csv\", years: 2021-2023, min_rows: 5 }"
        )
        let scratch = try scratchWithDeliveries([2021, 2023], pipeline: contract)
        try writeYear(2022, count: 2, in: scratch)
        try FileManager.default.removeItem(atPath: scratch.file("police/2021.csv"))
        let result = try run(["run", "-p", "pipeline.yaml", "-q"], in: scratch)
        #expect(result.status == 65)
        #expect(result.standardError.contains("the file for 2021 (2021.csv) has not been delivered"))
        #expect(result.standardError.contains("2022.csv has 2 rows, fewer than the 5"))
        let status = try run(["status", "-p", "pipeline.yaml", "--json"], in: scratch)
        #expect(status.status == 0, "\(status.standardError)")
        #expect(status.standardOutput.contains("one file a year 2021–2023"))
        #expect(status.standardOutput.contains("the file for 2021 (2021.csv) has not been delivered"))
    }

    @Test func aNewEmptyFileReadsZeroRows() throws {
        let scratch = try scratchWithDeliveries([2023])
        try scratch.write("police/2024.csv", "")
        let result = try run(["run", "-p", "pipeline.yaml", "-q"], in: scratch)
        #expect(result.status == 65)
        #expect(result.standardError.contains("2024.csv is empty (0 bytes)."))
        #expect(!result.standardError.contains("rows delivered before"))
    }

    // MARK: Untrusted pipeline files and faults

    @Test func aSourceOutsideTheDataRootsIsRefused() throws {
        let scratch = try ScratchFolder()
        try scratch.write(
            "project/pipeline.yaml", Self.pipeline.replacingOccurrences(of: "police/*.csv", with: "/etc/host*"))
        let result = try CommandLineTool.run(["validate", "-p", "pipeline.yaml"], in: scratch.file("project"))
        #expect(result.status == 78)
        #expect(result.standardError.contains("is outside the folders sources may read"))

        // A link among the deliveries that leads out of them is refused at ingest.
        let linked = try scratchWithDeliveries([2023])
        try FileManager.default.createSymbolicLink(
            atPath: linked.file("police/2024.csv"), withDestinationPath: "/etc/hostname")
        let run = try run(["run", "-p", "pipeline.yaml", "-q"], in: linked)
        #expect(run.status == 66)
        #expect(run.standardError.contains("leads outside the folders sources may read"))
    }

    @Test func aDamagedDatabaseIsNamedAndRepairRebuildsIt() throws {
        let scratch = try scratchWithDeliveries([2022, 2023])
        #expect(try run(["run", "-p", "pipeline.yaml", "-q"], in: scratch).status == 0)
        // Overwrite the database's pages after the header with garbage.
        let database = try FileManager.default.destinationOfSymbolicLink(atPath: scratch.file("ws/current"))
        let path = scratch.file("ws/\(database)/lagesbild.sqlite")
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seek(toOffset: 4096)
        try handle.write(contentsOf: Data(repeating: 0x5A, count: 16_384))
        try handle.close()

        for command in [["run", "-p", "pipeline.yaml", "-q", "--force"], ["status", "-p", "pipeline.yaml"]] {
            let result = try run(command, in: scratch)
            #expect(result.status == 70, "\(command): \(result.standardError)")
            #expect(result.standardError.contains("is damaged"), "\(command): \(result.standardError)")
            #expect(result.standardError.contains("lagesbild repair"))
        }
        let repair = try run(["repair", "-p", "pipeline.yaml", "-q"], in: scratch)
        #expect(repair.status == 0, "\(repair.standardOutput) \(repair.standardError)")
        #expect(repair.standardOutput.contains("set aside"))
        #expect(try values(scratch) == ["2022=5", "2023=5"])
    }

    /// A database that no other program wrote since the last run closed it is not checked before the next run
    /// (its identity says so), but every new database is checked before it is made current: damage that left
    /// the file's identity as it was (a failing disk) is caught there and never published.
    @Test func aDatabaseIsCheckedBeforeItIsMadeCurrentEvenWhenItsIdentityHeld() throws {
        let scratch = try scratchWithDeliveries([2022, 2023])
        #expect(try run(["run", "-p", "pipeline.yaml", "-q"], in: scratch).status == 0)
        let generation = try FileManager.default.destinationOfSymbolicLink(atPath: scratch.file("ws/current"))
        let path = scratch.file("ws/\(generation)/lagesbild.sqlite")
        let marker = path + ".closed"
        #expect(FileManager.default.fileExists(atPath: marker))
        // Untouched since the run closed it: the next run does not check it first (the debug log says so).
        try writeYear(2024, count: 3, in: scratch)
        let untouched = try run(["run", "-p", "pipeline.yaml", "--log-level", "debug"], in: scratch)
        #expect(untouched.status == 0, "\(untouched.standardError)")
        #expect(untouched.standardError.contains("as the last run left it"))

        // Damage the current database and make its recorded identity match, as if the disk had failed.
        let current = try FileManager.default.destinationOfSymbolicLink(atPath: scratch.file("ws/current"))
        let damaged = scratch.file("ws/\(current)/lagesbild.sqlite")
        let handle = try #require(FileHandle(forWritingAtPath: damaged))
        try handle.seek(toOffset: 4096)
        try handle.write(contentsOf: Data(repeating: 0x5A, count: 16_384))
        try handle.close()
        var info = stat()
        #expect(stat(damaged, &info) == 0)
        let nanoseconds = { (time: timespec) in Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec) }
        let identity =
            "\(info.st_dev):\(info.st_ino):\(info.st_size):\(nanoseconds(info.st_mtim)):\(nanoseconds(info.st_ctim))"
        try Data(identity.utf8).write(to: URL(fileURLWithPath: damaged + ".closed"))
        let result = try run(["run", "-p", "pipeline.yaml", "-q", "--force"], in: scratch)
        #expect(result.status == 70, "\(result.standardError)")
        #expect(result.standardError.contains("is damaged"), "\(result.standardError)")
        // Nothing was made current.
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: scratch.file("ws/current")) == current)
    }

    @Test func textFromADeliveredFileNeverReachesTheReport() throws {
        let scratch = try scratchWithDeliveries([2023])
        // A file whose header lacks the mapped columns: its first line is quoted in messages, not the report.
        try scratch.write("police/2024.csv", "HEMLIGT-INNEHÅLL;Annat\nx;y\n")
        let result = try run(["run", "-p", "pipeline.yaml", "-q"], in: scratch)
        #expect(result.status == 0, "\(result.standardError)")
        let report = try String(contentsOfFile: scratch.file("ws/out/lagesbild.html"), encoding: .utf8)
        #expect(!report.contains("HEMLIGT"))
        #expect(report.contains("Filen kunde inte läsas till slut"))
    }
}
