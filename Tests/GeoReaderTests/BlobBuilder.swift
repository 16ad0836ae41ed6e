import Foundation

/// Builds geometry blobs byte by byte, in either byte order, independently of the reader's own encoder.
struct BlobBuilder {
    var bytes: [UInt8] = []
    var bigEndian: Bool

    init(bigEndian: Bool) { self.bigEndian = bigEndian }

    mutating func uint32(_ value: UInt32) {
        let ordered = bigEndian ? value.bigEndian : value.littleEndian
        withUnsafeBytes(of: ordered) { bytes.append(contentsOf: $0) }
    }

    mutating func double(_ value: Double) {
        let ordered = bigEndian ? value.bitPattern.bigEndian : value.bitPattern.littleEndian
        withUnsafeBytes(of: ordered) { bytes.append(contentsOf: $0) }
    }

    mutating func order() { bytes.append(bigEndian ? 0 : 1) }

    /// A WKB polygon of one ring (the points as given).
    mutating func polygon(_ ring: [(Double, Double)]) {
        order()
        uint32(3)
        uint32(1)
        uint32(UInt32(ring.count))
        for (x, y) in ring {
            double(x)
            double(y)
        }
    }

    /// A GeoPackage header: `GP`, version 0, flags (byte order, envelope kind, empty), srs id, envelope.
    mutating func geoPackageHeader(srsID: Int32, envelopeKind: UInt8, empty: Bool = false) {
        bytes += [0x47, 0x50, 0, (bigEndian ? 0 : 1) | envelopeKind << 1 | (empty ? 0b1_0000 : 0)]
        uint32(UInt32(bitPattern: srsID))
        let doubles = [0, 4, 6, 6, 8][Int(envelopeKind)]
        for index in 0..<doubles { double(Double(index)) }
    }

    static let square: [(Double, Double)] = [
        (370_000, 6_280_000), (371_000, 6_280_000), (371_000, 6_281_000), (370_000, 6_281_000),
        (370_000, 6_280_000),
    ]
}
