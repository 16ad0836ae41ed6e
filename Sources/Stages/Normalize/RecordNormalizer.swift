import GRDB
import LagesbildModel
import PipelineModel
import StageKit
import Workspace

/// Normalizes ingested rows of one source: pure checks and conversions, plus the inserts.
struct RecordNormalizer {
    let pipeline: Pipeline
    let lists: LoadedCodeLists
    /// Area names already looked up: exports repeat the same few names on every row.
    private let eventAreas = AreaLookupCache()

    /// Remembers name → area lookups for one stage run.
    final class AreaLookupCache {
        var entries: [String: AreaEntry?] = [:]
    }

    init(pipeline: Pipeline, lists: LoadedCodeLists) {
        self.pipeline = pipeline
        self.lists = lists
    }

    /// The district, DeSO or municipality an event's area name names.
    func eventArea(named name: String) -> AreaEntry? {
        if let cached = eventAreas.entries[name] { return cached }
        let entry = lists.area(named: name, levels: ["district", "deso", "municipality"])
        eventAreas.entries[name] = entry
        return entry
    }

    /// A normalized event, ready for the `events` table.
    struct Event: Equatable {
        var crimeCode: String
        var date: CalendarDate
        var hour: Int?
        var districtCode: String?
        var desoCode: String?
    }

    /// Checks one raw event; returns the event or the reason it cannot be used.
    func event(
        crimeCode: String, date: String, time: String?, area: String?, deso: String?, dateFormat: DateFormat
    ) -> Result<Event, Rejection> {
        guard crimeCode.utf8.count == 4, crimeCode.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return .failure(Rejection("the crime code '\(crimeCode)' is not a 4-digit code"))
        }
        if !lists.crimeCodes.isEmpty, lists.crimeCodes[crimeCode] == nil {
            return .failure(Rejection("unknown crime code \(crimeCode): not in the crime code list"))
        }
        guard let parsedDate = dateFormat.parse(date) else {
            return .failure(Rejection("the date '\(date)' is impossible or not in the format of the source"))
        }
        var hour: Int?
        if let time, !time.isEmpty {
            guard let parsed = TimeOfDay.parse(time) else {
                return .failure(Rejection("the time of day '\(time)' cannot be read (expected e.g. 13:45)"))
            }
            hour = parsed.hour
        }
        var districtCode: String?
        if let area, !area.isEmpty, !lists.areas.isEmpty {
            guard let entry = eventArea(named: area) else {
                return .failure(Rejection("unknown area '\(area)': not in the area code list"))
            }
            districtCode = entry.level == "district" ? entry.code : nil
        }
        var desoCode: String?
        if let deso, !deso.isEmpty {
            guard deso.utf8.count == 9, deso.hasPrefix(pipeline.municipality.code) else {
                return .failure(Rejection("'\(deso)' is not a DeSO code of municipality \(pipeline.municipality.code)"))
            }
            if !lists.areas.isEmpty, lists.areas[deso]?.level != "deso" {
                return .failure(Rejection("unknown DeSO code \(deso): not in the area code list"))
            }
            desoCode = deso
            if districtCode == nil, let parent = lists.areas[deso]?.parent, lists.areas[parent]?.level == "district" {
                districtCode = parent
            }
        }
        return .success(
            Event(crimeCode: crimeCode, date: parsedDate, hour: hour, districtCode: districtCode, desoCode: desoCode))
    }

    func normalizeEvents(_ db: Database, source: SourceSpec, quarantine: inout QuarantineWriter) throws -> StageCounts {
        let dateFormat = DateFormat(source.dateFormat) ?? DateFormat("yyyy-MM-dd")!
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO events (delivery_id, line, crime_code, event_date, year, quarter, month, week, weekday,
                    hour, municipality_code, district_code, deso_code, place)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT e.*, d.path FROM raw_events e JOIN deliveries d ON d.id = e.delivery_id
                WHERE d.source_id = ? AND d.status = 'accepted' ORDER BY e.delivery_id, e.line
                """,
            arguments: [source.id])
        var counts = StageCounts()
        while let row = try rows.next() {
            counts.rowsIn += 1
            let crimeCode: String = row["crime_code"]
            let date: String = row["event_date"]
            let time: String? = row["event_time"]
            let area: String? = row["area"]
            let deso: String? = row["deso"]
            switch event(crimeCode: crimeCode, date: date, time: time, area: area, deso: deso, dateFormat: dateFormat) {
            case .success(let event):
                let week = event.date.isoWeek
                try insert.execute(arguments: [
                    row["delivery_id"], row["line"], event.crimeCode, event.date.description, event.date.year,
                    event.date.quarter, event.date.month, week.week, event.date.weekday, event.hour,
                    pipeline.municipality.code, event.districtCode, event.desoCode, row["place"],
                ])
                counts.rowsOut += 1
            case .failure(let rejection):
                let raw =
                    "crime_code=\(crimeCode); date=\(date); time=\(time ?? ""); area=\(area ?? ""); deso=\(deso ?? "")"
                try quarantine.add(
                    RejectedRecord(
                        location: SourceLocation(file: row["path"], line: row["line"]), reason: rejection.reason,
                        raw: raw))
                counts.rowsQuarantined += 1
            }
        }
        return counts
    }

    /// A normalized observation's area and period.
    struct ObservationKey: Equatable {
        var areaCode: String
        var areaLevel: String
        var period: String
        var year: Int
    }

    /// Resolves an observation's area (by the source's code system) and period.
    func observationKey(area: String, period: String, system: AreaCodeSystem) -> Result<ObservationKey, Rejection> {
        let resolved: AreaEntry?
        switch system {
        case .scb:
            let code = String(area.split(separator: " ", maxSplits: 1).first ?? "")
            if let entry = lists.areas[code] {
                resolved = entry
            } else if lists.areas.isEmpty, let level = Self.scbLevel(code) {
                resolved = AreaEntry(code: code, name: area, level: level, parent: nil)
            } else {
                return .failure(Rejection("unknown area code '\(code)' in '\(area)': not in the area code list"))
            }
        case .name:
            resolved = lists.area(
                named: area, levels: ["municipality", "county", "country", "district", "deso", "school"])
            if resolved == nil { return .failure(Rejection("unknown area '\(area)': not in the area code list")) }
        }
        guard let entry = resolved else { return .failure(Rejection("unknown area '\(area)'")) }
        guard let parsed = Self.period(period) else {
            return .failure(
                Rejection(
                    "the period '\(period)' is not a year (2023), a month (2023-01, 2023M01) or a quarter (2023K1)"))
        }
        return .success(
            ObservationKey(areaCode: entry.code, areaLevel: entry.level, period: parsed.period, year: parsed.year))
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

    /// A period as the canonical text (`2023`, `2023-01`, `2023-Q1`) and its year. Accepts `2023`,
    /// `2023-01`, `2023M01` (PX-Web), `2023K1` (SCB), `2023-Q1` and `2023Q1`.
    static func period(_ text: String) -> (period: String, year: Int)? {
        let upper = text.trimmingCharacters(in: .whitespaces).uppercased()
        guard upper.count >= 4, let year = Int(upper.prefix(4)), (1900...2200).contains(year) else { return nil }
        var rest = Substring(upper.dropFirst(4))
        if rest.isEmpty { return (String(year), year) }
        if rest.first == "-" { rest = rest.dropFirst() }
        switch rest.first {
        case "M":
            rest = rest.dropFirst()
        case "K", "Q":
            guard rest.count == 2, let quarter = Int(rest.dropFirst()), (1...4).contains(quarter) else { return nil }
            return ("\(year)-Q\(quarter)", year)
        default:
            break
        }
        guard rest.count == 2, let month = Int(rest), (1...12).contains(month) else { return nil }
        return ("\(year)-\(month < 10 ? "0" : "")\(month)", year)
    }

    func normalizeObservations(_ db: Database, source: SourceSpec, quarantine: inout QuarantineWriter) throws
        -> StageCounts
    {
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO observations (source_id, delivery_id, line, area_code, area_level, period, year, measure,
                    dimensions, value, missing, base)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT o.*, d.path FROM raw_observations o JOIN deliveries d ON d.id = o.delivery_id
                WHERE d.source_id = ? AND d.status = 'accepted' ORDER BY o.delivery_id, o.line
                """,
            arguments: [source.id])
        var counts = StageCounts()
        while let row = try rows.next() {
            counts.rowsIn += 1
            let area: String = row["area"]
            let period: String = row["period"]
            switch observationKey(area: area, period: period, system: source.areaCodes) {
            case .success(let key):
                try insert.execute(arguments: [
                    source.id, row["delivery_id"], row["line"], key.areaCode, key.areaLevel, key.period, key.year,
                    row["measure"], row["dimensions"], row["value"], row["missing"], row["base"],
                ])
                counts.rowsOut += 1
            case .failure(let rejection):
                let measure: String = row["measure"]
                let raw = "area=\(area); period=\(period); measure=\(measure)"
                try quarantine.add(
                    RejectedRecord(
                        location: SourceLocation(file: row["path"], line: row["line"]), reason: rejection.reason,
                        raw: raw))
                counts.rowsQuarantined += 1
            }
        }
        return counts
    }
}

/// Why a record could not be normalized.
struct Rejection: Error, Equatable {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
