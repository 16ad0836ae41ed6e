import Foundation

/// One area of a boundary file: its code (from the attribute the pipeline names), where it is in the file
/// and its geometry in SWEREF 99 TM.
public struct BoundaryFeature: Sendable, Hashable {
    public var code: String
    /// `fid 12` (GeoPackage) or `feature 3` (GeoJSON, counted from 0 as in a JSON path).
    public var feature: String
    public var geometry: MapGeometry

    public init(code: String, feature: String, geometry: MapGeometry) {
        self.code = code
        self.feature = feature
        self.geometry = geometry
    }
}

/// Reads a boundary file by its extension: `.gpkg` (GeoPackage) or `.geojson`/`.json` (GeoJSON).
public enum BoundaryFile {
    /// The areas of the file at `path`, their code read from `codeField`; `layer` picks a GeoPackage's
    /// feature table when it has several.
    public static func read(path: String, codeField: String, layer: String? = nil) throws(GeoReadError)
        -> [BoundaryFeature]
    {
        let features: [BoundaryFeature]
        switch (path as NSString).pathExtension.lowercased() {
        case "gpkg": features = try GeoPackageReader.read(path: path, codeColumn: codeField, layer: layer)
        case "geojson", "json": features = try GeoJSONReader.read(path: path, codeProperty: codeField)
        default:
            throw GeoReadError(file: path, message: "a boundary file is a GeoPackage (.gpkg) or GeoJSON (.geojson)")
        }
        var seen: [String: String] = [:]
        for feature in features {
            if let earlier = seen[feature.code] {
                throw GeoReadError(
                    file: path, feature: feature.feature,
                    message: "the area code '\(feature.code)' is also the code of \(earlier)")
            }
            seen[feature.code] = feature.feature
        }
        return features
    }

    /// Refuses coordinates outside SWEREF 99 TM's extent over Sweden.
    static func checkPlausible(_ geometry: MapGeometry, file: String, feature: String) throws(GeoReadError) {
        guard let bounds = geometry.bounds else { return }
        for corner in [MapPoint(x: bounds.minX, y: bounds.minY), MapPoint(x: bounds.maxX, y: bounds.maxY)]
        where !Sweref99TM.isPlausible(corner) {
            throw GeoReadError(
                file: file, feature: feature,
                message: "the coordinate (\(corner.x), \(corner.y)) lies outside Sweden in SWEREF 99 TM (EPSG:3006); "
                    + "give the boundaries in SWEREF 99 TM")
        }
    }
}
