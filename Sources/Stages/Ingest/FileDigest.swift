import Crypto
import Foundation
import Workspace

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
