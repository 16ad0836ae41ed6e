/// Well-known binary (OGC WKB, as in GeoPackage and PostGIS): Polygon and MultiPolygon in either byte
/// order. Z and M coordinates are read and dropped. Every count is checked against the bytes left, so a
/// broken or hostile blob gives a ``GeometryError``, never a crash or a huge allocation.
public enum WKB {
    /// Reads a Polygon or MultiPolygon from `bytes` starting at `offset`.
    public static func decode(_ bytes: [UInt8], from offset: Int = 0) throws(GeometryError) -> MapGeometry {
        var cursor = ByteCursor(bytes: bytes, offset: offset)
        let (kind, dimensions) = try header(&cursor)
        let geometry: MapGeometry
        switch kind {
        case 3: geometry = MapGeometry(polygons: [try polygon(&cursor, dimensions: dimensions)])
        case 6:
            let count = try cursor.count(minimumBytesEach: 9)
            var polygons: [MapPolygon] = []
            for index in 0..<count {
                let (part, partDimensions) = try header(&cursor)
                guard part == 3 else {
                    throw GeometryError("part \(index + 1) of the MultiPolygon is geometry type \(part), not a Polygon")
                }
                polygons.append(try polygon(&cursor, dimensions: partDimensions))
            }
            geometry = MapGeometry(polygons: polygons)
        default:
            throw GeometryError(
                "geometry type \(kind) is not a Polygon (3) or MultiPolygon (6); boundaries must be areas")
        }
        guard cursor.offset == bytes.count else {
            throw GeometryError("\(bytes.count - cursor.offset) bytes follow the geometry")
        }
        return geometry
    }

    /// The byte order and type: (base type 1…7, coordinates per point 2…4).
    private static func header(_ cursor: inout ByteCursor) throws(GeometryError) -> (Int, Int) {
        let order = try cursor.byte()
        guard order <= 1 else { throw GeometryError("byte order \(order) is neither 0 (big) nor 1 (little endian)") }
        cursor.littleEndian = order == 1
        var type = try cursor.uint32()
        var dimensions = 2
        // EWKB flags (PostGIS): Z 0x80000000, M 0x40000000, SRID 0x20000000.
        if type & 0x8000_0000 != 0 { dimensions += 1 }
        if type & 0x4000_0000 != 0 { dimensions += 1 }
        if type & 0x2000_0000 != 0 { _ = try cursor.uint32() }
        type &= 0x0FFF_FFFF
        // ISO WKB: 1000 Z, 2000 M, 3000 ZM.
        switch type / 1000 {
        case 0: break
        case 1, 2: dimensions += 1
        case 3: dimensions += 2
        default: throw GeometryError("geometry type \(type) is unknown")
        }
        guard dimensions <= 4 else { throw GeometryError("geometry type \(type) has more than 4 coordinates") }
        return (Int(type % 1000), dimensions)
    }

    private static func polygon(_ cursor: inout ByteCursor, dimensions: Int) throws(GeometryError) -> MapPolygon {
        let ringCount = try cursor.count(minimumBytesEach: 4)
        var rings: [[MapPoint]] = []
        rings.reserveCapacity(ringCount)
        for ringIndex in 0..<ringCount {
            let pointCount = try cursor.count(minimumBytesEach: 8 * dimensions)
            var ring: [MapPoint] = []
            ring.reserveCapacity(pointCount)
            for _ in 0..<pointCount {
                let x = try cursor.double()
                let y = try cursor.double()
                for _ in 2..<dimensions { _ = try cursor.double() }
                guard x.isFinite, y.isFinite else {
                    throw GeometryError("ring \(ringIndex + 1) has a coordinate that is not a finite number")
                }
                ring.append(MapPoint(x: x, y: y))
            }
            try checkRing(ring, index: ringIndex)
            rings.append(ring)
        }
        guard !rings.isEmpty else { throw GeometryError("a polygon has no rings") }
        return MapPolygon(rings: rings)
    }

    /// A ring has at least 4 points and ends where it starts.
    public static func checkRing(_ ring: [MapPoint], index: Int) throws(GeometryError) {
        guard ring.count >= 4 else {
            throw GeometryError("ring \(index + 1) has \(ring.count) points; a closed ring needs at least 4")
        }
        guard ring.first == ring.last else { throw GeometryError("ring \(index + 1) is not closed") }
    }

    /// The geometry as little-endian WKB: a MultiPolygon.
    public static func encode(_ geometry: MapGeometry) -> [UInt8] {
        var out: [UInt8] = [1]
        func append(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) } }
        func append(_ value: Double) { append64(value.bitPattern) }
        func append64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) } }
        append(UInt32(6))
        append(UInt32(geometry.polygons.count))
        for polygon in geometry.polygons {
            out.append(1)
            append(UInt32(3))
            append(UInt32(polygon.rings.count))
            for ring in polygon.rings {
                append(UInt32(ring.count))
                for point in ring {
                    append(point.x)
                    append(point.y)
                }
            }
        }
        return out
    }
}

/// Reads numbers from a byte array with bounds checks.
struct ByteCursor {
    let bytes: [UInt8]
    var offset: Int
    var littleEndian = true

    var remaining: Int { bytes.count - offset }

    mutating func byte() throws(GeometryError) -> UInt8 {
        guard remaining >= 1 else { throw GeometryError("the geometry ends early, at byte \(offset)") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func uint32() throws(GeometryError) -> UInt32 { try integer(UInt32.self) }

    mutating func double() throws(GeometryError) -> Double { Double(bitPattern: try integer(UInt64.self)) }

    /// An unsigned integer of `T`'s size in the cursor's byte order.
    mutating func integer<T: FixedWidthInteger & UnsignedInteger>(_: T.Type) throws(GeometryError) -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size else { throw GeometryError("the geometry ends early, at byte \(offset)") }
        var value: T = 0
        for index in 0..<size {
            value = value << 8 | T(bytes[offset + (littleEndian ? size - 1 - index : index)])
        }
        offset += size
        return value
    }

    /// A count of items that each take at least `minimumBytesEach` bytes: refused when the bytes left
    /// cannot hold that many.
    mutating func count(minimumBytesEach: Int) throws(GeometryError) -> Int {
        let count = Int(try uint32())
        guard count <= remaining / max(minimumBytesEach, 1) else {
            throw GeometryError("a count of \(count) items does not fit in the \(remaining) bytes left")
        }
        return count
    }
}
