import Foundation

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
}
