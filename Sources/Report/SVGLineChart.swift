/// A line chart over categorical periods, with gaps for missing points, optional error bars and a legend.
public struct SVGLineChart: Sendable {
    public struct Point: Sendable, Hashable {
        public var value: Double?
        public var status: PointStatus
        public var ciLow: Double?
        public var ciHigh: Double?
        public var note: String?

        public init(
            value: Double?, status: PointStatus? = nil, ciLow: Double? = nil, ciHigh: Double? = nil,
            note: String? = nil
        ) {
            self.value = value
            self.status = status ?? (value == nil ? .missing : .ok)
            self.ciLow = ciLow
            self.ciHigh = ciHigh
            self.note = note
        }

        var shownValue: Double? { status == .ok ? value : nil }
    }

    public struct Series: Sendable, Hashable {
        public var name: String
        /// One point per category, in the chart's category order.
        public var points: [Point]
        public var color: String
        public var dashed: Bool
        /// Dotted, as a path to a target (overrides `dashed`).
        public var dotted: Bool

        public init(
            name: String, points: [Point], color: String = ChartPalette.municipality, dashed: Bool = false,
            dotted: Bool = false
        ) {
            self.name = name
            self.points = points
            self.color = color
            self.dashed = dashed
            self.dotted = dotted
        }

        /// The SVG stroke pattern of the line and its legend sample.
        var strokeDash: String {
            dotted ? " stroke-dasharray=\"2 4\" stroke-linecap=\"round\"" : dashed ? " stroke-dasharray=\"6 4\"" : ""
        }
    }

    /// A vertical marker at one category, e.g. a series break.
    public struct Marker: Sendable, Hashable {
        public var index: Int
        public var label: String

        public init(index: Int, label: String) {
            self.index = index
            self.label = label
        }
    }

    public var title: String
    public var categories: [String]
    public var series: [Series]
    public var markers: [Marker]
    /// Unit shown beside the y axis.
    public var unit: String
    /// Decimals for values in tooltips.
    public var decimals: Int
    public var width: Double
    public var height: Double

    public init(
        title: String, categories: [String], series: [Series], markers: [Marker] = [], unit: String = "",
        decimals: Int = 1, width: Double = 680, height: Double = 280
    ) {
        self.decimals = decimals
        self.title = title
        self.categories = categories
        self.series = series
        self.markers = markers
        self.unit = unit
        self.width = width
        self.height = height
    }

    // MARK: Layout

    public var plotLeft: Double { 64 }
    public var plotRight: Double { width - 16 }
    public var plotTop: Double { 24 }
    public var plotBottom: Double { height - (series.count > 1 ? 38 + 18 * Double(legendRows.count) : 32) }

    /// The legend's entries row by row (their series index and x), wrapped so that no name runs past the chart.
    var legendRows: [[(index: Int, x: Double)]] {
        var rows: [[(index: Int, x: Double)]] = [[]]
        var x = plotLeft
        for (index, serie) in series.enumerated() {
            let itemWidth = 30 + Double(serie.name.count) * 7 + 24
            if x + itemWidth - 24 > width, !(rows.last?.isEmpty ?? true) {
                rows.append([])
                x = plotLeft
            }
            rows[rows.count - 1].append((index, x))
            x += itemWidth
        }
        return rows
    }

    /// The centre of category `index`'s band.
    public func x(at index: Int) -> Double {
        let count = max(categories.count, 1)
        let band = (plotRight - plotLeft) / Double(count)
        return plotLeft + (Double(index) + 0.5) * band
    }

    /// The y scale: every shown value and interval bound, and zero, widened to nice ticks.
    public var yScale: LinearScale {
        var values: [Double] = [0]
        for serie in series {
            for point in serie.points where point.status == .ok {
                if let value = point.value { values.append(value) }
                if let low = point.ciLow { values.append(low) }
                if let high = point.ciHigh { values.append(high) }
            }
        }
        let finite = values.filter(\.isFinite)
        let lower = finite.min() ?? 0
        let upper = finite.max() ?? 1
        return LinearScale(domain: (lower, upper), range: (plotBottom, plotTop)).niced()
    }

    // MARK: Rendering

    public func render() -> String {
        let scale = yScale
        let tickDecimals = scale.tickDecimals()
        // The bottom of the plot depends on the legend's rows: found once, not for every label.
        let plotBottom = self.plotBottom
        var svg = SVG.open(width: width, height: height, label: title, className: "line-chart")

        // Grid and y axis labels.
        for tick in scale.ticks() {
            let y = SVG.coordinate(scale(tick))
            svg +=
                "<line class=\"grid\" x1=\"\(SVG.coordinate(plotLeft))\" y1=\"\(y)\" "
                + "x2=\"\(SVG.coordinate(plotRight))\" y2=\"\(y)\" stroke=\"\(ChartPalette.grid)\"/>"
            svg += SVG.text(
                SwedishFormat.number(tick, decimals: tickDecimals), x: plotLeft - 6, y: scale(tick) + 4,
                anchor: "end", className: "tick")
        }
        if !unit.isEmpty {
            svg += SVG.text(unit, x: 4, y: plotTop - 10, className: "unit")
        }
        svg +=
            "<line class=\"axis\" x1=\"\(SVG.coordinate(plotLeft))\" y1=\"\(SVG.coordinate(plotBottom))\" "
            + "x2=\"\(SVG.coordinate(plotRight))\" y2=\"\(SVG.coordinate(plotBottom))\" stroke=\"\(ChartPalette.axis)\"/>"

        // X labels: thin out when crowded.
        let every = max(1, Int((Double(categories.count) / 12).rounded(.up)))
        // The last label too, unless it would crowd the thinned label before it.
        let last = categories.count - 1
        for (index, category) in categories.enumerated()
        where index % every == 0 || (index == last && index % every >= (every + 1) / 2) {
            svg += SVG.text(category, x: x(at: index), y: plotBottom + 16, anchor: "middle", className: "tick")
        }

        // Markers (series breaks).
        for marker in markers where categories.indices.contains(marker.index) {
            let mx = SVG.coordinate(x(at: marker.index) - (plotRight - plotLeft) / Double(categories.count) / 2)
            svg +=
                "<line class=\"marker\" x1=\"\(mx)\" y1=\"\(SVG.coordinate(plotTop))\" x2=\"\(mx)\" "
                + "y2=\"\(SVG.coordinate(plotBottom))\" stroke=\"#777\" stroke-dasharray=\"2 3\"/>"
            svg += SVG.text(
                marker.label, x: Double(mx) ?? 0, y: plotTop - 4, anchor: "middle", className: "marker-label")
        }

        // Suppressed periods of the first series: a ".." label at the top of the plot, never a point at 0.
        if let first = series.first {
            for (index, point) in first.points.enumerated() where index < categories.count && point.status != .ok {
                let word = point.status == .suppressed ? "prickad" : "saknas"
                let label = "\(first.name) \(categories[index]): \(word)" + (point.note.map { " – \($0)" } ?? "")
                svg +=
                    "<g class=\"gap-label\" data-period=\"\(HTMLText.safe(categories[index]))\"><title>"
                    + HTMLText.safe(label) + "</title>"
                svg += SVG.text(
                    point.status == .suppressed ? ".." : "saknas", x: x(at: index), y: plotTop + 12, anchor: "middle",
                    className: "gap", extra: " fill=\"#666\"")
                svg += "</g>"
            }
        }

        // Series: error bars, the line split at gaps, and the points.
        for (seriesIndex, serie) in series.enumerated() {
            let dash = serie.strokeDash
            var path = ""
            var penDown = false
            for (index, point) in serie.points.enumerated() where index < categories.count {
                guard let value = point.shownValue else {
                    penDown = false
                    continue
                }
                path +=
                    (penDown ? " L" : (path.isEmpty ? "M" : " M"))
                    + "\(SVG.coordinate(x(at: index))) \(SVG.coordinate(scale(value)))"
                penDown = true
            }
            if !path.isEmpty {
                svg +=
                    "<path class=\"line\" data-series=\"\(seriesIndex)\" d=\"\(path)\" fill=\"none\" "
                    + "stroke=\"\(serie.color)\" stroke-width=\"2\"\(dash)/>"
            }
            for (index, point) in serie.points.enumerated() where index < categories.count {
                guard let value = point.shownValue else { continue }
                let cx = SVG.coordinate(x(at: index))
                if let low = point.ciLow, let high = point.ciHigh {
                    let y1 = SVG.coordinate(scale(low))
                    let y2 = SVG.coordinate(scale(high))
                    let left = SVG.coordinate(x(at: index) - 4)
                    let right = SVG.coordinate(x(at: index) + 4)
                    svg +=
                        "<path class=\"ci\" data-series=\"\(seriesIndex)\" d=\"M\(cx) \(y1) L\(cx) \(y2) "
                        + "M\(left) \(y1) L\(right) \(y1) M\(left) \(y2) L\(right) \(y2)\" stroke=\"\(serie.color)\" "
                        + "stroke-width=\"1.2\" fill=\"none\" opacity=\"0.7\"/>"
                }
                var tooltip = "\(serie.name) \(categories[index]): \(SwedishFormat.number(value, decimals: decimals))"
                if let low = point.ciLow, let high = point.ciHigh {
                    tooltip +=
                        " (95 % KI \(SwedishFormat.number(low, decimals: decimals))–"
                        + "\(SwedishFormat.number(high, decimals: decimals)))"
                }
                svg +=
                    "<circle class=\"point\" data-series=\"\(seriesIndex)\" "
                    + "data-period=\"\(HTMLText.safe(categories[index]))\" cx=\"\(cx)\" "
                    + "cy=\"\(SVG.coordinate(scale(value)))\" r=\"3.5\" fill=\"\(serie.color)\"><title>"
                    + HTMLText.safe(tooltip) + "</title></circle>"
            }
        }

        // Legend when there is more than one series.
        let rows = series.count > 1 ? legendRows : []
        for (rowIndex, row) in rows.enumerated() {
            let legendY = height - 14 - 18 * Double(rows.count - 1 - rowIndex)
            for (index, legendX) in row {
                let serie = series[index]
                let dash = serie.strokeDash
                svg +=
                    "<g class=\"legend-item\"><line x1=\"\(SVG.coordinate(legendX))\" y1=\"\(SVG.coordinate(legendY - 4))\" "
                    + "x2=\"\(SVG.coordinate(legendX + 24))\" y2=\"\(SVG.coordinate(legendY - 4))\" "
                    + "stroke=\"\(serie.color)\" stroke-width=\"2\"\(dash)/>"
                svg += SVG.text(serie.name, x: legendX + 30, y: legendY) + "</g>"
            }
        }
        svg += "</svg>"
        return svg
    }
}
