import Foundation
import LagesbildModel
import StageKit

/// Rejected records written as JSON lines to a file, so a file with millions of bad rows does not
/// fill the memory before they reach the quarantine.
final class RejectionSpool {
    let path: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private let encoder = JSONEncoder()
    private(set) var count = 0

    init(path: String) throws {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw StageDataError(stage: .ingest, message: "cannot create the spool file \(path)") }
        self.handle = handle
    }

    func add(_ record: RejectedRecord) throws {
        buffer += try encoder.encode(record)
        buffer.append(0x0A)
        count += 1
        if buffer.count > 1 << 16 { try flush() }
    }

    func close() throws {
        try flush()
        try handle.close()
    }

    private func flush() throws {
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Calls `body` with every record of a spool file, reading it in chunks.
    static func forEach(path: String, _ body: (RejectedRecord) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        let decoder = JSONDecoder()
        var pending = Data()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            pending.append(chunk)
            while let end = pending.firstIndex(of: 0x0A) {
                let line = pending[pending.startIndex..<end]
                if !line.isEmpty { try body(try decoder.decode(RejectedRecord.self, from: line)) }
                pending = pending[(end + 1)...]
            }
            pending = Data(pending)
        }
        if !pending.isEmpty { try body(try decoder.decode(RejectedRecord.self, from: pending)) }
    }
}
