import CLibZ
import Foundation
import LagesbildModel
import ZIPFoundation

/// The zip archive of a workbook, read part by part as a stream (ZIPFoundation inflates in 64 KB
/// chunks), with the zip-bomb limits of ``XLSXLimits`` checked on every chunk.
final class WorkbookArchive {
    let path: String
    let limits: XLSXLimits
    private let archive: Archive
    /// Decompressed bytes read so far from all parts.
    private(set) var totalBytes = 0

    /// Decompressed bytes per chunk handed to the XML parser.
    static let chunkSize = 64 * 1024

    /// Opens the archive; an encrypted, legacy or non-zip file is refused with a plain message.
    init(path: String, limits: XLSXLimits) throws(XLSXReadError) {
        self.path = path
        self.limits = limits
        try Self.checkSignature(path)
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw XLSXReadError(
                file: path, "the workbook is not a readable zip archive (damaged or truncated?): \(error)")
        }
    }

    /// True when the archive has a part at `part`.
    func contains(_ part: String) -> Bool { archive[part] != nil }

    /// The names of every part.
    var parts: [String] { archive.map(\.path) }

    /// Streams the decompressed bytes of `part` to `parser`, stopping when the parser stops.
    func stream(_ part: String, into parser: SAXPushParser) throws {
        guard let entry = archive[part] else {
            throw XLSXReadError(file: path, place: part, "the workbook has no part \(part)")
        }
        let compressed = max(Int(clamping: entry.compressedSize), 1)
        if Int(clamping: entry.uncompressedSize) > limits.entryBytes {
            throw bomb(
                part,
                "declares \(entry.uncompressedSize) bytes uncompressed, more than the limit of "
                    + "\(limits.entryBytes)")
        }
        var bytes = 0
        var checksum: UInt = 0
        do {
            // The CRC-32 is zlib's, checked below: ZIPFoundation's own is a Swift loop on Linux, half as fast.
            _ = try archive.extract(entry, bufferSize: Self.chunkSize, skipCRC32: true) { data in
                bytes += data.count
                checksum = data.withUnsafeBytes { buffer in
                    crc32(checksum, buffer.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt(buffer.count))
                }
                totalBytes += data.count
                if bytes > limits.entryBytes {
                    throw bomb(part, "decompresses to more than the limit of \(limits.entryBytes) bytes")
                }
                if totalBytes > limits.totalBytes {
                    throw bomb(part, "the parts read decompress to more than the limit of \(limits.totalBytes) bytes")
                }
                if bytes > limits.ratioFloor, bytes / compressed > limits.compressionRatio {
                    throw bomb(
                        part,
                        "decompresses more than \(limits.compressionRatio) times its compressed size "
                            + "(\(compressed) bytes)")
                }
                let goOn = try data.withUnsafeBytes { try parser.feed($0) }
                if !goOn { throw StopStreaming() }
            }
        } catch is StopStreaming {
            return
        } catch let error as XLSXReadError {
            throw error
        } catch let error as Archive.ArchiveError {
            throw XLSXReadError(
                file: path, place: part,
                "the part cannot be decompressed (the archive is damaged or truncated): \(error)")
        } catch {
            throw XLSXReadError(file: path, place: part, "the part cannot be read: \(error)")
        }
        guard UInt32(truncatingIfNeeded: checksum) == entry.checksum else {
            throw XLSXReadError(
                file: path, place: part,
                "the part's checksum does not match: the archive is damaged (a byte changed in transfer?)")
        }
        try parser.finish()
    }

    private func bomb(_ part: String, _ message: String) -> XLSXReadError {
        XLSXReadError(file: path, place: part, "refused as a possible zip bomb: the part \(message)")
    }

    private struct StopStreaming: Error {}

    /// Refuses files that are not zip archives with a message that says what they are.
    static func checkSignature(_ path: String) throws(XLSXReadError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw XLSXReadError(file: path, "the file does not exist or cannot be read")
        }
        defer { try? handle.close() }
        let head = Array((try? handle.read(upToCount: 8)) ?? Data())
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x50, 0x4B, 0x05, 0x06]) { return }
        if head.isEmpty { throw XLSXReadError(file: path, "the file is empty") }
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            // An OLE compound file: a password-protected workbook (its zip sealed in an EncryptedPackage
            // stream) or an Excel 97–2003 .xls file. The stream names are in UTF-16 in the directory.
            let body = (try? handle.read(upToCount: 16 << 20)) ?? Data()
            let encrypted = Array("EncryptedPackage".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
            if body.range(of: Data(encrypted)) != nil {
                throw XLSXReadError(
                    file: path, "the workbook is encrypted (password-protected); save it without a password")
            }
            throw XLSXReadError(
                file: path,
                "the file is an Excel 97–2003 workbook (.xls) or another OLE compound file, not .xlsx; "
                    + "open it in Excel and save it as .xlsx (Excel-arbetsbok)")
        }
        let first = head.first { ![9, 10, 13, 32, 0xEF, 0xBB, 0xBF].contains($0) }
        if first == UInt8(ascii: "<") {
            throw XLSXReadError(
                file: path,
                "the file is HTML or XML, not an .xlsx workbook (a web site's 'Excel' download is often an "
                    + "HTML table); save it as .xlsx, or read it as CSV")
        }
        throw XLSXReadError(file: path, "the file is not an .xlsx workbook (no zip signature)")
    }
}
