/// Trimming on UTF-8 bytes, with the same notion of space as `trimmingWhitespace()`: space, tab, line
/// breaks, no-break space (U+00A0), narrow no-break space (U+202F) and the Unicode line separators.
enum ByteTrim {
    @inline(__always)
    static func trimmed(_ field: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        guard let base = field.baseAddress else { return field }
        var start = 0
        var end = field.count
        while start < end {
            let width = spaceWidth(field, at: start)
            if width == 0 { break }
            start += width
        }
        while end > start {
            let width = spaceWidthBefore(field, end: end, start: start)
            if width == 0 { break }
            end -= width
        }
        return UnsafeBufferPointer(start: base + start, count: end - start)
    }

    @inline(__always)
    private static func spaceWidth(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let byte = bytes[index]
        if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) { return 1 }
        if byte == 0xC2, index + 1 < bytes.count, bytes[index + 1] == 0xA0 || bytes[index + 1] == 0x85 { return 2 }
        if byte == 0xE2, index + 2 < bytes.count, bytes[index + 1] == 0x80,
            [0xAF, 0xA8, 0xA9].contains(bytes[index + 2])
        {
            return 3
        }
        return 0
    }

    @inline(__always)
    private static func spaceWidthBefore(_ bytes: UnsafeBufferPointer<UInt8>, end: Int, start: Int) -> Int {
        let byte = bytes[end - 1]
        if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) { return 1 }
        if end - 2 >= start, bytes[end - 2] == 0xC2, byte == 0xA0 || byte == 0x85 { return 2 }
        if end - 3 >= start, bytes[end - 3] == 0xE2, bytes[end - 2] == 0x80, [0xAF, 0xA8, 0xA9].contains(byte) {
            return 3
        }
        return 0
    }
}
