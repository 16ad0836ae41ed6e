import Foundation
import GRDB
import GeoReader
import Testing

@Suite struct BoundaryFileTests {
    func temporary(_ name: String) -> String {
        let folder = NSTemporaryDirectory() + "geo-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder + "/" + name
    }

    /// A GeoPackage as GDAL writes one: the metadata tables and a feature table with fid, code and geom.
    func writeGeoPackage(path: String, epsg: Int, blobs: [(code: String?, blob: [UInt8]?)]) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT, srs_id INTEGER PRIMARY KEY, organization TEXT,
                        organization_coordsys_id INTEGER, definition TEXT, description TEXT);
                    INSERT INTO gpkg_spatial_ref_sys VALUES ('x', 7, 'EPSG', \(epsg), 'x', NULL);
                    CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT, identifier TEXT,
                        description TEXT, last_change TEXT, min_x REAL, min_y REAL, max_x REAL, max_y REAL, srs_id INTEGER);
                    INSERT INTO gpkg_contents (table_name, data_type, srs_id) VALUES ('deso', 'features', 7);
                    CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT, geometry_type_name TEXT,
                        srs_id INTEGER, z INTEGER, m INTEGER);
                    INSERT INTO gpkg_geometry_columns VALUES ('deso', 'geom', 'MULTIPOLYGON', 7, 0, 0);
                    CREATE TABLE deso (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom BLOB, deso TEXT);
                    """)
            for entry in blobs {
                try db.execute(
                    sql: "INSERT INTO deso (geom, deso) VALUES (?, ?)",
                    arguments: [entry.blob.map { Data($0) }, entry.code])
            }
        }
    }

    func blob(srsID: Int32 = 7, bigEndian: Bool = false, kind: UInt8 = 1) -> [UInt8] {
        var builder = BlobBuilder(bigEndian: bigEndian)
        builder.geoPackageHeader(srsID: srsID, envelopeKind: kind)
        builder.polygon(BlobBuilder.square)
        return builder.bytes
    }

    @Test func readsAGeoPackage() throws {
        let path = temporary("deso.gpkg")
        try writeGeoPackage(
            path: path, epsg: 3006,
            blobs: [("1380C0010", blob()), ("1380C0020", blob(bigEndian: true, kind: 4))])
        let features = try BoundaryFile.read(path: path, codeField: "deso")
        #expect(features.map(\.code) == ["1380C0010", "1380C0020"])
        #expect(features.map(\.feature) == ["fid 1", "fid 2"])
        #expect(
            features[1].geometry.bounds == MapBounds(minX: 370_000, minY: 6_280_000, maxX: 371_000, maxY: 6_281_000))
    }

    @Test func refusesAnotherReferenceSystem() throws {
        let path = temporary("wgs.gpkg")
        try writeGeoPackage(path: path, epsg: 4326, blobs: [("1380C0010", blob())])
        #expect {
            try BoundaryFile.read(path: path, codeField: "deso")
        } throws: { error in
            let message = (error as? GeoReadError)?.message ?? ""
            return message.contains("EPSG:4326") && message.contains("only SWEREF 99 TM (EPSG:3006)")
        }
    }

    @Test func namesTheFeatureOfABrokenGeometry() throws {
        let path = temporary("broken.gpkg")
        try writeGeoPackage(
            path: path, epsg: 3006,
            blobs: [("1380C0010", blob()), ("1380C0020", Array(blob(kind: 0).prefix(30))), ("1380C0030", nil)])
        #expect(
            throws: GeoReadError(
                file: path, feature: "fid 2", message: "a count of 5 items does not fit in the 9 bytes left")
        ) {
            try BoundaryFile.read(path: path, codeField: "deso")
        }
        let empty = temporary("nocode.gpkg")
        try writeGeoPackage(path: empty, epsg: 3006, blobs: [(nil, blob())])
        #expect(throws: GeoReadError(file: empty, feature: "fid 1", message: "the area code ('deso') is empty")) {
            try BoundaryFile.read(path: empty, codeField: "deso")
        }
        #expect(throws: GeoReadError.self) { try BoundaryFile.read(path: path, codeField: "kod") }
    }

    @Test func refusesAFileThatIsNoGeoPackage() throws {
        let path = temporary("junk.gpkg")
        try Data("not sqlite at all".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: GeoReadError.self) { try BoundaryFile.read(path: path, codeField: "deso") }
    }

    let ring = "[[370000,6280000],[371000,6280000],[371000,6281000],[370000,6281000],[370000,6280000]]"

    @Test func readsGeoJSON() throws {
        let path = temporary("districts.geojson")
        let text = """
            {"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3006"}},
             "features":[
              {"type":"Feature","properties":{"kod":"1380D01"},"geometry":{"type":"Polygon","coordinates":[\(ring)]}},
              {"type":"Feature","properties":{"kod":"1380D02"},"geometry":{"type":"MultiPolygon","coordinates":[[\(ring)],[\(ring)]]}}
             ]}
            """
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let features = try BoundaryFile.read(path: path, codeField: "kod")
        #expect(features.map(\.code) == ["1380D01", "1380D02"])
        #expect(features[1].geometry.polygons.count == 2)
    }

    @Test func geoJSONErrorsNameTheFeature() throws {
        func read(_ text: String) throws -> [BoundaryFeature] {
            try GeoJSONReader.parse(Data(text.utf8), file: "d.geojson", codeProperty: "kod")
        }
        let lonLat = "[[12.8,56.6],[12.9,56.6],[12.9,56.7],[12.8,56.7],[12.8,56.6]]"
        #expect {
            try read(
                """
                {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"kod":"A"},
                 "geometry":{"type":"Polygon","coordinates":[\(lonLat)]}}]}
                """)
        } throws: { ($0 as? GeoReadError)?.message.contains("SWEREF 99 TM") == true }
        #expect {
            try read(
                #"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:4326"}},"features":[]}"#)
        } throws: { ($0 as? GeoReadError)?.message.contains("EPSG:4326") == true }
        #expect(
            throws: GeoReadError(
                file: "d.geojson", feature: "feature 1",
                message: "the geometry type is Point, not Polygon or MultiPolygon")
        ) {
            try read(
                """
                {"type":"FeatureCollection","features":[
                 {"type":"Feature","properties":{"kod":"A"},"geometry":{"type":"Polygon","coordinates":[\(ring)]}},
                 {"type":"Feature","properties":{"kod":"B"},"geometry":{"type":"Point","coordinates":[1,2]}}]}
                """)
        }
        #expect(
            throws: GeoReadError(
                file: "d.geojson", feature: "feature 0", message: "ring 1 has a position that is not [x, y] in numbers")
        ) {
            try read(
                """
                {"type":"FeatureCollection","features":[
                 {"type":"Feature","properties":{"kod":"A"},"geometry":{"type":"Polygon","coordinates":[[[1,"a"]]]}}]}
                """)
        }
        #expect(throws: GeoReadError.self) { try read("[1,2,3]") }
        #expect(throws: GeoReadError.self) { try read("{") }
    }

    @Test func duplicateCodesAreRefused() throws {
        let path = temporary("dup.geojson")
        let feature = #"{"type":"Feature","properties":{"kod":"A"},"geometry":{"type":"Polygon","coordinates":[RING]}}"#
            .replacingOccurrences(of: "RING", with: ring)
        try Data(#"{"type":"FeatureCollection","features":[\#(feature),\#(feature)]}"#.utf8)
            .write(to: URL(fileURLWithPath: path))
        #expect(
            throws: GeoReadError(
                file: path, feature: "feature 1", message: "the area code 'A' is also the code of feature 0")
        ) {
            try BoundaryFile.read(path: path, codeField: "kod")
        }
    }

    /// Found by the geo fuzzer: an empty GeoJSON file leaked Foundation's read buffer; it is refused before
    /// it is read.
    @Test func anEmptyFileIsRefusedBeforeItIsRead() throws {
        let path = temporary("empty.geojson")
        try Data().write(to: URL(fileURLWithPath: path))
        #expect(throws: GeoReadError(file: path, message: "the file is empty")) {
            try BoundaryFile.read(path: path, codeField: "kod")
        }
    }
}
