import Foundation

/// Reads a column file chunk by chunk, in constant memory.
public struct ColumnFileReader: Sendable {
    public let path: String
    public let footer: ColumnFileFooter

    /// Opens `path` and reads its footer; a file that is not a complete column file is an error.
    public init(path: String) throws {
        self.path = path
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ColumnFileError(path: path, message: "cannot open the file (errno \(errno))")
        }
        defer { try? handle.close() }
        do {
            let size = try handle.seekToEnd()
            guard size >= 24 else { throw ColumnFileError(path: path, message: "not a column file (too short)") }
            try handle.seek(toOffset: size - 16)
            let tail = [UInt8](try handle.read(upToCount: 16) ?? Data())
            guard tail.count == 16, Array(tail[8...]) == ColumnFile.endMagic else {
                throw ColumnFileError(path: path, message: "not a complete column file (no end marker)")
            }
            var length: UInt64 = 0
            for index in (0..<8).reversed() { length = length << 8 | UInt64(tail[index]) }
            guard length <= size - 24 else { throw ColumnFileError(path: path, message: "the footer length is wrong") }
            try handle.seek(toOffset: size - 16 - length)
            let data = try handle.read(upToCount: Int(length)) ?? Data()
            footer = try JSONDecoder().decode(ColumnFileFooter.self, from: data)
        } catch let error as ColumnFileError {
            throw error
        } catch {
            throw ColumnFileError(path: path, message: "cannot read the footer: \(error)")
        }
    }

    /// Calls `body` with each chunk in order, from chunk `first` on.
    public func forEachChunk(from first: Int = 0, _ body: (ColumnChunk) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ColumnFileError(path: path, message: "cannot open the file (errno \(errno))")
        }
        defer { try? handle.close() }
        let columnCount = footer.columns.count
        var values = [Int32](repeating: 0, count: (footer.chunks.map(\.rows).max() ?? 0) * columnCount)
        for chunk in footer.chunks.dropFirst(first) {
            let byteCount = chunk.widths.reduce(0, +) * chunk.rows
            let data: Data
            do {
                try handle.seek(toOffset: UInt64(chunk.offset))
                data = try handle.read(upToCount: byteCount) ?? Data()
            } catch {
                throw ColumnFileError(path: path, message: "cannot read a chunk: \(error)")
            }
            guard data.count == byteCount else {
                throw ColumnFileError(path: path, message: "a chunk at byte \(chunk.offset) is truncated")
            }
            let rows = chunk.rows
            data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
                values.withUnsafeMutableBufferPointer { values in
                    var position = 0
                    for column in 0..<columnCount {
                        let target = values.baseAddress! + column * rows
                        switch chunk.widths[column] {
                        case 1:
                            for row in 0..<rows { target[row] = Int32(Int8(bitPattern: raw[position + row])) }
                        case 2:
                            for row in 0..<rows {
                                let low = UInt16(raw[position + 2 * row])
                                let high = UInt16(raw[position + 2 * row + 1])
                                target[row] = Int32(Int16(bitPattern: low | high << 8))
                            }
                        default:
                            for row in 0..<rows {
                                var bits: UInt32 = 0
                                for byte in (0..<4).reversed() {
                                    bits = bits << 8 | UInt32(raw[position + 4 * row + byte])
                                }
                                target[row] = Int32(bitPattern: bits)
                            }
                        }
                        position += chunk.widths[column] * rows
                    }
                }
            }
            try values.withUnsafeBufferPointer { values in
                try body(ColumnChunk(rows: rows, values: values.baseAddress!))
            }
        }
    }
}

/// One chunk of rows, valid only inside the closure it is passed to.
public struct ColumnChunk {
    /// The number of rows in this chunk.
    public let rows: Int
    let values: UnsafePointer<Int32>

    /// The values of column `index` (0-based, in the file's column order).
    @inline(__always)
    public func column(_ index: Int) -> UnsafeBufferPointer<Int32> {
        UnsafeBufferPointer(start: values + index * rows, count: rows)
    }
}
