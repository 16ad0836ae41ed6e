/// A GeoPackage geometry blob (GeoPackage 1.x, §2.1.3): `GP`, a version byte, a flags byte (bit 0 the
/// header's byte order, bits 1–3 the envelope kind, bit 4 empty, bit 5 extended type), the SRS id, the
/// envelope (0, 32, 48 or 64 bytes), then standard WKB.
public enum GeoPackageGeometry {
    /// What a blob holds: its SRS id and its geometry (nil when the empty bit is set).
    public struct Decoded: Sendable, Hashable {
        public var srsID: Int32
        public var geometry: MapGeometry?
    }

    /// The bytes of the envelope for each kind (1…4); kind 0 has none, 5–7 are invalid.
    static func envelopeBytes(kind: Int) -> Int? {
        switch kind {
        case 0: return 0
        case 1: return 32
        case 2, 3: return 48
        case 4: return 64
        default: return nil
        }
    }

    public static func decode(_ bytes: [UInt8]) throws(GeometryError) -> Decoded {
        guard bytes.count >= 8 else {
            throw GeometryError("a GeoPackage geometry has at least 8 bytes; this one has \(bytes.count)")
        }
        guard bytes[0] == 0x47, bytes[1] == 0x50 else {
            throw GeometryError("the geometry does not start with 'GP' (not a GeoPackage geometry)")
        }
        guard bytes[2] == 0 else {
            throw GeometryError("GeoPackage geometry version \(bytes[2]) is unknown (0 is 1.x)")
        }
        let flags = bytes[3]
        guard flags & 0b0010_0000 == 0 else {
            throw GeometryError("an extended GeoPackage geometry type cannot be read")
        }
        let kind = Int((flags >> 1) & 0b111)
        guard let envelope = envelopeBytes(kind: kind) else {
            throw GeometryError("envelope kind \(kind) is invalid (0–4)")
        }
        var cursor = ByteCursor(bytes: bytes, offset: 4, littleEndian: flags & 1 == 1)
        let srsID = Int32(bitPattern: try cursor.uint32())
        guard cursor.remaining >= envelope else {
            throw GeometryError("the envelope of \(envelope) bytes does not fit in the \(cursor.remaining) bytes left")
        }
        if flags & 0b0001_0000 != 0 { return Decoded(srsID: srsID, geometry: nil) }
        let geometry = try WKB.decode(bytes, from: 8 + envelope)
        return Decoded(srsID: srsID, geometry: geometry)
    }

    /// A blob for `geometry` (little-endian header, envelope kind 1), as a GeoPackage writer stores it.
    public static func encode(_ geometry: MapGeometry, srsID: Int32 = 3006) -> [UInt8] {
        var out: [UInt8] = [0x47, 0x50, 0, 0b0000_0011]
        withUnsafeBytes(of: UInt32(bitPattern: srsID).littleEndian) { out.append(contentsOf: $0) }
        let bounds = geometry.bounds ?? MapBounds(minX: 0, minY: 0, maxX: 0, maxY: 0)
        for value in [bounds.minX, bounds.maxX, bounds.minY, bounds.maxY] {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { out.append(contentsOf: $0) }
        }
        return out + WKB.encode(geometry)
    }
}
