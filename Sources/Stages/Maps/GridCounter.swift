import CSVReader
import ColumnStore
import Foundation
import GRDB
import GeoReader
import LagesbildModel
import PipelineModel
import StageKit
import Workspace

/// Counts the events normalize accepted in squares of SCB's grid, per year: each event's coordinates are
/// read from its delivery's line (normalize keeps no coordinates), squares below the disclosure threshold
/// are suppressed, and events without usable coordinates are counted apart.
struct GridCounter {
    let db: Database
    let workspace: Workspace
    let pipeline: Pipeline
    let grid: GridSpec

    struct Year {
        var year: Int
        var events = 0
        var withoutCoordinates = 0
        var squaresShown = 0
        var squaresSuppressed = 0
        var eventsSuppressed = 0
    }

    /// Counts and stores every year's squares.
    func store() throws -> [Year] {
        guard let source = pipeline.source(grid.source), let columns = grid.columns(of: source) else { return [] }
        let deliveries = try Row.fetchAll(
            db, sql: "SELECT id, path, size, absent FROM deliveries WHERE source_id = ? ORDER BY id",
            arguments: [source.id])
        var paths: [Int: String] = [:]
        // The coordinates are read again from the delivered file: only a file still on disk as it was ingested
        // (present, same size) can give them. The events of any other delivery are counted without coordinates.
        var unreadable = Set<Int>()
        for row in deliveries {
            let id: Int = row["id"]
            let path: String = row["path"]
            paths[id] = path
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
            if (row["absent"] as String?) != nil || size != (row["size"] as Int) { unreadable.insert(id) }
        }
        // The accepted events of the source: delivery → [(line, year)].
        var events: [Int: [(line: Int, year: Int)]] = [:]
        for entry in try StoreFiles.entries(db, kind: EventColumns.normalizedKind) {
            let reader = try ColumnFileReader(path: workspace.storePath(entry.name))
            let footer = reader.footer
            guard let delivery = footer.column("delivery"), let line = footer.column("line"),
                let year = footer.column("year")
            else { continue }
            try reader.forEachChunk { chunk in
                let deliveryIDs = chunk.column(delivery)
                let lines = chunk.column(line)
                let years = chunk.column(year)
                for row in 0..<chunk.rows where paths[Int(deliveryIDs[row])] != nil {
                    events[Int(deliveryIDs[row]), default: []].append((Int(lines[row]), Int(years[row])))
                }
            }
        }
        var counts: [Int: [GridSquare: Int]] = [:]
        var summaries: [Int: Year] = [:]
        for (deliveryID, accepted) in events.sorted(by: { $0.key < $1.key }) {
            guard let path = paths[deliveryID] else { continue }
            let coordinates =
                unreadable.contains(deliveryID)
                ? [:] : try readCoordinates(source: source, path: path, columns: columns)
            for event in accepted {
                summaries[event.year, default: Year(year: event.year)].events += 1
                guard let point = coordinates[event.line] else {
                    summaries[event.year]!.withoutCoordinates += 1
                    continue
                }
                counts[event.year, default: [:]][GridSquare(point, size: grid.size), default: 0] += 1
            }
        }
        let threshold = pipeline.disclosure.threshold
        for (year, squares) in counts {
            for (square, count) in squares {
                let suppressed = count < threshold
                if suppressed {
                    summaries[year]!.squaresSuppressed += 1
                    summaries[year]!.eventsSuppressed += count
                } else {
                    summaries[year]!.squaresShown += 1
                }
                try db.execute(
                    sql: """
                        INSERT INTO map_grid (source_id, year, size, square, x, y, events, suppressed)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        source.id, year, grid.size, square.id, square.x, square.y, suppressed ? nil : count,
                        suppressed,
                    ])
            }
        }
        let years = summaries.values.sorted { $0.year < $1.year }
        for year in years {
            try db.execute(
                sql: """
                    INSERT INTO map_grid_years (source_id, year, size, events, without_coordinates, squares_shown,
                        squares_suppressed, events_suppressed, threshold)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    source.id, year.year, grid.size, year.events, year.withoutCoordinates, year.squaresShown,
                    year.squaresSuppressed, year.eventsSuppressed, threshold,
                ])
        }
        return years
    }

    /// Line → coordinates of a delivery's rows whose X and Y are numbers inside SWEREF 99 TM's extent.
    func readCoordinates(source: SourceSpec, path: String, columns: (x: String, y: String)) throws -> [Int: MapPoint] {
        let reader: CSVFileReader
        do {
            reader = try CSVFileReader(
                path: path,
                dialect: CSVDialect(
                    delimiter: source.delimiter, encoding: source.encoding, titleLines: source.titleLines,
                    tableEnd: source.tableEnd))
        } catch {
            throw StageDataError(stage: .publish, message: "\(path): the grid cannot read the file: \(error)")
        }
        func index(_ name: String) throws -> Int {
            let wanted = name.trimmingCharacters(in: .whitespaces).lowercased()
            guard
                let index = reader.header.firstIndex(where: {
                    $0.trimmingCharacters(in: .whitespaces).lowercased() == wanted
                })
            else {
                throw StageDataError(
                    stage: .publish, message: "\(path): the grid's coordinate column '\(name)' is not in the header")
            }
            return index
        }
        let xIndex = try index(columns.x)
        let yIndex = try index(columns.y)
        var result: [Int: MapPoint] = [:]
        try reader.forEachRecord(
            { record in
                guard let x = Self.number(record.string(at: xIndex)), let y = Self.number(record.string(at: yIndex))
                else { return }
                let point = MapPoint(x: x, y: y)
                if Sweref99TM.isPlausible(point) { result[record.line] = point }
            }, onReject: { _ in })
        return result
    }

    static func number(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        if let value = Double(trimmed), value.isFinite { return value }
        if case .value(let value) = SwedishNumber.parse(trimmed), value.isFinite { return value }
        return nil
    }
}

/// A square of SCB's national grid: its lower-left corner in SWEREF 99 TM and its side.
public struct GridSquare: Sendable, Hashable {
    public var x: Int
    public var y: Int
    public var size: Int

    /// The square holding `point`.
    public init(_ point: MapPoint, size: Int) {
        self.size = size
        x = Int((point.x / Double(size)).rounded(.down)) * size
        y = Int((point.y / Double(size)).rounded(.down)) * size
    }

    /// SCB's square id: the lower-left corner's easting (6 digits) and northing (7 digits).
    public var id: String {
        let east = String(x)
        let north = String(y)
        return String(repeating: "0", count: max(0, 6 - east.count)) + east
            + String(repeating: "0", count: max(0, 7 - north.count)) + north
    }
}
