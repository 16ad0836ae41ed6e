import Foundation

/// One run at a time per workspace: an advisory lock (`flock`) the kernel holds on the lock file for the
/// whole run.
///
/// The lock is the open file description, not the file: the kernel releases it when the holder's process
/// ends, however it ends, so a lock whose holder died is free by construction and nothing is ever "taken
/// over". The file's contents (PID, host, start time) are information for the message a second run
/// prints; they are written only after the lock is held, and the file is never deleted (deleting a locked
/// file would let two runs lock two different files of the same name).
public final class WorkspaceLock: Sendable {
    /// The lock file's name inside the workspace folder.
    public static let fileName = "lagesbild.lock"

    public let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    /// Takes the lock of the workspace folder without waiting, or throws ``WorkspaceLockedError``.
    public static func acquire(directory: String) throws -> WorkspaceLock {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = (directory as NSString).appendingPathComponent(fileName)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else {
            throw WorkspaceLockError(path: path, reason: String(cString: strerror(errno)))
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let failure = errno
            close(descriptor)
            guard failure == EWOULDBLOCK else {
                throw WorkspaceLockError(path: path, reason: String(cString: strerror(failure)))
            }
            throw WorkspaceLockedError(lockFile: path, holder: holder(path: path))
        }
        let content = "pid=\(getpid())\nhost=\(ProcessInfo.processInfo.hostName)\nstarted=\(isoTimestamp())\n"
        _ = ftruncate(descriptor, 0)
        _ = content.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        return WorkspaceLock(path: path, descriptor: descriptor)
    }

    /// Who holds the lock of the workspace folder now, or nil when nobody does.
    public static func currentHolder(directory: String) -> LockHolder? {
        let path = (directory as NSString).appendingPathComponent(fileName)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        // A shared lock is refused while a run holds the exclusive one; taken, it is released at once.
        guard flock(descriptor, LOCK_SH | LOCK_NB) != 0 else { return nil }
        return holder(path: path)
    }

    static func holder(path: String) -> LockHolder {
        LockHolder(text: (try? String(contentsOfFile: path, encoding: .utf8)) ?? "")
    }

    /// Releases the lock (the process ending releases it too). The file stays, emptied.
    public func release() {
        _ = ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

/// Who holds a workspace lock, as written in the lock file.
public struct LockHolder: Sendable, Hashable {
    public var pid: Int32?
    public var host: String?
    public var started: String?

    init(text: String) {
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            switch parts[0] {
            case "pid": pid = Int32(parts[1])
            case "host": host = parts[1]
            case "started": started = parts[1]
            default: break
            }
        }
    }
}

/// Another run holds the workspace.
public struct WorkspaceLockedError: Error, Sendable, CustomStringConvertible {
    public var lockFile: String
    public var holder: LockHolder

    public var description: String {
        let pid = holder.pid.map(String.init) ?? "?"
        return
            "another run holds the workspace (PID \(pid) on \(holder.host ?? "?"), started \(holder.started ?? "?")); "
            + "lock file \(lockFile)"
    }
}

/// The lock file cannot be opened or locked at all (a read-only folder, a file system without locks).
public struct WorkspaceLockError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public var description: String { "cannot lock the workspace with \(path): \(reason)" }
}
