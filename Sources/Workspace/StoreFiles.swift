import Foundation
import GRDB

/// The column files of a workspace: per-event rows live in files under `store/`, and the SQLite
/// table `store_files` lists which files make up each stage's output.
///
/// Files are never changed once written: a stage writes new files and registers them in its
/// transaction, dropping the registrations of the files they replace. A file becomes garbage when
/// the database that is in place no longer lists it; ``Workspace/removeUnlistedStoreFiles()``
/// deletes it after a run has been promoted (or has failed).
public enum StoreFiles {
    /// The folder of the column files inside a workspace folder.
    public static func directory(workspace: String) -> String {
        (workspace as NSString).appendingPathComponent("store")
    }

    /// One registered file.
    public struct Entry: Sendable, Hashable {
        public var name: String
        public var kind: String
        public var sourceID: String
        public var deliveryID: Int64?
        public var rows: Int
    }

    /// Lists `name` as part of the current stage output.
    public static func register(
        _ db: Database, name: String, kind: String, sourceID: String, deliveryID: Int64?, rows: Int
    ) throws {
        try db.execute(
            sql: "INSERT INTO store_files (name, kind, source_id, delivery_id, rows) VALUES (?, ?, ?, ?, ?)",
            arguments: [name, kind, sourceID, deliveryID, rows])
    }

    /// The registered files of a kind (and source), in registration order.
    public static func entries(_ db: Database, kind: String, sourceID: String? = nil) throws -> [Entry] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT name, kind, source_id, delivery_id, rows FROM store_files
                WHERE kind = ? AND (? IS NULL OR source_id = ?) ORDER BY rowid
                """,
            arguments: [kind, sourceID, sourceID]
        ).map { row in
            Entry(
                name: row["name"], kind: row["kind"], sourceID: row["source_id"], deliveryID: row["delivery_id"],
                rows: row["rows"])
        }
    }

    /// The rows of all registered files of a kind.
    public static func totalRows(_ db: Database, kind: String) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT coalesce(sum(rows), 0) FROM store_files WHERE kind = ?", arguments: [kind])
            ?? 0
    }

    /// Drops the registrations of a delivery's files.
    public static func unregister(_ db: Database, deliveryID: Int64) throws {
        try db.execute(sql: "DELETE FROM store_files WHERE delivery_id = ?", arguments: [deliveryID])
    }

    /// Drops the registrations of every file of a kind.
    public static func unregisterAll(_ db: Database, kind: String) throws {
        try db.execute(sql: "DELETE FROM store_files WHERE kind = ?", arguments: [kind])
    }
}

extension Workspace {
    /// The folder of this workspace's column files (created on first use).
    public var storeDirectory: String { StoreFiles.directory(workspace: directory) }

    /// A new, unique path for a column file of `kind`; the folder is created when missing.
    public func newStoreFile(kind: String) throws -> (name: String, path: String) {
        try FileManager.default.createDirectory(atPath: storeDirectory, withIntermediateDirectories: true)
        let name = "\(kind)-\(UUID().uuidString.lowercased()).lbcol"
        return (name, storePath(name))
    }

    /// The path of the registered file `name`.
    public func storePath(_ name: String) -> String { (storeDirectory as NSString).appendingPathComponent(name) }

    /// Deletes every file in the store folder that this database does not list (files of replaced
    /// outputs, of failed or killed runs, half-written files).
    public func removeUnlistedStoreFiles() throws {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: storeDirectory) else { return }
        let listed = Set(try database.read { try String.fetchAll($0, sql: "SELECT name FROM store_files") })
        for name in names where !listed.contains(name) { unlink(storePath(name)) }
    }
}
