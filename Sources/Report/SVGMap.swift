import LagesbildModel

/// Maps in the report: choropleths of an indicator by area and a grid map of events, as inline SVG that
/// scales with the page's width, each with a `<title>`, a `<desc>`, an HTML legend in Swedish and a table
/// of the values as a text alternative. Suppressed and missing areas are hatched and explained.
public enum SVGMap {
    /// The drawing's width in its own units; the SVG scales to the column's width.
    static let width = 680.0
    static let padding = 6.0
    /// Room under the map for the scale bar.
    static let scaleBand = 30.0

    /// ColorBrewer's YlGnBu (colour-blind safe, prints in grey), light to dark, for 3 to 7 classes.
    static let palettes: [Int: [String]] = [
        3: ["#edf8b1", "#7fcdbb", "#2c7fb8"],
        4: ["#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"],
        5: ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"],
        6: ["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"],
        7: ["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"],
    ]
    /// Area outlines: dark enough (3:1 on white) that even the lightest class is seen against the page.
    static let outline = "#595959"

    /// The maps as HTML: one figure per choropleth, then the grid map.
    public static func section(_ maps: ReportMaps, threshold: Int) -> String {
        var out = "<div class=\"maps\">\n"
        for (index, map) in maps.choropleths.enumerated() {
            out += choropleth(map, classes: maps.classes, id: "karta\(index + 1)", threshold: threshold)
        }
        if let grid = maps.grid { out += gridMap(grid, id: "rutkarta") }
        out += "</div>\n"
        return out
    }

    // MARK: Classes

    /// Class limits for `values`: `classes` quantile classes, fewer when the values have fewer distinct
    /// numbers. Returns the lower limits, ascending; the last class runs to the maximum.
    public static func quantileBreaks(_ values: [Double], classes: Int) -> [Double] {
        let sorted = values.filter(\.isFinite).sorted()
        guard !sorted.isEmpty else { return [] }
        var breaks: [Double] = []
        for index in 0..<max(classes, 1) {
            let position = Double(index) * Double(sorted.count) / Double(classes)
            let value = sorted[min(sorted.count - 1, Int(position.rounded(.down)))]
            if breaks.last != value { breaks.append(value) }
        }
        return breaks
    }

    /// The class (0-based) of `value` given lower limits `breaks`.
    public static func classIndex(_ value: Double, breaks: [Double]) -> Int {
        var result = 0
        for (index, limit) in breaks.enumerated() where value >= limit { result = index }
        return result
    }

    /// The palette for `count` classes.
    static func palette(_ count: Int) -> [String] {
        if let exact = palettes[count] { return exact }
        let seven = palettes[7]!
        return (0..<max(count, 1)).map { seven[min(6, $0 * 7 / max(count, 1))] }
    }

    // MARK: Choropleth

    static func choropleth(_ map: ChoroplethMap, classes: Int, id: String, threshold: Int) -> String {
        let values = map.areas.compactMap { $0.status == .ok ? $0.value : nil }
        let breaks = quantileBreaks(values, classes: classes)
        let colours = palette(breaks.count)
        let maximum = values.max() ?? 0
        let projection = Projection(map.areas.flatMap(\.shape.rings))
        let title = "\(map.indicatorTitle) per \(map.areaLevel), \(map.period)"
        let shown = map.areas.filter { $0.status == .ok && $0.value != nil }
        let hidden = map.areas.count - shown.count
        let ranked = shown.sorted { ($0.value ?? 0) > ($1.value ?? 0) }
        var description = "Karta över \(map.areaLevel) i \(breaks.count) klasser, mörkare färg betyder högre värde."
        if let top = ranked.first, let value = top.value {
            description +=
                " Högst: \(top.shape.name), \(SwedishFormat.number(value, decimals: map.decimals)) \(map.unit)."
        }
        if let bottom = ranked.last, let value = bottom.value, ranked.count > 1 {
            description +=
                " Lägst: \(bottom.shape.name), \(SwedishFormat.number(value, decimals: map.decimals)) \(map.unit)."
        }
        if hidden > 0 { description += " \(hidden) områden är prickade eller saknar värde och visas streckade." }
        var svg = open(id: id, projection: projection, title: title, description: description)
        for area in map.areas {
            let fill: String
            let label: String
            if area.status == .ok, let value = area.value {
                fill = colours[classIndex(value, breaks: breaks)]
                label =
                    "\(area.shape.name) (\(area.shape.code)): \(SwedishFormat.number(value, decimals: map.decimals)) \(map.unit)"
            } else {
                fill = "url(#\(id)-streck)"
                label = "\(area.shape.name) (\(area.shape.code)): \(hiddenWord(area.status))"
            }
            svg += "<path d=\"\(projection.path(area.shape.rings))\" fill=\"\(fill)\" fill-rule=\"evenodd\" "
            svg += "stroke=\"\(outline)\" stroke-width=\"0.6\"><title>\(HTMLText.safe(label))</title></path>\n"
        }
        svg += scaleBar(projection)
        svg += "</svg>"
        var legend: [(swatch: String, label: String)] = []
        for (index, limit) in breaks.enumerated() {
            let upper = index + 1 < breaks.count ? breaks[index + 1] : maximum
            let range =
                index + 1 < breaks.count
                ? "\(SwedishFormat.number(limit, decimals: map.decimals)) till under \(SwedishFormat.number(upper, decimals: map.decimals))"
                : "\(SwedishFormat.number(limit, decimals: map.decimals))–\(SwedishFormat.number(upper, decimals: map.decimals))"
            legend.append(("background:\(colours[index])", range))
        }
        legend.append((hatchStyle, "Prickad (färre än \(threshold) händelser) eller saknas"))
        var out = "<h3 class=\"map-heading\">Karta: \(HTMLText.safe(title))</h3>\n"
        out += "<figure class=\"map-figure\">\n<div class=\"map-body\">\n<div class=\"map-svg\">\(svg)</div>\n"
        out += legendHTML(heading: "\(map.unit), \(map.period)", entries: legend)
        out += "</div>\n<figcaption>\(HTMLText.safe(title)). Klasserna delar områdena med värden i lika stora "
        out += "grupper (kvantiler); mörkare färg betyder högre värde"
        out += map.better == .lower ? ", vilket här är sämre. " : ". "
        out += "Streckade områden har inget värde att visa. \(HTMLText.safe(map.source))</figcaption>\n"
        out += valuesTable(map, colours: colours, breaks: breaks)
        out += "</figure>\n"
        return out
    }

    static func hiddenWord(_ status: PointStatus) -> String {
        switch status {
        case .suppressed: return "prickad"
        case .notApplicable: return "ej tillämpligt"
        case .missing, .ok: return "saknas"
        }
    }

    static let hatchStyle =
        "background:repeating-linear-gradient(45deg,#ffffff 0,#ffffff 3px,#767676 3px,#767676 4.5px)"

    static func legendHTML(heading: String, entries: [(swatch: String, label: String)]) -> String {
        var out = "<div class=\"map-legend\">\n<p class=\"map-legend-heading\">\(HTMLText.safe(heading))</p>\n<ul>\n"
        for entry in entries {
            out += "<li><span class=\"swatch\" style=\"\(entry.swatch)\" aria-hidden=\"true\"></span>"
            out += "\(HTMLText.safe(entry.label))</li>\n"
        }
        return out + "</ul>\n</div>\n"
    }

    /// The values in a table: the map's text alternative, folded under the map.
    static func valuesTable(_ map: ChoroplethMap, colours: [String], breaks: [Double]) -> String {
        var out = "<details class=\"map-values\"><summary>Kartans värden som tabell</summary>\n"
        out += "<div class=\"table-wrap\"><table>\n<caption>\(HTMLText.safe(map.indicatorTitle)) per "
        out += "\(HTMLText.safe(map.areaLevel)), \(HTMLText.safe(map.period))</caption>\n"
        out += "<thead><tr><th scope=\"col\">Område</th><th scope=\"col\">Kod</th>"
        out +=
            "<th scope=\"col\" class=\"num\">\(HTMLText.safe(map.unit))</th><th scope=\"col\">Klass</th></tr></thead>\n<tbody>\n"
        let ordered = map.areas.sorted {
            ($0.value ?? -.infinity, $1.shape.name) > ($1.value ?? -.infinity, $0.shape.name)
        }
        for area in ordered {
            out +=
                "<tr><th scope=\"row\">\(HTMLText.safe(area.shape.name))</th><td>\(HTMLText.safe(area.shape.code))</td>"
            if area.status == .ok, let value = area.value {
                let index = classIndex(value, breaks: breaks)
                out += "<td class=\"num\">\(SwedishFormat.number(value, decimals: map.decimals))</td>"
                out += "<td>\(index + 1) av \(breaks.count)</td></tr>\n"
            } else {
                out += "<td class=\"num supp\">..</td><td>\(hiddenWord(area.status))</td></tr>\n"
            }
        }
        return out + "</tbody></table></div></details>\n"
    }

    // MARK: Grid

    static func gridMap(_ grid: GridMap, id: String) -> String {
        let cellRings = grid.squares.map { cell in
            [
                PlanarPoint(x: cell.x, y: cell.y), PlanarPoint(x: cell.x + Double(grid.size), y: cell.y),
                PlanarPoint(x: cell.x + Double(grid.size), y: cell.y + Double(grid.size)),
                PlanarPoint(x: cell.x, y: cell.y + Double(grid.size)),
            ]
        }
        let projection = Projection(grid.background.flatMap(\.rings) + cellRings)
        let counts = grid.squares.map { Double($0.events) }
        let breaks = quantileBreaks(counts, classes: 5)
        let colours = palette(breaks.count)
        let squareName = grid.size == 1000 ? "1 km × 1 km" : "250 m × 250 m"
        let title = "\(grid.title) per ruta om \(squareName), \(grid.year)"
        var description =
            "Rutkarta: \(grid.squares.count) rutor med minst \(grid.threshold) händelser, mörkare färg betyder fler. "
        if let top = grid.squares.max(by: { $0.events < $1.events }) {
            description += "Flest i en ruta: \(top.events)\(top.areaName.map { " (\($0))" } ?? ""). "
        }
        description += "Rutor med färre än \(grid.threshold) händelser visas inte."
        var svg = open(id: id, projection: projection, title: title, description: description)
        for area in grid.background {
            svg += "<path d=\"\(projection.path(area.rings))\" fill=\"#f2f2f2\" fill-rule=\"evenodd\" "
            svg += "stroke=\"#8c8c8c\" stroke-width=\"0.6\"><title>\(HTMLText.safe(area.name))</title></path>\n"
        }
        let side = Double(grid.size) * projection.scale
        for cell in grid.squares {
            let corner = projection.point(PlanarPoint(x: cell.x, y: cell.y + Double(grid.size)))
            svg += "<rect x=\"\(format(corner.x))\" y=\"\(format(corner.y))\" width=\"\(format(side))\" "
            svg += "height=\"\(format(side))\" fill=\"\(colours[classIndex(Double(cell.events), breaks: breaks)])\" "
            svg +=
                "stroke=\"\(outline)\" stroke-width=\"0.4\"><title>Ruta \(cell.id): \(cell.events) händelser</title></rect>\n"
        }
        svg += scaleBar(projection)
        svg += "</svg>"
        var legend: [(swatch: String, label: String)] = []
        let maximum = grid.squares.map(\.events).max() ?? 0
        for (index, limit) in breaks.enumerated() {
            let low = Int(limit)
            let high = index + 1 < breaks.count ? Int(breaks[index + 1]) - 1 : maximum
            legend.append(("background:\(colours[index])", low == high ? "\(low)" : "\(low)–\(high)"))
        }
        legend.append(("background:#f2f2f2", "Ingen ruta med minst \(grid.threshold) händelser (färre visas inte)"))
        var out = "<h3 class=\"map-heading\">Karta: \(HTMLText.safe(title))</h3>\n"
        out += "<figure class=\"map-figure\">\n<div class=\"map-body\">\n<div class=\"map-svg\">\(svg)</div>\n"
        out += legendHTML(heading: "Händelser per ruta, \(grid.year)", entries: legend)
        out += "</div>\n<figcaption>\(HTMLText.safe(title)). Händelserna räknas i SCB:s rutnät (SWEREF 99 TM); "
        out += "enskilda händelser visas aldrig. \(grid.squaresSuppressed) rutor med sammanlagt "
        out += "\(grid.eventsSuppressed) händelser har färre än \(grid.threshold) och visas inte"
        out +=
            grid.withoutCoordinates > 0
            ? "; \(grid.withoutCoordinates) av \(grid.events) händelser saknar koordinater och finns inte på kartan. "
            : ". "
        out += "\(HTMLText.safe(grid.source))</figcaption>\n"
        out += "<details class=\"map-values\"><summary>Rutorna med flest händelser som tabell</summary>\n"
        out +=
            "<div class=\"table-wrap\"><table>\n<caption>De tio rutorna med flest händelser, \(grid.year)</caption>\n"
        out += "<thead><tr><th scope=\"col\">Ruta (SCB)</th><th scope=\"col\">Område</th>"
        out += "<th scope=\"col\" class=\"num\">Händelser</th></tr></thead>\n<tbody>\n"
        for cell in grid.squares.sorted(by: { ($0.events, $1.id) > ($1.events, $0.id) }).prefix(10) {
            out += "<tr><th scope=\"row\">\(HTMLText.safe(cell.id))</th><td>\(HTMLText.safe(cell.areaName ?? "–"))</td>"
            out += "<td class=\"num\">\(cell.events)</td></tr>\n"
        }
        out += "</tbody></table></div></details>\n</figure>\n"
        return out
    }

    // MARK: Drawing

    static func open(id: String, projection: Projection, title: String, description: String) -> String {
        var svg = "<svg class=\"map\" id=\"\(id)\" viewBox=\"0 0 \(format(width)) \(format(projection.height))\" "
        svg += "role=\"img\" aria-labelledby=\"\(id)-titel \(id)-beskrivning\">\n"
        svg += "<title id=\"\(id)-titel\">\(HTMLText.safe(title))</title>\n"
        svg += "<desc id=\"\(id)-beskrivning\">\(HTMLText.safe(description))</desc>\n"
        svg += "<defs><pattern id=\"\(id)-streck\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\" "
        svg += "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#ffffff\"/>"
        svg += "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#767676\" stroke-width=\"2.5\"/></pattern></defs>\n"
        return svg
    }

    /// A scale bar of a round length (1, 2, 5 or 10 km …) in the band under the map.
    static func scaleBar(_ projection: Projection) -> String {
        let target = (width - 2 * padding) / 5 / projection.scale
        let lengths = [250.0, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000]
        let metres = lengths.last(where: { $0 <= target }) ?? lengths[0]
        let length = metres * projection.scale
        let y = projection.height - scaleBand / 2
        let label = metres >= 1000 ? "\(Int(metres / 1000)) km" : "\(Int(metres)) m"
        var svg = "<g class=\"scale\" aria-hidden=\"true\">"
        svg +=
            "<path d=\"M\(format(padding)),\(format(y - 4))V\(format(y))H\(format(padding + length))V\(format(y - 4))\" "
        svg += "fill=\"none\" stroke=\"#333333\" stroke-width=\"1.5\"/>"
        svg += "<text x=\"\(format(padding + length + 6))\" y=\"\(format(y + 1))\" font-size=\"20\" "
        svg += "dominant-baseline=\"middle\" fill=\"#333333\">\(label)</text></g>\n"
        return svg
    }

    static func format(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        return String(rounded)
    }

    /// SWEREF 99 TM metres to drawing units: north up, the areas' extent filling the width.
    struct Projection {
        let minX: Double
        let maxY: Double
        let scale: Double
        let height: Double

        init(_ rings: [[PlanarPoint]]) {
            let points = rings.joined()
            let minX = points.map(\.x).min() ?? 0
            let maxX = points.map(\.x).max() ?? 1
            let minY = points.map(\.y).min() ?? 0
            let maxY = points.map(\.y).max() ?? 1
            self.minX = minX
            self.maxY = maxY
            let extent = max(maxX - minX, 1)
            scale = (SVGMap.width - 2 * SVGMap.padding) / extent
            height = (maxY - minY) * scale + 2 * SVGMap.padding + SVGMap.scaleBand
        }

        func point(_ point: PlanarPoint) -> (x: Double, y: Double) {
            ((point.x - minX) * scale + SVGMap.padding, (maxY - point.y) * scale + SVGMap.padding)
        }

        /// Path data for rings, each closed.
        func path(_ rings: [[PlanarPoint]]) -> String {
            var d = ""
            for ring in rings where ring.count >= 3 {
                for (index, planar) in ring.enumerated() {
                    let (x, y) = point(planar)
                    d += (index == 0 ? "M" : "L") + SVGMap.format(x) + "," + SVGMap.format(y)
                }
                d += "Z"
            }
            return d
        }
    }

    /// The maps' style sheet, added to the report's.
    public static let css = """
        .maps { margin: 1rem 0 2rem; }
        .map-figure { margin: 0.5rem 0 1.5rem; }
        h3.map-heading { break-after: avoid; }
        .map-body { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; align-items: flex-start; }
        .map-svg { flex: 1 1 26rem; min-width: 0; max-width: 680px; }
        /* A map scales with the width, on a phone too: it never scrolls sideways. */
        svg.map { display: block; width: 100%; height: auto; }
        .map-legend { flex: 0 1 15rem; font-size: 0.85rem; }
        .map-legend-heading { font-weight: 600; margin: 0 0 0.3rem; }
        .map-legend ul { list-style: none; margin: 0; padding: 0; }
        .map-legend li { display: flex; align-items: center; gap: 0.5rem; margin: 0.2rem 0; }
        .swatch { display: inline-block; flex: none; width: 1.6rem; height: 1rem; border: 1px solid #595959;
          -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        .map-values summary { cursor: pointer; font-size: 0.9rem; color: #1f5f99; }
        @media print {
          svg.map { max-height: 190mm; }
          .map-figure { break-inside: avoid; }
          .map-values { display: none; }
        }

        """
}
