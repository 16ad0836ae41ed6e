import LagesbildModel

/// Why a workbook cannot be read: where (the file, and the sheet and cell or the part when known) and why,
/// in plain words.
public struct XLSXReadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file, and in ``SourceLocation/place`` the sheet and cell (`Blad1!C17`) or the archive part.
    public var location: SourceLocation
    public var message: String

    public init(location: SourceLocation, message: String) {
        self.location = location
        self.message = PersonalNumberMask.mask(message)
    }

    init(file: String, place: String? = nil, row: Int = 0, _ message: String) {
        self.init(location: SourceLocation(file: file, line: row, place: place), message: message)
    }

    public var description: String { "\(location): \(message)" }
}

/// Limits that protect against zip bombs: checked against each entry's declared size and again, as bytes
/// come out of the decompressor, against what it really produces.
public struct XLSXLimits: Sendable, Hashable {
    /// The most bytes one archive part may decompress to.
    public var entryBytes: Int
    /// The most bytes all parts read from one workbook may decompress to, together.
    public var totalBytes: Int
    /// The highest ratio of decompressed to compressed bytes a part may have once past ``ratioFloor``.
    public var compressionRatio: Int
    /// Parts smaller than this are not held to ``compressionRatio`` (small XML compresses very well).
    public var ratioFloor: Int

    public init(entryBytes: Int, totalBytes: Int, compressionRatio: Int, ratioFloor: Int = 1 << 20) {
        self.entryBytes = entryBytes
        self.totalBytes = totalBytes
        self.compressionRatio = compressionRatio
        self.ratioFloor = ratioFloor
    }

    /// 200 MB a part, 1 GB in all, 100:1.
    public static let standard = XLSXLimits(
        entryBytes: 200_000_000, totalBytes: 1_000_000_000, compressionRatio: 100)
}
