import ColumnStore
import GRDB
import LagesbildModel
import StageKit
import Workspace

/// Counts events per area and ISO week of their date, for indicators with `periods: [week]` (weekly
/// incident reports). A week belongs to its ISO week-year: 1 January 2021, a Friday, is in `2020-W53`.
///
/// ``EventCounter`` counts by month in dense arrays; weeks need the day, and weekly indicators are few,
/// so this counter keeps sparse counts per area, week and category.
struct EventWeekCounter {
    /// `all`, then each category counted.
    let categories: [String]
    /// The area levels counted.
    let levels: [String]
    /// level → area → week → counts per category slot.
    private var counts: [String: [String: [Period: [Int]]]] = [:]

    /// Reads the normalized events files of the selection once.
    init(
        db: Database, workspace: Workspace, categories: [String], levels: [String],
        events: EventSelection = EventSelection()
    ) throws {
        self.categories = ["all"] + categories.filter { $0 != "all" }
        self.levels = levels.filter { ["municipality", "district", "deso"].contains($0) }
        var slotsOfCode: [String: [Int]] = [:]
        for (category, code) in try events.categoryCodes(db) {
            if let slot = self.categories.firstIndex(of: category), slot > 0 {
                slotsOfCode[code, default: []].append(slot)
            }
        }
        let column = { (name: String) in EventColumns.normalized.firstIndex(of: name)! }
        let slots = self.categories.count
        let levels = self.levels
        var tally: [String: [String: [Period: [Int]]]] = [:]
        for entry in try StoreFiles.entries(db, kind: EventColumns.normalizedKind) {
            let reader = try ColumnFileReader(path: workspace.storePath(entry.name))
            guard events.includes(reader.footer) else { continue }
            let codeSlots = (reader.footer.dictionaries["crime_code"] ?? []).map { [0] + (slotsOfCode[$0] ?? []) }
            let areaNames = levels.map { reader.footer.dictionaries[$0] ?? [] }
            try reader.forEachChunk { chunk in
                let years = chunk.column(column("year"))
                let months = chunk.column(column("month"))
                let days = chunk.column(column("day"))
                let codes = chunk.column(column("crime_code"))
                for row in 0..<chunk.rows {
                    guard
                        let date = CalendarDate(year: Int(years[row]), month: Int(months[row]), day: Int(days[row])),
                        let week = Period.containing(date, as: .week)
                    else { continue }
                    for (levelIndex, level) in levels.enumerated() {
                        let area = Int(chunk.column(column(level))[row])
                        guard area >= 0 else { continue }
                        let name = areaNames[levelIndex][area]
                        var weekCounts = tally[level]?[name]?[week] ?? Array(repeating: 0, count: slots)
                        for slot in codeSlots[Int(codes[row])] { weekCounts[slot] += 1 }
                        tally[level, default: [:]][name, default: [:]][week] = weekCounts
                    }
                }
            }
        }
        counts = tally
    }

    /// Counts of `category` per area and week at `level`: (area, week, count), non-zero only.
    func counts(category: String, level: String) -> [(area: String, week: Period, count: Int)] {
        guard let slot = categories.firstIndex(of: category) else { return [] }
        var result: [(String, Period, Int)] = []
        for (area, weeks) in counts[level] ?? [:] {
            for (week, slots) in weeks where slots[slot] > 0 { result.append((area, week, slots[slot])) }
        }
        return result
    }
}
