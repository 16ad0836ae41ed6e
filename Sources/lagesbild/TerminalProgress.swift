import Foundation
import Logging
import StageKit
import Workspace

/// One progress line on standard error while a stage runs — what is done of what, rows, speed and time
/// left — kept at the bottom of the terminal: log lines are written above it.
///
/// Used only when standard error is a terminal and the logs are text (a timer's or cron's run gets the
/// log lines alone).
final class TerminalProgress: StageProgressReporting, @unchecked Sendable {
    private let lock = NSLock()
    private var started: [Stage: Date] = [:]
    /// The line on screen now (empty when none is).
    private var line = ""

    /// True when a progress line can be drawn: standard error is a terminal.
    static var isAvailable: Bool { isatty(STDERR_FILENO) != 0 }

    func report(_ progress: StageProgress) {
        lock.withLock {
            let start = started[progress.stage] ?? Date()
            started[progress.stage] = start
            line = Self.describe(progress, elapsed: Date().timeIntervalSince(start), final: false)
            write("\r\u{1B}[2K" + line)
        }
    }

    func finish(_ stage: Stage) {
        lock.withLock {
            if !line.isEmpty { write("\r\u{1B}[2K") }
            line = ""
        }
    }

    /// Writes `text` above the progress line (a log line), then draws the progress line again.
    func writeAbove(_ text: String) {
        lock.withLock {
            write((line.isEmpty ? "" : "\r\u{1B}[2K") + text + line)
        }
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// `ingest     412 / 1 469 MB (28 %) · 5.1 M rows · 231 MB/s · 5 s left`
    static func describe(_ progress: StageProgress, elapsed: TimeInterval, final: Bool) -> String {
        var parts: [String] = []
        let done = Double(progress.done)
        let total = Double(progress.total)
        let share = total > 0 ? " (\(Int(min(done / total, 1) * 100)) %)" : ""
        switch progress.unit {
        case .bytes:
            parts.append("\(megabytes(done)) / \(megabytes(total)) MB\(share)")
            parts.append("\(count(Double(progress.rows))) rows")
            if elapsed > 0.2 { parts.append("\(megabytes(done / elapsed)) MB/s") }
        case .rows:
            parts.append("\(count(done)) / \(count(total)) rows\(share)")
            if elapsed > 0.2 { parts.append("\(count(done / elapsed)) rows/s") }
        case .indicators:
            parts.append(
                "\(progress.done) / \(progress.total) indicators\(share) · \(count(Double(progress.rows))) values")
        }
        if !final, elapsed > 1, done > 0, total > done {
            parts.append("\(Int((total - done) / (done / elapsed)) + 1) s left")
        }
        return progress.stage.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0) + " "
            + parts.joined(separator: " · ")
    }

    static func megabytes(_ bytes: Double) -> String { String(Int((bytes / 1_000_000).rounded())) }

    /// 950, 12.3 K, 5.1 M
    static func count(_ value: Double) -> String {
        if value >= 1_000_000 { return String(format: "%.1f M", value / 1_000_000) }
        if value >= 10_000 { return String(format: "%.0f K", value / 1_000) }
        return String(Int(value))
    }
}

/// Writes log lines above the progress line instead of through it.
struct ProgressAwareLogHandler: LogHandler {
    let label: String
    var wrapped: StreamLogHandler
    let progress: TerminalProgress

    init(label: String, progress: TerminalProgress) {
        self.label = label
        self.progress = progress
        wrapped = StreamLogHandler.standardError(label: label)
    }

    var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue }
    }
    var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        // StreamLogHandler formats the line (as without a progress line); it is then written above it.
        let capture = TextCapture()
        var handler = StreamLogHandler(label: label, stream: capture)
        handler.metadata = wrapped.metadata
        handler.logLevel = wrapped.logLevel
        handler.log(event: event)
        progress.writeAbove(capture.text)
    }

    /// Collects what a StreamLogHandler writes (one line, on the logging thread).
    final class TextCapture: TextOutputStream, @unchecked Sendable {
        var text = ""
        func write(_ string: String) { text += string }
    }
}
