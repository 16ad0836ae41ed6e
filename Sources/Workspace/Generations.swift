import Foundation
import GRDB

/// The published state of a workspace as generations: each run that passes writes a new generation
/// folder — its database and its output folder — and makes it current with one `rename(2)` of the
/// `current` link, so the database and the published files change together or not at all.
///
/// Layout of a workspace folder:
///
///     current -> generations/<id>          the one pointer; replaced atomically
///     generations/<id>/lagesbild.sqlite    the database of that generation
///     generations/<id>/out/                its published files
///     lagesbild.sqlite -> current/lagesbild.sqlite   for analysts and their tools
///     out -> current/out                   (or the pipeline's outputs.directory, as a link)
///     store/                               column files, immutable, shared by generations
///
/// Readers resolve `current` once and read that generation; a run in progress never changes it. The
/// previous generation is kept until the next promotion, so a reader that opened it just before a swap
/// can finish.
public struct Generations: Sendable {
    /// The workspace folder.
    public let directory: String

    public static let folderName = "generations"
    public static let currentLinkName = "current"
    public static let outputFolderName = "out"

    public init(directory: String) { self.directory = (directory as NSString).standardizingPath }

    var folder: String { (directory as NSString).appendingPathComponent(Self.folderName) }
    var currentLink: String { (directory as NSString).appendingPathComponent(Self.currentLinkName) }
    var legacyDatabase: String { (directory as NSString).appendingPathComponent(Workspace.databaseFileName) }

    /// The current generation's folder, or nil when the workspace has none yet.
    public func current() -> String? {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: currentLink) else { return nil }
        let path = target.hasPrefix("/") ? target : (directory as NSString).appendingPathComponent(target)
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// The database of the current generation; the old single-file layout's database when the workspace
    /// has not been run by this version yet; nil when there is no database at all.
    public func currentDatabase() -> String? {
        if let current = current() {
            return (current as NSString).appendingPathComponent(Workspace.databaseFileName)
        }
        if isRegularFile(legacyDatabase) { return legacyDatabase }
        return nil
    }

    /// A new, empty generation folder (and its output folder), numbered one above every folder there —
    /// never the number of one in use, even after the database (and with it the run numbers) started anew.
    public func create() throws -> String {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let next = (names.compactMap { Int($0) }.max() ?? 0) + 1
        let path = (folder as NSString).appendingPathComponent(String(format: "%08d", next))
        try FileManager.default.createDirectory(
            atPath: (path as NSString).appendingPathComponent(Self.outputFolderName), withIntermediateDirectories: true)
        return path
    }

    /// Makes the workspace use generations, under the run's lock: moves an old single-file database and a
    /// real output folder into a first generation, creates an empty one for a new workspace, and points the
    /// user-facing names (`lagesbild.sqlite`, the output folder) at `current`.
    public func prepare(outputDirectory: String) throws {
        let files = FileManager.default
        try files.createDirectory(atPath: folder, withIntermediateDirectories: true)
        if current() == nil {
            let first = (folder as NSString).appendingPathComponent(String(format: "%08d", 0))
            try files.createDirectory(
                atPath: (first as NSString).appendingPathComponent(Self.outputFolderName),
                withIntermediateDirectories: true)
            if isRegularFile(legacyDatabase) {
                try Self.checkpoint(legacyDatabase)
                try move(legacyDatabase, to: (first as NSString).appendingPathComponent(Workspace.databaseFileName))
                for suffix in ["-wal", "-shm"] { unlink(legacyDatabase + suffix) }
            }
            if isRealFolder(outputDirectory) {
                let target = (first as NSString).appendingPathComponent(Self.outputFolderName)
                try files.removeItem(atPath: target)
                try move(outputDirectory, to: target)
            }
            try point(to: first)
        }
        try link(legacyDatabase, to: "\(Self.currentLinkName)/\(Workspace.databaseFileName)")
        let inside = outputDirectory == (directory as NSString).appendingPathComponent(Self.outputFolderName)
        try link(
            outputDirectory,
            to: inside
                ? "\(Self.currentLinkName)/\(Self.outputFolderName)"
                : (currentLink as NSString).appendingPathComponent(Self.outputFolderName))
    }

    /// Makes `generation` current: syncs it to disk, then replaces the `current` link in one rename.
    /// Before the rename the old generation is current whole; after it, the new one.
    public func promote(_ generation: String) throws {
        try Self.syncTree(generation)
        try point(to: generation)
    }

    /// Removes every generation but the current and the one before it, and unfinished ones.
    public func removeOld() {
        let files = FileManager.default
        guard let current = current(), let names = try? files.contentsOfDirectory(atPath: folder) else { return }
        let currentName = (current as NSString).lastPathComponent
        let older = names.filter { $0 < currentName }.sorted()
        for name in names where name != currentName && name != older.last {
            try? files.removeItem(atPath: (folder as NSString).appendingPathComponent(name))
        }
    }

    /// Links the current generation's published files into `generation`'s output folder, for a run that
    /// does not publish: its database changes, but what was published stays what it was. The files beside
    /// the output folder that describe it (publish's digests of its exports) come along.
    public func carryOutputs(into generation: String) throws {
        guard let current = current() else { return }
        let source = (current as NSString).appendingPathComponent(Self.outputFolderName)
        let target = (generation as NSString).appendingPathComponent(Self.outputFolderName)
        try Self.linkTree(from: source, to: target)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: current)) ?? []
        for name in names where name.hasSuffix(".json") {
            let from = (current as NSString).appendingPathComponent(name)
            let to = (generation as NSString).appendingPathComponent(name)
            if isRegularFile(from), Foundation.link(from, to) != 0 {
                try FileManager.default.copyItem(atPath: from, toPath: to)
            }
        }
    }

    /// Hard-links every file under `source` into `target` (folders are made), so a generation shares the
    /// bytes of the files it did not change.
    static func linkTree(from source: String, to target: String) throws {
        let files = FileManager.default
        guard let enumerator = files.enumerator(atPath: source) else { return }
        try files.createDirectory(atPath: target, withIntermediateDirectories: true)
        while let relative = enumerator.nextObject() as? String {
            let from = (source as NSString).appendingPathComponent(relative)
            let to = (target as NSString).appendingPathComponent(relative)
            if isRealFolder(from) {
                try files.createDirectory(atPath: to, withIntermediateDirectories: true)
            } else if Foundation.link(from, to) != 0 {
                try files.copyItem(atPath: from, toPath: to)
            }
        }
    }

    /// Replaces the `current` link with one to `generation`: a new link under a temporary name, renamed
    /// over the old one, and the folder synced.
    func point(to generation: String) throws {
        let relative = "\(Self.folderName)/\((generation as NSString).lastPathComponent)"
        let temporary = currentLink + ".next"
        unlink(temporary)
        guard symlink(relative, temporary) == 0, rename(temporary, currentLink) == 0 else {
            throw WorkspaceError.unusable(directory, "cannot switch to the new generation: \(lastError())")
        }
        _ = Workspace.sync(directory)
    }

    /// Makes `path` a symbolic link to `target`, unless it already is one.
    func link(_ path: String, to target: String) throws {
        if let existing = try? FileManager.default.destinationOfSymbolicLink(atPath: path), existing == target {
            return
        }
        if FileManager.default.fileExists(atPath: path) || isDanglingLink(path) {
            guard !isRealFolder(path), !isRegularFile(path) else {
                throw WorkspaceError.unusable(directory, "\(path) is in the way of the link to \(target)")
            }
            unlink(path)
        }
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        guard symlink(target, path) == 0 else {
            throw WorkspaceError.unusable(directory, "cannot link \(path) to \(target): \(lastError())")
        }
    }

    func move(_ source: String, to target: String) throws {
        if rename(source, target) == 0 { return }
        guard errno == EXDEV else {
            throw WorkspaceError.unusable(directory, "cannot move \(source) to \(target): \(lastError())")
        }
        try FileManager.default.copyItem(atPath: source, toPath: target)  // another file system
        try FileManager.default.removeItem(atPath: source)
    }

    /// Folds a WAL database's log into its main file, so the main file alone is the whole database.
    static func checkpoint(_ path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try queue.close()
    }

    /// `fsync` of every file and folder under `path`, the folder itself last.
    static func syncTree(_ path: String) throws {
        if let enumerator = FileManager.default.enumerator(atPath: path) {
            while let relative = enumerator.nextObject() as? String {
                _ = Workspace.sync((path as NSString).appendingPathComponent(relative))
            }
        }
        guard Workspace.sync(path) else {
            throw WorkspaceError.unusable(path, "cannot write the new generation to disk: \(lastError())")
        }
    }
}

func lastError() -> String { String(cString: strerror(errno)) }

func isRegularFile(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
}

func isRealFolder(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
}

func isDanglingLink(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
}
