import Foundation
import GRDB
import LagesbildModel
import PipelineModel
import StageKit
import Workspace

/// Normalizes ingested rows: the checks of codes, areas and periods, and the observation inserts
/// (events: see ``EventNormalizer``).
struct RecordNormalizer: Sendable {
    let lists: LoadedCodeLists

    /// Why a crime code cannot be used, or nil when it can.
    func crimeCodeProblem(_ crimeCode: String) -> String? {
        guard crimeCode.utf8.count == 4, crimeCode.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return "the crime code '\(crimeCode)' is not a 4-digit code"
        }
        if !lists.crimeCodes.isEmpty, lists.crimeCodes[crimeCode] == nil {
            return "unknown crime code \(crimeCode): not in the crime code list"
        }
        return nil
    }

    /// Why an event's code cannot be used, or nil when it can: a crime code, or for a source with
    /// `event_types` a code of its list.
    func eventCodeProblem(_ code: String, source: SourceSpec) -> String? {
        guard let types = lists.eventTypes[source.id] else { return crimeCodeProblem(code) }
        guard types.entries[code] == nil else { return nil }
        let file = source.eventTypes.map { ($0.path as NSString).lastPathComponent } ?? "the event type list"
        return "unknown event type '\(code)': not in the event type list \(file)"
    }

    /// The SCB code of the municipality a field names (its code or its name), or nil when it is none.
    func municipalityCode(_ text: String) -> String? {
        if lists.areas.isEmpty {
            return text.utf8.count == 4 && text.allSatisfy({ $0.isASCII && $0.isNumber }) ? text : nil
        }
        if lists.areas[text]?.level == "municipality" { return text }
        return lists.area(named: text, levels: ["municipality"])?.code
    }

    /// The areas an event's area name can mean, at the first of district, DeSO and municipality that
    /// has any (several when the name is used in more than one municipality).
    func eventAreaCandidates(named name: String) -> [AreaEntry] {
        let candidates = (lists.areasByName[LoadedCodeLists.key(name)] ?? []).compactMap { lists.areas[$0] }
        for level in ["district", "deso", "municipality"] {
            let matches = candidates.filter { $0.level == level }
            if !matches.isEmpty { return matches }
        }
        return []
    }

    /// The area an event's area name means in `municipality` (a name used in several municipalities).
    func eventArea(named name: String, in municipality: String) -> AreaEntry? {
        let candidates = eventAreaCandidates(named: name)
        return candidates.first { self.municipality(of: $0) == municipality } ?? candidates.first
    }

    /// The municipality an area lies in (itself for a municipality), or nil above that level.
    func municipality(of entry: AreaEntry) -> String? {
        var current: AreaEntry? = entry
        var steps = 0
        while let area = current, steps < 8 {
            if area.level == "municipality" { return area.code }
            current = area.parent.flatMap { lists.areas[$0] }
            steps += 1
        }
        return nil
    }

    /// The area code and level an observation's area cell names (by the source's code system).
    func observationArea(_ area: String, system: AreaCodeSystem) -> Result<(code: String, level: String), Rejection> {
        switch system {
        case .scb:
            let code = String(area.split(separator: " ", maxSplits: 1).first ?? "")
            if let entry = lists.areas[code] { return .success((entry.code, entry.level)) }
            if lists.areas.isEmpty, let level = Self.scbLevel(code) { return .success((code, level)) }
            return .failure(Rejection("unknown area code '\(code)' in '\(area)': not in the area code list"))
        case .name:
            guard
                let entry = lists.area(
                    named: area, levels: ["municipality", "county", "country", "district", "deso", "school"])
            else { return .failure(Rejection("unknown area '\(area)': not in the area code list")) }
            return .success((entry.code, entry.level))
        }
    }

    /// Why an observation's period cannot be read, or its canonical text and the year it is numbered in
    /// (a school year's first year, a week's ISO week-year). Dates and date ranges are read as the
    /// source's `dates_as` says (see ``Period/read(_:datesAs:dateFormat:)``).
    func observationPeriod(_ period: String, source: SourceSpec) -> Result<(period: String, year: Int), Rejection> {
        do {
            let parsed = try Period.read(period, datesAs: source.datesAs, dateFormat: DateFormat(source.dateFormat))
            return .success((parsed.description, parsed.year))
        } catch {
            return .failure(Rejection(error.reason))
        }
    }

    /// The level an SCB code denotes by its shape: `00` country, 2 digits county, 4 digits municipality,
    /// 9 characters DeSO.
    static func scbLevel(_ code: String) -> String? {
        switch code.count {
        case 2 where code == "00": return "country"
        case 2 where code.allSatisfy(\.isNumber): return "county"
        case 4 where code.allSatisfy(\.isNumber): return "municipality"
        case 9: return "deso"
        default: return nil
        }
    }

    /// Normalizes the observations of a source. Each distinct area and period is resolved once, in
    /// Swift; the rows are then copied by SQLite, joined with those resolutions (a population table has
    /// a million rows but only a few thousand areas and ten years).
    func normalizeObservations(
        _ db: Database, source: SourceSpec, deliveries: [Int64], quarantine: inout QuarantineWriter
    ) throws -> StageCounts {
        try db.execute(
            sql: """
                DROP TABLE IF EXISTS temp.resolved_areas;
                DROP TABLE IF EXISTS temp.resolved_periods;
                DROP TABLE IF EXISTS temp.normalized_deliveries;
                CREATE TEMP TABLE resolved_areas (area TEXT PRIMARY KEY, code TEXT, level TEXT, reason TEXT);
                CREATE TEMP TABLE resolved_periods (period TEXT PRIMARY KEY, canonical TEXT, year INTEGER, reason TEXT);
                CREATE TEMP TABLE normalized_deliveries (id INTEGER PRIMARY KEY);
                """)
        let insertDelivery = try db.cachedStatement(sql: "INSERT INTO temp.normalized_deliveries (id) VALUES (?)")
        for id in deliveries { try insertDelivery.execute(arguments: [id]) }
        let accepted = """
            FROM raw_observations o JOIN deliveries d ON d.id = o.delivery_id
            WHERE d.source_id = ? AND d.status = 'accepted' AND o.delivery_id IN (SELECT id FROM temp.normalized_deliveries)
            """
        let insertArea = try db.cachedStatement(
            sql: "INSERT INTO temp.resolved_areas (area, code, level, reason) VALUES (?, ?, ?, ?)")
        for area in try String.fetchAll(db, sql: "SELECT DISTINCT o.area \(accepted)", arguments: [source.id]) {
            switch observationArea(area, system: source.areaCodes) {
            case .success(let resolved): try insertArea.execute(arguments: [area, resolved.code, resolved.level, nil])
            case .failure(let rejection): try insertArea.execute(arguments: [area, nil, nil, rejection.reason])
            }
        }
        let insertPeriod = try db.cachedStatement(
            sql: "INSERT INTO temp.resolved_periods (period, canonical, year, reason) VALUES (?, ?, ?, ?)")
        for period in try String.fetchAll(db, sql: "SELECT DISTINCT o.period \(accepted)", arguments: [source.id]) {
            switch observationPeriod(period, source: source) {
            case .success(let parsed): try insertPeriod.execute(arguments: [period, parsed.period, parsed.year, nil])
            case .failure(let rejection): try insertPeriod.execute(arguments: [period, nil, nil, rejection.reason])
            }
        }
        let joined = """
            FROM raw_observations o JOIN deliveries d ON d.id = o.delivery_id
            JOIN temp.resolved_areas a ON a.area = o.area JOIN temp.resolved_periods p ON p.period = o.period
            WHERE d.source_id = ? AND d.status = 'accepted' AND o.delivery_id IN (SELECT id FROM temp.normalized_deliveries)
            """
        var counts = StageCounts()
        try db.execute(
            sql: """
                INSERT INTO observations (source_id, delivery_id, line, area_code, area_level, period, year, measure,
                    dimensions, value, missing, base)
                SELECT d.source_id, o.delivery_id, o.line, a.code, a.level, p.canonical, p.year, o.measure,
                    o.dimensions, o.value, o.missing, o.base
                \(joined) AND a.reason IS NULL AND p.reason IS NULL
                """,
            arguments: [source.id])
        counts.rowsOut = db.changesCount
        let rejected = try Row.fetchCursor(
            db,
            sql: """
                SELECT o.delivery_id, d.path, o.line, o.area, o.period, o.measure, coalesce(a.reason, p.reason) AS reason
                \(joined) AND (a.reason IS NOT NULL OR p.reason IS NOT NULL)
                ORDER BY o.delivery_id, o.line
                """,
            arguments: [source.id])
        while let row = try rejected.next() {
            let raw =
                "area=\(row["area"] as String); period=\(row["period"] as String); measure=\(row["measure"] as String)"
            quarantine.deliveryID = row["delivery_id"]
            try quarantine.add(
                RejectedRecord(
                    location: SourceLocation(file: row["path"], line: row["line"]), reason: row["reason"], raw: raw))
            counts.rowsQuarantined += 1
        }
        counts.rowsIn = counts.rowsOut + counts.rowsQuarantined
        return counts
    }
}

/// Why a record could not be normalized.
struct Rejection: Error, Equatable {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
