import ColumnStore
import GRDB
import LagesbildModel
import PipelineModel
import StageKit
import Workspace

/// Counts events from the normalized events column files: per area, month and crime category, for
/// every area level at once, in one pass over the files.
///
/// Codes are mapped to category slots once per file; each row then adds to a dense array of counts
/// indexed by area, month and slot. Quarters and years are sums of months.
struct EventCounter {
    /// Counts of one area level: `counts[(area × months + month) × slots + slot]`.
    struct LevelCounts {
        var areas: [String]
        var counts: [Int32]
    }

    /// The slots: `all`, then each category.
    let categories: [String]
    /// The years with events, in order; month m of years[y] is month index y × 12 + m − 1.
    let years: [Int]
    var months: Int { years.count * 12 }
    private(set) var countsByLevel: [String: LevelCounts] = [:]
    /// The stored per-file counts this count used (the others are dropped when the stage ends).
    private(set) var usedParts: [EventCountPart.Use] = []
    /// The area levels counted.
    var levels: [String] { Array(countsByLevel.keys) }

    /// Reads the events files of the selection and counts the `categories` at `levels`
    /// (municipality, district, deso).
    init(
        db: Database, workspace: Workspace, categories: [String], levels: [String],
        events: EventSelection = EventSelection()
    ) throws {
        self.categories = ["all"] + categories.filter { $0 != "all" }
        let opened = try StoreFiles.entries(db, kind: EventColumns.normalizedKind).map {
            ($0, try ColumnFileReader(path: workspace.storePath($0.name)))
        }.filter { events.includes($0.1.footer) }
        let entries = opened.map(\.0)
        let readers = opened.map(\.1)
        years = Set(
            readers.flatMap { ($0.footer.metadata["years"] ?? "").split(separator: ",").compactMap { Int($0) } }
        ).sorted()
        var categoriesOfCode: [String: [Int32]] = [:]
        for (category, code) in try events.categoryCodes(db) {
            if let slot = self.categories.firstIndex(of: category), slot > 0 {
                categoriesOfCode[code, default: []].append(Int32(slot))
            }
        }
        let wanted = levels.filter { ["municipality", "district", "deso"].contains($0) }
        var areaIndexes: [String: [String: Int32]] = [:]
        var areaLists: [String: [String]] = [:]
        // Every file's dictionaries are numbered before any row is read, so the arrays have their size.
        var fileMaps: [[String: [Int32]]] = []
        for reader in readers {
            var maps: [String: [Int32]] = [:]
            for level in wanted {
                maps[level] = (reader.footer.dictionaries[level] ?? []).map { code in
                    if let index = areaIndexes[level]?[code] { return index }
                    let index = Int32(areaLists[level, default: []].count)
                    areaLists[level, default: []].append(code)
                    areaIndexes[level, default: [:]][code] = index
                    return index
                }
            }
            fileMaps.append(maps)
        }
        let slots = self.categories.count
        // One array for all levels: level i's counts start at offsets[i].
        var offsets: [Int] = []
        var total = 0
        for level in wanted {
            offsets.append(total)
            total += areaLists[level, default: []].count * months * slots
        }
        var counts = [Int32](repeating: 0, count: max(1, total))
        let months = self.months
        // Year → its index in `years`, over the range of years (at most 201 entries).
        let firstYear = years.first ?? 0
        var yearIndex = [Int](repeating: 0, count: (years.last ?? 0) - firstYear + 1)
        for (index, year) in years.enumerated() { yearIndex[year - firstYear] = index }
        let partKey = EventCountPart.key(
            categories: self.categories, levels: wanted, categoriesOfCode: categoriesOfCode)
        // Each file's own counts are kept (`event_count_parts`): a night that changed one file of ten counts
        // that one and adds the others' stored counts — integers, so the sums are a full count's. The files
        // without stored counts are counted on every core.
        var parts = try zip(entries, readers).map { entry, reader in
            try EventCountPart.stored(db, file: entry.name, key: partKey, reader: reader, levels: wanted, slots: slots)
        }
        let missing = parts.indices.filter { parts[$0] == nil }
        let slotsOfCode = categoriesOfCode
        let counted = Parallel.map(missing.map { readers[$0] }) { reader in
            try EventCountPart.count(reader, levels: wanted, slots: slots, categoriesOfCode: slotsOfCode)
        }
        for (index, result) in zip(missing, counted) {
            let part = try result.get()
            try part.store(db, file: entries[index].name, key: partKey)
            parts[index] = part
        }
        for (((entry, reader), maps), part) in zip(zip(zip(entries, readers), fileMaps), parts) {
            guard let part else { continue }
            usedParts.append(EventCountPart.Use(file: entry.name, key: partKey))
            let partYears = EventCountPart.years(of: reader)
            for (levelIndex, level) in wanted.enumerated() {
                let areaMap = maps[level]!
                let offset = offsets[levelIndex]
                let partMonths = partYears.count * 12
                let levelStart = part.levelOffsets[levelIndex]
                part.counts.withUnsafeBufferPointer { partCounts in
                    for area in 0..<areaMap.count {
                        for (yearPosition, year) in partYears.enumerated() {
                            let target = yearIndex[year - firstYear] * 12
                            for month in 0..<12 {
                                let source = levelStart + (area * partMonths + yearPosition * 12 + month) * slots
                                let base = offset + (Int(areaMap[area]) * months + target + month) * slots
                                for slot in 0..<slots where partCounts[source + slot] != 0 {
                                    counts[base + slot] &+= partCounts[source + slot]
                                }
                            }
                        }
                    }
                }
            }
        }
        for (levelIndex, level) in wanted.enumerated() {
            let size = areaLists[level, default: []].count * months * slots
            countsByLevel[level] = LevelCounts(
                areas: areaLists[level, default: []],
                counts: Array(counts[offsets[levelIndex]..<offsets[levelIndex] + size]))
        }
    }

    /// Counts of `category` per area and period at `level`: (area, period, count), non-zero only.
    func counts(category: String, level: String, period: PeriodType) -> [(area: String, period: String, count: Int)] {
        guard let slot = categories.firstIndex(of: category), let level = countsByLevel[level] else { return [] }
        let slots = categories.count
        var result: [(String, String, Int)] = []
        for (areaIndex, area) in level.areas.enumerated() {
            var sums: [String: Int] = [:]
            for month in 0..<months {
                let count = Int(level.counts[(areaIndex * months + month) * slots + slot])
                guard count > 0 else { continue }
                // The period of the month's first day: its year, quarter, month, term or school year (weeks
                // are counted by EventWeekCounter; July lies in no term or school year).
                let first = CalendarDate(year: years[month / 12], month: month % 12 + 1, day: 1)!
                guard period != .week, let key = Period.containing(first, as: period) else { continue }
                sums[key.description, default: 0] += count
            }
            for (key, count) in sums { result.append((area, key, count)) }
        }
        return result
    }
}
