import Foundation
import LagesbildModel

/// Maps in the report (`maps:` in the pipeline file): boundary files of the kommun's areas, the
/// indicators drawn on them, and a grid of events. See `Pipelines/README.md`.
public struct MapSpec: Sendable, Hashable {
    /// One boundary file per area level.
    public var boundaries: [BoundarySpec]
    /// Indicators drawn as choropleths, each on every boundary level it has values for.
    public var indicators: [String]
    /// Classes of a choropleth (3–7), split at quantiles of the values.
    public var classes: Int
    /// The grid map of events, when set.
    public var grid: GridSpec?

    public static let defaultClasses = 5

    /// A text for the fingerprint: every setting and each boundary file's content hash is added by the
    /// runner.
    public var fingerprintText: String {
        var parts = boundaries.map {
            "\($0.file)|\($0.areaLevel.rawValue)|\($0.code)|\($0.layer ?? "")|\($0.attribution ?? "")"
        }
        parts.append("indicators=\(indicators.joined(separator: ","))|classes=\(classes)")
        if let grid { parts.append("grid=\(grid.source)|\(grid.size)|\(grid.x ?? "")|\(grid.y ?? "")") }
        return parts.joined(separator: "\n")
    }
}

/// A boundary file: GeoPackage (`.gpkg`) or GeoJSON (`.geojson`), in SWEREF 99 TM (EPSG:3006).
public struct BoundarySpec: Sendable, Hashable {
    /// Absolute path.
    public var file: String
    /// The area level its areas are: `deso` or `district` (as in the area code list).
    public var areaLevel: AreaLevel
    /// The column (GeoPackage) or property (GeoJSON) holding each area's code.
    public var code: String
    /// A GeoPackage's feature table, when it has several.
    public var layer: String?
    /// Who made the boundaries, shown under the map (e.g. `DeSO 2018: SCB`).
    public var attribution: String?
}

/// Events counted in squares of SCB's national grid (SWEREF 99 TM), 250 m or 1 km.
public struct GridSpec: Sendable, Hashable {
    /// The events source whose coordinates are counted.
    public var source: String
    /// The side of a square in metres: 250 or 1000.
    public var size: Int
    /// The coordinate columns; nil takes the source's `x` and `y` columns.
    public var x: String?
    public var y: String?

    public static let sizes = [250, 1000]
}
