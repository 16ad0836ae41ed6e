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

    /// Opens the workspace at `directory`, creating the folder and database when `create` is true.
    /// Throws ``WorkspaceError/missing(_:)`` when it does not exist and `create` is false.
    public convenience init(directory: String, create: Bool) throws {
        let path = (directory as NSString).standardizingPath
        let databasePath = (path as NSString).appendingPathComponent(Self.databaseFileName)
        if !FileManager.default.fileExists(atPath: databasePath) {
            guard create else { throw WorkspaceError.missing(path) }
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        try self.init(directory: path, databasePath: databasePath)
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
            throw WorkspaceError.unusable(directory, error.description)
        }
    }

    /// The working copy's file name: a run's stages write there, and it replaces the database only when
    /// the whole run has passed.
    public static let workingFileName = "lagesbild.next.sqlite"

    /// Makes a fresh working copy of this (main) database for a run, replacing any copy a killed run
    /// left behind, and opens it.
    public func makeWorkingCopy() throws -> Workspace {
        let path = (directory as NSString).appendingPathComponent(Self.workingFileName)
        Self.removeDatabaseFiles(at: path)
        let copy = try Workspace(directory: directory, databasePath: path, working: true)
        try database.backup(to: copy.database)
        return copy
    }

    /// Replaces the main database with `working`, keeping the main database's run history (written
    /// during the run) and the working copy's stage outputs. Both must belong to this workspace; no
    /// connection to `working` may be used afterwards.
    public func promote(_ working: Workspace) throws {
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
        guard Self.sync(working.databasePath) else {
            throw WorkspaceError.unusable(directory, "cannot write the working copy to disk (errno \(errno))")
        }
        Self.removeDatabaseFiles(at: databasePath, keepingMain: true)
        if rename(working.databasePath, databasePath) != 0 {
            throw WorkspaceError.unusable(directory, "cannot move the working copy into place (errno \(errno))")
        }
        _ = Self.sync(directory)
        Self.removeDatabaseFiles(at: working.databasePath)
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
        FileManager.default.fileExists(
            atPath: ((directory as NSString).standardizingPath as NSString).appendingPathComponent(databaseFileName))
    }
}

/// Problems opening a workspace.
public enum WorkspaceError: Error, Sendable, CustomStringConvertible {
    case missing(String)
    case unusable(String, String)

    public var description: String {
        switch self {
        case .missing(let path): return "no workspace at \(path): run `lagesbild run` first"
        case .unusable(let path, let reason): return "the workspace database at \(path) cannot be used: \(reason)"
        }
    }
}

/// The current time as ISO 8601 text, the format the workspace stores times in.
public func isoTimestamp(_ date: Date = Date()) -> String {
    ISO8601DateFormatter().string(from: date)
}
