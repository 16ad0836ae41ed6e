/// Everything the follow-up report (`uppfoljning.html`) shows, as plain values.
///
/// The follow-up report is written for the kommunstyrelse: per prioritised problem of the action plan, how
/// its targets are doing (judged honestly, with their uncertainty) and what its measures produced, how they
/// went and what they may have changed. The publish stage fills this from the workspace;
/// ``FollowUpReportRenderer`` turns it into one self-contained HTML file. Judgements, intervals and effect
/// ratios arrive already computed: the report counts and words them, it does not estimate anything.
public struct FollowUpReportData: Sendable, Codable, Hashable {
    /// The report's main heading, e.g. "Uppföljning av åtgärdsplanen, Halmstads kommun".
    public var title: String
    public var municipality: Municipality
    /// When the report was generated, as text to show.
    public var generatedAt: String
    /// The pipeline run that produced the report.
    public var runID: String
    /// The action plan's title and adoption date, when the plan is in the workspace.
    public var planTitle: String?
    public var planAdopted: String?
    /// The prioritised problems, highest priority first. Empty when the plan is not in the workspace.
    public var problems: [ProblemFollowUp]
    /// Every target that is followed up, in the order to show.
    public var targets: [JudgedTarget]
    /// Every measure and citizen promise of the plan.
    public var measures: [MeasureFollowUp]
    /// The previous follow-up this one is compared with; nil when this is the first.
    public var previous: PreviousFollowUp?

    public init(
        title: String, municipality: Municipality, generatedAt: String, runID: String, planTitle: String? = nil,
        planAdopted: String? = nil, problems: [ProblemFollowUp] = [], targets: [JudgedTarget] = [],
        measures: [MeasureFollowUp] = [], previous: PreviousFollowUp? = nil
    ) {
        self.title = title
        self.municipality = municipality
        self.generatedAt = generatedAt
        self.runID = runID
        self.planTitle = planTitle
        self.planAdopted = planAdopted
        self.problems = problems
        self.targets = targets
        self.measures = measures
        self.previous = previous
    }

    public func target(_ id: String) -> JudgedTarget? { targets.first { $0.id == id } }
    public func measure(_ id: String) -> MeasureFollowUp? { measures.first { $0.id == id } }

    /// Targets that belong to no prioritised problem (all of them when the plan is not in the workspace).
    public var targetsOutsideProblems: [JudgedTarget] {
        let linked = Set(problems.flatMap(\.targetIDs))
        return targets.filter { !linked.contains($0.id) }
    }

    /// The citizen promises (medborgarlöften) among the measures.
    public var citizenPromises: [MeasureFollowUp] { measures.filter { $0.kind == .citizenPromise } }

    /// How many targets have each judgement.
    public func count(_ status: TargetStatus) -> Int { targets.filter { $0.followUp.status == status }.count }

    /// How many measures have each latest status (nil: no report yet).
    public func count(_ status: MeasureProgress?) -> Int { measures.filter { $0.status == status }.count }
}

/// A prioritised problem of the lägesbild and the targets and measures tied to it.
public struct ProblemFollowUp: Sendable, Codable, Hashable {
    public var id: String
    public var title: String
    /// 1 is the highest priority.
    public var priority: Int
    /// The areas where the problem shows, as names to show (empty: the whole municipality).
    public var areas: [String]
    public var causeAnalysis: String?
    /// A link to the full cause analysis (orsaksanalys).
    public var causeAnalysisLink: String?
    /// Ids of ``FollowUpReportData/targets`` that measure progress on the problem.
    public var targetIDs: [String]
    /// Ids of ``FollowUpReportData/measures`` taken against the problem.
    public var measureIDs: [String]

    public init(
        id: String, title: String, priority: Int, areas: [String] = [], causeAnalysis: String? = nil,
        causeAnalysisLink: String? = nil, targetIDs: [String] = [], measureIDs: [String] = []
    ) {
        self.id = id
        self.title = title
        self.priority = priority
        self.areas = areas
        self.causeAnalysis = causeAnalysis
        self.causeAnalysisLink = causeAnalysisLink
        self.targetIDs = targetIDs
        self.measureIDs = measureIDs
    }
}

/// A target's judgement with what its chart needs: the yearly values and the projection to the target year.
public struct JudgedTarget: Sendable, Codable, Hashable {
    /// The target's id in the pipeline file.
    public var id: String
    /// The target's name, e.g. "Åtgärdsplan 2021–2026 – minskat våld" (may be empty).
    public var name: String
    /// Baseline, target, latest value, judgement and its explanation in Swedish. Its ``TargetFollowUp/indicatorTitle``
    /// names the indicator and, when the target is for part of the municipality, the area.
    public var followUp: TargetFollowUp
    /// The 95 % interval of the latest value.
    public var latestLow: Double?
    public var latestHigh: Double?
    /// The fitted trend's value in the target year, with its 95 % interval.
    public var projectedValue: Double?
    public var projectedLow: Double?
    public var projectedHigh: Double?
    /// The indicator's yearly values for the target's area, oldest first, with 95 % intervals where known.
    public var series: [SeriesPoint]

    public init(
        id: String, name: String, followUp: TargetFollowUp, latestLow: Double? = nil, latestHigh: Double? = nil,
        projectedValue: Double? = nil, projectedLow: Double? = nil, projectedHigh: Double? = nil,
        series: [SeriesPoint] = []
    ) {
        self.id = id
        self.name = name
        self.followUp = followUp
        self.latestLow = latestLow
        self.latestHigh = latestHigh
        self.projectedValue = projectedValue
        self.projectedLow = projectedLow
        self.projectedHigh = projectedHigh
        self.series = series
    }
}

/// How a measure stands, as its owner last reported it.
public enum MeasureProgress: String, Sendable, Codable, Hashable, CaseIterable {
    case done
    case ongoing
    case delayed
    case notStarted = "not-started"
    case cancelled

    /// The status in Swedish, as owners write it.
    public var swedish: String {
        switch self {
        case .done: return "Genomförd"
        case .ongoing: return "Pågår"
        case .delayed: return "Försenad"
        case .notStarted: return "Ej påbörjad"
        case .cancelled: return "Avbruten"
        }
    }

    /// True for a deviation from the plan.
    public var isDeviation: Bool { self == .delayed || self == .cancelled }
}

/// A measure (insats) of the action plan or a citizen promise, with its production, process and effect.
public struct MeasureFollowUp: Sendable, Codable, Hashable {
    public enum Kind: String, Sendable, Codable, Hashable, CaseIterable {
        case measure
        /// A citizen promise (medborgarlöfte) signed by the kommun and the police.
        case citizenPromise = "citizen-promise"
    }

    public var id: String
    public var title: String
    public var kind: Kind
    /// The organisation that owns the measure and reports on it.
    public var owner: String
    /// The other parties, in Swedish ("polisen", "bostadsbolag", …).
    public var partners: [String]
    /// First and last month it runs, `YYYY-MM`.
    public var start: String
    public var end: String
    /// The area it works in, as a name to show; nil for the whole municipality.
    public var area: String?
    /// For a citizen promise: the date it was signed, `YYYY-MM-DD`.
    public var signed: String?
    /// Titles of the problems it addresses.
    public var problems: [String]
    /// Planned hours and cost in SEK per year, from the plan.
    public var hoursPerYear: Double?
    public var costPerYear: Double?
    /// The latest reported status; nil when the owner has not reported.
    public var status: MeasureProgress?
    /// The period of the latest report, e.g. "2023K4".
    public var statusPeriod: String?
    /// True when the owner has not reported for the latest period.
    public var reportMissing: Bool
    /// The owner's latest comment (personal identity numbers already masked, and masked again when shown).
    public var comment: String?
    /// The period of the report the comment comes from.
    public var commentPeriod: String?
    public var production: [ProductionYear]
    public var resources: [ResourceYear]
    public var effects: [MeasureEffect]

    public init(
        id: String, title: String, kind: Kind = .measure, owner: String, partners: [String] = [], start: String,
        end: String, area: String? = nil, signed: String? = nil, problems: [String] = [],
        hoursPerYear: Double? = nil, costPerYear: Double? = nil, status: MeasureProgress? = nil,
        statusPeriod: String? = nil, reportMissing: Bool = false,
        comment: String? = nil, commentPeriod: String? = nil, production: [ProductionYear] = [],
        resources: [ResourceYear] = [],
        effects: [MeasureEffect] = []
    ) {
        self.id = id
        self.title = title
        self.kind = kind
        self.owner = owner
        self.partners = partners
        self.start = start
        self.end = end
        self.area = area
        self.signed = signed
        self.problems = problems
        self.hoursPerYear = hoursPerYear
        self.costPerYear = costPerYear
        self.status = status
        self.statusPeriod = statusPeriod
        self.reportMissing = reportMissing
        self.comment = comment
        self.commentPeriod = commentPeriod
        self.production = production
        self.resources = resources
        self.effects = effects
    }

    /// Hours and cost summed over the years reported.
    public var totals: ResourceYear {
        resources.reduce(into: ResourceYear(year: 0)) { sum, year in
            func add(_ a: Double?, _ b: Double?) -> Double? { a == nil && b == nil ? nil : (a ?? 0) + (b ?? 0) }
            sum.hoursPlanned = add(sum.hoursPlanned, year.hoursPlanned)
            sum.hours = add(sum.hours, year.hours)
            sum.costPlanned = add(sum.costPlanned, year.costPlanned)
            sum.cost = add(sum.cost, year.cost)
        }
    }
}

/// Production in one year: how much of one output was planned and delivered.
public struct ProductionYear: Sendable, Codable, Hashable {
    public var year: Int
    /// What is produced, e.g. "trygghetsvandringar".
    public var output: String
    public var planned: Double?
    public var delivered: Double?

    public init(year: Int, output: String, planned: Double?, delivered: Double?) {
        self.year = year
        self.output = output
        self.planned = planned
        self.delivered = delivered
    }
}

/// Hours and cost in SEK in one year, planned and reported.
public struct ResourceYear: Sendable, Codable, Hashable {
    public var year: Int
    public var hoursPlanned: Double?
    public var hours: Double?
    public var costPlanned: Double?
    public var cost: Double?

    public init(
        year: Int, hoursPlanned: Double? = nil, hours: Double? = nil, costPlanned: Double? = nil, cost: Double? = nil
    ) {
        self.year = year
        self.hoursPlanned = hoursPlanned
        self.hours = hours
        self.costPlanned = costPlanned
        self.cost = cost
    }
}

/// A difference-in-differences comparison of a measure's area with the rest of the municipality: the ratio
/// of the area's change to the comparison's change (below 1: the area fell more, or rose less).
public struct MeasureEffect: Sendable, Codable, Hashable {
    /// The indicator compared, e.g. "Anmälda brott per 100 000 invånare".
    public var indicatorTitle: String
    /// The measure's area and what it is compared with, as names to show.
    public var area: String
    public var comparison: String
    /// The year (or years) before the start and the latest after it, e.g. "2020" and "2023"; empty when unknown.
    public var beforeYears: String
    public var afterYears: String
    public var ratio: Double?
    public var ratioLow: Double?
    public var ratioHigh: Double?

    public init(
        indicatorTitle: String, area: String, comparison: String, beforeYears: String, afterYears: String,
        ratio: Double?, ratioLow: Double?, ratioHigh: Double?
    ) {
        self.indicatorTitle = indicatorTitle
        self.area = area
        self.comparison = comparison
        self.beforeYears = beforeYears
        self.afterYears = afterYears
        self.ratio = ratio
        self.ratioLow = ratioLow
        self.ratioHigh = ratioHigh
    }
}

/// The previous follow-up and what changed since.
public struct PreviousFollowUp: Sendable, Codable, Hashable {
    /// The run that published the previous follow-up, and when.
    public var runID: String
    public var publishedAt: String
    /// Targets whose judgement changed, that are new, or that are no longer followed up.
    public var changes: [TargetStatusChange]
    /// How many targets kept their judgement.
    public var unchanged: Int

    public init(runID: String, publishedAt: String, changes: [TargetStatusChange], unchanged: Int) {
        self.runID = runID
        self.publishedAt = publishedAt
        self.changes = changes
        self.unchanged = unchanged
    }
}

/// One target's judgement at a follow-up.
public struct TargetSnapshot: Sendable, Codable, Hashable {
    public var targetID: String
    public var name: String
    public var status: TargetStatus
    public var latestPeriod: String?

    public init(targetID: String, name: String, status: TargetStatus, latestPeriod: String?) {
        self.targetID = targetID
        self.name = name
        self.status = status
        self.latestPeriod = latestPeriod
    }
}

/// How one target's judgement changed between two follow-ups: nil before means new, nil after means dropped.
public struct TargetStatusChange: Sendable, Codable, Hashable {
    public var targetID: String
    public var name: String
    public var before: TargetStatus?
    public var after: TargetStatus?
    public var periodBefore: String?
    public var periodAfter: String?

    public init(
        targetID: String, name: String, before: TargetStatus?, after: TargetStatus?, periodBefore: String? = nil,
        periodAfter: String? = nil
    ) {
        self.targetID = targetID
        self.name = name
        self.before = before
        self.after = after
        self.periodBefore = periodBefore
        self.periodAfter = periodAfter
    }

    /// Compares two follow-ups target by target: changed judgements in the current order, then targets
    /// no longer followed up. Targets whose judgement is the same are left out.
    public static func compare(previous: [TargetSnapshot], current: [TargetSnapshot]) -> [TargetStatusChange] {
        let before = Dictionary(previous.map { ($0.targetID, $0) }, uniquingKeysWith: { first, _ in first })
        let now = Set(current.map(\.targetID))
        var changes: [TargetStatusChange] = []
        for target in current where before[target.targetID]?.status != target.status {
            let old = before[target.targetID]
            changes.append(
                TargetStatusChange(
                    targetID: target.targetID, name: target.name, before: old?.status, after: target.status,
                    periodBefore: old?.latestPeriod, periodAfter: target.latestPeriod))
        }
        for target in previous where !now.contains(target.targetID) {
            changes.append(
                TargetStatusChange(
                    targetID: target.targetID, name: target.name, before: target.status, after: nil,
                    periodBefore: target.latestPeriod))
        }
        return changes
    }
}
