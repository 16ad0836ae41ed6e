import Foundation
import ReportTestSupport
import Testing

@testable import Report

/// The maps in the report: a choropleth with classes, a hatched suppressed area and a legend in Swedish;
/// a grid map that draws only the squares it is given; each SVG with a title and a text alternative.
struct MapRendererTests {
    static func square(_ x: Double, _ y: Double, _ side: Double = 1000) -> [PlanarPoint] {
        [
            PlanarPoint(x: x, y: y), PlanarPoint(x: x + side, y: y), PlanarPoint(x: x + side, y: y + side),
            PlanarPoint(x: x, y: y + side), PlanarPoint(x: x, y: y),
        ]
    }

    static let maps: ReportMaps = {
        let values: [(String, Double?, PointStatus)] = [
            ("A", 100, .ok), ("B", 200, .ok), ("C", 300, .ok), ("D", 400, .ok), ("E", 500, .ok),
            ("F", nil, .suppressed),
        ]
        let areas = values.enumerated().map { index, entry in
            ChoroplethArea(
                shape: MapShape(
                    code: "1380C00\(index)0", name: "Område \(entry.0)",
                    rings: [square(370_000 + Double(index) * 1000, 6_280_000)]),
                value: entry.1, status: entry.2)
        }
        let map = ChoroplethMap(
            indicatorID: "brott", indicatorTitle: "Anmälda brott per 100 000 invånare", unit: "per 100 000 inv.",
            decimals: 0, areaLevel: "DeSO-område", period: "2023", better: .lower, areas: areas,
            source: "Källa: Polisen, befolkning SCB. Gränser: deso.gpkg.")
        let grid = GridMap(
            title: "Händelser i Polisens registrering", year: "2023", size: 1000,
            squares: [
                GridCell(id: "3700006280000", x: 370_000, y: 6_280_000, events: 12, areaName: "Centrum"),
                GridCell(id: "3710006280000", x: 371_000, y: 6_280_000, events: 3),
            ],
            background: areas.map(\.shape), events: 40, withoutCoordinates: 5, squaresSuppressed: 4,
            eventsSuppressed: 6,
            threshold: 3, source: "Källa: Polisen.")
        return ReportMaps(choropleths: [map], grid: grid, classes: 5)
    }()

    let html: String = {
        var data = ReportData.sample
        data.maps = MapRendererTests.maps
        return ReportRenderer.render(data)
    }()

    @Test func choroplethHasClassesLegendAndHatchedSuppressedArea() throws {
        let svg = try #require(html.firstMatch(of: /<svg class="map" id="karta1"[\s\S]*?<\/svg>/)).output
        #expect(
            svg.contains("<title id=\"karta1-titel\">Anmälda brott per 100 000 invånare per DeSO-område, 2023</title>"))
        #expect(svg.contains("role=\"img\" aria-labelledby=\"karta1-titel karta1-beskrivning\""))
        #expect(svg.contains("Högst: Område E, 500 per 100 000 inv."))
        // Five classes, darkest for the highest value; the suppressed area is hatched, never coloured.
        for colour in SVGMap.palettes[5]! { #expect(svg.contains("fill=\"\(colour)\"")) }
        #expect(
            svg.contains(
                "fill=\"url(#karta1-streck)\" fill-rule=\"evenodd\" stroke=\"#595959\" stroke-width=\"0.6\"><title>Område F (1380C0050): prickad</title>"
            ))
        #expect(html.contains("Prickad (färre än 5 händelser) eller saknas"))  // the sample report's threshold
        #expect(html.contains("<td class=\"num\">500</td><td>5 av 5</td>"))
        // The text alternative: every area in a table with its value or '..'.
        #expect(html.contains("<caption>Anmälda brott per 100 000 invånare per DeSO-område, 2023</caption>"))
        #expect(html.contains("<tr><th scope=\"row\">Område F</th><td>1380C0050</td><td class=\"num supp\">..</td>"))
        #expect(html.contains("Källa: Polisen, befolkning SCB. Gränser: deso.gpkg."))
        #expect(!svg.contains("http"))
    }

    @Test func gridMapDrawsOnlyTheSquaresItIsGiven() throws {
        let svg = try #require(html.firstMatch(of: /<svg class="map" id="rutkarta"[\s\S]*?<\/svg>/)).output
        #expect(svg.matches(of: /<rect x=/).count == 2)
        #expect(svg.contains("<title>Ruta 3700006280000: 12 händelser</title>"))
        #expect(html.contains("4 rutor med sammanlagt 6 händelser har färre än 3 och visas inte"))
        #expect(html.contains("5 av 40 händelser saknar koordinater"))
        #expect(html.contains("Ingen ruta med minst 3 händelser (färre visas inte)"))
        #expect(
            html.contains(
                "<h3 class=\"map-heading\">Karta: Händelser i Polisens registrering per ruta om 1 km × 1 km, 2023</h3>")
        )
    }

    @Test func mapsScaleWithTheWidth() {
        #expect(html.contains("svg.map { display: block; width: 100%; height: auto; }"))
        #expect(!html.contains("svg.map { min-width"))
    }

    @Test func quantileBreaks() {
        #expect(SVGMap.quantileBreaks([5, 1, 4, 2, 3], classes: 5) == [1, 2, 3, 4, 5])
        #expect(SVGMap.quantileBreaks([1, 1, 1, 2], classes: 5) == [1, 2])
        #expect(SVGMap.quantileBreaks([], classes: 5) == [])
        let breaks = SVGMap.quantileBreaks((1...100).map(Double.init), classes: 4)
        #expect(breaks == [1, 26, 51, 76])
        #expect(SVGMap.classIndex(25.9, breaks: breaks) == 0)
        #expect(SVGMap.classIndex(26, breaks: breaks) == 1)
        #expect(SVGMap.classIndex(100, breaks: breaks) == 3)
    }

    /// Legend text is dark on white (WCAG AA); the palette's lightest class is outlined at 3:1 or more.
    @Test func outlineContrastsWithWhite() {
        func luminance(_ hex: String) -> Double {
            let value = Int(hex.dropFirst(), radix: 16)!
            let bytes: [Int] = [(value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF]
            let channels: [Double] = bytes.map { byte -> Double in
                let linear = Double(byte) / 255
                return linear <= 0.03928 ? linear / 12.92 : pow((linear + 0.055) / 1.055, 2.4)
            }
            return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
        }
        #expect((1.05) / (luminance(SVGMap.outline) + 0.05) >= 3)
        #expect((1.05) / (luminance("#767676") + 0.05) >= 4.5)
    }
}
