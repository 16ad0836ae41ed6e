import Foundation
import Workspace

/// How far a stage has come, for a progress display.
public struct StageProgress: Sendable, Equatable {
    /// What `done` and `total` count.
    public enum Unit: String, Sendable {
        case bytes
        case rows
        case indicators
    }

    public var stage: Stage
    public var done: Int64
    /// 0 when unknown.
    public var total: Int64
    public var unit: Unit
    /// Rows handled so far (for a byte-counted stage: the rows read).
    public var rows: Int64

    public init(stage: Stage, done: Int64, total: Int64, unit: Unit, rows: Int64) {
        self.stage = stage
        self.done = done
        self.total = total
        self.unit = unit
        self.rows = rows
    }
}

/// Receives progress reports; called from any thread, often — keep it cheap.
public protocol StageProgressReporting: Sendable {
    func report(_ progress: StageProgress)
    /// The stage is over (its last report has been made).
    func finish(_ stage: Stage)
}

/// A thread-safe tally a stage adds to from its workers; it passes a report on at most every 100 ms.
public final class ProgressCounter: @unchecked Sendable {
    private let lock = NSLock()
    private let reporter: (any StageProgressReporting)?
    private var progress: StageProgress
    private var lastReport = Date.distantPast

    public init(stage: Stage, total: Int64, unit: StageProgress.Unit, reporter: (any StageProgressReporting)?) {
        self.reporter = reporter
        progress = StageProgress(stage: stage, done: 0, total: total, unit: unit, rows: 0)
    }

    /// Adds to what is done (and to the rows handled).
    public func add(_ done: Int64, rows: Int64 = 0) {
        guard let reporter else { return }
        let snapshot: StageProgress? = lock.withLock {
            progress.done += done
            progress.rows += rows
            let now = Date()
            guard now.timeIntervalSince(lastReport) >= 0.1 else { return nil }
            lastReport = now
            return progress
        }
        if let snapshot { reporter.report(snapshot) }
    }

    /// Makes the final report.
    public func finish() {
        guard let reporter else { return }
        reporter.report(lock.withLock { progress })
        reporter.finish(progress.stage)
    }
}
