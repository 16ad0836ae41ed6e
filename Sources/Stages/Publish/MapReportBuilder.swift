import Foundation
import GRDB
import GeoReader
import LagesbildModel
import PipelineModel
import Report
import Workspace

/// The report's maps from the workspace: the areas' simplified geometry (`map_areas`), each chosen
/// indicator's latest year by area (`indicator_values`) and the events' grid squares (`map_grid`).
extension ReportBuilder {
    func maps() throws -> ReportMaps? {
        guard let spec = pipeline.maps else { return nil }
        let boundaries = try Row.fetchAll(db, sql: "SELECT * FROM map_boundaries ORDER BY area_level")
        guard !boundaries.isEmpty || spec.grid != nil else { return nil }
        let names = Dictionary(
            try Row.fetchAll(db, sql: "SELECT code, name FROM codelist_areas").map {
                ($0["code"] as String, $0["name"] as String)
            },
            uniquingKeysWith: { first, _ in first })
        var shapes: [String: [(shape: MapShape, geometry: MapGeometry)]] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT area_level, code, geometry FROM map_areas ORDER BY area_level, code")
        {
            let code: String = row["code"]
            let geometry = try WKB.decode([UInt8](row["geometry"] as Data))
            let rings = geometry.polygons.flatMap(\.rings).map { $0.map { PlanarPoint(x: $0.x, y: $0.y) } }
            shapes[row["area_level"], default: []].append(
                (MapShape(code: code, name: names[code] ?? code, rings: rings), geometry))
        }
        var choropleths: [ChoroplethMap] = []
        // The indicators' definitions as the run stored them (titles, units, levels), not today's pipeline file.
        let stored = Dictionary(
            try IndicatorRecord.all(db).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for id in spec.indicators {
            guard let indicator = stored[id] else { continue }
            // DeSO first: the finer map, then the districts.
            for boundary in boundaries.sorted(by: { ($0["area_level"] as String) < ($1["area_level"] as String) }) {
                let level: String = boundary["area_level"]
                guard let stored = AreaLevel(rawValue: level), indicator.areaLevels.contains(stored),
                    let areas = shapes[level]
                else { continue }
                if let map = try choropleth(indicator, level: level, areas: areas.map(\.shape), boundary: boundary) {
                    choropleths.append(map)
                }
            }
        }
        var grid: GridMap?
        if let gridSpec = spec.grid {
            let background = shapes["district"] ?? shapes["deso"] ?? []
            grid = try gridMap(gridSpec, background: background)
        }
        return ReportMaps(choropleths: choropleths, grid: grid, classes: spec.classes)
    }

    func choropleth(_ indicator: IndicatorRecord, level: String, areas: [MapShape], boundary: Row) throws
        -> ChoroplethMap?
    {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT area_code, value, status, note, period FROM indicator_values
                WHERE indicator_id = ? AND area_level = ? AND breakdown = '' AND period_type = 'year'
                    AND period = (SELECT max(period) FROM indicator_values
                        WHERE indicator_id = ? AND area_level = ? AND period_type = 'year')
                """,
            arguments: [indicator.id, level, indicator.id, level])
        guard let period = rows.first?["period"] as String? else { return nil }
        var values: [String: Row] = [:]
        for row in rows { values[row["area_code"]] = row }
        let mapped = areas.map { shape -> ChoroplethArea in
            guard let row = values[shape.code] else {
                return ChoroplethArea(shape: shape, value: nil, status: .missing)
            }
            let status = Self.shownStatus(row["status"], note: row["note"])
            return ChoroplethArea(shape: shape, value: status == .ok ? row["value"] : nil, status: status)
        }
        // Values whose area the boundary file lacks are named, never silently left off the map.
        let drawn = Set(areas.map(\.code))
        let undrawn = values.keys.filter { !drawn.contains($0) }.sorted()
        let undrawnText =
            undrawn.isEmpty
            ? ""
            : " \(undrawn.count) områden med värden saknas i gränsfilen och visas inte på kartan: "
                + undrawn.prefix(10).joined(separator: ", ") + (undrawn.count > 10 ? " …" : "") + "."
        return ChoroplethMap(
            indicatorID: indicator.id, indicatorTitle: indicator.title, unit: indicator.unit,
            decimals: indicator.decimals, areaLevel: AreaLevel(rawValue: level).map(Self.levelName) ?? level,
            period: period,
            better: indicator.better, areas: mapped,
            source: "Källa: \(pipeline.indicator(indicator.id).map(valueSource) ?? "se Källor och metod"). "
                + "\(boundaryText(boundary)) Lagesbild, körning \(runID)."
                + undrawnText)
    }

    /// Who delivered an indicator's numbers, in Swedish.
    func valueSource(_ indicator: IndicatorSpec) -> String {
        var supplier: String?
        switch indicator.numerator {
        case .events(_, let source):
            let id = source ?? pipeline.sources.first(where: { $0.kind == .events })?.id
            supplier = id.flatMap { pipeline.source($0) }.map(Self.supplierName(of:))
        case .filteredEvents:
            supplier = pipeline.sources.first(where: { $0.kind == .events }).map(Self.supplierName(of:))
        case .measure: supplier = nil
        }
        let base = supplier ?? "se Källor och metod"
        return indicator.kind == .rate && indicator.denominator != nil ? "\(base), befolkning SCB" : base
    }

    func boundaryText(_ boundary: Row) -> String {
        let file: String = boundary["file"]
        let attribution = (boundary["attribution"] as String?).map { ", \($0)" } ?? ""
        let read = String((boundary["read_at"] as String).prefix(10))
        let tolerance = SVGMapNumbers.metres(boundary["tolerance_m"] as Double)
        return "Gränser: \(file)\(attribution), lästa \(read) och förenklade till \(tolerance) m."
    }

    func gridMap(_ spec: GridSpec, background: [(shape: MapShape, geometry: MapGeometry)]) throws -> GridMap? {
        guard
            let summary = try Row.fetchOne(
                db, sql: "SELECT * FROM map_grid_years WHERE source_id = ? AND size = ? ORDER BY year DESC LIMIT 1",
                arguments: [spec.source, spec.size])
        else { return nil }
        let year: Int = summary["year"]
        let cells = try Row.fetchAll(
            db,
            sql: """
                SELECT square, x, y, events FROM map_grid
                WHERE source_id = ? AND size = ? AND year = ? AND suppressed = 0 ORDER BY square
                """,
            arguments: [spec.source, spec.size, year]
        ).map { row -> GridCell in
            let x: Double = row["x"]
            let y: Double = row["y"]
            let centre = MapPoint(x: x + Double(spec.size) / 2, y: y + Double(spec.size) / 2)
            let area = background.first { $0.geometry.contains(centre) }?.shape.name
            return GridCell(id: row["square"], x: x, y: y, events: row["events"], areaName: area)
        }
        let supplier = pipeline.source(spec.source).map(Self.supplierName(of:)) ?? spec.source
        return GridMap(
            title: "Händelser i \(supplier.lowercased() == "polisen" ? "Polisens" : supplier + ":s") registrering",
            year: String(year), size: spec.size, squares: cells, background: background.map(\.shape),
            events: summary["events"], withoutCoordinates: summary["without_coordinates"],
            squaresSuppressed: summary["squares_suppressed"], eventsSuppressed: summary["events_suppressed"],
            threshold: summary["threshold"],
            source: "Källa: \(supplier) (händelsernas koordinater i SWEREF 99 TM), Lagesbild, körning \(runID).")
    }
}

/// Numbers in the maps' texts.
enum SVGMapNumbers {
    static func metres(_ value: Double) -> String {
        value == value.rounded()
            ? String(Int(value)) : String(format: "%.1f", value).replacingOccurrences(of: ".", with: ",")
    }
}
