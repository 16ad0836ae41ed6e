import Foundation
import GRDB
import LagesbildModel
import Logging

/// The workspace: a folder holding the SQLite database with every stage's output, the run history and
/// the quarantine, plus the lock file of the run that holds it.
public final class Workspace: Sendable {
    /// The database file's name inside the workspace folder.
    public static let databaseFileName = "lagesbild.sqlite"

    /// Absolute path of the workspace folder.
    public let directory: String
    /// The database. Stages write through `database.write { }`, one transaction per stage.
    public let database: DatabaseQueue

    /// Absolute path of the database file this instance works on.
    public let databasePath: String

    /// Opens the current generation of the workspace at `directory` (see ``Generations``). With `create`,
    /// the run that holds the lock has prepared the generations, and an empty current generation gets a
    /// new database. Throws ``WorkspaceError/missing(_:)`` when there is no database and `create` is false.
    public convenience init(directory: String, create: Bool) throws {
        let path = (directory as NSString).standardizingPath
        let generations = Generations(directory: path)
        if let database = generations.currentDatabase(), FileManager.default.fileExists(atPath: database) {
            try self.init(directory: path, databasePath: database)
            return
        }
        guard create else { throw WorkspaceError.missing(path) }
        guard let current = generations.current() else {
            throw WorkspaceError.unusable(path, "the workspace has no current generation")
        }
        try self.init(
            directory: path, databasePath: (current as NSString).appendingPathComponent(Self.databaseFileName))
    }

    /// Opens a database file of the workspace. The main database runs in WAL mode, so readers (`status`,
    /// `quarantine`) never wait for a run. A working copy (`working`) needs no journal on disk and no
    /// syncs: it is thrown away when its run fails, and ``promote(_:)`` syncs it once before it moves
    /// into place — so every page is written once, not to a WAL and again at the checkpoint.
    private init(directory: String, databasePath: String, working: Bool = false) throws {
        self.directory = directory
        self.databasePath = databasePath
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            if working {
                try db.execute(sql: "PRAGMA journal_mode = MEMORY")
                try db.execute(sql: "PRAGMA synchronous = OFF")
                try db.execute(sql: "PRAGMA cache_size = -65536")  // 64 MB
            } else {
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
        }
        do {
            database = try DatabaseQueue(path: databasePath, configuration: configuration)
            try Schema.migrator.migrate(database)
        } catch let error as DatabaseError {
            throw WorkspaceError(error, path: databasePath, directory: directory)
        }
    }

    /// Checks the database's structure (`PRAGMA quick_check`) and throws ``WorkspaceError/damaged(_:_:)``
    /// with the way forward when it is damaged.
    public func checkIntegrity() throws {
        try Self.checkIntegrity(database, path: databasePath, directory: directory)
    }

    static func checkIntegrity(_ database: DatabaseQueue, path: String, directory: String) throws {
        let verdict: [String]
        do {
            verdict = try database.read { try String.fetchAll($0, sql: "PRAGMA quick_check(5)") }
        } catch let error as DatabaseError {
            throw WorkspaceError(error, path: path, directory: directory)
        }
        guard verdict == ["ok"] else {
            throw WorkspaceError.damaged(path, verdict.joined(separator: "; "))
        }
    }

    /// The file beside a generation's database with the database file's identity (device, inode, size,
    /// mtime, ctime) as the run that made the generation left it when it closed it.
    public static let closedFileSuffix = ".closed"

    /// The database file's identity by `stat(2)`, as text; nil when it cannot be read, or while a write-ahead
    /// log beside it holds changes not yet in the file.
    static func fileIdentity(_ path: String) -> String? {
        var log = stat()
        if stat(path + "-wal", &log) == 0, log.st_size > 0 { return nil }
        return FileIdentity(path: path)?.storedText
    }

    /// True when the database file is as the last run left it when it closed it (``closeRecordingIdentity()``):
    /// no other program has written it since. Every generation's database passed ``checkIntegrity()`` before it
    /// was made current, so such a database needs no check before a run.
    public var isAsLastRunLeftIt: Bool {
        guard let recorded = try? String(contentsOfFile: databasePath + Self.closedFileSuffix, encoding: .utf8),
            let identity = Self.fileIdentity(databasePath)
        else { return false }
        return recorded == identity
    }

    /// Closes the database and records its file's identity beside it (see ``isAsLastRunLeftIt``).
    public func closeRecordingIdentity() throws {
        try database.close()
        let marker = databasePath + Self.closedFileSuffix
        unlink(marker)
        guard let identity = Self.fileIdentity(databasePath) else { return }
        try? Data(identity.utf8).write(to: URL(fileURLWithPath: marker), options: .atomic)
    }

    /// Starts ``checkIntegrity()`` on a connection of its own, on another thread, so that it runs beside the
    /// copy of the database into a new generation (at national scale each takes a few tenths of a second);
    /// the returned function waits for it and throws what it found.
    public func checkIntegrityInBackground() -> @Sendable () throws -> Void {
        let outcome = BackgroundOutcome()
        let path = databasePath
        let directory = self.directory
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            outcome.set(
                Result {
                    var configuration = Configuration()
                    configuration.readonly = true
                    configuration.busyMode = .timeout(10)
                    do {
                        let reader = try DatabaseQueue(path: path, configuration: configuration)
                        defer { try? reader.close() }
                        try Self.checkIntegrity(reader, path: path, directory: directory)
                    } catch let error as DatabaseError {
                        throw WorkspaceError(error, path: path, directory: directory)
                    }
                })
        }
        return {
            group.wait()
            try outcome.get()
        }
    }

    /// Makes a fresh working copy of this (current) database in the folder of a new generation, and
    /// opens it. A run's stages write there; it becomes current only when the whole run has passed.
    public func makeWorkingCopy(in generation: String) throws -> Workspace {
        let path = (generation as NSString).appendingPathComponent(Self.databaseFileName)
        Self.removeDatabaseFiles(at: path)
        if try copyDatabaseFile(to: path) {
            return try Workspace(directory: directory, databasePath: path, working: true)
        }
        Self.removeDatabaseFiles(at: path)
        let copy = try Workspace(directory: directory, databasePath: path, working: true)
        try database.backup(to: copy.database)
        return copy
    }

    /// Copies the database file byte for byte, in the kernel (`sendfile`), after folding the WAL into it:
    /// the national sample's 300 MB take 0.07 s this way against 0.36 s page by page through SQLite's
    /// backup. Only the run holding the workspace lock writes the database, so nothing changes the file
    /// while it is copied. False when the WAL could not be folded in whole (a reader still used it): the
    /// caller copies through the backup instead.
    func copyDatabaseFile(to path: String) throws -> Bool {
        // A passive checkpoint does not wait for readers (the integrity check may be reading beside it); the
        // copy is whole only when every frame of the log was written into the main file.
        let folded = try database.writeWithoutTransaction { db -> Bool in
            guard let row = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)") else { return false }
            return (row[0] as Int) == 0 && (row[1] as Int) == (row[2] as Int)
        }
        guard folded else { return false }
        let source = open(databasePath, O_RDONLY)
        guard source >= 0 else { return false }
        defer { close(source) }
        let target = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard target >= 0 else {
            throw WorkspaceError.unusable(directory, "cannot create the working copy \(path): \(lastError())")
        }
        defer { close(target) }
        var info = stat()
        guard fstat(source, &info) == 0 else { return false }
        var offset: off_t = 0
        while offset < info.st_size {
            let copied = sendfile(target, source, &offset, Int(info.st_size - offset))
            if copied < 0, errno == EINTR { continue }
            guard copied > 0 else {
                if errno == ENOSPC { throw WorkspaceError.noSpace(path) }
                return false
            }
        }
        // The copy is whole without a log: its header says so (bytes 18 and 19, the file format versions: 1
        // for a rollback journal, 2 for WAL), so opening it needs no switch out of WAL mode, which syncs
        // the file (a tenth of a second at national scale).
        let rollbackJournal: [UInt8] = [1, 1]
        guard pwrite(target, rollbackJournal, 2, 18) == 2 else { return false }
        return true
    }

    /// Makes `working` (in `generation`, whose output folder is complete) the current generation,
    /// keeping this database's run history (written during the run) and the working copy's stage
    /// outputs. The switch is one rename (``Generations/promote(_:)``): a reader sees the old generation
    /// whole or the new one whole. No connection to either database may be used afterwards.
    public func promote(_ working: Workspace, generation: String) throws {
        try working.database.writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS live", arguments: [databasePath])
            try db.inTransaction {
                let tables = ["runs", "stage_runs", "gate_results"]  // parents first
                for table in tables.reversed() { try db.execute(sql: "DELETE FROM main.\(table)") }
                for table in tables { try db.execute(sql: "INSERT INTO main.\(table) SELECT * FROM live.\(table)") }
                return .commit
            }
            try db.execute(sql: "DETACH DATABASE live")
        }
        try working.database.close()
        try database.close()
        _ = Self.sync(StoreFiles.directory(workspace: directory))  // the column files it lists are in place
        try Generations(directory: directory).promote(generation)
        Self.removeDatabaseFiles(at: (directory as NSString).appendingPathComponent(Self.failedFileName))
    }

    /// The file a failed run's working copy is kept in, so its quarantine can be inspected; it is never
    /// published, and the next successful run removes it.
    public static let failedFileName = "lagesbild.failed.sqlite"

    /// Closes a failed run's working copy and keeps it as ``failedFileName`` for inspection.
    public func keepAsFailed() {
        try? database.close()
        let failed = (directory as NSString).appendingPathComponent(Self.failedFileName)
        Self.removeDatabaseFiles(at: failed)
        rename(databasePath, failed)
        Self.removeDatabaseFiles(at: databasePath)
    }

    /// Opens the kept copy of the last failed run, if there is one.
    public static func failedRun(directory: String) -> Workspace? {
        let path = (directory as NSString).appendingPathComponent(failedFileName)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try? Workspace(directory: directory, databasePath: path, working: true)
    }

    /// `fsync` of a file or folder; false when it fails.
    static func sync(_ path: String) -> Bool {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return fsync(descriptor) == 0
    }

    static func removeDatabaseFiles(at path: String, keepingMain: Bool = false) {
        for suffix in keepingMain ? ["-wal", "-shm"] : ["", "-wal", "-shm"] { unlink(path + suffix) }
    }

    /// True when the workspace folder holds a database.
    public static func exists(directory: String) -> Bool {
        guard let database = Generations(directory: directory).currentDatabase() else { return false }
        return FileManager.default.fileExists(atPath: database)
    }
}

/// Problems opening a workspace.
public enum WorkspaceError: Error, Sendable, CustomStringConvertible {
    case missing(String)
    case unusable(String, String)
    /// The database file is damaged (not a database, or its structure is broken).
    case damaged(String, String)
    /// The disk holding the path is full.
    case noSpace(String)

    /// The workspace error a database error stands for, naming the database file.
    public init(_ error: DatabaseError, path: String, directory: String) {
        switch error.resultCode {
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: self = .damaged(path, "SQLite says: \(error.resultCode)")
        case .SQLITE_FULL: self = .noSpace(path)
        default: self = .unusable(directory, error.description)
        }
    }

    public var description: String {
        switch self {
        case .missing(let path): return "no workspace at \(path): run `lagesbild run` first"
        case .unusable(let path, let reason): return "the workspace database at \(path) cannot be used: \(reason)"
        case .damaged(let path, let detail):
            return "the workspace database \(path) is damaged (\(detail)). Nothing was changed. "
                + "`lagesbild repair -p PIPELINE` sets it aside and rebuilds the workspace from the deliveries"
        case .noSpace(let path):
            return "no space left on the device that holds \(path); free some space and run again "
                + "(nothing of this run was published)"
        }
    }
}

/// The current time as ISO 8601 text, the format the workspace stores times in.
public func isoTimestamp(_ date: Date = Date()) -> String {
    ISO8601DateFormatter().string(from: date)
}

/// What a background job gave, handed from its thread to the one that waits for it.
final class BackgroundOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<Void, Error> = .success(())

    func set(_ result: Result<Void, Error>) { lock.withLock { self.result = result } }
    func get() throws { try lock.withLock { result }.get() }
}
