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

    /// Absolute path of the database file.
    public var databasePath: String { (directory as NSString).appendingPathComponent(Self.databaseFileName) }

    /// Opens the workspace at `directory`, creating the folder and database when `create` is true.
    /// Throws ``WorkspaceError/missing(_:)`` when it does not exist and `create` is false.
    public init(directory: String, create: Bool) throws {
        let path = (directory as NSString).standardizingPath
        self.directory = path
        let databasePath = (path as NSString).appendingPathComponent(Self.databaseFileName)
        if !FileManager.default.fileExists(atPath: databasePath) {
            guard create else { throw WorkspaceError.missing(path) }
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            database = try DatabaseQueue(path: databasePath, configuration: configuration)
            try Schema.migrator.migrate(database)
        } catch let error as DatabaseError {
            throw WorkspaceError.unusable(path, error.description)
        }
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
