import Crypto
import Foundation

/// The SHA-256 and size of a file, read in chunks so memory stays flat whatever the file's size.
struct FileDigest: Sendable, Hashable {
    var sha256: String
    var size: Int

    init(sha256: String, size: Int) {
        self.sha256 = sha256
        self.size = size
    }

    init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CocoaError(.fileReadNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var size = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            size += chunk.count
        }
        sha256 = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        self.size = size
    }
}
