import LagesbildModel

/// How periods of other kinds count as calendar years (`periods:` at the top of the pipeline file).
public struct PeriodSettings: Sendable, Hashable {
    /// How a school year feeds a `year` indicator: `end` (default, `2020/21` → 2021), `start` or `none`.
    public var schoolYearAsYear: SchoolYearAsYear = .end

    public init(schoolYearAsYear: SchoolYearAsYear = .end) {
        self.schoolYearAsYear = schoolYearAsYear
    }

    /// `periods: { school_year_as_year: end | start | none }`.
    static func read(_ node: ConfigNode?) throws -> PeriodSettings {
        guard let node else { return PeriodSettings() }
        let map = try node.mapping(allowedKeys: ["school_year_as_year"])
        return PeriodSettings(schoolYearAsYear: try map["school_year_as_year"]?.choice() ?? .end)
    }
}

/// The period types an indicator is computed for (`periods:` on an indicator): `year`, `quarter`,
/// `month`, `week` (ISO), `school_year`, `term`.
public typealias PeriodType = Period.Kind

/// How a source's dates are read as periods (`dates_as:` on a source).
enum DatesAs: String, CaseIterable {
    case year, quarter, month, week

    /// `dates_as: year | quarter | month | week` on an observations source; nil when the key is absent.
    static func read(_ node: ConfigNode?, kind: SourceKind) throws -> Period.Kind? {
        guard let node else { return nil }
        guard kind == .observations else {
            throw node.error(
                "dates_as reads the period field of an observations source; events are counted by the periods "
                    + "their indicators list (periods: [week])")
        }
        let choice: DatesAs = try node.choice()
        return Period.Kind(rawValue: choice.rawValue)
    }
}

extension Period.Kind {
    /// The other kinds rows of this kind may be summed into (counts only): months into quarters and
    /// years, quarters and weeks into years, terms into school years and years.
    public var additiveRollUps: Set<Period.Kind> {
        switch self {
        case .month: return [.quarter, .year]
        case .quarter, .week: return [.year]
        case .term: return [.schoolYear, .year]
        case .year, .schoolYear: return []
        }
    }
}

/// True when a source's columns give its period as a range (`period_start` and `period_end`); throws when
/// only one end is mapped or a `period` column is mapped too.
func periodRange(_ columns: [String: ColumnMapping], node: ConfigNode) throws -> Bool {
    switch (columns["period_start"] != nil, columns["period_end"] != nil) {
    case (false, false): return false
    case (true, true):
        guard columns["period"] == nil else {
            throw node.error("give either a 'period' column or 'period_start' and 'period_end', not both")
        }
        return true
    default: throw node.error("a period range needs both 'period_start' and 'period_end'")
    }
}
