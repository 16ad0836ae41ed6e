import ColumnStore
import Crypto
import Foundation
import GRDB
import StageKit

/// One normalized events file's counts per area, month and category slot, kept in `event_count_parts`
/// so that a run counts only the files that are new: a night that changed one file of ten counts that
/// one and adds the stored counts of the other nine. Counts are integers, so the sums equal a count of
/// every event whatever the grouping.
///
/// A part belongs to one column file (their names are never reused: a changed delivery gets a new file)
/// and one key: the category slots, the area levels and which codes count in which slot. A part of
/// another key is counted again; parts no run used are dropped when the stage ends
/// (``removeUnused(_:keeping:)``).
///
/// Layout of `counts`: for each level in order, the file's areas (its dictionary's order) × the months
/// of the file's years × the slots, as 32-bit integers.
struct EventCountPart: Sendable {
    /// A part a count used: its file and key.
    struct Use: Hashable, Sendable {
        var file: String
        var key: String
    }

    var counts: [Int32]
    /// Where each level's counts start in `counts`.
    var levelOffsets: [Int]

    /// The key of parts counted for these slots, levels and codes.
    static func key(categories: [String], levels: [String], categoriesOfCode: [String: [Int32]]) -> String {
        var text = "event-count-part 1\n\(categories.joined(separator: ","))\n\(levels.joined(separator: ","))\n"
        for code in categoriesOfCode.keys.sorted() {
            text += "\(code)=\(categoriesOfCode[code]!.sorted().map(String.init).joined(separator: ","))\n"
        }
        return SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The years a file's events lie in, as its footer lists them.
    static func years(of reader: ColumnFileReader) -> [Int] {
        (reader.footer.metadata["years"] ?? "").split(separator: ",").compactMap { Int($0) }.sorted()
    }

    /// Where each level's counts start, and the part's whole size, for a file.
    static func layout(of reader: ColumnFileReader, levels: [String], slots: Int) -> (offsets: [Int], size: Int) {
        let months = years(of: reader).count * 12
        var offsets: [Int] = []
        var size = 0
        for level in levels {
            offsets.append(size)
            size += (reader.footer.dictionaries[level] ?? []).count * months * slots
        }
        return (offsets, size)
    }

    /// The stored part of `file` with `key`, or nil when there is none (or it does not fit the file).
    static func stored(
        _ db: Database, file: String, key: String, reader: ColumnFileReader, levels: [String], slots: Int
    ) throws -> EventCountPart? {
        guard
            let data = try Data.fetchOne(
                db, sql: "SELECT counts FROM event_count_parts WHERE file = ? AND key = ?", arguments: [file, key])
        else { return nil }
        let (offsets, size) = layout(of: reader, levels: levels, slots: slots)
        guard data.count == size * MemoryLayout<Int32>.size else { return nil }
        var counts = [Int32](repeating: 0, count: size)
        _ = counts.withUnsafeMutableBytes { data.copyBytes(to: $0) }
        return EventCountPart(counts: counts.map { Int32(littleEndian: $0) }, levelOffsets: offsets)
    }

    /// Counts one file's events (touching no database: files are counted on every core).
    static func count(
        _ reader: ColumnFileReader, levels: [String], slots: Int, categoriesOfCode: [String: [Int32]]
    ) throws -> EventCountPart {
        let (offsets, size) = layout(of: reader, levels: levels, slots: slots)
        guard size > 0 else { return EventCountPart(counts: [], levelOffsets: offsets) }  // no area or no year
        var counts = [Int32](repeating: 0, count: size)
        let partYears = years(of: reader)
        let months = partYears.count * 12
        let firstYear = partYears.first ?? 0
        // Year → its position among the file's years.
        var yearPosition = [Int](repeating: 0, count: (partYears.last ?? 0) - firstYear + 1)
        for (position, year) in partYears.enumerated() { yearPosition[year - firstYear] = position }
        // Category slots of each code of this file, flattened: code c's in slotList[start[c]..<start[c+1]].
        var start: [Int] = [0]
        var slotList: [Int32] = []
        for code in reader.footer.dictionaries["crime_code"] ?? [] {
            slotList += categoriesOfCode[code] ?? []
            start.append(slotList.count)
        }
        let column = { (name: String) in EventColumns.normalized.firstIndex(of: name)! }
        let areaColumns = levels.map(column)
        let yearColumn = column("year")
        let monthColumn = column("month")
        let codeColumn = column("crime_code")
        try counts.withUnsafeMutableBufferPointer { counts in
            try reader.forEachChunk { chunk in
                let yearValues = chunk.column(yearColumn)
                let monthValues = chunk.column(monthColumn)
                let codes = chunk.column(codeColumn)
                for (levelIndex, areaColumn) in areaColumns.enumerated() {
                    let areas = chunk.column(areaColumn)
                    let offset = offsets[levelIndex]
                    for row in 0..<chunk.rows {
                        let area = areas[row]
                        if area < 0 { continue }
                        let month = yearPosition[Int(yearValues[row]) - firstYear] * 12 + Int(monthValues[row]) - 1
                        let base = offset + (Int(area) * months + month) * slots
                        counts[base] &+= 1
                        let code = Int(codes[row])
                        for index in start[code]..<start[code + 1] { counts[base + Int(slotList[index])] &+= 1 }
                    }
                }
            }
        }
        return EventCountPart(counts: counts, levelOffsets: offsets)
    }

    /// Stores the part of `file` with `key`.
    func store(_ db: Database, file: String, key: String) throws {
        guard !counts.isEmpty else { return }
        let data = counts.map(\.littleEndian).withUnsafeBytes { Data($0) }
        try db.execute(
            sql: "INSERT OR REPLACE INTO event_count_parts (file, key, counts) VALUES (?, ?, ?)",
            arguments: [file, key, data])
    }

    /// Drops every stored part this stage run did not use (files replaced or withdrawn, other keys).
    static func removeUnused(_ db: Database, keeping used: Set<Use>) throws {
        for row in try Row.fetchAll(db, sql: "SELECT file, key FROM event_count_parts")
        where !used.contains(Use(file: row["file"], key: row["key"])) {
            try db.execute(
                sql: "DELETE FROM event_count_parts WHERE file = ? AND key = ?", arguments: [row["file"], row["key"]])
        }
    }
}
