import GeoReader

/// libFuzzer entry point for the boundary readers' byte-level parts: a GeoPackage geometry blob (header,
/// envelope, WKB in either byte order) and, from the same bytes, a GeoJSON FeatureCollection. A geometry
/// that is accepted has closed rings of at least 4 finite points, and simplifying it keeps them closed.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGeo(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let decoded = try? GeoPackageGeometry.decode(bytes), let geometry = decoded.geometry {
        check(geometry)
    }
    if let geometry = try? WKB.decode(bytes) { check(geometry) }
    let path = FuzzFile.write(data, size)
    if let features = try? GeoJSONReader.read(path: path, codeProperty: "kod") {
        for feature in features {
            require(!feature.code.isEmpty, "an accepted feature has no code")
            check(feature.geometry)
        }
    }
    return 0
}

func check(_ geometry: MapGeometry) {
    for polygon in geometry.polygons {
        for ring in polygon.rings {
            require(ring.count >= 4 && ring.first == ring.last, "an accepted ring is open or too short")
            require(ring.allSatisfy { $0.x.isFinite && $0.y.isFinite }, "an accepted ring has a non-finite point")
        }
    }
    let simplified = Simplification.simplify(geometry, tolerance: 10)
    for polygon in simplified.polygons {
        for ring in polygon.rings { require(ring.first == ring.last, "simplification opened a ring") }
    }
}
