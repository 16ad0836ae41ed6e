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
