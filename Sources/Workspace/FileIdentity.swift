import Foundation

/// A file's identity by `stat(2)`: device, inode, size, the time its content last changed (mtime) and
/// the time anything about it last changed (ctime, which no program can set back — writing the file,
/// `touch` and `cp` over it all move it). A file whose identity is the one recorded when it was last
/// hashed has the bytes it had then, so ingest takes the recorded hash instead of reading it again, and a
/// run skips checking a workspace database no other program wrote since the last run closed it.
///
/// The times have nanosecond precision but advance by clock ticks: a file changed within the tick in
/// which its identity was taken could keep the same identity. Like git's "racy" rule, an identity is
/// only recorded (``settled``) when both times lie at least two seconds before the moment it was taken.
public struct FileIdentity: Sendable, Hashable {
    public var device: UInt64
    public var inode: UInt64
    public var size: Int
    public var modified: Int64
    public var changed: Int64
    /// True when the file had not changed for two seconds when the identity was taken.
    public var settled: Bool

    /// Nanoseconds a file must have been left alone before its identity is recorded.
    public static let settleNanoseconds: Int64 = 2_000_000_000

    public init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.init(info)
    }

    public init?(descriptor: Int32) {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        self.init(info)
    }

    private init(_ info: stat) {
        func nanoseconds(_ time: timespec) -> Int64 { Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec) }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int(info.st_size)
        modified = nanoseconds(info.st_mtim)
        changed = nanoseconds(info.st_ctim)
        settled = nanoseconds(now) - max(modified, changed) >= Self.settleNanoseconds
    }

    /// The identity as stored in `deliveries.file_identity`: `device:inode:size:mtime:ctime` (ns).
    public var storedText: String { "\(device):\(inode):\(size):\(modified):\(changed)" }

    /// What to store for a file hashed with this identity: nothing when it had not settled.
    public var recordable: String? { settled ? storedText : nil }
}
