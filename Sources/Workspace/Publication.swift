import Foundation

/// Whether this process has made a run's generation current, told truthfully to a signal handler.
///
/// The switch to a new generation runs inside ``promoting(_:)``; a signal handler asks through
/// ``whilePaused(_:)``, which holds the same lock while it reports and ends the process, so a promotion
/// is either wholly before the answer or never happens.
public enum Publication {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var promoted = false

    /// Runs `body`, the switch to a new generation, and records that it happened.
    public static func promoting(_ body: () throws -> Void) rethrows {
        lock.lock()
        defer { lock.unlock() }
        try body()
        promoted = true
    }

    /// Calls `body` with whether a generation was made current, with every promotion held off while it
    /// runs (`body` ends the process).
    public static func whilePaused(_ body: (_ promoted: Bool) -> Never) -> Never {
        lock.lock()
        body(promoted)
    }
}
