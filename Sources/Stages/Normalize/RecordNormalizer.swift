import GRDB
import LagesbildModel
import PipelineModel
import StageKit
import Workspace

/// Normalizes ingested rows: the checks of codes, areas and periods, and the observation inserts
/// (events: see ``EventNormalizer``).
struct RecordNormalizer {
    let pipeline: Pipeline
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
