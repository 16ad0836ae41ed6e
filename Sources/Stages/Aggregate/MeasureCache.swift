import Crypto
import Foundation
import GRDB
import PipelineModel
import StageKit

/// Measures read before, kept in `aggregate_measures` while the observations they were read from are
/// unchanged: a night that brought new events only reads the population again from there instead of from
/// its million rows.
///
/// The key of an entry hashes the query (measure, dimensions, level, period type, additivity), what the
/// reading depends on besides the rows (the scope, the municipality, the school-year setting) and the key
/// of every observations delivery's normalized result (`normalize_inputs`, which covers each delivery's
/// content and the code lists and settings it was normalized with). A changed delivery or code list
/// changes every key. Entries no run used are dropped when the stage ends (``removeUnused(_:)``).
final class MeasureCache {
    private let db: Database
    private let inputs: String
    private(set) var used: Set<String> = []

    init(_ db: Database, pipeline: Pipeline) throws {
        self.db = db
        let sources = pipeline.sources.filter { $0.kind == .observations }.map(\.id)
        var text = "measure-cache 1|\(pipeline.scope)|\(pipeline.municipality.code)|\(pipeline.municipality.countyCode)"
        text += "|\(pipeline.periods.schoolYearAsYear)"
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT d.source_id, n.delivery_id, n.input_key FROM normalize_inputs n
                JOIN deliveries d ON d.id = n.delivery_id ORDER BY n.delivery_id
                """) where sources.contains(row["source_id"])
        {
            text += "|\(row["delivery_id"] as Int64)=\(row["input_key"] as String)"
        }
        inputs = Self.sha256(text)
    }

    /// The stored result of the query named `query`, or `read()`'s result, stored.
    func measure(_ query: String, read: () throws -> [Cell: Observed]) throws -> [Cell: Observed] {
        let key = Self.sha256("\(inputs)|\(query)")
        used.insert(key)
        if let data = try Data.fetchOne(
            db, sql: "SELECT value FROM aggregate_measures WHERE key = ?", arguments: [key]),
            let entries = try? JSONDecoder().decode([Entry].self, from: data)
        {
            return Dictionary(entries.map { ($0.cell, $0.observed) }) { first, _ in first }
        }
        let result = try read()
        // A value JSON cannot hold (not a number) is simply not kept.
        if let data = try? JSONEncoder().encode(result.map { Entry(cell: $0.key, observed: $0.value) }) {
            try db.execute(
                sql: "INSERT OR REPLACE INTO aggregate_measures (key, value) VALUES (?, ?)", arguments: [key, data])
        }
        return result
    }

    /// The number of observations, stored like a measure.
    func observationCount() throws -> Int {
        let key = Self.sha256("\(inputs)|count")
        used.insert(key)
        if let count = try Int.fetchOne(
            db, sql: "SELECT CAST(value AS INTEGER) FROM aggregate_measures WHERE key = ?", arguments: [key])
        {
            return count
        }
        let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM observations") ?? 0
        try db.execute(
            sql: "INSERT OR REPLACE INTO aggregate_measures (key, value) VALUES (?, ?)", arguments: [key, "\(count)"])
        return count
    }

    /// Drops the entries this stage run did not use.
    func removeUnused() throws {
        for key in try String.fetchAll(db, sql: "SELECT key FROM aggregate_measures") where !used.contains(key) {
            try db.execute(sql: "DELETE FROM aggregate_measures WHERE key = ?", arguments: [key])
        }
    }

    private struct Entry: Codable {
        var cell: Cell
        var observed: Observed
    }

    private static func sha256(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
