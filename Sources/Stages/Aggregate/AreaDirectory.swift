import GRDB

/// The area code list as aggregate needs it: names, levels, parents and the DeSO crosswalk.
struct AreaDirectory {
    struct Area {
        var name: String
        var level: String
        var parent: String?
    }

    var areas: [String: Area] = [:]
    /// Old DeSO code → the new codes with the share of the old area each takes.
    var crosswalk: [String: [(code: String, share: Double)]] = [:]

    init(_ db: Database) throws {
        for row in try Row.fetchAll(db, sql: "SELECT code, name, level, parent_code FROM codelist_areas") {
            areas[row["code"]] = Area(name: row["name"], level: row["level"], parent: row["parent_code"])
        }
        for row in try Row.fetchAll(db, sql: "SELECT old_code, new_code, share FROM codelist_deso_crosswalk") {
            crosswalk[row["old_code"], default: []].append((row["new_code"], row["share"]))
        }
    }

    /// The area at `level` that contains `code` (itself when it is at that level).
    func ancestor(of code: String, at level: String) -> String? {
        var current: String? = code
        var steps = 0
        while let code = current, steps < 10 {
            guard let area = areas[code] else { return nil }
            if area.level == level { return code }
            current = area.parent
            steps += 1
        }
        return nil
    }

    func name(_ code: String) -> String { areas[code]?.name ?? code }

    func level(_ code: String) -> String? { areas[code]?.level }

    /// The DeSO codes of today's geography that an old code's numbers go to, with their shares.
    func currentDeSO(_ code: String) -> [(code: String, share: Double)]? { crosswalk[code] }

    /// How fine a level is: higher is finer.
    static func depth(_ level: String) -> Int {
        ["country": 0, "county": 1, "municipality": 2, "district": 3, "deso": 4, "school": 4][level] ?? -1
    }
}
