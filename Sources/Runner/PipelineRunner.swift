import Aggregate
import Foundation
import GRDB
import Ingest
import Logging
import Normalize
import PipelineModel
import Publish
import StageKit
import Workspace

/// The version of the tool, recorded with every run and part of every stage fingerprint.
public let lagesbildVersion = "0.3.0"

/// What to run.
public struct RunOptions: Sendable {
    /// The stages to run, in pipeline order.
    public var stages: [Stage]
    /// Ingest only this source.
    public var source: String?
    /// Aggregate only this indicator.
    public var indicator: String?
    /// Run stages even when their inputs did not change.
    public var force: Bool
    /// The command line, for the run history.
    public var command: String

    public init(
        stages: [Stage] = Stage.allCases, source: String? = nil, indicator: String? = nil, force: Bool = false,
        command: String = "lagesbild run"
    ) {
        self.stages = stages
        self.source = source
        self.indicator = indicator
        self.force = force
        self.command = command
    }
}

/// What a run did.
public struct RunReport: Sendable {
    /// One stage of the run: its counts, or why it was skipped.
    public struct StageOutcome: Sendable {
        public var stage: Stage
        public var counts: StageCounts
        /// Set when the stage was skipped because its inputs had not changed.
        public var skippedBecause: String?
    }

    public var runID: Int64
    public var stages: [StageOutcome]
    public var warnings: [String]
    public var workspace: String
    public var databasePath: String
    public var outputDirectory: String
    /// Files the publish stage wrote, if it ran.
    public var publishedFiles: [String]
}

/// Runs stages in order against a workspace.
///
/// - One run at a time: the workspace lock (exit 75 for a second run; a dead holder's lock is taken over).
/// - Atomic: the stages write a working copy of the database and the publish stage a staging folder;
///   both replace the last good ones only when every stage and gate has passed, so a failed, killed or
///   interrupted run leaves the database, files and report as they were.
/// - Incremental: a stage whose input fingerprint equals that of its last published run is skipped.
public struct PipelineRunner: Sendable {
    public let pipeline: Pipeline
    public let workspaceDirectory: String
    public let logger: Logger
    /// Where stages report how far they have come (a terminal's progress line), if anywhere.
    public var progress: (any StageProgressReporting)?

    public init(
        pipeline: Pipeline, workspaceDirectory: String, logger: Logger, progress: (any StageProgressReporting)? = nil
    ) {
        self.pipeline = pipeline
        self.workspaceDirectory = workspaceDirectory
        self.logger = logger
        self.progress = progress
    }

    static func implementation(of stage: Stage) -> any PipelineStage {
        switch stage {
        case .ingest: return IngestStage()
        case .normalize: return NormalizeStage()
        case .aggregate: return AggregateStage()
        case .publish: return PublishStage()
        }
    }

    /// Runs `stages` (in pipeline order); `sourceFilter` narrows ingest to one source.
    public func run(stages: [Stage], sourceFilter: String? = nil, command: String) async throws -> RunReport {
        try await run(RunOptions(stages: stages, source: sourceFilter, command: command))
    }

    public func run(_ options: RunOptions) async throws -> RunReport {
        do {
            return try await perform(options)
        } catch {
            throw Faults.diagnose(error, workspace: workspaceDirectory)
        }
    }

    func perform(_ options: RunOptions) async throws -> RunReport {
        let stages = Stage.allCases.filter(options.stages.contains)
        try check(options)
        guard let first = stages.first else { throw UsageError("no stage to run") }
        if let previous = first.previous, !Workspace.exists(directory: workspaceDirectory) {
            throw StagePrerequisiteError(stage: first, missing: previous, workspace: workspaceDirectory)
        }
        let lock = try WorkspaceLock.acquire(directory: workspaceDirectory)
        defer { lock.release() }
        let outputDirectory = WorkspaceLocation.outputDirectory(pipeline: pipeline, workspace: workspaceDirectory)
        let generations = Generations(directory: workspaceDirectory)
        try Self.removeLegacyLeftovers(workspace: workspaceDirectory, outputDirectory: outputDirectory)
        try generations.prepare(outputDirectory: outputDirectory)
        generations.removeOld()  // and what a killed run left unfinished
        var main = try Workspace(directory: workspaceDirectory, create: true)
        let generation = try generations.create()
        let copying = ContinuousClock.now
        // Unless the database is as the last run closed it (every generation's database is checked before it
        // is made current), it is checked (every page read) beside its copy into the new generation; nothing
        // is written to the workspace before the check has passed.
        let untouched = main.isAsLastRunLeftIt
        let checked: @Sendable () throws -> Void = untouched ? { @Sendable in } : main.checkIntegrityInBackground()
        let copied = Result { try main.makeWorkingCopy(in: generation) }
        func discardCopy() {
            if case .success(let working) = copied { try? working.database.close() }
            try? FileManager.default.removeItem(atPath: generation)
        }
        do {
            try checked()
            try main.markInterruptedRuns()
            try main.removeUnlistedStoreFiles()  // what a killed run left behind
            if let previous = first.previous, try main.lastPublished(of: previous) == nil {
                throw StagePrerequisiteError(stage: first, missing: previous, workspace: workspaceDirectory)
            }
        } catch {
            discardCopy()
            throw error
        }
        logger.debug(
            untouched ? "workspace copied (as the last run left it)" : "workspace checked and copied",
            metadata: ["seconds": "\(Self.seconds(since: copying))"])
        let runID = try main.beginRun(command: options.command, pipeline: pipeline.path, toolVersion: lagesbildVersion)
        var logger = self.logger
        logger[metadataKey: "run_id"] = "\(runID)"
        let working: Workspace
        do {
            working = try copied.get()
        } catch {
            discardCopy()
            let error = Faults.diagnose(error, workspace: workspaceDirectory)
            try? main.finishRun(runID, status: .failed, exitCode: ExitStatus.of(error).rawValue, message: "\(error)")
            throw error
        }
        var report = RunReport(
            runID: runID, stages: [], warnings: [], workspace: workspaceDirectory,
            databasePath: (workspaceDirectory as NSString).appendingPathComponent(Workspace.databaseFileName),
            outputDirectory: outputDirectory, publishedFiles: [])
        let context = StageContext(
            pipeline: pipeline, workspace: working, runID: runID, sourceFilter: options.source,
            indicatorFilter: options.indicator, outputDirectory: outputDirectory,
            stagingDirectory: (generation as NSString).appendingPathComponent(Generations.outputFolderName),
            logger: logger, progress: progress)
        do {
            var published = false
            var previousFingerprint: String?
            // The new database is checked before it is made current, beside the last stage (what the stages
            // before it wrote; publish writes little, aggregate its tables of values).
            var workingChecked: (@Sendable () throws -> Void)?
            for stage in stages {
                if stage == .publish {
                    var gateLogger = logger
                    gateLogger[metadataKey: "stage"] = "\(stage.rawValue)"
                    report.warnings += try checkGates(runID: runID, main: main, working: working, logger: gateLogger)
                }
                if stage == stages.last { workingChecked = working.checkIntegrityInBackground() }
                let fingerprint = try fingerprint(
                    of: stage, options: options, working: working, main: main, previous: previousFingerprint)
                var stageContext = context
                stageContext.logger[metadataKey: "stage"] = "\(stage.rawValue)"
                let outcome = try await runStage(
                    stage, fingerprint: fingerprint, force: options.force, context: stageContext, main: main,
                    runID: runID)
                if stage == .publish, outcome.skippedBecause == nil { published = true }
                report.stages.append(outcome)
                report.warnings += outcome.counts.warnings
                previousFingerprint = fingerprint?.value
            }
            let checking = ContinuousClock.now
            try (workingChecked ?? working.checkIntegrityInBackground())()
            logger.debug("new database checked", metadata: ["seconds": "\(Self.seconds(since: checking))"])
            if !published { try generations.carryOutputs(into: generation) }
            let promoting = ContinuousClock.now
            try Publication.promoting { try main.promote(working, generation: generation) }
            logger.debug("new generation made current", metadata: ["seconds": "\(Self.seconds(since: promoting))"])
        } catch {
            let error = Faults.diagnose(error, workspace: workspaceDirectory)
            working.keepAsFailed()
            try? FileManager.default.removeItem(atPath: generation)
            try? main.removeUnlistedStoreFiles()
            try? main.finishRun(runID, status: .failed, exitCode: ExitStatus.of(error).rawValue, message: "\(error)")
            throw error
        }
        let cleaning = ContinuousClock.now
        main = try Workspace(directory: workspaceDirectory, create: false)
        try main.removeUnlistedStoreFiles()  // the files of replaced outputs
        generations.removeOld()
        logger.debug("old generations removed", metadata: ["seconds": "\(Self.seconds(since: cleaning))"])
        try main.finishRun(
            runID, status: .succeeded, exitCode: 0,
            message: report.warnings.isEmpty ? nil : report.warnings.joined(separator: "; "))
        if stages.contains(.publish) {
            report.publishedFiles = try await main.database.read { db in
                try String.fetchAll(db, sql: "SELECT path FROM publications ORDER BY path")
            }
        }
        try main.closeRecordingIdentity()
        return report
    }

    /// Seconds since `start`, to two decimals, for the debug log's timings.
    static func seconds(since start: ContinuousClock.Instant) -> String {
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return String(format: "%.2f", seconds)
    }

    func check(_ options: RunOptions) throws {
        if let source = options.source, pipeline.source(source) == nil {
            let known = pipeline.sources.map(\.id).joined(separator: ", ")
            throw UsageError("unknown source '\(source)'; the pipeline file has: \(known)")
        }
        if let indicator = options.indicator, pipeline.indicator(indicator) == nil {
            let known = pipeline.indicators.map(\.id).joined(separator: ", ")
            throw UsageError("unknown indicator '\(indicator)'; the pipeline file has: \(known)")
        }
    }

    /// The stage's input fingerprint; nil when the run is narrowed (a narrowed run never skips).
    func fingerprint(
        of stage: Stage, options: RunOptions, working: Workspace, main: Workspace, previous: String?
    ) throws -> StageFingerprint? {
        if options.source != nil || options.indicator != nil { return nil }
        func upstream(_ stage: Stage) throws -> String {
            if let previous { return previous }
            return try main.lastPublished(of: stage)?.fingerprint ?? "none"
        }
        switch stage {
        case .ingest: return Fingerprints.ingest(pipeline)
        case .normalize: return try working.database.read { try Fingerprints.normalize(pipeline, db: $0) }
        case .aggregate: return Fingerprints.aggregate(pipeline, normalize: try upstream(.normalize))
        case .publish:
            let aggregate = try upstream(.aggregate)
            return try working.database.read { db in
                try Fingerprints.publish(pipeline, aggregate: aggregate, db: db)
            }
        }
    }

    /// Runs one stage on the working copy, or skips it when its inputs are unchanged; records it. Logs with the
    /// context's logger (which carries `run_id` and `stage`).
    func runStage(
        _ stage: Stage, fingerprint: StageFingerprint?, force: Bool, context: StageContext, main: Workspace,
        runID: Int64
    ) async throws -> RunReport.StageOutcome {
        let logger = context.logger
        let stageRunID = try main.beginStage(stage, runID: runID)
        if !force, let fingerprint, let last = try main.lastPublished(of: stage), last.fingerprint == fingerprint.value
        {
            let reason = "inputs unchanged since run \(last.runID)"
            try main.finishStage(
                stageRunID, status: .skipped, counts: StageCounts(), message: reason, fingerprint: fingerprint.value,
                inputs: fingerprint.json)
            logger.info("stage skipped", metadata: ["reason": "\(reason)"])
            return RunReport.StageOutcome(stage: stage, counts: StageCounts(), skippedBecause: reason)
        }
        logger.info("stage started")
        do {
            let counts = try await Self.implementation(of: stage).run(context)
            // A stage that warned is recorded without its fingerprint, so that the next run does not skip it.
            try main.finishStage(
                stageRunID, status: .succeeded, counts: counts,
                message: counts.warnings.isEmpty ? nil : counts.warnings.joined(separator: "; "),
                fingerprint: counts.warnings.isEmpty ? fingerprint?.value : nil,
                inputs: fingerprint?.json)
            logger.info(
                "stage finished",
                metadata: [
                    "rows_in": "\(counts.rowsIn)", "rows_out": "\(counts.rowsOut)",
                    "rows_quarantined": "\(counts.rowsQuarantined)",
                ])
            return RunReport.StageOutcome(stage: stage, counts: counts, skippedBecause: nil)
        } catch {
            try? main.finishStage(stageRunID, status: .failed, counts: StageCounts(), message: "\(error)")
            throw error
        }
    }

    /// Checks the gates before publishing: records every finding (one `gate_results` row each), logs
    /// them — each one when there are few, else a summary per gate with the largest jumps — and returns
    /// the run's warnings in a few lines; throws on a failure.
    func checkGates(runID: Int64, main: Workspace, working: Workspace, logger: Logger) throws -> [String] {
        let findings = try working.database.read { try Gates.check(pipeline, db: $0) }
        try main.recordGates(
            runID: runID,
            findings.map {
                Workspace.GateFinding(
                    gate: $0.gate, status: $0.action.rawValue, message: $0.message, indicator: $0.indicator,
                    area: $0.area, period: $0.period, changePercent: $0.changePercent)
            })
        let summary = Self.summarize(findings)
        for line in summary { logger.warning("gate", metadata: ["summary": "\(line)"]) }
        let failures = findings.filter { $0.action == .fail }
        if let failure = failures.first {
            let message =
                failures.count == 1
                ? failure.message
                : "\(failures.count) findings, e.g. \(failure.message) (every finding: lagesbild runs --json)"
            throw GateFailedError(gate: failure.gate, message: message)
        }
        return summary
    }

    /// A few readable lines for many findings: each finding when there are at most five, else per gate the
    /// count, the count per indicator and the five largest changes.
    static func summarize(_ findings: [Gates.Finding]) -> [String] {
        guard findings.count > 5 else { return findings.map { "\($0.gate): \($0.message)" } }
        var lines: [String] = []
        for gate in Set(findings.map(\.gate)).sorted() {
            let ofGate = findings.filter { $0.gate == gate }
            var line = "\(gate): \(ofGate.count) findings"
            let perIndicator = Dictionary(grouping: ofGate.compactMap(\.indicator), by: { $0 })
                .map { ($0.key, $0.value.count) }.sorted { ($0.1, $1.0) > ($1.1, $0.0) }
            if !perIndicator.isEmpty {
                line += " (" + perIndicator.map { "\($0.0) \($0.1)" }.joined(separator: ", ") + ")"
            }
            let largest = ofGate.filter { $0.changePercent != nil }
                .sorted { abs($0.changePercent!) > abs($1.changePercent!) }.prefix(5)
            if !largest.isEmpty {
                line += "; largest: " + largest.map(\.message).joined(separator: "; ")
            } else {
                line += "; e.g. " + ofGate.prefix(3).map(\.message).joined(separator: "; ")
            }
            lines.append(line + " — every finding: lagesbild runs --json")
        }
        return lines
    }
}

extension PipelineRunner {
    /// Removes what a run of the version before generations may have left: its working copy and the
    /// staging folders beside the output folder (a half-done swap of those is undone first).
    static func removeLegacyLeftovers(workspace: String, outputDirectory: String) throws {
        let files = FileManager.default
        let previous = outputDirectory + ".previous"
        if !files.fileExists(atPath: outputDirectory), files.fileExists(atPath: previous) {
            try files.moveItem(atPath: previous, toPath: outputDirectory)
        }
        for leftover in [previous, outputDirectory + ".next"] { try? files.removeItem(atPath: leftover) }
        let working = (workspace as NSString).appendingPathComponent("lagesbild.next.sqlite")
        for suffix in ["", "-wal", "-shm", "-journal"] { unlink(working + suffix) }
    }
}
