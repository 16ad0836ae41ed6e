import Foundation

/// Writes a column file row by row: set each column's value with ``set(_:_:)``, then ``endRow()``.
///
/// The file is written under a temporary name and moved into place (after `fsync`) by ``finish()``,
/// so a reader never sees half a file; ``discard()`` removes the temporary file.
public final class ColumnFileWriter {
    public let path: String
    public let columns: [String]
    /// String dictionaries to store in the footer.
    public var dictionaries: [String: [String]] = [:]
    /// Facts to store in the footer.
    public var metadata: [String: String] = [:]

    private let chunkRows: Int
    /// The current chunk, column after column (`chunkRows` values each). A raw pointer, not an array:
    /// ``set(_:_:)`` runs for every value of millions of rows, and an array property of a class pays a
    /// dynamic exclusivity check on each write.
    private let buffer: UnsafeMutablePointer<Int32>
    /// The row within the current chunk, behind a pointer for the same reason as `buffer`.
    private let cursor: UnsafeMutablePointer<Int>
    private var rowInChunk: Int {
        get { cursor.pointee }
        set { cursor.pointee = newValue }
    }
    private var totalRows = 0
    private var chunks: [ColumnFileFooter.Chunk] = []
    private let handle: FileHandle
    private let temporaryPath: String
    private var offset = 0
    private var bytes: [UInt8] = []

    /// Creates the file (under a temporary name until ``finish()``).
    public init(path: String, columns: [String], chunkRows: Int = ColumnFile.defaultChunkRows) throws {
        self.path = path
        self.columns = columns
        self.chunkRows = chunkRows
        cursor = .allocate(capacity: 1)
        cursor.initialize(to: 0)
        buffer = .allocate(capacity: chunkRows * columns.count)
        buffer.initialize(repeating: 0, count: chunkRows * columns.count)
        temporaryPath = path + ".partial"
        guard FileManager.default.createFile(atPath: temporaryPath, contents: nil),
            let handle = FileHandle(forWritingAtPath: temporaryPath)
        else {
            buffer.deallocate()
            cursor.deallocate()
            throw ColumnFileError(path: path, message: "cannot create the file (errno \(errno))")
        }
        self.handle = handle
        try write(ColumnFile.magic)
    }

    /// Creates a file that starts with every chunk of `existing`, copied byte for byte, and goes on with
    /// the rows written next: a file that grew at its end is written again without encoding its old rows
    /// again. The dictionaries and metadata are the caller's to set (the old ones, extended).
    public convenience init(path: String, continuing existing: ColumnFileReader) throws {
        try self.init(path: path, columns: existing.footer.columns)
        let footer = existing.footer
        guard footer.chunks.allSatisfy({ $0.rows <= chunkRows }) else {
            discard()
            throw ColumnFileError(path: existing.path, message: "its chunks are larger than this writer's")
        }
        let dataEnd = footer.chunks.last.map { $0.offset + $0.widths.reduce(0, +) * $0.rows } ?? offset
        let source = open(existing.path, O_RDONLY)
        guard source >= 0 else {
            discard()
            throw ColumnFileError(path: existing.path, message: "cannot open the file (errno \(errno))")
        }
        defer { close(source) }
        var position = off_t(offset)
        while Int(position) < dataEnd {
            let copied = sendfile(handle.fileDescriptor, source, &position, dataEnd - Int(position))
            if copied < 0, errno == EINTR { continue }
            guard copied > 0 else {
                discard()
                throw ColumnFileError(
                    path: path, message: "cannot copy the chunks of \(existing.path) (errno \(errno))")
            }
        }
        offset = dataEnd
        chunks = footer.chunks
        totalRows = footer.rows
    }

    deinit {
        buffer.deallocate()
        cursor.deallocate()
    }

    /// The number of rows written so far (including the current chunk).
    public var rowCount: Int { totalRows + rowInChunk }

    /// Sets column `column` of the current row.
    @inline(__always)
    public func set(_ column: Int, _ value: Int32) {
        buffer[column &* chunkRows &+ rowInChunk] = value
    }

    /// Ends the current row; every column must have been set.
    @inline(__always)
    public func endRow() throws {
        rowInChunk += 1
        if rowInChunk == chunkRows { try flushChunk() }
    }

    /// Appends rows given column by column (`columns[index]` holds column `index`'s values, each
    /// column as long as the others): the same as setting them row by row, in bulk.
    public func appendRows(_ columns: [[Int32]]) throws {
        precondition(columns.count == self.columns.count)
        let count = columns.first?.count ?? 0
        var done = 0
        while done < count {
            let take = min(count - done, chunkRows - rowInChunk)
            for (index, column) in columns.enumerated() {
                column.withUnsafeBufferPointer { values in
                    (buffer + index * chunkRows + rowInChunk).update(from: values.baseAddress! + done, count: take)
                }
            }
            rowInChunk += take
            done += take
            if rowInChunk == chunkRows { try flushChunk() }
        }
    }

    /// Writes the footer and moves the file into place.
    public func finish() throws {
        try flushChunk()
        let footer = ColumnFileFooter(
            columns: columns, rows: totalRows, chunks: chunks, dictionaries: dictionaries, metadata: metadata)
        let encoded = try JSONEncoder().encode(footer)
        var tail = [UInt8](encoded)
        withUnsafeBytes(of: UInt64(encoded.count).littleEndian) { tail.append(contentsOf: $0) }
        tail += ColumnFile.endMagic
        try write(tail)
        do {
            try handle.synchronize()
            try handle.close()
        } catch {
            throw ColumnFileError(path: path, message: "cannot write the file: \(error)")
        }
        guard rename(temporaryPath, path) == 0 else {
            throw ColumnFileError(path: path, message: "cannot move the file into place (errno \(errno))")
        }
    }

    /// Abandons the file.
    public func discard() {
        try? handle.close()
        unlink(temporaryPath)
    }

    private func flushChunk() throws {
        let rows = rowInChunk
        guard rows > 0 else { return }
        var widths: [Int] = []
        bytes.removeAll(keepingCapacity: true)
        do {
            for column in columns.indices {
                let values = UnsafeBufferPointer(start: buffer + column * chunkRows, count: rows)
                var low = values[0]
                var high = values[0]
                for value in values {
                    low = min(low, value)
                    high = max(high, value)
                }
                let width =
                    low >= Int32(Int8.min) && high <= Int32(Int8.max)
                    ? 1 : low >= Int32(Int16.min) && high <= Int32(Int16.max) ? 2 : 4
                widths.append(width)
                let start = bytes.count
                bytes.append(contentsOf: repeatElement(0, count: rows * width))
                bytes.withUnsafeMutableBytes { raw in
                    let out = raw.baseAddress! + start
                    switch width {
                    case 1:
                        for (index, value) in values.enumerated() {
                            out.storeBytes(of: Int8(truncatingIfNeeded: value), toByteOffset: index, as: Int8.self)
                        }
                    case 2:
                        for (index, value) in values.enumerated() {
                            out.storeBytes(
                                of: Int16(truncatingIfNeeded: value).littleEndian, toByteOffset: 2 * index,
                                as: Int16.self)
                        }
                    default:
                        for (index, value) in values.enumerated() {
                            out.storeBytes(of: value.littleEndian, toByteOffset: 4 * index, as: Int32.self)
                        }
                    }
                }
            }
        }
        chunks.append(ColumnFileFooter.Chunk(offset: offset, rows: rows, widths: widths))
        try write(bytes)
        totalRows += rows
        rowInChunk = 0
    }

    private func write(_ data: [UInt8]) throws {
        do {
            try handle.write(contentsOf: data)
        } catch {
            throw ColumnFileError(path: path, message: "cannot write the file: \(error)")
        }
        offset += data.count
    }
}
