import Foundation

/// Reads the areas of a GeoJSON FeatureCollection of Polygons and MultiPolygons in SWEREF 99 TM. A `crs`
/// member (GeoJSON 2008), when there is one, must name EPSG:3006; without it every coordinate must lie in
/// SWEREF 99 TM's extent (RFC 7946's longitude/latitude is refused with a plain message).
public enum GeoJSONReader {
    /// The largest GeoJSON file read, so an untrusted file cannot exhaust memory.
    public static let maximumBytes = 256 << 20

    public static func read(path: String, codeProperty: String) throws(GeoReadError) -> [BoundaryFeature] {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let size = attributes[.size] as? Int
        else { throw GeoReadError(file: path, message: "the file does not exist or cannot be read") }
        // The size is checked before reading: an empty file is refused here (Foundation's reader leaks a
        // buffer on one), a huge one before it fills memory.
        guard size > 0 else { throw GeoReadError(file: path, message: "the file is empty") }
        guard size <= maximumBytes else {
            throw GeoReadError(file: path, message: "the file has \(size) bytes; at most \(maximumBytes) are read")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GeoReadError(file: path, message: "the file cannot be read")
        }
        return try parse(data, file: path, codeProperty: codeProperty)
    }

    public static func parse(_ data: Data, file: String, codeProperty: String) throws(GeoReadError)
        -> [BoundaryFeature]
    {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw GeoReadError(file: file, message: "not valid JSON (\(error.localizedDescription))")
        }
        guard let root = object as? [String: Any], root["type"] as? String == "FeatureCollection",
            let features = root["features"] as? [Any]
        else { throw GeoReadError(file: file, message: "not a GeoJSON FeatureCollection with a 'features' list") }
        if let crs = root["crs"] {
            let name = ((crs as? [String: Any])?["properties"] as? [String: Any])?["name"] as? String ?? "\(crs)"
            guard name.hasSuffix("EPSG::3006") || name.hasSuffix("EPSG:3006") else {
                throw GeoReadError(
                    file: file,
                    message: "the boundaries are in \(name); only SWEREF 99 TM (EPSG:3006) is read: reproject the "
                        + "file to EPSG:3006")
            }
        }
        var result: [BoundaryFeature] = []
        for (index, element) in features.enumerated() {
            let name = "feature \(index)"
            guard let feature = element as? [String: Any], feature["type"] as? String == "Feature" else {
                throw GeoReadError(file: file, feature: name, message: "not a GeoJSON Feature")
            }
            let properties = feature["properties"] as? [String: Any] ?? [:]
            let code: String
            switch properties[codeProperty] {
            case let text as String: code = text.trimmingCharacters(in: .whitespaces)
            case let number as NSNumber: code = number.stringValue
            default: code = ""
            }
            guard !code.isEmpty else {
                throw GeoReadError(
                    file: file, feature: name, message: "the property '\(codeProperty)' is missing or empty")
            }
            guard let geometryObject = feature["geometry"] as? [String: Any] else {
                throw GeoReadError(file: file, feature: name, message: "the geometry is missing")
            }
            let geometry: MapGeometry
            do {
                geometry = try self.geometry(geometryObject)
            } catch {
                throw GeoReadError(file: file, feature: name, message: error.message)
            }
            try Sweref99TM.checkPlausible(geometry, file: file, feature: name)
            result.append(BoundaryFeature(code: code, feature: name, geometry: geometry))
        }
        return result
    }

    static func geometry(_ object: [String: Any]) throws(GeometryError) -> MapGeometry {
        let coordinates = object["coordinates"]
        switch object["type"] as? String {
        case "Polygon": return MapGeometry(polygons: [try polygon(coordinates)])
        case "MultiPolygon":
            guard let parts = coordinates as? [Any] else { throw GeometryError("the coordinates are not a list") }
            var polygons: [MapPolygon] = []
            for part in parts { polygons.append(try polygon(part)) }
            guard !polygons.isEmpty else { throw GeometryError("the MultiPolygon has no polygons") }
            return MapGeometry(polygons: polygons)
        case let type:
            throw GeometryError("the geometry type is \(type ?? "missing"), not Polygon or MultiPolygon")
        }
    }

    static func polygon(_ value: Any?) throws(GeometryError) -> MapPolygon {
        guard let rings = value as? [Any], !rings.isEmpty else { throw GeometryError("a polygon has no rings") }
        var result: [[MapPoint]] = []
        for (index, ringValue) in rings.enumerated() {
            guard let positions = ringValue as? [Any] else {
                throw GeometryError("ring \(index + 1) is not a list of positions")
            }
            var ring: [MapPoint] = []
            ring.reserveCapacity(positions.count)
            for position in positions {
                guard let numbers = position as? [NSNumber], numbers.count >= 2,
                    case let x = numbers[0].doubleValue, case let y = numbers[1].doubleValue, x.isFinite, y.isFinite
                else { throw GeometryError("ring \(index + 1) has a position that is not [x, y] in numbers") }
                ring.append(MapPoint(x: x, y: y))
            }
            try WKB.checkRing(ring, index: index)
            result.append(ring)
        }
        return MapPolygon(rings: result)
    }
}
