import Foundation

/// One run at a time per workspace: a lock file recording the holder's PID, host and start time.
///
/// The file is created with `O_CREAT | O_EXCL`, so two runs cannot both take it. A lock whose process
/// is gone (same host, no such PID) is stale and is taken over.
public final class WorkspaceLock: Sendable {
    /// The lock file's name inside the workspace folder.
    public static let fileName = "lagesbild.lock"

    public let path: String

    private init(path: String) { self.path = path }

    /// Takes the lock of the workspace folder, or throws ``WorkspaceLockedError``.
    public static func acquire(directory: String) throws -> WorkspaceLock {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = (directory as NSString).appendingPathComponent(fileName)
        let host = ProcessInfo.processInfo.hostName
        let content = "pid=\(getpid())\nhost=\(host)\nstarted=\(isoTimestamp())\n"
        for _ in 0..<2 {
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            if descriptor >= 0 {
                _ = content.withCString { write(descriptor, $0, strlen($0)) }
                close(descriptor)
                return WorkspaceLock(path: path)
            }
            let holder = LockHolder(text: (try? String(contentsOfFile: path, encoding: .utf8)) ?? "")
            if holder.isStale(currentHost: host) {
                unlink(path)  // the holder is gone: take over
                continue
            }
            throw WorkspaceLockedError(lockFile: path, holder: holder)
        }
        throw WorkspaceLockedError(lockFile: path, holder: LockHolder(text: ""))
    }

    /// Releases the lock.
    public func release() {
        unlink(path)
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

    /// A lock is stale when it names a process on this host that no longer exists (or names nothing).
    func isStale(currentHost: String) -> Bool {
        guard let pid else { return true }
        guard host == currentHost else { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
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
