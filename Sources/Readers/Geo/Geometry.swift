/// A point in SWEREF 99 TM (EPSG:3006): easting and northing in metres.
public struct MapPoint: Sendable, Hashable, Codable {
    /// Easting (E), metres.
    public var x: Double
    /// Northing (N), metres.
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// A polygon: its outer ring first, then its holes. Each ring is closed (its last point is its first).
public struct MapPolygon: Sendable, Hashable, Codable {
    public var rings: [[MapPoint]]

    public init(rings: [[MapPoint]]) { self.rings = rings }
}

/// One or more polygons, the geometry of one area.
public struct MapGeometry: Sendable, Hashable, Codable {
    public var polygons: [MapPolygon]

    public init(polygons: [MapPolygon]) { self.polygons = polygons }

    /// Every point of every ring.
    public var pointCount: Int { polygons.reduce(0) { $0 + $1.rings.reduce(0) { $0 + $1.count } } }

    /// The smallest rectangle holding every point, or nil when there is none.
    public var bounds: MapBounds? {
        var result: MapBounds?
        for polygon in polygons {
            for ring in polygon.rings {
                for point in ring { result = result?.including(point) ?? MapBounds(point) }
            }
        }
        return result
    }

    /// True when `point` lies inside an outer ring and in none of its holes (even–odd rule per ring).
    public func contains(_ point: MapPoint) -> Bool {
        polygons.contains { polygon in
            guard let outer = polygon.rings.first, Self.ring(outer, contains: point) else { return false }
            return !polygon.rings.dropFirst().contains { Self.ring($0, contains: point) }
        }
    }

    static func ring(_ ring: [MapPoint], contains point: MapPoint) -> Bool {
        var inside = false
        var previous = ring.last ?? point
        for current in ring {
            if (current.y > point.y) != (previous.y > point.y) {
                let crossing = (previous.x - current.x) * (point.y - current.y) / (previous.y - current.y) + current.x
                if point.x < crossing { inside.toggle() }
            }
            previous = current
        }
        return inside
    }
}

/// A rectangle in SWEREF 99 TM metres.
public struct MapBounds: Sendable, Hashable, Codable {
    public var minX: Double
    public var minY: Double
    public var maxX: Double
    public var maxY: Double

    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX
        self.minY = minY
        self.maxX = maxX
        self.maxY = maxY
    }

    public init(_ point: MapPoint) { self.init(minX: point.x, minY: point.y, maxX: point.x, maxY: point.y) }

    public var width: Double { maxX - minX }
    public var height: Double { maxY - minY }

    public func including(_ point: MapPoint) -> MapBounds {
        MapBounds(
            minX: min(minX, point.x), minY: min(minY, point.y), maxX: max(maxX, point.x), maxY: max(maxY, point.y))
    }

    public func union(_ other: MapBounds) -> MapBounds {
        MapBounds(
            minX: min(minX, other.minX), minY: min(minY, other.minY), maxX: max(maxX, other.maxX),
            maxY: max(maxY, other.maxY))
    }
}

/// SWEREF 99 TM's extent over Sweden (with a margin): coordinates outside it are not SWEREF 99 TM.
public enum Sweref99TM {
    /// The EPSG code.
    public static let epsg = 3006
    public static let bounds = MapBounds(minX: 150_000, minY: 6_050_000, maxX: 1_050_000, maxY: 7_750_000)

    /// True when the point lies within Sweden's SWEREF 99 TM extent.
    public static func isPlausible(_ point: MapPoint) -> Bool {
        point.x >= bounds.minX && point.x <= bounds.maxX && point.y >= bounds.minY && point.y <= bounds.maxY
    }

    /// Refuses a geometry with a coordinate outside SWEREF 99 TM's extent over Sweden.
    static func checkPlausible(_ geometry: MapGeometry, file: String, feature: String) throws(GeoReadError) {
        guard let bounds = geometry.bounds else { return }
        for corner in [MapPoint(x: bounds.minX, y: bounds.minY), MapPoint(x: bounds.maxX, y: bounds.maxY)]
        where !isPlausible(corner) {
            throw GeoReadError(
                file: file, feature: feature,
                message: "the coordinate (\(corner.x), \(corner.y)) lies outside Sweden in SWEREF 99 TM (EPSG:3006); "
                    + "give the boundaries in SWEREF 99 TM")
        }
    }
}
