import Foundation
import LagesbildModel

/// The municipality's action plan (åtgärdsplan), as data: the prioritised problems found in the
/// lägesbild, the measures taken against them and the citizen promises (medborgarlöften) signed with the
/// police. Read from the plan file the pipeline file names (`action_plan:`); see `Pipelines/README.md`.
///
/// Follow-up after Brå's model asks three questions of each measure: production (was it done as
/// planned — ``Measure/outputs``), process (how did it go — the owners' status reports) and effect (did
/// the problem change — the targets of its problem, judged on the indicators).
public struct ActionPlan: Sendable, Hashable {
    /// Absolute path of the plan file.
    public var path: String
    public var title: String
    /// When the plan was adopted (`YYYY-MM-DD`), if given.
    public var adopted: String?
    public var problems: [Problem]
    public var measures: [Measure]

    public init(path: String, title: String, adopted: String? = nil, problems: [Problem], measures: [Measure]) {
        self.path = path
        self.title = title
        self.adopted = adopted
        self.problems = problems
        self.measures = measures
    }

    public func problem(_ id: String) -> Problem? { problems.first { $0.id == id } }
    public func measure(_ id: String) -> Measure? { measures.first { $0.id == id } }
}

/// A prioritised problem of the lägesbild, with the indicators and areas that show it and its cause
/// analysis (orsaksanalys).
public struct Problem: Sendable, Hashable {
    public var id: String
    public var title: String
    /// 1 is the highest priority.
    public var priority: Int
    /// Indicator ids of the pipeline that show the problem.
    public var indicators: [String]
    /// Area codes where it shows (empty: the whole municipality).
    public var areas: [String]
    /// The cause analysis in words, and/or a link to it.
    public var causeAnalysis: String?
    public var causeAnalysisLink: String?
    /// Target ids (``TargetSpec/id``) that measure progress on the problem.
    public var targets: [String]
    /// Where the problem is declared (`file:line:column`), for messages.
    public var definedAt: String
}

/// A measure (insats) of the action plan, or a citizen promise with its activities.
public struct Measure: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case measure
        /// A citizen promise (medborgarlöfte) signed by the kommun and the police.
        case citizenPromise = "citizen-promise"
    }

    public var id: String
    public var title: String
    public var kind: Kind
    /// The problems it addresses (at least one).
    public var problems: [String]
    /// The organisation that owns it and reports on it.
    public var owner: String
    public var partners: [Partner]
    /// First and last month it runs (`YYYY-MM`).
    public var start: YearMonth
    public var end: YearMonth
    /// What it is to produce, with numbers.
    public var outputs: [PlannedOutput]
    /// Planned hours and cost in SEK per year.
    public var hoursPerYear: Double?
    public var costPerYear: Double?
    /// Target ids it should move.
    public var targets: [String]
    /// The area it works in (a district or DeSO code), for the effect comparison with the rest of the
    /// municipality; nil for the whole municipality.
    public var area: String?
    /// For a citizen promise: when it was signed (`YYYY-MM-DD`).
    public var signed: String?
    public var definedAt: String

    /// True when `period` (a quarter `2023K1` or a term `HT2023`/`VT2024`) overlaps the months it runs.
    public func runs(during period: ReportPeriod) -> Bool {
        period.firstMonth <= end && period.lastMonth >= start
    }
}

/// An organisation that takes part in a measure.
public enum Partner: String, Sendable, Hashable, CaseIterable {
    case municipality
    case police
    case schools
    case socialServices = "social-services"
    case housingCompanies = "housing-companies"
    case rescueServices = "rescue-services"
    case associations
    case business
    case region
    case other
}

/// A planned output of a measure: e.g. 12 trygghetsvandringar per year.
public struct PlannedOutput: Sendable, Hashable {
    /// What is produced, e.g. `trygghetsvandringar`.
    public var name: String
    /// How many per year.
    public var perYear: Double
}

/// A month, `YYYY-MM`.
public struct YearMonth: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int

    public init(year: Int, month: Int) {
        self.year = year
        self.month = month
    }

    /// Parses `YYYY-MM` (or `YYYY-MM-DD`, whose day is ignored).
    public init?(_ text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 2 || parts.count == 3, parts[0].count == 4, let year = Int(parts[0]),
            let month = Int(parts[1]), (1...12).contains(month)
        else { return nil }
        self.init(year: year, month: month)
    }

    public static func < (lhs: YearMonth, rhs: YearMonth) -> Bool {
        (lhs.year, lhs.month) < (rhs.year, rhs.month)
    }

    public var description: String { "\(year)-\(month < 10 ? "0" : "")\(month)" }
}

/// The period a measure owner reports on: a quarter (`2023K1`, `2023-Q1`, `2023 kv 1`) or a school
/// term (`HT2023` autumn, `VT2024` spring).
public struct ReportPeriod: Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable { case quarter, term }

    public var kind: Kind
    public var year: Int
    /// Quarter 1–4, or term 1 (spring, VT) / 2 (autumn, HT).
    public var number: Int

    /// Parses a quarter or a term in any form ``Period/parse(_:)`` reads; nil for anything else.
    public init?(_ text: String) {
        guard let period = Period(text) else { return nil }
        switch period.kind {
        case .quarter: kind = .quarter
        case .term: kind = .term
        default: return nil
        }
        year = period.year
        number = period.number
    }

    public var firstMonth: YearMonth {
        switch kind {
        case .quarter: return YearMonth(year: year, month: (number - 1) * 3 + 1)
        case .term: return YearMonth(year: year, month: number == 1 ? 1 : 8)
        }
    }

    public var lastMonth: YearMonth {
        switch kind {
        case .quarter: return YearMonth(year: year, month: number * 3)
        case .term: return YearMonth(year: year, month: number == 1 ? 6 : 12)
        }
    }

    public static func < (lhs: ReportPeriod, rhs: ReportPeriod) -> Bool { lhs.firstMonth < rhs.firstMonth }

    /// The canonical form: `2023K1`, `VT2024`, `HT2023`.
    public var description: String {
        switch kind {
        case .quarter: return "\(year)K\(number)"
        case .term: return "\(number == 1 ? "VT" : "HT")\(year)"
        }
    }
}

/// How a measure stands, as its owner reports it.
public enum MeasureStatus: String, Sendable, Hashable, CaseIterable {
    case notStarted = "ej påbörjad"
    case ongoing = "pågår"
    case done = "genomförd"
    case delayed = "försenad"
    case cancelled = "avbruten"

    /// Reads a status word as owners write it (any case, `ej påbörjad` or `ej paborjad`).
    public init?(word: String) {
        let folded = word.lowercased().trimmingCharacters(in: .whitespaces)
            .replacingOccurrences(of: "å", with: "a").replacingOccurrences(of: "ä", with: "a")
            .replacingOccurrences(of: "ö", with: "o")
        switch folded {
        case "ej paborjad", "ej paborjat", "inte paborjad": self = .notStarted
        case "pagar", "paborjad": self = .ongoing
        case "genomford", "genomfort", "klar": self = .done
        case "forsenad", "forsenat": self = .delayed
        case "avbruten", "avbrutet": self = .cancelled
        default: return nil
        }
    }
}
