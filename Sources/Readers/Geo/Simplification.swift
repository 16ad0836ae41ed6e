/// Douglas–Peucker simplification of rings, in metres: a small report needs no more detail than a pixel.
public enum Simplification {
    /// `geometry` with each ring simplified to within `tolerance` metres. A ring keeps at least 4 points
    /// (a triangle, closed); a hole that would shrink below that is dropped, an outer ring is kept as it was.
    public static func simplify(_ geometry: MapGeometry, tolerance: Double) -> MapGeometry {
        MapGeometry(
            polygons: geometry.polygons.map { polygon in
                var rings: [[MapPoint]] = []
                for (index, ring) in polygon.rings.enumerated() {
                    let simplified = simplify(ring: ring, tolerance: tolerance)
                    if simplified.count >= 4 {
                        rings.append(simplified)
                    } else if index == 0 {
                        rings.append(ring)
                    }
                }
                return MapPolygon(rings: rings)
            })
    }

    /// One closed ring simplified; its first point stays, and so does the point farthest from it.
    public static func simplify(ring: [MapPoint], tolerance: Double) -> [MapPoint] {
        guard ring.count > 4, tolerance > 0 else { return ring }
        let open = Array(ring.dropLast())
        var farthest = 0
        var distance = 0.0
        for (index, point) in open.enumerated() {
            let d = hypot(point.x - open[0].x, point.y - open[0].y)
            if d > distance {
                distance = d
                farthest = index
            }
        }
        guard farthest > 0 else { return ring }
        let first = douglasPeucker(Array(open[0...farthest]), tolerance: tolerance)
        let second = douglasPeucker(Array(open[farthest...]) + [open[0]], tolerance: tolerance)
        return first + second.dropFirst()
    }

    /// The open line simplified; its ends stay. Iterative, so a long line cannot overflow the stack.
    static func douglasPeucker(_ line: [MapPoint], tolerance: Double) -> [MapPoint] {
        guard line.count > 2 else { return line }
        var keep = [Bool](repeating: false, count: line.count)
        keep[0] = true
        keep[line.count - 1] = true
        var stack = [(0, line.count - 1)]
        while let (start, end) = stack.popLast() {
            guard end > start + 1 else { continue }
            var farthest = start
            var distance = 0.0
            for index in (start + 1)..<end {
                let d = segmentDistance(line[index], line[start], line[end])
                if d > distance {
                    distance = d
                    farthest = index
                }
            }
            if distance > tolerance {
                keep[farthest] = true
                stack.append((start, farthest))
                stack.append((farthest, end))
            }
        }
        return line.indices.filter { keep[$0] }.map { line[$0] }
    }

    static func segmentDistance(_ point: MapPoint, _ a: MapPoint, _ b: MapPoint) -> Double {
        let dx = b.x - a.x
        let dy = b.y - a.y
        let length = dx * dx + dy * dy
        guard length > 0 else { return hypot(point.x - a.x, point.y - a.y) }
        let t = max(0, min(1, ((point.x - a.x) * dx + (point.y - a.y) * dy) / length))
        return hypot(point.x - (a.x + t * dx), point.y - (a.y + t * dy))
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
