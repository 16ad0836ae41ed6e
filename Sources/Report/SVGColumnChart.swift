/// A vertical bar chart over a few fixed categories (months of the year). Suppressed values are marked `..`.
public struct SVGColumnChart: Sendable {
    public var title: String
    public var categories: [String]
    public var values: [PatternCell]
    public var unit: String
    public var width: Double
    public var height: Double

    public init(
        title: String, categories: [String], values: [PatternCell], unit: String = "", width: Double = 680,
        height: Double = 240
    ) {
        self.title = title
        self.categories = categories
        self.values = values
        self.unit = unit
        self.width = width
        self.height = height
    }

    public var plotLeft: Double { 64 }
    public var plotRight: Double { width - 16 }
    public var plotTop: Double { 24 }
    public var plotBottom: Double { height - 32 }
    var band: Double { (plotRight - plotLeft) / Double(max(categories.count, 1)) }

    public var yScale: LinearScale {
        let shown = values.compactMap(\.shownValue).filter(\.isFinite)
        return LinearScale(domain: (min(0, shown.min() ?? 0), max(0, shown.max() ?? 1)), range: (plotBottom, plotTop))
            .niced()
    }

    public func render() -> String {
        let scale = yScale
        let decimals = scale.tickDecimals()
        var svg = SVG.open(width: width, height: height, label: title, className: "column-chart")
        for tick in scale.ticks() {
            let y = SVG.coordinate(scale(tick))
            svg +=
                "<line class=\"grid\" x1=\"\(SVG.coordinate(plotLeft))\" y1=\"\(y)\" x2=\"\(SVG.coordinate(plotRight))\" "
                + "y2=\"\(y)\" stroke=\"\(ChartPalette.grid)\"/>"
            svg += SVG.text(
                SwedishFormat.number(tick, decimals: decimals), x: plotLeft - 6, y: scale(tick) + 4, anchor: "end",
                className: "tick")
        }
        if !unit.isEmpty { svg += SVG.text(unit, x: 4, y: plotTop - 10, className: "unit") }
        var hasGap = false
        for (index, category) in categories.enumerated() {
            let left = plotLeft + Double(index) * band
            let centre = left + band / 2
            svg += SVG.text(category, x: centre, y: plotBottom + 16, anchor: "middle", className: "tick")
            let cell = index < values.count ? values[index] : PatternCell(value: nil)
            if let value = cell.shownValue {
                let y0 = scale(0)
                let y1 = scale(value)
                svg +=
                    "<rect class=\"column\" data-index=\"\(index)\" x=\"\(SVG.coordinate(left + band * 0.15))\" "
                    + "y=\"\(SVG.coordinate(min(y0, y1)))\" width=\"\(SVG.coordinate(band * 0.7))\" "
                    + "height=\"\(SVG.coordinate(abs(y1 - y0)))\" fill=\"\(ChartPalette.municipality)\"><title>"
                    + HTMLText.safe("\(category): \(SwedishFormat.number(value))") + "</title></rect>"
            } else {
                hasGap = true
                let word = cell.status == .suppressed ? "prickad" : "saknas"
                svg +=
                    "<g class=\"gap\" data-index=\"\(index)\"><title>"
                    + HTMLText.safe("\(category): \(word)" + (cell.note.map { " – \($0)" } ?? "")) + "</title>"
                svg += SVG.text(
                    cell.status == .suppressed ? ".." : "saknas", x: centre, y: plotBottom - 6, anchor: "middle",
                    extra: " fill=\"#666\"")
                svg += "</g>"
            }
        }
        svg +=
            "<line class=\"axis\" x1=\"\(SVG.coordinate(plotLeft))\" y1=\"\(SVG.coordinate(plotBottom))\" "
            + "x2=\"\(SVG.coordinate(plotRight))\" y2=\"\(SVG.coordinate(plotBottom))\" stroke=\"\(ChartPalette.axis)\"/>"
        if hasGap {
            svg += SVG.text(
                ".. = prickad (för få händelser för att visas)", x: plotRight, y: plotTop - 10, anchor: "end",
                className: "legend")
        }
        svg += "</svg>"
        return svg
    }
}
