import Foundation
import Testing

@testable import Report

/// Reads numeric attributes back out of rendered SVG.
enum SVGProbe {
    /// Every element `<name …>` with `class` containing `className`, as attribute dictionaries.
    static func elements(_ name: String, className: String, in svg: String) -> [[String: String]] {
        var found: [[String: String]] = []
        var rest = svg[...]
        while let start = rest.range(of: "<\(name) ") {
            guard let end = rest[start.upperBound...].firstIndex(of: ">") else { break }
            let attributes = parseAttributes(String(rest[start.upperBound..<end]))
            if let classes = attributes["class"], classes.split(separator: " ").contains(Substring(className)) {
                found.append(attributes)
            }
            rest = rest[end...]
        }
        return found
    }

    static func parseAttributes(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        var rest = text[...]
        while let equals = rest.firstIndex(of: "=") {
            let name =
                rest[..<equals].trimmingCharacters(in: .whitespaces).split(separator: " ").last.map(String.init) ?? ""
            let afterEquals = rest.index(after: equals)
            guard afterEquals < rest.endIndex, rest[afterEquals] == "\"" else { break }
            let valueStart = rest.index(after: afterEquals)
            guard let valueEnd = rest[valueStart...].firstIndex(of: "\"") else { break }
            result[name] = String(rest[valueStart..<valueEnd])
            rest = rest[rest.index(after: valueEnd)...]
        }
        return result
    }

    /// The `d` attribute's commands as (command letter, x, y).
    static func pathCommands(_ d: String) -> [(Character, Double, Double)] {
        var commands: [(Character, Double, Double)] = []
        let tokens = d.replacingOccurrences(of: "M", with: " M ").replacingOccurrences(of: "L", with: " L ")
            .split(separator: " ")
        var index = 0
        while index + 2 < tokens.count {
            let letter = tokens[index].first!
            commands.append((letter, Double(tokens[index + 1])!, Double(tokens[index + 2])!))
            index += 3
        }
        return commands
    }
}

struct LineChartTests {
    func chart(_ values: [Double?], statuses: [PointStatus]? = nil) -> SVGLineChart {
        let points = values.enumerated().map { index, value in
            SVGLineChart.Point(value: value, status: statuses?[index])
        }
        return SVGLineChart(
            title: "Test", categories: (0..<values.count).map { String(2019 + $0) },
            series: [SVGLineChart.Series(name: "Halmstad", points: points)], unit: "antal")
    }

    @Test func pointsLandWhereTheScalesSay() throws {
        let values: [Double?] = [1200, 2330.5, 900, 1750]
        let chart = chart(values)
        let svg = chart.render()
        let circles = SVGProbe.elements("circle", className: "point", in: svg)
        #expect(circles.count == 4)
        let scale = chart.yScale
        #expect(scale.domainLower == 0)
        #expect(scale.domainUpper == 2500)
        for (index, circle) in circles.enumerated() {
            let cx = try #require(Double(circle["cx"] ?? ""))
            let cy = try #require(Double(circle["cy"] ?? ""))
            #expect(abs(cx - chart.x(at: index)) <= 0.05)
            #expect(abs(cy - scale(values[index]!)) <= 0.05)
            #expect(circle["data-period"] == String(2019 + index))
        }
        // Higher values are drawn higher up (smaller y).
        let ys = circles.compactMap { Double($0["cy"] ?? "") }
        #expect(ys[1] < ys[3] && ys[3] < ys[0] && ys[0] < ys[2])
        // The x axis spreads the points left to right inside the plot.
        #expect(chart.x(at: 0) > chart.plotLeft && chart.x(at: 3) < chart.plotRight)
    }

    @Test func aMissingPointMakesAGapNotAZero() throws {
        let chart = chart([100, nil, 300, 400])
        let svg = chart.render()
        let path = try #require(SVGProbe.elements("path", className: "line", in: svg).first?["d"])
        let commands = SVGProbe.pathCommands(path)
        #expect(commands.map(\.0) == ["M", "M", "L"])
        #expect(commands.count == 3)
        let zeroY = chart.yScale(0)
        #expect(!commands.contains { abs($0.2 - zeroY) < 0.05 })
        #expect(SVGProbe.elements("circle", className: "point", in: svg).count == 3)
        #expect(svg.contains("saknas"))
    }

    @Test func aSuppressedPointIsMarkedAndNotDrawn() throws {
        let chart = chart([100, 999, 300], statuses: [.ok, .suppressed, .ok])
        let svg = chart.render()
        let circles = SVGProbe.elements("circle", className: "point", in: svg)
        #expect(circles.map { $0["data-period"] } == ["2019", "2021"])
        #expect(svg.contains(">..</text>"))
        #expect(svg.contains("prickad"))
        #expect(!svg.contains("999"))
    }

    @Test func flatSeriesAndSinglePointRender() throws {
        let flat = chart([500, 500, 500])
        let ys = SVGProbe.elements("circle", className: "point", in: flat.render()).compactMap {
            Double($0["cy"] ?? "")
        }
        #expect(ys.count == 3 && Set(ys).count == 1)
        #expect(ys[0] < flat.plotBottom)

        let single = chart([42])
        let circle = try #require(SVGProbe.elements("circle", className: "point", in: single.render()).first)
        let cx = try #require(Double(circle["cx"] ?? ""))
        #expect(abs(cx - (single.plotLeft + single.plotRight) / 2) <= 0.05)
    }

    @Test func legendOnlyWithMoreThanOneSeriesAndErrorBarsForIntervals() {
        var chart = chart([80, 82])
        #expect(!chart.render().contains("legend-item"))
        chart.series.append(
            SVGLineChart.Series(
                name: "Riket", points: [.init(value: 85, ciLow: 83, ciHigh: 87), .init(value: 86)],
                color: ChartPalette.country, dashed: true))
        let svg = chart.render()
        #expect(svg.components(separatedBy: "class=\"legend-item\"").count - 1 == 2)
        #expect(SVGProbe.elements("path", className: "ci", in: svg).count == 1)
        #expect(svg.contains("<title>Test</title>"))
        #expect(svg.contains("aria-label=\"Test\""))
    }

    @Test func axisLabelsAreSwedish() {
        let svg = chart([1200, 2330.5]).render()
        #expect(svg.contains(">2\u{202F}500</text>"))
        #expect(svg.contains(">1\u{202F}000</text>"))
        #expect(svg.contains("2\u{202F}330,5"))  // in the point's tooltip
    }
}

struct BarChartTests {
    @Test func barsAreSortedByValueWithSuppressedLast() {
        let chart = SVGBarChart(
            title: "Våld",
            bars: [
                .init(label: "Söndrum", value: 2.2),
                .init(label: "Harplinge", value: nil, status: .suppressed, note: "Färre än 5"),
                .init(label: "Centrum", value: 14.2, highlighted: true),
                .init(label: "Vallås", value: 7.4),
            ], unit: "per 1 000 inv.")
        #expect(chart.sortedBars.map(\.label) == ["Centrum", "Vallås", "Söndrum", "Harplinge"])
        let svg = chart.render()
        let rects = SVGProbe.elements("rect", className: "bar", in: svg)
        #expect(rects.compactMap { Double($0["data-value"] ?? "") } == [14.2, 7.4, 2.2])
        let widths = rects.compactMap { Double($0["width"] ?? "") }
        #expect(widths == widths.sorted(by: >))
        let ys = rects.compactMap { Double($0["y"] ?? "") }
        #expect(ys == ys.sorted())
        #expect(svg.contains("prickad (..)"))
        #expect(svg.contains("Färre än 5"))
        #expect(svg.contains("class=\"bar-row highlighted\" data-label=\"Centrum\""))
        #expect(svg.contains("Markerat område"))
    }
}

struct HeatMapTests {
    @Test func hasSevenByTwentyFourCellsWithSuppressedOnesHatched() {
        var cells = (0..<7).map { day in (0..<24).map { hour in PatternCell(value: Double(day * 24 + hour)) } }
        cells[2][3] = .suppressed("Färre än 5")
        cells[6][23] = .suppressed()
        cells[0][0] = PatternCell(value: nil)
        let map = SVGHeatMap(
            title: "Händelser", rowLabels: ReportRenderer.weekdayNames, columnLabels: (0..<24).map { String($0) },
            cells: cells, idPrefix: "t1")
        let svg = map.render()
        let all = SVGProbe.elements("rect", className: "cell", in: svg)
        #expect(all.count == 7 * 24)
        let suppressed = SVGProbe.elements("rect", className: "suppressed", in: svg)
        #expect(suppressed.count == 2)
        #expect(suppressed.allSatisfy { $0["fill"] == "url(#t1-hatch)" })
        #expect(Set(suppressed.map { "\($0["data-row"]!),\($0["data-column"]!)" }) == ["2,3", "6,23"])
        #expect(SVGProbe.elements("rect", className: "missing", in: svg).count == 1)
        #expect(svg.contains("<pattern id=\"t1-hatch\""))
        #expect(svg.contains(">mån</text>") && svg.contains(">sön</text>"))
        #expect(svg.contains("prickad"))  // legend
        // The darkest shade goes to the largest value.
        let last = all.first { $0["data-row"] == "6" && $0["data-column"] == "22" }
        #expect(last?["fill"] == SVGHeatMap.shades.last)
    }
}

struct ColumnChartTests {
    @Test func monthsWithASuppressedMonth() {
        var months = (1...12).map { PatternCell(value: Double($0 * 10)) }
        months[6] = .suppressed("Färre än 5")
        let svg = SVGColumnChart(title: "Per månad", categories: ReportRenderer.monthNames, values: months).render()
        let columns = SVGProbe.elements("rect", className: "column", in: svg)
        #expect(columns.count == 11)
        #expect(!columns.contains { $0["data-index"] == "6" })
        #expect(svg.contains(">jan</text>") && svg.contains(">dec</text>"))
        #expect(svg.contains("jul: prickad – Färre än 5"))
    }
}
