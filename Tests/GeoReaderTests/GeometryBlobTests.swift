import Foundation
import GeoReader
import Testing

@Suite struct GeometryBlobTests {
    @Test(arguments: [false, true])
    func wkbPolygonInEitherByteOrder(bigEndian: Bool) throws {
        var blob = BlobBuilder(bigEndian: bigEndian)
        blob.polygon(BlobBuilder.square)
        let geometry = try WKB.decode(blob.bytes)
        #expect(geometry.polygons.count == 1)
        #expect(geometry.polygons[0].rings[0].count == 5)
        #expect(geometry.polygons[0].rings[0][1] == MapPoint(x: 371_000, y: 6_280_000))
        #expect(geometry.contains(MapPoint(x: 370_500, y: 6_280_500)))
        #expect(!geometry.contains(MapPoint(x: 371_500, y: 6_280_500)))
    }

    @Test func multiPolygonWithPartsInMixedByteOrders() throws {
        var blob = BlobBuilder(bigEndian: true)
        blob.order()
        blob.uint32(6)
        blob.uint32(2)
        blob.polygon(BlobBuilder.square)
        var little = BlobBuilder(bigEndian: false)
        little.polygon(BlobBuilder.square.map { ($0.0 + 2000, $0.1) })
        let geometry = try WKB.decode(blob.bytes + little.bytes)
        #expect(geometry.polygons.count == 2)
        #expect(geometry.polygons[1].rings[0][0] == MapPoint(x: 372_000, y: 6_280_000))
    }

    /// Envelope kinds 0 (none), 1 (32 bytes), 2 and 3 (48), 4 (64), in both byte orders.
    @Test(arguments: [UInt8(0), 1, 2, 3, 4], [false, true])
    func geoPackageEnvelopeKinds(kind: UInt8, bigEndian: Bool) throws {
        var blob = BlobBuilder(bigEndian: bigEndian)
        blob.geoPackageHeader(srsID: 3006, envelopeKind: kind)
        blob.polygon(BlobBuilder.square)
        let decoded = try GeoPackageGeometry.decode(blob.bytes)
        #expect(decoded.srsID == 3006)
        #expect(decoded.geometry?.polygons[0].rings[0][2] == MapPoint(x: 371_000, y: 6_281_000))
    }

    @Test func emptyBitGivesNoGeometry() throws {
        var blob = BlobBuilder(bigEndian: false)
        blob.geoPackageHeader(srsID: 3006, envelopeKind: 0, empty: true)
        #expect(try GeoPackageGeometry.decode(blob.bytes).geometry == nil)
    }

    @Test func encoderRoundTrips() throws {
        var blob = BlobBuilder(bigEndian: true)
        blob.polygon(BlobBuilder.square)
        let geometry = try WKB.decode(blob.bytes)
        #expect(try GeoPackageGeometry.decode(GeoPackageGeometry.encode(geometry)).geometry == geometry)
    }

    /// Broken blobs give an error with a reason, never a crash: every prefix of a good blob, a bad magic,
    /// an invalid envelope kind, a count larger than the bytes, a point type, an open ring.
    @Test func brokenBlobsAreRefused() throws {
        var good = BlobBuilder(bigEndian: false)
        good.geoPackageHeader(srsID: 3006, envelopeKind: 1)
        good.polygon(BlobBuilder.square)
        for length in 0..<good.bytes.count {
            #expect(throws: GeometryError.self) { try GeoPackageGeometry.decode(Array(good.bytes.prefix(length))) }
        }
        var magic = good.bytes
        magic[0] = 0x58
        #expect(throws: GeometryError.self) { try GeoPackageGeometry.decode(magic) }
        var kind = good.bytes
        kind[3] = 1 | 5 << 1
        #expect(throws: GeometryError("envelope kind 5 is invalid (0–4)")) { try GeoPackageGeometry.decode(kind) }
        var huge = BlobBuilder(bigEndian: false)
        huge.order()
        huge.uint32(3)
        huge.uint32(0xFFFF_FFF0)
        #expect(throws: GeometryError.self) { try WKB.decode(huge.bytes) }
        var point = BlobBuilder(bigEndian: false)
        point.order()
        point.uint32(1)
        point.double(370_000)
        point.double(6_280_000)
        #expect(throws: GeometryError.self) { try WKB.decode(point.bytes) }
        var open = BlobBuilder(bigEndian: false)
        open.polygon(Array(BlobBuilder.square.dropLast()) + [(370_500, 6_280_500)])
        #expect(throws: GeometryError("ring 1 is not closed")) { try WKB.decode(open.bytes) }
    }

    /// Random bytes after a valid header never crash the reader (seeded).
    @Test func randomTailsNeverCrash() {
        var state: UInt64 = 0x5EED_0006
        func next() -> UInt8 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        var good = BlobBuilder(bigEndian: false)
        good.geoPackageHeader(srsID: 3006, envelopeKind: 0)
        good.polygon(BlobBuilder.square)
        for _ in 0..<2000 {
            var bytes = good.bytes
            for _ in 0..<3 { bytes[8 + Int(next()) % (bytes.count - 8)] = next() }
            _ = try? GeoPackageGeometry.decode(bytes)
        }
    }

    @Test func simplificationKeepsShapeWithinTolerance() {
        // A ring with a 1 m wiggle on every side: at a 5 m tolerance only the corners stay.
        var ring: [MapPoint] = []
        for step in 0..<100 { ring.append(MapPoint(x: Double(step * 10), y: step % 2 == 0 ? 0 : 1)) }
        ring += [MapPoint(x: 1000, y: 1000), MapPoint(x: 0, y: 1000), ring[0]]
        let simplified = Simplification.simplify(ring: ring, tolerance: 5)
        #expect(simplified.count < 10)
        #expect(simplified.first == simplified.last)
        #expect(simplified.contains(MapPoint(x: 1000, y: 1000)))
    }
}
