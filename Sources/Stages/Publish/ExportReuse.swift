import Crypto
import Foundation
import StageKit
import Workspace

/// Keeps the export files whose contents did not change: publish writes into a new generation's output
/// folder, and a file made from the same rows as the previous generation's is hard-linked from there
/// instead of being formatted and written again (a nightly run changes a few indicators of many).
///
/// What a file is made from is its *digest*: the export format's version, the file's kind, the columns and
/// every row's fields. The digests live in a manifest beside the generation's output folder
/// (`generations/<id>/exports.json`), not in it, so the output folder holds only what was asked for. A
/// file is reused when the previous manifest has the same digest for its path and the previous file is
/// still there with the size and modification time recorded when it was written (the generation's files
/// are never changed in place). Its `publications` row keeps the recorded SHA-256 and `written_at`: the
/// time the bytes were written, which a reused file shares with its first generation.
///
/// Without a generation (publish straight into the output folder) nothing is reused and no manifest is
/// written. A run that does not publish links the previous files and the manifest into its generation
/// (`Generations.carryOutputs`), so the publish after it reuses them as well.
struct ExportReuse: Sendable {
    /// The version of the CSV and JSON writers: bump it whenever they write other bytes for the same rows, so
    /// no file of the old format is reused.
    static let formatVersion = 1
    /// The manifest's name, in the generation folder beside its output folder.
    static let manifestFileName = "exports.json"

    /// What the manifest records of one written file.
    struct Entry: Codable, Sendable, Hashable {
        var kind: String
        var digest: String
        var sha256: String
        var rows: Int
        var writtenAt: String
        var size: Int64
        /// The modification time in nanoseconds since 1970.
        var modified: Int64
    }

    /// The manifest: the format version and each file's entry by its name in the output folder.
    struct Manifest: Codable, Sendable {
        var formatVersion: Int
        var files: [String: Entry]
    }

    /// Where this generation's manifest goes; nil without a generation.
    let manifestPath: String?
    /// The previous generation's output folder and its manifest's files, when there is one to reuse from.
    let previousFolder: String?
    let previous: [String: Entry]
    /// The entries of the files written or reused so far in this run.
    private(set) var entries: [String: Entry] = [:]

    /// Reuse for publishing into `staging`: when that is a generation's output folder of `workspace`, the
    /// current (previous) generation's files are the ones to reuse.
    init(staging: String, workspace: String) {
        let generation = (staging as NSString).deletingLastPathComponent
        let generations = Generations(directory: workspace)
        let folder = (generations.directory as NSString).appendingPathComponent(Generations.folderName)
        guard (staging as NSString).lastPathComponent == Generations.outputFolderName,
            ((generation as NSString).deletingLastPathComponent as NSString).standardizingPath
                == (folder as NSString).standardizingPath
        else {
            manifestPath = nil
            previousFolder = nil
            previous = [:]
            return
        }
        manifestPath = (generation as NSString).appendingPathComponent(Self.manifestFileName)
        guard let current = generations.current(),
            (current as NSString).standardizingPath != (generation as NSString).standardizingPath,
            let data = FileManager.default.contents(
                atPath: (current as NSString).appendingPathComponent(Self.manifestFileName)),
            let manifest = try? JSONDecoder().decode(Manifest.self, from: data),
            manifest.formatVersion == Self.formatVersion
        else {
            previousFolder = nil
            previous = [:]
            return
        }
        previousFolder = (current as NSString).appendingPathComponent(Generations.outputFolderName)
        previous = manifest.files
    }

    /// The digest of a table's contents as exported: the format version, the columns and every field.
    static func digest(columns: [String], rows: [[IndicatorExport.Field]]) -> String {
        var hasher = SHA256()
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 16)
        func append(_ text: String) {
            withUnsafeBytes(of: UInt64(text.utf8.count).littleEndian) { buffer.append(contentsOf: $0) }
            buffer.append(contentsOf: text.utf8)
        }
        append("lagesbild-export-\(formatVersion)")
        withUnsafeBytes(of: UInt64(columns.count).littleEndian) { buffer.append(contentsOf: $0) }
        columns.forEach(append)
        for row in rows {
            buffer.append(0xFF)  // a row starts
            for field in row {
                switch field {
                case .null: buffer.append(0)
                case .text(let text):
                    buffer.append(1)
                    append(text)
                case .number(let number):
                    buffer.append(2)
                    withUnsafeBytes(of: number.bitPattern.littleEndian) { buffer.append(contentsOf: $0) }
                }
            }
            if buffer.count >= 1 << 16 {
                hasher.update(data: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        hasher.update(data: buffer)
        return hex(hasher.finalize())
    }

    /// A file's digest: its table's digest and the form it is written in.
    static func digest(table: String, kind: String) -> String {
        hex(SHA256.hash(data: Data("\(table)|\(kind)".utf8)))
    }

    static func hex<Digest: Sequence>(_ digest: Digest) -> String where Digest.Element == UInt8 {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    /// Links the previous generation's `name` into `staging` when it was made from `digest` and is as it was
    /// written; returns its entry then (nil: the file must be written).
    mutating func reuse(_ name: String, kind: String, digest: String, staging: String) -> Entry? {
        guard let previousFolder, let entry = previous[name], entry.kind == kind, entry.digest == digest else {
            return nil
        }
        let source = (previousFolder as NSString).appendingPathComponent(name)
        guard let state = Self.state(source), state.size == entry.size, state.modified == entry.modified else {
            return nil
        }
        let target = (staging as NSString).appendingPathComponent(name)
        let temporary = target + ".tmp-\(getpid())"
        unlink(temporary)
        if link(source, temporary) != 0 {
            // Another file system or no hard links: a copy is still cheaper than formatting the table again.
            guard (try? FileManager.default.copyItem(atPath: source, toPath: temporary)) != nil else { return nil }
        }
        guard rename(temporary, target) == 0, let copied = Self.state(target) else {
            unlink(temporary)
            return nil
        }
        var reused = entry
        (reused.size, reused.modified) = (copied.size, copied.modified)
        entries[name] = reused
        return reused
    }

    /// Records a file written in this run.
    mutating func record(_ name: String, path: String, entry: Entry) {
        var entry = entry
        if let state = Self.state(path) { (entry.size, entry.modified) = (state.size, state.modified) }
        entries[name] = entry
    }

    /// Writes this generation's manifest (nothing without a generation).
    func writeManifest() throws {
        guard let manifestPath else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(Manifest(formatVersion: Self.formatVersion, files: entries))
        try AtomicFile.write(data, to: manifestPath)
    }

    /// A regular file's size and modification time (nanoseconds), or nil when there is none.
    static func state(_ path: String) -> (size: Int64, modified: Int64)? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return (Int64(info.st_size), Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
    }
}
