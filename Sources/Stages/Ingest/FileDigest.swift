import Crypto
import Foundation

/// The SHA-256 and size of a file, read in chunks so memory stays flat whatever the file's size, with the
/// file's identity as it was when the reading began.
struct FileDigest: Sendable, Hashable {
    var sha256: String
    var size: Int
    /// What `fstat` said when the file was opened to be hashed (nil for a digest made without reading).
    var identity: FileIdentity?
    /// The SHA-256 of the file's first `prefixSize` bytes, when asked for and the file is that long: whether
    /// the file begins with an earlier delivery of it (rows appended, see ``Continuation``).
    var prefixSHA256: String?

    init(sha256: String, size: Int, identity: FileIdentity? = nil) {
        self.sha256 = sha256
        self.size = size
        self.identity = identity
    }

    init(path: String, prefixSize: Int? = nil) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw CocoaError(.fileReadNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        defer { try? handle.close() }
        // Taken before the first byte is read: a change while the file is hashed changes its ctime after
        // this, so the recorded identity never vouches for bytes that were not hashed.
        identity = FileIdentity(descriptor: descriptor)
        var hasher = SHA256()
        var size = 0
        var prefix: String?
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            if let prefixSize, size < prefixSize, size + chunk.count >= prefixSize {
                var beforeEnd = hasher  // a copy: the hash of the bytes up to the prefix's end
                beforeEnd.update(data: chunk.prefix(prefixSize - size))
                prefix = Self.hex(beforeEnd.finalize())
            }
            hasher.update(data: chunk)
            size += chunk.count
        }
        if prefixSize == 0 { prefix = Self.hex(SHA256().finalize()) }
        sha256 = Self.hex(hasher.finalize())
        prefixSHA256 = prefix
        self.size = size
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}

/// A file's identity by `stat(2)`: device, inode, size, the time its content last changed (mtime) and
/// the time anything about it last changed (ctime, which no program can set back — writing the file,
/// `touch` and `cp` over it all move it). A file whose identity is the one recorded when it was last
/// hashed has the bytes it had then, so ingest takes the recorded hash instead of reading it again.
///
/// The times have nanosecond precision but advance by clock ticks: a file changed within the tick in
/// which its identity was taken could keep the same identity. Like git's "racy" rule, an identity is
/// only recorded (``settled``) when both times lie at least two seconds before the moment it was taken.
struct FileIdentity: Sendable, Hashable {
    var device: UInt64
    var inode: UInt64
    var size: Int
    var modified: Int64
    var changed: Int64
    /// True when the file had not changed for two seconds when the identity was taken.
    var settled: Bool

    /// Nanoseconds a file must have been left alone before its identity is recorded.
    static let settleNanoseconds: Int64 = 2_000_000_000

    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.init(info)
    }

    init?(descriptor: Int32) {
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
    var storedText: String { "\(device):\(inode):\(size):\(modified):\(changed)" }

    /// What to store for a file hashed with this identity: nothing when it had not settled.
    var recordable: String? { settled ? storedText : nil }
}
