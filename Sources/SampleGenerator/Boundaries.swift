import Foundation
import GRDB
import GeoReader

/// Synthetic boundary files for the Halmstad sample (`lagesbild sample --boundaries`): the districts as
/// GeoJSON and the DeSO areas as a GeoPackage, in SWEREF 99 TM. The kommun is a convex outline around
/// Halmstad; each district is the part of it nearest its centre (the centres the police sample scatters
/// its events around), and each DeSO the part of its district nearest a point on a ring about the
/// district's centre. Söndrum has an island, so both files hold a MultiPolygon. Deterministic: the same
/// code lists give the same bytes.
public enum BoundarySample {
    public static let desoPath = "maps/halmstad_deso.gpkg"
    public static let districtPath = "maps/halmstad_districts.geojson"

    /// District centres and spreads of the sample's police events (SWEREF 99 TM metres).
    static let districtCentres: [String: (x: Double, y: Double, spread: Double)] = [
        "1380D01": (368_700, 6_283_200, 600), "1380D02": (370_500, 6_281_800, 500),
        "1380D03": (367_800, 6_281_100, 550), "1380D04": (370_600, 6_284_700, 550),
        "1380D05": (366_300, 6_281_900, 550), "1380D06": (366_100, 6_282_700, 400),
        "1380D07": (369_300, 6_286_900, 700), "1380D08": (367_300, 6_292_700, 800),
        "1380D09": (375_700, 6_292_600, 800), "1380D10": (366_900, 6_289_500, 900),
        "1380D11": (383_000, 6_286_900, 1200), "1380D12": (368_600, 6_291_800, 1200),
    ]

    /// The kommun's outline, counter-clockwise: the coast to the south-west, inland to the north-east.
    static let outline: [MapPoint] =
        ([
            (364_000, 6_277_000), (369_000, 6_276_000), (376_000, 6_276_500), (383_500, 6_278_500),
            (388_500, 6_282_500), (389_500, 6_289_000), (387_000, 6_295_500), (380_000, 6_298_500),
            (371_000, 6_298_800), (364_500, 6_297_000), (361_500, 6_292_000), (361_800, 6_284_000),
        ] as [(Double, Double)]).map { MapPoint(x: $0.0, y: $0.1) }

    /// An island off Söndrum's coast.
    static let island: [MapPoint] =
        ([
            (359_600, 6_282_300), (360_700, 6_282_100), (361_000, 6_282_900), (360_200, 6_283_400),
            (359_500, 6_283_000),
        ] as [(Double, Double)]).map { MapPoint(x: $0.0, y: $0.1) }

    /// An area of the sample: code, name, geometry.
    public struct Area: Sendable {
        public var code: String
        public var name: String
        public var geometry: MapGeometry
    }

    /// The districts and the DeSO areas of `areas_halmstad.csv` as they are today: a DeSO code the crosswalk
    /// retires is left out and its successors drawn, since the indicators are published by today's codes.
    public static func areas(codeLists folder: String) throws -> (districts: [Area], desos: [Area]) {
        let rows = try readSemicolonFile((folder as NSString).appendingPathComponent("areas_halmstad.csv"))
        let crosswalk = try readSemicolonFile((folder as NSString).appendingPathComponent("deso_crosswalk.csv"))
        let retired = Set(crosswalk.compactMap { $0["old_code"] })
        let districtRows = rows.filter { $0["level"] == "district" && $0["parent"] == "1380" }
        var districts: [Area] = []
        var desos: [Area] = []
        let seeds = districtRows.compactMap { row -> (code: String, point: MapPoint)? in
            guard let code = row["code"], let centre = districtCentres[code] else { return nil }
            return (code, MapPoint(x: centre.x, y: centre.y))
        }
        for row in districtRows {
            guard let code = row["code"], let name = row["name"], let centre = districtCentres[code] else { continue }
            let cell = voronoiCell(of: MapPoint(x: centre.x, y: centre.y), among: seeds.map(\.point), in: outline)
            var polygons = [MapPolygon(rings: [closed(cell)])]
            let hasIsland = code == "1380D06"
            if hasIsland { polygons.append(MapPolygon(rings: [closed(island)])) }
            districts.append(Area(code: code, name: name, geometry: MapGeometry(polygons: polygons)))
            let members = rows.filter {
                $0["level"] == "deso" && $0["parent"] == code && !retired.contains($0["code"] ?? "")
            }
            let points = desoSeeds(count: members.count, centre: centre, cell: cell)
            for (index, member) in members.enumerated() {
                guard let desoCode = member["code"], let desoName = member["name"] else { continue }
                var parts = [MapPolygon(rings: [closed(voronoiCell(of: points[index], among: points, in: cell))])]
                if hasIsland, index == 0 { parts.append(MapPolygon(rings: [closed(island)])) }
                desos.append(Area(code: desoCode, name: desoName, geometry: MapGeometry(polygons: parts)))
            }
        }
        return (districts, desos)
    }

    /// Writes both files under `folder`; returns (districts, DeSO areas).
    @discardableResult
    public static func write(into folder: String, codeLists: String) throws -> (Int, Int) {
        let (districts, desos) = try areas(codeLists: codeLists)
        let mapsFolder = (folder as NSString).appendingPathComponent("maps")
        try FileManager.default.createDirectory(atPath: mapsFolder, withIntermediateDirectories: true)
        try Data(geoJSON(districts).utf8).write(
            to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent(districtPath)), options: .atomic)
        try writeGeoPackage(desos, path: (folder as NSString).appendingPathComponent(desoPath))
        return (districts.count, desos.count)
    }

    /// Points for `count` DeSO areas on a ring around the district's centre, each moved toward the centre
    /// until it lies inside the district.
    static func desoSeeds(count: Int, centre: (x: Double, y: Double, spread: Double), cell: [MapPoint]) -> [MapPoint] {
        guard count > 1 else { return [MapPoint(x: centre.x, y: centre.y)] }
        let ring = MapGeometry(polygons: [MapPolygon(rings: [closed(cell)])])
        return (0..<count).map { index in
            let angle = 2 * Double.pi * Double(index) / Double(count) + 0.4
            var radius = centre.spread * 0.8
            var point = MapPoint(x: centre.x + radius * cos(angle), y: centre.y + radius * sin(angle))
            while !ring.contains(point), radius > 1 {
                radius /= 2
                point = MapPoint(x: centre.x + radius * cos(angle), y: centre.y + radius * sin(angle))
            }
            return point
        }
    }

    /// The part of the convex polygon `region` nearer `seed` than any other of `seeds`.
    static func voronoiCell(of seed: MapPoint, among seeds: [MapPoint], in region: [MapPoint]) -> [MapPoint] {
        var cell = region
        for other in seeds where other != seed {
            let middle = MapPoint(x: (seed.x + other.x) / 2, y: (seed.y + other.y) / 2)
            let normal = MapPoint(x: other.x - seed.x, y: other.y - seed.y)
            cell = clip(cell) { point in (point.x - middle.x) * normal.x + (point.y - middle.y) * normal.y }
        }
        return cell.map { MapPoint(x: $0.x.rounded(), y: $0.y.rounded()) }
    }

    /// Sutherland–Hodgman: the polygon's part where `side` ≤ 0.
    static func clip(_ polygon: [MapPoint], side: (MapPoint) -> Double) -> [MapPoint] {
        var result: [MapPoint] = []
        guard var previous = polygon.last else { return [] }
        for current in polygon {
            let a = side(previous)
            let b = side(current)
            if (a <= 0) != (b <= 0) {
                let t = a / (a - b)
                result.append(
                    MapPoint(x: previous.x + t * (current.x - previous.x), y: previous.y + t * (current.y - previous.y))
                )
            }
            if b <= 0 { result.append(current) }
            previous = current
        }
        return result
    }

    static func closed(_ ring: [MapPoint]) -> [MapPoint] {
        var points: [MapPoint] = []
        for point in ring where points.last != point { points.append(point) }
        if let first = points.first, points.last != first { points.append(first) }
        return points
    }

    /// GeoJSON with a `crs` member naming EPSG:3006, one feature per line, coordinates in whole metres.
    static func geoJSON(_ areas: [Area]) -> String {
        var out = "{\"type\":\"FeatureCollection\",\"name\":\"halmstad_districts\",\n"
        out += "\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::3006\"}},\n\"features\":[\n"
        let features = areas.map { area -> String in
            let polygons = area.geometry.polygons.map { polygon in
                "["
                    + polygon.rings.map { ring in
                        "[" + ring.map { "[\(Int($0.x)),\(Int($0.y))]" }.joined(separator: ",") + "]"
                    }
                    .joined(separator: ",") + "]"
            }
            let geometry =
                polygons.count == 1
                ? "{\"type\":\"Polygon\",\"coordinates\":\(polygons[0])}"
                : "{\"type\":\"MultiPolygon\",\"coordinates\":[\(polygons.joined(separator: ","))]}"
            return "{\"type\":\"Feature\",\"properties\":{\"kod\":\"\(area.code)\",\"namn\":\"\(area.name)\"},"
                + "\"geometry\":\(geometry)}"
        }
        out += features.joined(separator: ",\n")
        return out + "\n]}\n"
    }

    /// A GeoPackage 1.3 with one feature table `deso` (fid, geom, deso, namn); envelopes of 32 bytes.
    static func writeGeoPackage(_ areas: [Area], path: String) throws {
        let temporary = path + ".tmp"
        try? FileManager.default.removeItem(atPath: temporary)
        let queue = try DatabaseQueue(path: temporary)
        try queue.write { db in
            try db.execute(
                sql: """
                    PRAGMA application_id = 1196444487;
                    PRAGMA user_version = 10300;
                    CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY,
                        organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL,
                        description TEXT);
                    INSERT INTO gpkg_spatial_ref_sys VALUES
                        ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', NULL),
                        ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', NULL),
                        ('WGS 84 geodetic', 4326, 'EPSG', 4326, 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]', NULL),
                        ('SWEREF99 TM', 3006, 'EPSG', 3006, 'PROJCS["SWEREF99 TM",GEOGCS["SWEREF99",DATUM["SWEREF99",SPHEROID["GRS 1980",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",15],PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1]]', NULL);
                    CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
                        identifier TEXT UNIQUE, description TEXT DEFAULT '', last_change DATETIME NOT NULL,
                        min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER);
                    CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL,
                        geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
                        PRIMARY KEY (table_name, column_name));
                    CREATE TABLE deso (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom MULTIPOLYGON, deso TEXT,
                        namn TEXT);
                    INSERT INTO gpkg_geometry_columns VALUES ('deso', 'geom', 'MULTIPOLYGON', 3006, 0, 0);
                    """)
            var bounds: MapBounds?
            for area in areas {
                if let box = area.geometry.bounds { bounds = bounds?.union(box) ?? box }
                try db.execute(
                    sql: "INSERT INTO deso (geom, deso, namn) VALUES (?, ?, ?)",
                    arguments: [Data(GeoPackageGeometry.encode(area.geometry)), area.code, area.name])
            }
            try db.execute(
                sql: """
                    INSERT INTO gpkg_contents VALUES ('deso', 'features', 'deso', 'DeSO (syntetiska)',
                        '2024-01-01T00:00:00.000Z', ?, ?, ?, ?, 3006)
                    """,
                arguments: [bounds?.minX, bounds?.minY, bounds?.maxX, bounds?.maxY])
        }
        try queue.close()
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.moveItem(atPath: temporary, toPath: path)
    }

    /// A semicolon-separated UTF-8 file with a header, as rows of column → value.
    static func readSemicolonFile(_ path: String) throws -> [[String: String]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        guard !lines.isEmpty else { return [] }
        let header = lines.removeFirst().split(separator: ";", omittingEmptySubsequences: false).map(String.init)
        return lines.map { line in
            let fields = line.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            var row: [String: String] = [:]
            for (index, name) in header.enumerated() where index < fields.count { row[name] = fields[index] }
            return row
        }
    }
}
