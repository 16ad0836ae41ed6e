import ColumnStore
import GRDB
import PipelineModel
import StageKit
import Workspace

/// Event counts of one category (of the selected events) per municipality, year and pattern value (month of year, weekday and
/// hour, place), from the events column files.
enum EventPatterns {
    /// The crime codes of `category`, or nil for `all` (every code).
    static func codes(in category: String, db: Database) throws -> Set<String>? {
        guard category != "all" else { return nil }
        return Set(
            try String.fetchAll(
                db, sql: "SELECT crime_code FROM codelist_crime_categories WHERE category = ?", arguments: [category]))
    }

    static func counts(
        db: Database, workspace: Workspace, pattern: Pattern, category: String,
        events: EventSelection = EventSelection()
    ) throws -> [(municipality: String, year: Int, bucket: String, count: Int)] {
        var codesInCategory: Set<String>?
        if category != "all" {
            codesInCategory = Set(try events.categoryCodes(db).filter { $0.category == category }.map(\.code))
        }
        let column = { (name: String) in EventColumns.normalized.firstIndex(of: name)! }
        var totals: [String: Int] = [:]
        var result: [(String, Int, String, Int)] = []
        for entry in try StoreFiles.entries(db, kind: EventColumns.normalizedKind) {
            let reader = try ColumnFileReader(path: workspace.storePath(entry.name))
            guard events.includes(reader.footer) else { continue }
            let dictionaries = reader.footer.dictionaries
            let included = (dictionaries["crime_code"] ?? []).map { codesInCategory?.contains($0) ?? true }
            let places = dictionaries["place"] ?? []
            // Key: municipality index, year, bucket number (month, weekday × 24 + hour, place index).
            var counts: [Int: Int] = [:]
            try reader.forEachChunk { chunk in
                let codes = chunk.column(column("crime_code"))
                let municipalities = chunk.column(column("municipality"))
                let years = chunk.column(column("year"))
                let buckets: UnsafeBufferPointer<Int32>
                let hours = chunk.column(column("hour"))
                switch pattern {
                case .monthOfYear: buckets = chunk.column(column("month"))
                case .weekdayHour: buckets = chunk.column(column("weekday"))
                case .place: buckets = chunk.column(column("place"))
                }
                for row in 0..<chunk.rows where included[Int(codes[row])] {
                    var bucket = Int(buckets[row])
                    if pattern == .weekdayHour {
                        if hours[row] < 0 { continue }
                        bucket = bucket * 24 + Int(hours[row])
                    }
                    if bucket < 0 { continue }
                    let key = (Int(municipalities[row]) << 40) | (Int(years[row]) << 20) | bucket
                    counts[key, default: 0] += 1
                }
            }
            let municipalityNames = dictionaries["municipality"] ?? []
            for (key, count) in counts {
                let bucket = key & 0xFFFFF
                let text: String
                switch pattern {
                case .monthOfYear: text = bucket < 10 ? "0\(bucket)" : String(bucket)
                case .weekdayHour: text = "\(bucket / 24)-\(bucket % 24)"
                case .place: text = places[bucket]
                }
                let municipality = municipalityNames[key >> 40]
                let year = (key >> 20) & 0xFFFFF
                let totalKey = "\(municipality)|\(year)|\(text)"
                if let index = totals[totalKey] {
                    result[index].3 += count
                } else {
                    totals[totalKey] = result.count
                    result.append((municipality, year, text, count))
                }
            }
        }
        return result
    }
}
