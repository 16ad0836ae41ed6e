import ColumnStore
import Crypto
import Foundation
import GRDB
import GeoReader
import Logging
import PipelineModel
import StageKit
import Workspace

/// Stores what the report's maps need in the workspace, so the report is drawn from the workspace alone:
/// each boundary file's areas simplified (`map_boundaries`, `map_areas`) and the events counted in grid
/// squares (`map_grid`, `map_grid_years`). Run by publish before the report is built.
public enum MapData {
    /// Replaces the map tables from the pipeline's `maps:` (emptied when there is none).
    public static func store(_ db: Database, context: StageContext) throws {
        try db.execute(sql: "DELETE FROM map_boundaries; DELETE FROM map_areas; DELETE FROM map_grid;")
        try db.execute(sql: "DELETE FROM map_grid_years")
        guard let maps = context.pipeline.maps else { return }
        for boundary in maps.boundaries {
            let stored = try storeBoundaries(db, boundary: boundary)
            context.logger.info(
                "boundaries read",
                metadata: [
                    "file": "\((boundary.file as NSString).lastPathComponent)", "areas": "\(stored.areas)",
                    "points": "\(stored.pointsRead) → \(stored.pointsKept)",
                ])
        }
        if let grid = maps.grid {
            let years = try GridCounter(
                db: db, workspace: context.workspace, pipeline: context.pipeline, grid: grid
            ).store()
            for year in years {
                context.logger.info(
                    "events counted in grid squares",
                    metadata: [
                        "source": "\(grid.source)", "year": "\(year.year)", "events": "\(year.events)",
                        "without coordinates": "\(year.withoutCoordinates)",
                        "squares shown": "\(year.squaresShown)", "squares suppressed": "\(year.squaresSuppressed)",
                    ])
            }
        }
    }

    /// The simplification tolerance for areas spanning `bounds`: about a pixel of a 1 500 px wide map.
    public static func tolerance(for bounds: MapBounds) -> Double {
        max(1, (max(bounds.width, bounds.height) / 1500).rounded())
    }

    /// Reads one boundary file, simplifies each area and stores it; a file that cannot be read fails the
    /// stage with the file, the feature and the reason.
    static func storeBoundaries(_ db: Database, boundary: BoundarySpec) throws -> (
        areas: Int, pointsRead: Int, pointsKept: Int
    ) {
        let features: [BoundaryFeature]
        do {
            features = try BoundaryFile.read(path: boundary.file, codeField: boundary.code, layer: boundary.layer)
        } catch {
            throw StageDataError(stage: .publish, message: "boundary file \(error.description)")
        }
        let bounds = features.compactMap(\.geometry.bounds).reduce(nil as MapBounds?) { $0?.union($1) ?? $1 }
        let tolerance = bounds.map(tolerance(for:)) ?? 1
        var pointsRead = 0
        var pointsKept = 0
        for feature in features {
            let simplified = Simplification.simplify(rounded(feature.geometry), tolerance: tolerance)
            pointsRead += feature.geometry.pointCount
            pointsKept += simplified.pointCount
            try db.execute(
                sql: """
                    INSERT INTO map_areas (area_level, code, feature, geometry, points_read, points_kept)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    boundary.areaLevel, feature.code, feature.feature, Data(WKB.encode(simplified)),
                    feature.geometry.pointCount, simplified.pointCount,
                ])
        }
        try db.execute(
            sql: """
                INSERT INTO map_boundaries (area_level, file, sha256, attribution, features, tolerance_m, read_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                boundary.areaLevel, (boundary.file as NSString).lastPathComponent, fileHash(boundary.file),
                boundary.attribution, features.count, tolerance, isoTimestamp(),
            ])
        return (features.count, pointsRead, pointsKept)
    }

    /// Coordinates to the metre (a report needs no more), repeated points dropped.
    static func rounded(_ geometry: MapGeometry) -> MapGeometry {
        MapGeometry(
            polygons: geometry.polygons.map { polygon in
                MapPolygon(
                    rings: polygon.rings.map { ring in
                        var result: [MapPoint] = []
                        for point in ring {
                            let rounded = MapPoint(x: point.x.rounded(), y: point.y.rounded())
                            if result.last != rounded { result.append(rounded) }
                        }
                        return result
                    })
            })
    }

    /// The SHA-256 of a file's bytes.
    public static func fileHash(_ path: String) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "missing" }
        return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
