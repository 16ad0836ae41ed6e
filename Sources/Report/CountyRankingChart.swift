import LagesbildModel

/// The kommuner of one indicator as a dot-and-interval chart: one row per kommun, highest first, the 95 %
/// interval as a line, the reference (county or country) as a vertical line. A kommun beyond chance above
/// or below the reference is drawn as a diamond (above) or square (below) in a stronger colour, so the mark
/// does not rest on colour alone.
public struct CountyRankingChart: Sendable {
    public var title: String
    public var entries: [CountyRankEntry]
    public var referenceName: String
    public var referenceValue: Double?
    public var unit: String
    public var decimals: Int
    /// Narrow enough to fit a phone without scrolling: the whole ranking must be seen at once.
    public var width: Double = 460

    public init(
        title: String, entries: [CountyRankEntry], referenceName: String, referenceValue: Double?, unit: String,
        decimals: Int
    ) {
        self.title = title
        self.entries = entries
        self.referenceName = referenceName
        self.referenceValue = referenceValue
        self.unit = unit
        self.decimals = decimals
    }

    let rowHeight = 26.0
    let plotLeft = 150.0
    var plotRight: Double { width - 24 }
    let plotTop = 30.0
    var plotBottom: Double { plotTop + rowHeight * Double(max(entries.count, 1)) }
    var height: Double { plotBottom + 64 }

    var scale: LinearScale {
        // A dot plot needs no zero: the intervals and their overlap are what the reader compares.
        var values: [Double] = []
        for entry in entries where entry.status == .ok {
            values += [entry.value, entry.low, entry.high].compactMap { $0 }
        }
        if let referenceValue { values.append(referenceValue) }
        let finite = values.filter(\.isFinite)
        return LinearScale(domain: (finite.min() ?? 0, finite.max() ?? 1), range: (plotLeft, plotRight)).niced()
    }

    public func render() -> String {
        let scale = self.scale
        let tickDecimals = scale.tickDecimals()
        var svg = SVG.open(width: width, height: height, label: title, className: "county-ranking")
        for tick in scale.ticks() {
            let x = SVG.coordinate(scale(tick))
            svg +=
                "<line class=\"grid\" x1=\"\(x)\" y1=\"\(SVG.coordinate(plotTop))\" x2=\"\(x)\" "
                + "y2=\"\(SVG.coordinate(plotBottom))\" stroke=\"\(ChartPalette.grid)\"/>"
            svg += SVG.text(
                SwedishFormat.number(tick, decimals: tickDecimals), x: scale(tick), y: plotBottom + 16,
                anchor: "middle",
                className: "tick")
        }
        svg += SVG.text(unit, x: plotRight, y: plotBottom + 32, anchor: "end", className: "unit")
        if let referenceValue {
            let x = SVG.coordinate(scale(referenceValue))
            svg +=
                "<line class=\"reference\" x1=\"\(x)\" y1=\"\(SVG.coordinate(plotTop - 8))\" x2=\"\(x)\" "
                + "y2=\"\(SVG.coordinate(plotBottom))\" stroke=\"\(ChartPalette.county)\" stroke-width=\"2\" "
                + "stroke-dasharray=\"6 4\"/>"
            // The label stays inside the chart even when the line is near an edge.
            let labelX = min(max(scale(referenceValue), plotLeft + 70), width - 80)
            svg += SVG.text(
                "\(referenceName) \(SwedishFormat.number(referenceValue, decimals: decimals))", x: labelX,
                y: plotTop - 12, anchor: "middle", className: "reference-label")
        }
        for (index, entry) in entries.enumerated() {
            let y = plotTop + rowHeight * (Double(index) + 0.5)
            svg += "<g class=\"rank-row\" data-code=\"\(HTMLText.safe(entry.code))\">"
            svg += SVG.text(entry.name, x: plotLeft - 8, y: y + 4, anchor: "end")
            guard entry.status == .ok, let value = entry.value else {
                let word = entry.status == .suppressed ? ".. prickad" : "saknas"
                svg += SVG.text(word, x: plotLeft + 4, y: y + 4, className: "gap", extra: " fill=\"#555555\"")
                svg += "</g>"
                continue
            }
            let marked = entry.deviation == .higher || entry.deviation == .lower
            let color = marked ? ChartPalette.highlight : ChartPalette.municipality
            if let low = entry.low, let high = entry.high {
                svg +=
                    "<line class=\"ci\" x1=\"\(SVG.coordinate(scale(low)))\" y1=\"\(SVG.coordinate(y))\" "
                    + "x2=\"\(SVG.coordinate(scale(high)))\" y2=\"\(SVG.coordinate(y))\" stroke=\"\(color)\" "
                    + "stroke-width=\"2\"/>"
            }
            var tooltip = "\(entry.name): \(SwedishFormat.number(value, decimals: decimals))"
            if let low = entry.low, let high = entry.high {
                tooltip +=
                    " (95 % KI \(SwedishFormat.number(low, decimals: decimals))–"
                    + "\(SwedishFormat.number(high, decimals: decimals)))"
            }
            if let note = entry.note { tooltip += " – \(note)" }
            let cx = scale(value)
            let shape: String
            switch entry.deviation {
            case .higher:
                shape =
                    "<path class=\"point higher\" d=\"M\(SVG.coordinate(cx)) \(SVG.coordinate(y - 7)) "
                    + "L\(SVG.coordinate(cx + 7)) \(SVG.coordinate(y)) L\(SVG.coordinate(cx)) \(SVG.coordinate(y + 7)) "
                    + "L\(SVG.coordinate(cx - 7)) \(SVG.coordinate(y)) Z\" fill=\"\(color)\">"
            case .lower:
                shape =
                    "<rect class=\"point lower\" x=\"\(SVG.coordinate(cx - 5.5))\" y=\"\(SVG.coordinate(y - 5.5))\" "
                    + "width=\"11\" height=\"11\" fill=\"\(color)\">"
            default:
                shape =
                    "<circle class=\"point\" cx=\"\(SVG.coordinate(cx))\" cy=\"\(SVG.coordinate(y))\" r=\"4.5\" "
                    + "fill=\"\(color)\">"
            }
            let closing = shape.hasPrefix("<path") ? "</path>" : shape.hasPrefix("<rect") ? "</rect>" : "</circle>"
            svg += shape + "<title>\(HTMLText.safe(tooltip))</title>" + closing + "</g>"
        }
        // Legend, from the left edge (the plot is narrow).
        let legendX = 8.0
        let legendY = height - 14
        svg +=
            "<g class=\"legend-item\"><line x1=\"\(SVG.coordinate(legendX))\" y1=\"\(SVG.coordinate(legendY - 4))\" "
            + "x2=\"\(SVG.coordinate(legendX + 24))\" y2=\"\(SVG.coordinate(legendY - 4))\" "
            + "stroke=\"\(ChartPalette.municipality)\" stroke-width=\"2\"/>"
        svg += SVG.text("95 % intervall", x: legendX + 30, y: legendY) + "</g>"
        svg +=
            "<g class=\"legend-item\"><path d=\"M\(SVG.coordinate(legendX + 160)) \(SVG.coordinate(legendY - 11)) "
            + "l7 7 l-7 7 l-7 -7 Z\" fill=\"\(ChartPalette.highlight)\"/>"
        svg += SVG.text("signifikant avvikande", x: legendX + 172, y: legendY) + "</g>"
        svg += "</svg>"
        return svg
    }
}
