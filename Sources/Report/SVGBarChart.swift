/// A ranked horizontal bar chart: highest value first, suppressed and missing bars listed last as such.
public struct SVGBarChart: Sendable {
    public struct Bar: Sendable, Hashable {
        public var label: String
        public var value: Double?
        public var status: PointStatus
        public var highlighted: Bool
        public var note: String?

        public init(
            label: String, value: Double?, status: PointStatus? = nil, highlighted: Bool = false, note: String? = nil
        ) {
            self.label = label
            self.value = value
            self.status = status ?? (value == nil ? .missing : .ok)
            self.highlighted = highlighted
            self.note = note
        }

        var shownValue: Double? { status == .ok ? value : nil }
    }

    public var title: String
    public var bars: [Bar]
    public var unit: String
    public var decimals: Int
    /// Legend text for highlighted bars.
    public var highlightLabel: String
    public var width: Double

    public init(
        title: String, bars: [Bar], unit: String = "", decimals: Int = 1, highlightLabel: String = "Markerat område",
        width: Double = 680
    ) {
        self.title = title
        self.bars = bars
        self.unit = unit
        self.decimals = decimals
        self.highlightLabel = highlightLabel
        self.width = width
    }

    /// Bars with a value, highest first (ties by label), then suppressed and missing bars by label.
    public var sortedBars: [Bar] {
        let withValue = bars.filter { $0.shownValue != nil }.sorted {
            let left = $0.shownValue!
            let right = $1.shownValue!
            return left != right ? left > right : $0.label < $1.label
        }
        let without = bars.filter { $0.shownValue == nil }.sorted { $0.label < $1.label }
        return withValue + without
    }

    public let rowHeight: Double = 22
    public var plotLeft: Double { 170 }
    public var plotRight: Double { width - 70 }
    public var plotTop: Double { 44 }
    public var hasHighlight: Bool { bars.contains { $0.highlighted } }
    public var height: Double { plotTop + Double(bars.count) * rowHeight + 8 + (hasHighlight ? 28 : 8) }

    public var xScale: LinearScale {
        let values = bars.compactMap(\.shownValue).filter(\.isFinite)
        return LinearScale(domain: (min(0, values.min() ?? 0), max(0, values.max() ?? 1)), range: (plotLeft, plotRight))
            .niced()
    }

    public func render() -> String {
        let scale = xScale
        let tickDecimals = scale.tickDecimals()
        let bottom = plotTop + Double(bars.count) * rowHeight
        var svg = SVG.open(width: width, height: height, label: title, className: "bar-chart")
        for tick in scale.ticks() {
            let x = SVG.coordinate(scale(tick))
            svg +=
                "<line class=\"grid\" x1=\"\(x)\" y1=\"\(SVG.coordinate(plotTop))\" x2=\"\(x)\" "
                + "y2=\"\(SVG.coordinate(bottom))\" stroke=\"\(ChartPalette.grid)\"/>"
            svg += SVG.text(
                SwedishFormat.number(tick, decimals: tickDecimals), x: scale(tick), y: plotTop - 8, anchor: "middle",
                className: "tick")
        }
        if !unit.isEmpty {
            svg += SVG.text(unit, x: plotLeft, y: 12, className: "unit")
        }
        for (row, bar) in sortedBars.enumerated() {
            let top = plotTop + Double(row) * rowHeight
            let middle = top + rowHeight / 2 + 4
            let labelText = bar.label
            svg +=
                "<g class=\"bar-row\(bar.highlighted ? " highlighted" : "")\" data-label=\"\(HTMLText.safe(bar.label))\">"
            svg += SVG.text(
                labelText, x: plotLeft - 8, y: middle, anchor: "end",
                extra: bar.highlighted ? " font-weight=\"bold\"" : "")
            if let value = bar.shownValue {
                let x0 = scale(0)
                let x1 = scale(value)
                let color = bar.highlighted ? ChartPalette.highlight : ChartPalette.municipality
                let formatted = SwedishFormat.number(value, decimals: decimals)
                svg +=
                    "<rect class=\"bar\" data-value=\"\(value)\" x=\"\(SVG.coordinate(min(x0, x1)))\" "
                    + "y=\"\(SVG.coordinate(top + 3))\" width=\"\(SVG.coordinate(abs(x1 - x0)))\" "
                    + "height=\"\(SVG.coordinate(rowHeight - 6))\" fill=\"\(color)\"><title>"
                    + HTMLText.safe("\(bar.label): \(formatted)" + (bar.note.map { " – \($0)" } ?? ""))
                    + "</title></rect>"
                svg += SVG.text(formatted, x: max(x0, x1) + 4, y: middle, className: "value")
            } else {
                let word =
                    bar.status == .suppressed
                    ? "prickad (..)" : bar.status == .notApplicable ? "ej tillämpligt" : "saknas"
                svg +=
                    "<text class=\"\(bar.status == .suppressed ? "suppressed" : "missing")\" "
                    + "x=\"\(SVG.coordinate(plotLeft + 4))\" y=\"\(SVG.coordinate(middle))\" fill=\"#666\" "
                    + "font-style=\"italic\">" + word + "<title>"
                    + HTMLText.safe("\(bar.label): \(word)" + (bar.note.map { " – \($0)" } ?? "")) + "</title></text>"
            }
            svg += "</g>"
        }
        if hasHighlight {
            let y = bottom + 22
            svg +=
                "<rect x=\"\(SVG.coordinate(plotLeft))\" y=\"\(SVG.coordinate(y - 10))\" width=\"12\" height=\"12\" "
                + "fill=\"\(ChartPalette.highlight)\"/>"
            svg += SVG.text(highlightLabel, x: plotLeft + 18, y: y)
            // The second key starts after the first label, at about 7,5 units a character, so that a long
            // label does not run into it.
            let second = plotLeft + max(210, 18 + Double(highlightLabel.count) * 7.5 + 24)
            svg +=
                "<rect x=\"\(SVG.coordinate(second))\" y=\"\(SVG.coordinate(y - 10))\" width=\"12\" "
                + "height=\"12\" fill=\"\(ChartPalette.municipality)\"/>"
            svg += SVG.text("Övriga områden", x: second + 18, y: y)
        }
        svg += "</svg>"
        return svg
    }
}
