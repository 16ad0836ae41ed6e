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
struct LoadedCodeLists {
    /// Crime code → its name and end year. Empty when no list is configured.
    var crimeCodes: [String: (name: String, retired: Int?)] = [:]
    var categories: [(category: String, code: String)] = []
    var areas: [String: AreaEntry] = [:]
    /// Lower-cased name or alias → area codes with that name.
    var areasByName: [String: [String]] = [:]
    /// DeSO codes merged or split: old code → new codes with the share of the old area each takes.
    var desoCrosswalk: [(old: String, new: String, share: Double, validFrom: String)] = []

    /// Reads the configured code lists; a malformed list fails the stage with its file and line.
    init(_ lists: CodeLists) throws {
        if let path = lists.crimeCodes {
            try Self.read(path, columns: ["brottskod", "benamning", "upphord"]) { values, location in
                guard values[0].count == 4, values[0].allSatisfy(\.isNumber) else {
                    throw StageDataError(
                        stage: .normalize, message: "crime code '\(values[0])' is not 4 digits", location: location)
                }
                crimeCodes[values[0]] = (values[1], Int(values[2]))
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

    /// Reads a `;`-separated UTF-8 code list, calling `row` with the named columns in order
    /// (a column missing from a row reads as empty).
    private static func read(
        _ path: String, columns: [String], row: ([String], SourceLocation) throws -> Void
    ) throws {
        let reader: CSVFileReader
        do {
            reader = try CSVFileReader(
                path: path, dialect: CSVDialect(delimiter: UInt8(ascii: ";"), encoding: .utf8, titleLines: 0))
        } catch let error as CSVError {
            throw StageDataError(stage: .normalize, message: "code list: \(error.message)", location: error.location)
        }
        let header = reader.header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var indexes: [Int?] = []
        for (position, column) in columns.enumerated() {
            let index = header.firstIndex(of: column)
            if index == nil, position < 2 {
                throw StageDataError(
                    stage: .normalize,
                    message: "code list has no column '\(column)' (header: \(reader.header.joined(separator: ";")))",
                    location: SourceLocation(file: path, line: reader.headerLine))
            }
            indexes.append(index)
        }
        var firstProblem: RejectedRecord?
        _ = try reader.forEachRecord(
            { record in
                let values = indexes.map { index in
                    index.map { record.string(at: $0).trimmingCharacters(in: .whitespaces) } ?? ""
                }
                try row(values, SourceLocation(file: path, line: record.line))
            },
            onReject: { rejected in if firstProblem == nil { firstProblem = rejected } })
        if let firstProblem {
            throw StageDataError(
                stage: .normalize, message: "code list row cannot be read: \(firstProblem.reason)",
                location: firstProblem.location)
        }
    }

    /// Replaces the workspace's code-list tables with these lists.
    func store(_ db: Database) throws {
        let codes = try db.cachedStatement(
            sql: "INSERT INTO codelist_crime_codes (code, name, retired_year) VALUES (?, ?, ?)")
        for (code, entry) in crimeCodes { try codes.execute(arguments: [code, entry.name, entry.retired]) }
        let categoryStatement = try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO codelist_crime_categories (category, crime_code) VALUES (?, ?)")
        for (category, code) in categories { try categoryStatement.execute(arguments: [category, code]) }
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
