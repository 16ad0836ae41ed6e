/// A target's trend chart: the yearly values with their 95 % band, the straight path from the baseline to
/// the target, the target itself and the trend's projection to the target year with its interval.
///
/// Years are placed on a continuous axis from the first year shown to the target year, so the distance
/// still to go is visible. The y axis starts at zero, as in the lägesbild's charts, so noise is not
/// magnified. Colours carry no judgement: the values are blue, the path and the target dark grey, the
/// projection purple.
public struct SVGTargetChart: Sendable {
    /// One year's value; nil values (suppressed or missing) break the line.
    public struct Point: Sendable, Hashable {
        public var year: Int
        public var value: Double?
        public var low: Double?
        public var high: Double?

        public init(year: Int, value: Double?, low: Double? = nil, high: Double? = nil) {
            self.year = year
            self.value = value
            self.low = low
            self.high = high
        }
    }

    public var title: String
    public var points: [Point]
    public var baselineYear: Int
    public var baselineValue: Double?
    public var targetYear: Int
    public var targetValue: Double
    public var projectedValue: Double?
    public var projectedLow: Double?
    public var projectedHigh: Double?
    public var unit: String
    public var decimals: Int
    public var width: Double
    public var height: Double

    public init(
        title: String, points: [Point], baselineYear: Int, baselineValue: Double?, targetYear: Int,
        targetValue: Double, projectedValue: Double? = nil, projectedLow: Double? = nil, projectedHigh: Double? = nil,
        unit: String = "", decimals: Int = 1, width: Double = 600, height: Double = 300
    ) {
        self.title = title
        self.points = points
        self.baselineYear = baselineYear
        self.baselineValue = baselineValue
        self.targetYear = targetYear
        self.targetValue = targetValue
        self.projectedValue = projectedValue
        self.projectedLow = projectedLow
        self.projectedHigh = projectedHigh
        self.unit = unit
        self.decimals = decimals
        self.width = width
        self.height = height
    }

    // MARK: Layout

    var plotLeft: Double { 64 }
    var plotRight: Double { width - 24 }
    var plotTop: Double { 24 }
    var plotBottom: Double { height - 74 }

    /// The first and last year on the axis.
    var years: ClosedRange<Int> {
        let all = points.map(\.year) + [baselineYear, targetYear]
        return (all.min() ?? baselineYear)...(all.max() ?? targetYear)
    }

    /// The x coordinate of a year.
    public func x(_ year: Int) -> Double {
        let range = years
        let band = (plotRight - plotLeft) / Double(range.count)
        return plotLeft + (Double(year - range.lowerBound) + 0.5) * band
    }

    /// The y scale: zero, every value and bound, the baseline, the target and the projection, widened to nice ticks.
    public var yScale: LinearScale {
        var values: [Double] = [0, targetValue]
        for point in points { values += [point.value, point.low, point.high].compactMap { $0 } }
        values += [baselineValue, projectedValue, projectedLow, projectedHigh].compactMap { $0 }
        let finite = values.filter(\.isFinite)
        return LinearScale(domain: (finite.min() ?? 0, finite.max() ?? 1), range: (plotBottom, plotTop)).niced()
    }

    func format(_ value: Double) -> String { SwedishFormat.number(value, decimals: decimals) }

    // MARK: Rendering

    public func render() -> String {
        let scale = yScale
        let c = SVG.coordinate
        var svg = SVG.open(width: width, height: height, label: title, className: "target-chart")

        for tick in scale.ticks() {
            let y = c(scale(tick))
            svg +=
                "<line class=\"grid\" x1=\"\(c(plotLeft))\" y1=\"\(y)\" x2=\"\(c(plotRight))\" y2=\"\(y)\" "
                + "stroke=\"\(ChartPalette.grid)\"/>"
            svg += SVG.text(
                SwedishFormat.number(tick, decimals: scale.tickDecimals()), x: plotLeft - 6, y: scale(tick) + 4,
                anchor: "end", className: "tick")
        }
        if !unit.isEmpty { svg += SVG.text(unit, x: 4, y: plotTop - 10, className: "unit") }
        svg +=
            "<line class=\"axis\" x1=\"\(c(plotLeft))\" y1=\"\(c(plotBottom))\" x2=\"\(c(plotRight))\" "
            + "y2=\"\(c(plotBottom))\" stroke=\"\(ChartPalette.axis)\"/>"
        let every = max(1, Int((Double(years.count) / 10).rounded(.up)))
        for year in years where (year - years.lowerBound) % every == 0 || year == targetYear {
            svg += SVG.text(String(year), x: x(year), y: plotBottom + 16, anchor: "middle", className: "tick")
        }

        // The 95 % band, one polygon per unbroken run of points with intervals.
        var runs: [[Point]] = [[]]
        for point in points.sorted(by: { $0.year < $1.year }) {
            if point.value != nil, point.low != nil, point.high != nil {
                runs[runs.count - 1].append(point)
            } else if !(runs.last?.isEmpty ?? true) {
                runs.append([])
            }
        }
        for run in runs where !run.isEmpty {
            let halfBand = run.count == 1 ? 6.0 : 0
            let upper =
                run.map { "\(c(x($0.year) - halfBand)) \(c(scale($0.high ?? 0)))" }
                + (halfBand > 0 ? ["\(c(x(run[0].year) + halfBand)) \(c(scale(run[0].high ?? 0)))"] : [])
            let lower =
                run.reversed().map { "\(c(x($0.year) + halfBand)) \(c(scale($0.low ?? 0)))" }
                + (halfBand > 0 ? ["\(c(x(run[0].year) - halfBand)) \(c(scale(run[0].low ?? 0)))"] : [])
            svg +=
                "<path class=\"band\" d=\"M\((upper + lower).joined(separator: " L")) Z\" "
                + "fill=\"\(ChartPalette.municipality)\" fill-opacity=\"0.16\" stroke=\"none\"/>"
        }

        // The straight path from the baseline to the target.
        if let baseline = baselineValue {
            svg +=
                "<path class=\"target-path\" d=\"M\(c(x(baselineYear))) \(c(scale(baseline))) "
                + "L\(c(x(targetYear))) \(c(scale(targetValue)))\" stroke=\"\(Self.pathColor)\" "
                + "stroke-width=\"1.5\" stroke-dasharray=\"6 4\" fill=\"none\"/>"
        }

        // The values: a line broken at gaps, and a point per year.
        var path = ""
        var penDown = false
        for point in points.sorted(by: { $0.year < $1.year }) {
            guard let value = point.value else {
                penDown = false
                continue
            }
            path += (penDown ? " L" : (path.isEmpty ? "M" : " M")) + "\(c(x(point.year))) \(c(scale(value)))"
            penDown = true
        }
        if !path.isEmpty {
            svg +=
                "<path class=\"line\" d=\"\(path)\" fill=\"none\" stroke=\"\(ChartPalette.municipality)\" "
                + "stroke-width=\"2\"/>"
        }
        for point in points {
            guard let value = point.value else { continue }
            var tooltip = "\(point.year): \(format(value))"
            if let low = point.low, let high = point.high {
                tooltip += " (95 % intervall \(format(low))–\(format(high)))"
            }
            svg +=
                "<circle class=\"point\" data-year=\"\(point.year)\" cx=\"\(c(x(point.year)))\" "
                + "cy=\"\(c(scale(value)))\" r=\"3.5\" fill=\"\(ChartPalette.municipality)\"><title>"
                + HTMLText.safe(tooltip) + "</title></circle>"
        }

        // The projection to the target year with its interval, beside the target marker.
        if let projected = projectedValue {
            let px = x(targetYear) + 9
            var tooltip = "Trenden framskriven till \(targetYear): \(format(projected))"
            if let low = projectedLow, let high = projectedHigh {
                svg +=
                    "<path class=\"projection-interval\" d=\"M\(c(px)) \(c(scale(low))) L\(c(px)) \(c(scale(high))) "
                    + "M\(c(px - 4)) \(c(scale(low))) L\(c(px + 4)) \(c(scale(low))) M\(c(px - 4)) "
                    + "\(c(scale(high))) L\(c(px + 4)) \(c(scale(high)))\" stroke=\"\(Self.projectionColor)\" "
                    + "stroke-width=\"1.5\" fill=\"none\"/>"
                tooltip += " (95 % intervall \(format(low))–\(format(high)))"
            }
            svg +=
                "<circle class=\"projection\" cx=\"\(c(px))\" cy=\"\(c(scale(projected)))\" r=\"4.5\" fill=\"#ffffff\" "
                + "stroke=\"\(Self.projectionColor)\" stroke-width=\"2\"><title>\(HTMLText.safe(tooltip))</title></circle>"
        }

        // The target: a diamond at the target year.
        let tx = x(targetYear) - (projectedValue == nil ? 0 : 5)
        let ty = scale(targetValue)
        svg +=
            "<path class=\"target\" d=\"M\(c(tx)) \(c(ty - 6)) L\(c(tx + 6)) \(c(ty)) L\(c(tx)) \(c(ty + 6)) "
            + "L\(c(tx - 6)) \(c(ty)) Z\" fill=\"\(Self.pathColor)\"><title>"
            + HTMLText.safe("Mål \(targetYear): \(format(targetValue))") + "</title></path>"

        // Legend, two items a row.
        let items: [(String, String)] = [
            ("values", "Uppmätt värde, 95 % intervall"), ("path", "Rak väg till målet"), ("target", "Målet"),
            ("projection", "Trenden till målåret, 95 % intervall"),
        ]
        for (index, item) in items.enumerated() where item.0 != "projection" || projectedValue != nil {
            let lx = plotLeft + Double(index % 2) * (plotRight - plotLeft) / 2
            let ly = height - 38 + Double(index / 2) * 20
            svg += "<g class=\"legend-item\">" + legendSymbol(item.0, x: lx, y: ly - 4)
            svg += SVG.text(item.1, x: lx + 30, y: ly) + "</g>"
        }
        svg += "</svg>"
        return svg
    }

    func legendSymbol(_ kind: String, x: Double, y: Double) -> String {
        let c = SVG.coordinate
        switch kind {
        case "values":
            return
                "<rect x=\"\(c(x))\" y=\"\(c(y - 6))\" width=\"24\" height=\"12\" fill=\"\(ChartPalette.municipality)\" "
                + "fill-opacity=\"0.16\"/><line x1=\"\(c(x))\" y1=\"\(c(y))\" x2=\"\(c(x + 24))\" y2=\"\(c(y))\" "
                + "stroke=\"\(ChartPalette.municipality)\" stroke-width=\"2\"/>"
        case "path":
            return
                "<line x1=\"\(c(x))\" y1=\"\(c(y))\" x2=\"\(c(x + 24))\" y2=\"\(c(y))\" stroke=\"\(Self.pathColor)\" "
                + "stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>"
        case "target":
            return "<path d=\"M\(c(x + 12)) \(c(y - 6)) L\(c(x + 18)) \(c(y)) L\(c(x + 12)) \(c(y + 6)) "
                + "L\(c(x + 6)) \(c(y)) Z\" fill=\"\(Self.pathColor)\"/>"
        default:
            return "<line x1=\"\(c(x + 12))\" y1=\"\(c(y - 7))\" x2=\"\(c(x + 12))\" y2=\"\(c(y + 7))\" "
                + "stroke=\"\(Self.projectionColor)\" stroke-width=\"1.5\"/><circle cx=\"\(c(x + 12))\" cy=\"\(c(y))\" "
                + "r=\"4.5\" fill=\"#ffffff\" stroke=\"\(Self.projectionColor)\" stroke-width=\"2\"/>"
        }
    }

    /// The path to the target and the target marker: dark grey, no judgement.
    static let pathColor = "#3a3a3a"
    /// The projection: purple, neither green nor red.
    static let projectionColor = ChartPalette.other
}
