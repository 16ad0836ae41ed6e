import Foundation
import GRDB
import GeoReader
import Testing

/// The sample pipeline's maps: the boundary files read, simplified and stored in the workspace, the
/// events counted in 1 km squares (checked against an independent script) with squares below the
/// threshold suppressed, and the maps in the report.
@Suite(.serialized)
struct MapPipelineTests {
    let root = CommandLineTool.repositoryRoot

    @Test func sampleRunStoresSimplifiedAreasAndASuppressedGrid() throws {
        let scratch = try ScratchFolder()
        let workspace = scratch.file("ws")
        let result = try CommandLineTool.run(
            ["run", "-p", root + "/Pipelines/halmstad.yaml", "--workspace", workspace], in: scratch.path)
        try #require(result.status == 0, "\(result.standardError)")
        let database = try DatabaseQueue(path: workspace + "/lagesbild.sqlite")

        // Both boundary files: 12 districts (GeoJSON) and the 50 DeSO areas of the sample's years (GeoPackage).
        let boundaries = try database.read { db in
            try Row.fetchAll(db, sql: "SELECT area_level, file, features, tolerance_m FROM map_boundaries ORDER BY 1")
        }
        #expect(boundaries.map { $0["area_level"] as String } == ["deso", "district"])
        #expect(boundaries.map { $0["features"] as Int } == [50, 12])
        #expect(boundaries.map { $0["file"] as String } == ["halmstad_deso.gpkg", "halmstad_districts.geojson"])
        let areas = try database.read { db in
            try Row.fetchAll(db, sql: "SELECT area_level, code, geometry, points_read, points_kept FROM map_areas")
        }
        #expect(areas.count == 62)
        var districts: [String: MapGeometry] = [:]
        for row in areas {
            let geometry = try WKB.decode([UInt8](row["geometry"] as Data))
            #expect(geometry.pointCount == row["points_kept"] as Int)
            #expect((row["points_kept"] as Int) <= (row["points_read"] as Int))
            if row["area_level"] as String == "district" { districts[row["code"]] = geometry }
        }
        // Every DeSO code of the code list's current areas has a geometry; Söndrum has its island.
        #expect(districts["1380D06"]?.polygons.count == 2)
        // The events lie roughly where their district says: its centre is inside its polygon.
        #expect(districts["1380D01"]?.contains(MapPoint(x: 368_700, y: 6_283_200)) == true)
        #expect(districts["1380D11"]?.contains(MapPoint(x: 383_000, y: 6_286_900)) == true)

        // The grid of 2023 against an independent count from the CSV file.
        let script = try runPython(["Tests/Reference/halmstad_grid.py", "2023"])
        try #require(script.status == 0, "\(script.standardError)")
        var expected: [String: Int] = [:]
        for line in script.standardOutput.split(separator: "\n") {
            let fields = line.split(separator: " ")
            expected[String(fields[0])] = Int(fields[1])
        }
        let stored = try database.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT square, events, suppressed FROM map_grid WHERE source_id = 'police-events' AND year = 2023"
            )
        }
        #expect(stored.count == expected.count)
        var suppressedEvents = 0
        for row in stored {
            let square: String = row["square"]
            let count = try #require(expected[square], "square \(square) is not in the script's count")
            if count < 3 {
                #expect(row["suppressed"] as Bool)
                #expect((row["events"] as Int?) == nil, "a suppressed square keeps no count")
                suppressedEvents += count
            } else {
                #expect(!(row["suppressed"] as Bool))
                #expect(row["events"] as Int? == count, "square \(square)")
            }
        }
        let summary = try #require(
            try database.read { db in
                try Row.fetchOne(
                    db, sql: "SELECT * FROM map_grid_years WHERE source_id = 'police-events' AND year = 2023")
            })
        #expect(summary["events"] as Int == 2588)  // the generator's good rows of 2023
        #expect(summary["events_suppressed"] as Int == suppressedEvents)
        #expect(summary["without_coordinates"] as Int == 2588 - expected.values.reduce(0, +))
        #expect(summary["squares_suppressed"] as Int == expected.values.filter { $0 < 3 }.count)

        // The report draws the maps and never a suppressed square.
        let html = try String(contentsOfFile: workspace + "/out/lagesbild.html", encoding: .utf8)
        #expect(html.contains("<svg class=\"map\" id=\"karta1\""))
        // The boundary file has every area the indicators are published for (today's DeSO codes).
        #expect(!html.contains("saknas i gränsfilen"))
        #expect(html.contains("<svg class=\"map\" id=\"rutkarta\""))
        let rects = html.matches(of: /<title>Ruta (\d{13}): (\d+) händelser<\/title>/).map {
            (String($0.output.1), Int($0.output.2)!)
        }
        #expect(rects.count == expected.values.filter { $0 >= 3 }.count)
        for (square, count) in rects { #expect(expected[square] == count && count >= 3) }
    }

    @Test func aBoundaryFileInAnotherReferenceSystemFailsWithAPlainMessage() throws {
        let scratch = try ScratchFolder()
        let text = try String(contentsOfFile: root + "/SampleData/maps/halmstad_districts.geojson", encoding: .utf8)
            .replacingOccurrences(of: "EPSG::3006", with: "EPSG::4326")
        let path = scratch.file("districts.geojson")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect {
            try BoundaryFile.read(path: path, codeField: "kod")
        } throws: { ($0 as? GeoReadError)?.description.contains("only SWEREF 99 TM (EPSG:3006) is read") == true }
    }

    /// A small pipeline: 4 events in one square and 2 in another (threshold 3), one without coordinates.
    /// The first square is shown with its count, the second stored without one; a changed boundary file
    /// publishes again, an unchanged one does not.
    @Test func gridSuppressesSmallSquaresAndABoundaryFileIsAnInput() throws {
        let scratch = try ScratchFolder()
        // The smallest pipeline, with the events' coordinates mapped and a map.
        let pipeline = smallPolicePipeline(name: "map-test")
            .replacingOccurrences(of: "date: Datum }", with: "date: Datum, x: X, y: Y }")
        try scratch.write(
            "pipeline.yaml",
            pipeline + """
                maps:
                  boundaries:
                    - { file: maps/districts.geojson, area_level: district, code: kod }
                  grid: { source: police, size: 250 }

                """)
        try scratch.write(
            "police/2023.csv",
            """
            Brottskod;Datum;X;Y
            0301;2023-01-05;370010;6280010
            0857;2023-02-06;370249;6280249
            0857;2023-03-07;370100;6280200
            0857;2023-03-08;370200;6280100
            0860;2023-04-08;370250;6280000
            0860;2023-04-09;370499;6280249
            0860;2023-04-10;;

            """)
        let ring = "[[369000,6279000],[372000,6279000],[372000,6282000],[369000,6282000],[369000,6279000]]"
        func writeBoundaries(_ name: String) throws {
            try scratch.write(
                "maps/districts.geojson",
                """
                {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"kod":"1380D01","namn":"\(name)"},
                 "geometry":{"type":"Polygon","coordinates":[\(ring)]}}]}
                """)
        }
        try writeBoundaries("A")
        let first = try CommandLineTool.run(["run", "-p", "pipeline.yaml"], in: scratch.path)
        try #require(first.status == 0, "\(first.standardError)")
        let database = try DatabaseQueue(path: scratch.file("ws/lagesbild.sqlite"))
        let squares = try database.read { db in
            try Row.fetchAll(db, sql: "SELECT square, events, suppressed FROM map_grid ORDER BY square")
        }
        #expect(squares.map { $0["square"] as String } == ["3700006280000", "3702506280000"])
        #expect(squares.map { $0["events"] as Int? } == [4, nil])
        #expect(squares.map { $0["suppressed"] as Bool } == [false, true])
        let year = try #require(try database.read { db in try Row.fetchOne(db, sql: "SELECT * FROM map_grid_years") })
        #expect(year["events"] as Int == 7)
        #expect(year["without_coordinates"] as Int == 1)
        #expect(year["events_suppressed"] as Int == 2)
        let html = try String(contentsOfFile: scratch.file("ws/out/lagesbild.html"), encoding: .utf8)
        #expect(html.contains("<title>Ruta 3700006280000: 4 händelser</title>"))
        #expect(!html.contains("Ruta 3702506280000"))

        let unchanged = try CommandLineTool.run(["run", "-p", "pipeline.yaml", "--dry-run"], in: scratch.path)
        #expect(!unchanged.standardOutput.contains("boundary file"), "\(unchanged.standardOutput)")
        try writeBoundaries("B")
        let changed = try CommandLineTool.run(["run", "-p", "pipeline.yaml", "--dry-run"], in: scratch.path)
        #expect(
            changed.standardOutput.contains("boundary file maps/districts.geojson changed"), "\(changed.standardOutput)"
        )
    }
}
