#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes bytes to a file through a buffer, under a temporary name that ``close()`` renames to the final
/// path: memory stays bounded by the buffer and a reader never sees half a file.
final class ByteSink {
    let path: String
    private let temporaryPath: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private let capacity: Int
    private(set) var bytesWritten = 0

    init(path: String, capacity: Int = 1 << 20) throws {
        self.path = path
        self.temporaryPath = path + ".partial"
        self.capacity = capacity
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else {
            throw SampleGeneratorError("cannot create \(temporaryPath): \(String(cString: strerror(errno)))")
        }
        buffer.reserveCapacity(capacity + 4096)
    }

    deinit {
        if fd >= 0 {
            _ = systemClose(fd)
            unlink(temporaryPath)
        }
    }

    @inline(__always)
    func append(_ byte: UInt8) {
        buffer.append(byte)
    }

    @inline(__always)
    func append(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
    }

    /// ASCII text (dates, codes, numbers).
    func append(ascii text: String) {
        buffer.append(contentsOf: text.utf8)
    }

    /// A whole number in decimal, at least `width` digits with leading zeros.
    @inline(__always)
    func append(number: Int, width: Int = 1) {
        var value = number
        if value < 0 {
            buffer.append(UInt8(ascii: "-"))
            value = -value
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
        )
        var count = 0
        withUnsafeMutableBytes(of: &digits) { raw in
            repeat {
                raw[count] = UInt8(48 + value % 10)
                value /= 10
                count += 1
            } while value > 0 && count < 12
            while count < width && count < 12 {
                raw[count] = 48
                count += 1
            }
            for index in stride(from: count - 1, through: 0, by: -1) { buffer.append(raw[index]) }
        }
    }

    /// Flushes the buffer when it is full; call after each row.
    @inline(__always)
    func rowDone() throws {
        if buffer.count >= capacity { try flush() }
    }

    func flush() throws {
        var offset = 0
        try buffer.withUnsafeBytes { raw in
            while offset < raw.count {
                let written = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw SampleGeneratorError("cannot write \(temporaryPath): \(String(cString: strerror(errno)))")
                }
                offset += written
            }
        }
        bytesWritten += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, closes and renames the file to its final path.
    func close() throws {
        try flush()
        let status = systemClose(fd)
        fd = -1
        guard status == 0 else {
            throw SampleGeneratorError("cannot close \(temporaryPath): \(String(cString: strerror(errno)))")
        }
        guard rename(temporaryPath, path) == 0 else {
            throw SampleGeneratorError("cannot rename \(temporaryPath): \(String(cString: strerror(errno)))")
        }
    }
}

/// Something the generator cannot do (a missing code list, an unwritable folder, bad options).
public struct SampleGeneratorError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

private func systemClose(_ fd: Int32) -> Int32 {
    #if canImport(Glibc)
        return Glibc.close(fd)
    #else
        return Darwin.close(fd)
    #endif
}
