/// A grid of counts (weekday × hour), shaded in steps; suppressed cells hatched, missing cells blank.
public struct SVGHeatMap: Sendable {
    public var title: String
    public var rowLabels: [String]
    public var columnLabels: [String]
    /// Rows of cells; each row as long as `columnLabels`.
    public var cells: [[PatternCell]]
    /// Prefix for ids inside the SVG (the hatch pattern), unique within the HTML document.
    public var idPrefix: String
    public var width: Double

    public init(
        title: String, rowLabels: [String], columnLabels: [String], cells: [[PatternCell]], idPrefix: String = "hm",
        width: Double = 680
    ) {
        self.title = title
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.cells = cells
        self.idPrefix = idPrefix
        self.width = width
    }

    /// Shades from light to dark blue, one per step.
    public static let shades = ["#eef4fa", "#c6dbef", "#85b5da", "#4a8cc4", "#1f5f99", "#0b3563"]

    public var plotLeft: Double { 44 }
    public var plotTop: Double { 22 }
    public var cellWidth: Double { (width - plotLeft - 8) / Double(max(columnLabels.count, 1)) }
    public var cellHeight: Double { 24 }
    public var height: Double { plotTop + Double(rowLabels.count) * cellHeight + 52 }

    /// The largest shown value.
    var maximum: Double { cells.joined().compactMap(\.shownValue).filter(\.isFinite).max() ?? 0 }

    /// The shade step of `value`: 0 for zero, then equal steps up to the maximum.
    public func step(of value: Double) -> Int {
        let top = maximum
        guard top > 0, value > 0 else { return 0 }
        let steps = Self.shades.count - 1
        return min(steps, max(1, Int((value / top * Double(steps)).rounded(.up))))
    }

    public func render() -> String {
        let hatch = "\(idPrefix)-hatch"
        var svg = SVG.open(width: width, height: height, label: title, className: "heat-map")
        svg += "<defs>" + SVG.hatchPattern(id: hatch) + "</defs>"
        for (column, label) in columnLabels.enumerated() where column % 2 == 0 {
            svg += SVG.text(
                label, x: plotLeft + (Double(column) + 0.5) * cellWidth, y: plotTop - 6, anchor: "middle",
                className: "tick")
        }
        for (row, label) in rowLabels.enumerated() {
            let y = plotTop + Double(row) * cellHeight
            svg += SVG.text(label, x: plotLeft - 6, y: y + cellHeight / 2 + 4, anchor: "end", className: "tick")
            let rowCells = row < cells.count ? cells[row] : []
            for column in columnLabels.indices {
                let cell = column < rowCells.count ? rowCells[column] : PatternCell(value: nil)
                let x = plotLeft + Double(column) * cellWidth
                let fill: String
                let className: String
                let tip: String
                let place = "\(label) kl. \(columnLabels[column])"
                if let value = cell.shownValue {
                    let step = step(of: value)
                    fill = Self.shades[step]
                    className = "cell"
                    tip = "\(place): \(SwedishFormat.number(value))"
                } else if cell.status == .suppressed {
                    fill = "url(#\(hatch))"
                    className = "cell suppressed"
                    tip = "\(place): prickad" + (cell.note.map { " – \($0)" } ?? "")
                } else {
                    fill = "#ffffff"
                    className = "cell missing"
                    tip = "\(place): saknas" + (cell.note.map { " – \($0)" } ?? "")
                }
                svg +=
                    "<rect class=\"\(className)\" data-row=\"\(row)\" data-column=\"\(column)\" "
                    + "x=\"\(SVG.coordinate(x))\" y=\"\(SVG.coordinate(y))\" width=\"\(SVG.coordinate(cellWidth))\" "
                    + "height=\"\(SVG.coordinate(cellHeight))\" fill=\"\(fill)\" stroke=\"#ffffff\" stroke-width=\"1\">"
                    + "<title>" + HTMLText.safe(tip) + "</title></rect>"
            }
        }
        svg += legend(y: plotTop + Double(rowLabels.count) * cellHeight + 20, hatch: hatch)
        svg += "</svg>"
        return svg
    }

    private func legend(y: Double, hatch: String) -> String {
        var out = "<g class=\"legend\">"
        var x = plotLeft
        let top = maximum
        let steps = Self.shades.count - 1
        out += SVG.text("Antal:", x: x, y: y + 10)
        x += 46
        for step in 0...steps {
            let label: String
            if step == 0 {
                label = "0"
            } else {
                let low = top * Double(step - 1) / Double(steps)
                let high = top * Double(step) / Double(steps)
                // Whole counts: step k holds the values above the previous bound up to its own.
                let first = low.rounded(.down) + 1
                let last = high.rounded(.down)
                label =
                    first >= last
                    ? SwedishFormat.number(last) : "\(SwedishFormat.number(first))–\(SwedishFormat.number(last))"
            }
            out +=
                "<rect x=\"\(SVG.coordinate(x))\" y=\"\(SVG.coordinate(y))\" width=\"14\" height=\"14\" "
                + "fill=\"\(Self.shades[step])\" stroke=\"#999\" stroke-width=\"0.5\"/>"
            out += SVG.text(label, x: x + 18, y: y + 11)
            x += 18 + Double(label.count) * 7 + 12
        }
        out +=
            "<rect class=\"legend-suppressed\" x=\"\(SVG.coordinate(x))\" y=\"\(SVG.coordinate(y))\" width=\"14\" "
            + "height=\"14\" fill=\"url(#\(hatch))\" stroke=\"#999\" stroke-width=\"0.5\"/>"
        out += SVG.text("prickad", x: x + 18, y: y + 11)
        x += 18 + 7 * 7 + 12
        out +=
            "<rect x=\"\(SVG.coordinate(x))\" y=\"\(SVG.coordinate(y))\" width=\"14\" height=\"14\" "
            + "fill=\"#ffffff\" stroke=\"#999\" stroke-width=\"0.5\"/>"
        out += SVG.text("saknas", x: x + 18, y: y + 11)
        out += "</g>"
        return out
    }
}
