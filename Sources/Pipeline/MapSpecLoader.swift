import Foundation
import LagesbildModel

extension MapSpec {
    /// Reads `maps:`; `resolve` makes a path absolute, `dataRoots` bound where boundary files may be.
    static func read(
        _ node: ConfigNode, resolve: (String) -> String, dataRoots: [String], sources: [SourceSpec],
        indicators: [IndicatorSpec]
    ) throws -> MapSpec {
        let map = try node.mapping(allowedKeys: ["boundaries", "indicators", "classes", "grid"])
        var boundaries: [BoundarySpec] = []
        for entry in try map["boundaries"]?.sequence() ?? [] {
            let fields = try entry.mapping(allowedKeys: ["file", "area_level", "code", "layer", "attribution"])
            let fileNode = try fields.require("file")
            let file = resolve(try fileNode.string())
            guard Pipeline.isInside(file, roots: dataRoots) else {
                throw fileNode.error("\(file) is outside the folders the pipeline may read (data_roots)")
            }
            let extensionName = (file as NSString).pathExtension.lowercased()
            guard ["gpkg", "geojson", "json"].contains(extensionName) else {
                throw fileNode.error("a boundary file is a GeoPackage (.gpkg) or GeoJSON (.geojson)")
            }
            let levelNode = try fields.require("area_level")
            let word = try levelNode.string()
            guard let level = AreaLevel(rawValue: word), [.deso, .district].contains(level) else {
                throw levelNode.error("unknown area level '\(word)'; use one of: deso, district")
            }
            if boundaries.contains(where: { $0.areaLevel == level }) {
                throw levelNode.error("the area level '\(level)' has two boundary files; give one per level")
            }
            boundaries.append(
                BoundarySpec(
                    file: file, areaLevel: level, code: try fields.require("code").string(),
                    layer: try fields["layer"]?.string(), attribution: try fields["attribution"]?.string()))
        }
        let indicatorIDs = try map["indicators"]?.stringList() ?? []
        for id in indicatorIDs {
            guard let indicator = indicators.first(where: { $0.id == id }) else {
                throw try map.require("indicators").error("unknown indicator '\(id)'")
            }
            guard boundaries.contains(where: { indicator.areaLevels.contains($0.areaLevel) }) else {
                throw try map.require("indicators").error(
                    "the indicator '\(id)' has no values on a level with boundaries "
                        + "(\(boundaries.map(\.areaLevel.rawValue).joined(separator: ", "))); add the level to its area_levels"
                )
            }
        }
        if !indicatorIDs.isEmpty, boundaries.isEmpty {
            throw try map.require("indicators").error("indicators are drawn on boundaries; list boundaries: too")
        }
        let classes = try map["classes"]?.int() ?? MapSpec.defaultClasses
        guard (3...7).contains(classes) else { throw try map.require("classes").error("use 3 to 7 classes") }
        var grid: GridSpec?
        if let gridNode = map["grid"] {
            let fields = try gridNode.mapping(allowedKeys: ["source", "size", "x", "y"])
            let sourceNode = try fields.require("source")
            let sourceID = try sourceNode.string()
            guard let source = sources.first(where: { $0.id == sourceID }) else {
                throw sourceNode.error("unknown source '\(sourceID)'")
            }
            guard source.kind == .events, source.format == .csv else {
                throw sourceNode.error("the grid counts the events of a CSV events source; '\(sourceID)' is not one")
            }
            let size = try fields["size"]?.int() ?? 1000
            guard GridSpec.sizes.contains(size) else {
                throw try fields.require("size").error("a square's side is 250 or 1000 metres (SCB's grid)")
            }
            let x = try fields["x"]?.string()
            let y = try fields["y"]?.string()
            guard x ?? source.columns["x"]?.column != nil, y ?? source.columns["y"]?.column != nil else {
                throw gridNode.error("name the coordinate columns (x: and y:) here or in the source's columns")
            }
            grid = GridSpec(source: sourceID, size: size, x: x, y: y)
        }
        return MapSpec(boundaries: boundaries, indicators: indicatorIDs, classes: classes, grid: grid)
    }
}

extension GridSpec {
    /// The coordinate columns: the grid's own, else the source's `x` and `y`.
    public func columns(of source: SourceSpec) -> (x: String, y: String)? {
        guard let x = x ?? source.columns["x"]?.column, let y = y ?? source.columns["y"]?.column else { return nil }
        return (x, y)
    }
}
