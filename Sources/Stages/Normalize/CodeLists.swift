import CSVReader
import GRDB
import LagesbildModel
import PipelineModel
import StageKit
import Workspace

/// An entry of the area code list.
struct AreaEntry: Sendable, Hashable {
    var code: String
    var name: String
    var level: String
    var parent: String?
}

/// The code lists normalize needs, loaded from the files the pipeline names.
struct LoadedCodeLists: Sendable {
    /// Crime code → its name and end year. Empty when no list is configured.
    var crimeCodes: [String: (name: String, retired: Int?)] = [:]
    /// (category, crime code): from `crime_categories` and from the crime code list's own columns.
    var categories: [(category: String, code: String)] = []
    /// Per events source with `event_types`: its event types and their categories.
    var eventTypes: [String: LoadedCodes] = [:]
    var areas: [String: AreaEntry] = [:]
    /// Lower-cased name or alias → area codes with that name.
    var areasByName: [String: [String]] = [:]
    /// DeSO codes merged or split: old code → new codes with the share of the old area each takes.
    var desoCrosswalk: [(old: String, new: String, share: Double, validFrom: String)] = []

    /// Reads the configured code lists and the event types of `sources`; a malformed list fails the stage
    /// with its file and line.
    init(_ lists: CodeLists, sources: [SourceSpec] = []) throws {
        if let list = lists.crimeCodes {
            let codes = try LoadedCodes(list) { code in
                code.count == 4 && code.allSatisfy(\.isNumber) ? nil : "crime code '\(code)' is not 4 digits"
            }
            crimeCodes = codes.entries
            categories = codes.categories
        }
        for source in sources {
            guard let list = source.eventTypes else { continue }
            eventTypes[source.id] = try LoadedCodes(list) { code in
                code.isEmpty ? "an event type needs a code (column \(list.code) is empty)" : nil
            }
        }
        if let path = lists.crimeCategories {
            try Self.read(path, columns: ["category", "crime_code"]) { values, location in
                guard values[0] != "all" else {
                    throw StageDataError(
                        stage: .normalize, message: "the category name 'all' is reserved for all crimes; rename it",
                        location: location)
                }
                categories.append((values[0], values[1]))
            }
        }
        if let path = lists.desoCrosswalk { try readCrosswalk(path) }
        if let path = lists.areas {
            try Self.read(path, columns: ["code", "name", "level", "parent", "aliases"]) { values, location in
                let entry = AreaEntry(
                    code: values[0], name: values[1], level: values[2], parent: values[3].isEmpty ? nil : values[3])
                guard ["country", "county", "municipality", "district", "deso", "school"].contains(entry.level) else {
                    throw StageDataError(
                        stage: .normalize, message: "unknown area level '\(entry.level)'", location: location)
                }
                areas[entry.code] = entry
                var names = [entry.name, entry.code]
                names += values[4].split(separator: "|").map(String.init)
                for name in names { areasByName[Self.key(name), default: []].append(entry.code) }
            }
        }
    }

    private mutating func readCrosswalk(_ path: String) throws {
        try Self.read(path, columns: ["old_code", "new_code", "share", "valid_from"]) { values, location in
            guard let share = Double(values[2]), share > 0, share <= 1 else {
                throw StageDataError(
                    stage: .normalize, message: "the share '\(values[2])' is not a number in (0, 1]", location: location
                )
            }
            desoCrosswalk.append((values[0], values[1], share, values[3]))
        }
    }

    static func key(_ name: String) -> String { name.trimmingCharacters(in: .whitespaces).lowercased() }

    /// The area with this name or alias, preferring the given levels in order.
    func area(named name: String, levels: [String]) -> AreaEntry? {
        let candidates = (areasByName[Self.key(name)] ?? []).compactMap { areas[$0] }
        for level in levels {
            if let match = candidates.first(where: { $0.level == level }) { return match }
        }
        return nil
    }

    /// Reads a `;`-separated UTF-8 code list, calling `row` with the named columns in order (the first
    /// two must be in the header; a column missing from a row reads as empty).
    private static func read(
        _ path: String, columns: [String], row: ([String], SourceLocation) throws -> Void
    ) throws {
        try CodeListTable.read(
            path, columns: columns.enumerated().map { .init(name: $1, required: $0 < 2) }, row: row)
    }

    /// Replaces the workspace's code-list tables with these lists.
    func store(_ db: Database) throws {
        let codes = try db.cachedStatement(
            sql: "INSERT INTO codelist_crime_codes (code, name, retired_year) VALUES (?, ?, ?)")
        for (code, entry) in crimeCodes { try codes.execute(arguments: [code, entry.name, entry.retired]) }
        let categoryStatement = try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO codelist_crime_categories (category, crime_code) VALUES (?, ?)")
        for (category, code) in categories { try categoryStatement.execute(arguments: [category, code]) }
        let typeStatement = try db.cachedStatement(
            sql: "INSERT INTO codelist_event_types (source_id, code, name) VALUES (?, ?, ?)")
        let typeCategoryStatement = try db.cachedStatement(
            sql: "INSERT INTO codelist_event_categories (source_id, category, code) VALUES (?, ?, ?)")
        for (source, types) in eventTypes {
            for (code, entry) in types.entries { try typeStatement.execute(arguments: [source, code, entry.name]) }
            for (category, code) in types.categories {
                try typeCategoryStatement.execute(arguments: [source, category, code])
            }
        }
        let areaStatement = try db.cachedStatement(
            sql: "INSERT INTO codelist_areas (code, name, level, parent_code) VALUES (?, ?, ?, ?)")
        for area in areas.values {
            try areaStatement.execute(arguments: [area.code, area.name, area.level, area.parent])
        }
        let crosswalk = try db.cachedStatement(
            sql: "INSERT INTO codelist_deso_crosswalk (old_code, new_code, share, valid_from) VALUES (?, ?, ?, ?)")
        for entry in desoCrosswalk {
            try crosswalk.execute(arguments: [entry.old, entry.new, entry.share, entry.validFrom])
        }
    }
}
