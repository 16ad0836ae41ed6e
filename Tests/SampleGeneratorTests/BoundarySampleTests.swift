import Foundation
import GeoReader
import SampleGenerator
import Testing

/// The synthetic boundary files: deterministic (the repository's files are what the generator writes),
/// DeSO areas tile their district and districts tile the kommun, read back by the boundary reader.
struct BoundarySampleTests {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// The area of a polygon's outer ring (shoelace), in m².
    func area(_ geometry: MapGeometry) -> Double {
        geometry.polygons.reduce(0) { total, polygon in
            let ring = polygon.rings[0]
            var sum = 0.0
            for index in 0..<(ring.count - 1) {
                sum += ring[index].x * ring[index + 1].y - ring[index + 1].x * ring[index].y
            }
            return total + abs(sum) / 2
        }
    }

    @Test func writesTheRepositorysFilesByteForByte() throws {
        let folder = NSTemporaryDirectory() + "boundaries-\(UUID().uuidString)"
        let counts = try BoundarySample.write(into: folder, codeLists: root + "/Pipelines/codelists")
        #expect(counts.0 == 12)
        #expect(counts.1 == 50)
        for path in [BoundarySample.districtPath, BoundarySample.desoPath] {
            let written = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + path))
            let committed = try Data(contentsOf: URL(fileURLWithPath: root + "/SampleData/" + path))
            #expect(written == committed, "\(path) differs from the generator's output")
        }
    }

    @Test func areasTileTheirDistrictsAndTheKommun() throws {
        let districts = try BoundaryFile.read(
            path: root + "/SampleData/" + BoundarySample.districtPath, codeField: "kod")
        let desos = try BoundaryFile.read(path: root + "/SampleData/" + BoundarySample.desoPath, codeField: "deso")
        #expect(districts.count == 12)
        #expect(desos.count == 50)
        // Today's DeSO codes, as the indicators are published: the crosswalk's successors, not the retired codes.
        #expect(!desos.contains { ["1380C0120", "1380A0390", "1380A0400"].contains($0.code) })
        #expect(desos.filter { ["1380C0121", "1380C0122", "1380A0391"].contains($0.code) }.count == 3)
        for district in districts {
            let members = desos.filter { $0.code.hasPrefix("1380") }.filter { deso in
                // A DeSO belongs to the district its first point's polygon lies in.
                district.geometry.contains(centroid(deso.geometry))
            }
            let sum = members.reduce(0) { $0 + area($1.geometry) }
            #expect(abs(sum - area(district.geometry)) / area(district.geometry) < 0.01, "\(district.code)")
        }
        let kommun = districts.reduce(0) { $0 + area($1.geometry) }
        // The outline (about 26 × 22 km, less the corners) plus the island.
        #expect(kommun > 350_000_000 && kommun < 600_000_000)
    }

    func centroid(_ geometry: MapGeometry) -> MapPoint {
        let ring = geometry.polygons[0].rings[0].dropLast()
        return MapPoint(
            x: ring.map(\.x).reduce(0, +) / Double(ring.count), y: ring.map(\.y).reduce(0, +) / Double(ring.count))
    }
}
