import Foundation
import Logging
import PipelineModel

#if canImport(Glibc)
    import Glibc
#endif

/// Writes a fetched answer as a new dated delivery file: into a hidden temporary file in the same folder
/// (which no `files` pattern matches), synced, then linked to its final name — which fails rather than
/// replace a file — so the folder holds the whole delivery or none of it, and never loses an earlier one.
enum DeliveryWriter {
    /// The fetch time in a delivery's name: local time to the minute, `2026-11-29T0200`.
    static func stamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(
            format: "%04d-%02d-%02dT%02d%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0,
            parts.minute ?? 0)
    }

    /// Writes `data` as a new delivery of `spec` fetched at `date` and returns its path. A name already taken
    /// gets `-2`, `-3`, … after the time.
    static func write(_ data: Data, spec: FetchSpec, at date: Date, source: String) throws -> String {
        let folder = spec.folder
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw FetchError(.cannotWrite, source: source, "cannot create the folder \(folder): \(error)")
        }
        let time = stamp(date)
        for attempt in 1...1000 {
            let name = spec.fileName.replacingOccurrences(
                of: "{time}", with: attempt == 1 ? time : "\(time)-\(attempt)")
            let path = (folder as NSString).appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: path) { continue }
            let temporary = (folder as NSString).appendingPathComponent(".\(name).\(getpid()).part")
            defer { unlink(temporary) }
            try writeSynced(data, to: temporary, source: source)
            if link(temporary, path) == 0 {
                syncFolder(folder)
                return path
            }
            let failure = errno
            if failure == EEXIST { continue }
            // A file system without hard links: rename, having checked the name is still free.
            guard [EPERM, EOPNOTSUPP, ENOTSUP, EXDEV].contains(failure) else {
                throw FetchError(
                    .cannotWrite, source: source, "cannot create \(path): \(String(cString: strerror(failure)))")
            }
            if FileManager.default.fileExists(atPath: path) { continue }
            guard rename(temporary, path) == 0 else {
                throw FetchError(
                    .cannotWrite, source: source, "cannot create \(path): \(String(cString: strerror(errno)))")
            }
            syncFolder(folder)
            return path
        }
        throw FetchError(.cannotWrite, source: source, "no free file name for \(spec.fileName) in \(folder)")
    }

    /// Removes the temporary files a fetch that was killed while writing left in the folder (hidden, so no
    /// pattern ever matched them). Called under the workspace lock, when no other fetch writes.
    static func removeLeftovers(spec: FetchSpec) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: spec.folder)) ?? []
        let pattern = "." + spec.fileName.replacingOccurrences(of: "{time}", with: "*") + ".*.part"
        for name in names where fnmatch(pattern, name, 0) == 0 {
            unlink((spec.folder as NSString).appendingPathComponent(name))
        }
    }

    /// Writes `data` to a new file at `path` and syncs it to the disk.
    static func writeSynced(_ data: Data, to path: String, source: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else {
            throw FetchError(.cannotWrite, source: source, "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let failure: Int32? = data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return fsync(descriptor) == 0 ? nil : errno
        }
        if let failure {
            let reason = failure == ENOSPC ? "no space left on the device" : String(cString: strerror(failure))
            throw FetchError(.cannotWrite, source: source, "cannot write \(path): \(reason)")
        }
    }

    /// Syncs a folder, so a new name in it survives a crash.
    static func syncFolder(_ folder: String) {
        let descriptor = open(folder, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    /// Under `keep: latest`: moves every earlier delivery of `spec` (every file matching its `file_name`
    /// pattern but `latest`) into `superseded/`, where the source's pattern no longer matches it; ingest
    /// then retires its rows. Returns the files moved.
    static func supersede(except latest: String, spec: FetchSpec, source: String, logger: Logger) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: spec.folder)) ?? []
        var moved: [String] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            let path = (spec.folder as NSString).appendingPathComponent(name)
            var isFolder: ObjCBool = false
            guard path != latest, fnmatch(spec.deliveryPattern, path, FNM_PATHNAME | FNM_PERIOD) == 0,
                FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue
            else { continue }
            do {
                try FileManager.default.createDirectory(
                    atPath: spec.supersededFolder, withIntermediateDirectories: true)
                var target = (spec.supersededFolder as NSString).appendingPathComponent(name)
                var number = 2
                while FileManager.default.fileExists(atPath: target) {
                    target = (spec.supersededFolder as NSString).appendingPathComponent("\(number)-\(name)")
                    number += 1
                }
                try FileManager.default.moveItem(atPath: path, toPath: target)
                moved.append(path)
            } catch {
                logger.warning(
                    "an earlier delivery could not be moved aside; it is still read",
                    metadata: ["source_id": "\(source)", "file": "\(path)", "reason": "\(error)"])
            }
        }
        if !moved.isEmpty { syncFolder(spec.folder) }
        return moved
    }
}
