import ColumnStore
import GRDB
import Workspace

/// One normalized event, read back from the events column files.
public struct StoredEvent: Sendable, Hashable {
    public var deliveryID: Int64
    public var line: Int
    public var crimeCode: String
    /// `yyyy-MM-dd`.
    public var date: String
    /// 1 (Monday) … 7 (Sunday).
    public var weekday: Int
    public var hour: Int?
    public var municipality: String
    public var district: String?
    public var deso: String?
    public var place: String?
}

/// Reads the events column files of a workspace row by row — for tests, inspection and small
/// exports; the stages themselves read them chunk by chunk.
public enum EventStore {
    /// Every normalized event, in file and row order.
    public static func events(_ workspace: Workspace) throws -> [StoredEvent] {
        var result: [StoredEvent] = []
        try forEachRow(workspace, kind: EventColumns.normalizedKind) { value, text in
            let date = "\(value("year"))-\(pad(value("month")))-\(pad(value("day")))"
            result.append(
                StoredEvent(
                    deliveryID: Int64(value("delivery")), line: value("line"), crimeCode: text("crime_code")!,
                    date: date, weekday: value("weekday"), hour: value("hour") < 0 ? nil : value("hour"),
                    municipality: text("municipality")!, district: text("district"), deso: text("deso"),
                    place: text("place")))
        }
        return result
    }

    /// Every raw event as ingest stored it: role → text (nil when empty), plus `line`.
    public static func rawEvents(_ workspace: Workspace) throws -> [[String: String]] {
        var result: [[String: String]] = []
        try forEachRow(workspace, kind: EventColumns.rawKind) { value, text in
            var row = ["line": String(value("line"))]
            for role in EventColumns.rawRoles { row[role] = text(role) }
            result.append(row)
        }
        return result
    }

    private static func pad(_ number: Int) -> String { number < 10 ? "0\(number)" : String(number) }

    /// Calls `body` per row with accessors for a column's number and a dictionary column's text.
    private static func forEachRow(
        _ workspace: Workspace, kind: String, _ body: ((String) -> Int, (String) -> String?) throws -> Void
    ) throws {
        let entries = try workspace.database.read { try StoreFiles.entries($0, kind: kind) }
        for entry in entries {
            let reader = try ColumnFileReader(path: workspace.storePath(entry.name))
            let footer = reader.footer
            try reader.forEachChunk { chunk in
                for row in 0..<chunk.rows {
                    let value = { (name: String) -> Int in Int(chunk.column(footer.column(name)!)[row]) }
                    let text = { (name: String) -> String? in
                        let index = value(name)
                        guard index >= 0, let strings = footer.dictionaries[name], index < strings.count else {
                            return nil
                        }
                        return strings[index]
                    }
                    try body(value, text)
                }
            }
        }
    }
}
