import LagesbildModel

/// Everything the HTML lägesbild shows, as plain values.
///
/// The publish stage fills this from the workspace; ``ReportRenderer`` turns it into one self-contained
/// HTML file. Nothing here computes statistics: changes, moving averages, statuses and flags arrive
/// already decided, so the report shows exactly what the pipeline concluded.
public struct ReportData: Sendable, Codable, Hashable {
    /// The report's main heading, e.g. "Lägesbild brottslighet Halmstads kommun 2023".
    public var title: String
    public var municipality: Municipality
    /// When the report was generated, as text to show (e.g. "2024-03-18 06:15").
    public var generatedAt: String
    /// The pipeline run that produced the report.
    public var runID: String
    /// Cells with fewer observations than this are suppressed ("prickade").
    public var suppressionThreshold: Int
    public var summary: Summary
    /// Crime indicators for the whole municipality.
    public var indicators: [IndicatorSection]
    /// Ranked areas (districts or DeSO), one ranking per indicator and period.
    public var areas: [AreaRanking]
    /// When and where events happen (weekday × hour, month of year, place), one per indicator that has them.
    public var patterns: [Patterns]
    /// School indicators (Skolverket, SS 12000, Skolenkäten).
    public var schools: [IndicatorSection]
    /// County board (Länsstyrelsen) indicators: licences, inspections.
    public var countyBoard: [IndicatorSection]
    public var sources: SourcesAndMethod
    /// Maps of the areas and of events in grid squares; nil without `maps:` in the pipeline.
    public var maps: ReportMaps? = nil

    public init(
        title: String, municipality: Municipality, generatedAt: String, runID: String, suppressionThreshold: Int,
        summary: Summary = Summary(), indicators: [IndicatorSection] = [], areas: [AreaRanking] = [],
        patterns: [Patterns] = [], schools: [IndicatorSection] = [], countyBoard: [IndicatorSection] = [],
        sources: SourcesAndMethod = SourcesAndMethod()
    ) {
        self.title = title
        self.municipality = municipality
        self.generatedAt = generatedAt
        self.runID = runID
        self.suppressionThreshold = suppressionThreshold
        self.summary = summary
        self.indicators = indicators
        self.areas = areas
        self.patterns = patterns
        self.schools = schools
        self.countyBoard = countyBoard
        self.sources = sources
    }
}

/// The municipality the report is about.
public struct Municipality: Sendable, Codable, Hashable {
    public var name: String
    /// SCB's 4-digit municipality code, e.g. "1380".
    public var code: String
    /// The county's name, e.g. "Hallands län".
    public var county: String?

    public init(name: String, code: String, county: String? = nil) {
        self.name = name
        self.code = code
        self.county = county
    }
}

/// Whether a change is an improvement, given the indicator's ``Direction``.
public enum ChangeAssessment: String, Sendable, Codable, Hashable, CaseIterable {
    case better
    case worse
    case unchanged
    /// No change could be computed (no previous value).
    case unknown
    /// Tested, and within what chance gives: neither better nor worse.
    case withinNoise = "within-noise"

    /// Judges `change` (new minus old): a fall is better when lower is better, and vice versa.
    public init(change: Double?, better direction: Direction) {
        guard let change, change.isFinite else {
            self = .unknown
            return
        }
        if change == 0 {
            self = .unchanged
        } else if (change < 0) == (direction == .lower) {
            self = .better
        } else {
            self = .worse
        }
    }
}

/// Whether a change was tested against chance, and how it came out.
public enum ChangeTest: String, Sendable, Codable, Hashable, CaseIterable {
    /// The 95 % interval of the change leaves out no change.
    case beyondChance = "beyond-chance"
    /// The interval holds no change: within normal variation.
    case withinNoise = "within-noise"
    /// No model applies (no numerator or denominator); only the sign is known.
    case notTestable = "not-testable"
}

/// Whether a value exists, and if not, why.
public enum PointStatus: String, Sendable, Codable, Hashable, CaseIterable {
    case ok
    /// Suppressed ("prickad", `..`): too few observations to publish.
    case suppressed
    /// Missing in the source.
    case missing
    /// The source says nothing can be reported here ("–", ej tillämpligt).
    case notApplicable = "not-applicable"
}

// MARK: - Summary

/// The first page: what changed most and how every target is doing.
public struct Summary: Sendable, Codable, Hashable {
    /// The indicators that changed most, in the order to show.
    public var largestChanges: [IndicatorChange]
    /// The follow-up status of every target in the åtgärdsplan and the medborgarlöften.
    public var targets: [TargetFollowUp]
    /// Free text for the summary (optional), shown as paragraphs.
    public var paragraphs: [String]
    /// The action plan's prioritised problems, highest priority first; empty without a plan.
    public var problems: [SummaryProblem]
    /// What is new since the previous published report; nil for the first report.
    public var sinceLast: SinceLastReport?

    public init(
        largestChanges: [IndicatorChange] = [], targets: [TargetFollowUp] = [], paragraphs: [String] = [],
        problems: [SummaryProblem] = [], sinceLast: SinceLastReport? = nil
    ) {
        self.largestChanges = largestChanges
        self.targets = targets
        self.paragraphs = paragraphs
        self.problems = problems
        self.sinceLast = sinceLast
    }
}

/// One prioritised problem of the action plan, as the summary lists it.
public struct SummaryProblem: Sendable, Codable, Hashable {
    /// 1 is the highest priority.
    public var priority: Int
    public var title: String
    /// The areas where it shows, by name (empty: the whole municipality).
    public var areas: [String]
    /// The judgements of the targets that measure it.
    public var targetStatuses: [TargetStatus]

    public init(priority: Int, title: String, areas: [String] = [], targetStatuses: [TargetStatus] = []) {
        self.priority = priority
        self.title = title
        self.areas = areas
        self.targetStatuses = targetStatuses
    }
}

/// What changed since the previous report was published: new or changed deliveries and new judgements.
public struct SinceLastReport: Sendable, Codable, Hashable {
    /// The run that published the previous report, and when ("2026-11-29 19.14").
    public var previousRunID: String
    public var previousPublishedAt: String
    /// Files delivered or changed since then, e.g. "brott_2023.csv (Polisen)".
    public var newDeliveries: [String]
    /// Targets whose judgement changed since then.
    public var targetChanges: [TargetStatusChange]

    public init(
        previousRunID: String, previousPublishedAt: String, newDeliveries: [String],
        targetChanges: [TargetStatusChange]
    ) {
        self.previousRunID = previousRunID
        self.previousPublishedAt = previousPublishedAt
        self.newDeliveries = newDeliveries
        self.targetChanges = targetChanges
    }
}

/// One indicator's latest change against the previous period.
public struct IndicatorChange: Sendable, Codable, Hashable {
    public var indicatorID: String
    public var title: String
    public var period: String
    public var previousPeriod: String?
    public var value: Double
    public var unit: String
    /// Decimals to show for values of this indicator.
    public var decimals: Int
    /// New minus previous value, in the indicator's unit.
    public var changeAbsolute: Double?
    /// The change in percent of the previous value (nil when the previous value is 0 or missing).
    public var changePercent: Double?
    public var better: Direction
    /// Whether the change is beyond chance; decided by the pipeline.
    public var test: ChangeTest
    /// The test's numbers in Swedish, e.g. "kvot 0,96 (95 % intervall 0,64–1,44)".
    public var testNote: String?

    public init(
        indicatorID: String, title: String, period: String, previousPeriod: String? = nil, value: Double,
        unit: String, decimals: Int = 1, changeAbsolute: Double?, changePercent: Double?, better: Direction,
        test: ChangeTest = .notTestable, testNote: String? = nil
    ) {
        self.indicatorID = indicatorID
        self.title = title
        self.period = period
        self.previousPeriod = previousPeriod
        self.value = value
        self.unit = unit
        self.decimals = decimals
        self.changeAbsolute = changeAbsolute
        self.changePercent = changePercent
        self.better = better
        self.test = test
        self.testNote = testNote
    }

    /// Within normal variation when the test says so; otherwise better or worse from the sign of the
    /// change and the indicator's direction (see ``test`` for whether that was tested).
    public var assessment: ChangeAssessment {
        test == .withinNoise ? .withinNoise : ChangeAssessment(change: changeAbsolute, better: better)
    }
}

/// Whether a target is on track.
public enum TargetStatus: String, Sendable, Codable, Hashable, CaseIterable {
    /// The latest value's whole interval is on the good side of the target.
    case reached
    /// The trend since the baseline, projected to the target year, reaches the target beyond the noise.
    case onTheWay = "on-the-way"
    /// The trend goes the wrong way, or its projection misses the target beyond the noise.
    case notOnTheWay = "not-on-the-way"
    /// The projection's interval spans the target: the change is within the noise.
    case tooUncertain = "too-uncertain"
    /// Fewer than three yearly values since the baseline.
    case tooLittleData = "too-little-data"
}

/// The follow-up (uppföljning) of one target.
public struct TargetFollowUp: Sendable, Codable, Hashable {
    public var indicatorID: String
    public var indicatorTitle: String
    public var commitment: Commitment
    public var unit: String
    public var decimals: Int
    public var better: Direction
    public var baselineYear: Int
    /// The baseline: the indicator's own value, or a declared one (then ``baselineSource`` says whose).
    public var baselineValue: Double?
    public var baselineSource: String?
    public var targetYear: Int
    public var targetValue: Double
    public var latestPeriod: String?
    public var latestValue: Double?
    /// Latest minus baseline value.
    public var changeSinceBaseline: Double?
    public var status: TargetStatus
    /// The area the target is set for when it is not the kommun as a whole (a district's citizen promise).
    public var areaCode: String?
    /// Why the status is what it is, in Swedish, with the numbers (optional).
    public var note: String?

    public init(
        indicatorID: String, indicatorTitle: String, commitment: Commitment, unit: String, decimals: Int = 1,
        better: Direction, baselineYear: Int, baselineValue: Double?, baselineSource: String? = nil,
        targetYear: Int, targetValue: Double, latestPeriod: String?, latestValue: Double?,
        changeSinceBaseline: Double?, status: TargetStatus, note: String? = nil
    ) {
        self.indicatorID = indicatorID
        self.indicatorTitle = indicatorTitle
        self.commitment = commitment
        self.unit = unit
        self.decimals = decimals
        self.better = better
        self.baselineYear = baselineYear
        self.baselineValue = baselineValue
        self.baselineSource = baselineSource
        self.targetYear = targetYear
        self.targetValue = targetValue
        self.latestPeriod = latestPeriod
        self.latestValue = latestValue
        self.changeSinceBaseline = changeSinceBaseline
        self.status = status
        self.note = note
    }
}

// MARK: - Indicators

/// One indicator: its definition, its time series, and comparison series.
public struct IndicatorSection: Sendable, Codable, Hashable {
    public var id: String
    public var title: String
    public var definition: String
    /// E.g. "per 100 000 inv.", "antal", "%".
    public var unit: String
    public var decimals: Int
    public var better: Direction
    /// The municipality's series, oldest period first.
    public var series: [SeriesPoint]
    /// The name of the municipality's series in the chart legend (e.g. "Halmstad").
    public var seriesName: String
    /// County, country or other comparison series.
    public var comparisons: [ComparisonSeries]
    /// Free text under the table (optional).
    public var note: String?
    /// Why the kommun's own series and the comparison's differ in level, when they come from different sources.
    public var comparisonNote: String?
    /// Texts the suppliers wrote beside the figures (`texts:` on the indicator), one group per text.
    public var texts: [SourceTextGroup]?
    /// The municipality's values in periods shorter than a year (quarters, months, weeks), one series per kind.
    public var finerSeries: [FinerSeries]?

    public init(
        id: String, title: String, definition: String, unit: String, decimals: Int = 1, better: Direction,
        series: [SeriesPoint], seriesName: String, comparisons: [ComparisonSeries] = [], note: String? = nil,
        comparisonNote: String? = nil
    ) {
        self.comparisonNote = comparisonNote
        self.id = id
        self.title = title
        self.definition = definition
        self.unit = unit
        self.decimals = decimals
        self.better = better
        self.series = series
        self.seriesName = seriesName
        self.comparisons = comparisons
        self.note = note
    }
}

/// An indicator's values in one kind of period shorter than a year, oldest first.
public struct FinerSeries: Sendable, Codable, Hashable {
    /// The period kind in Swedish, singular: "kvartal", "månad", "vecka".
    public var kindName: String
    public var points: [SeriesPoint]

    public init(kindName: String, points: [SeriesPoint]) {
        self.kindName = kindName
        self.points = points
    }
}

/// One period of a series.
public struct SeriesPoint: Sendable, Codable, Hashable {
    /// "2023", "2023-Q2", "2023-04".
    public var period: String
    /// Nil unless ``status`` is ``PointStatus/ok``.
    public var value: Double?
    public var status: PointStatus
    /// Why a value is suppressed or missing, or any other remark.
    public var note: String?
    /// Value minus the previous period's value.
    public var changeAbsolute: Double?
    /// The change in percent of the previous period's value.
    public var changePercent: Double?
    /// The mean of this and the two previous periods (3-year moving average).
    public var movingAverage3: Double?
    /// Lower and upper bound of a 95 % confidence interval (shares from surveys and small populations).
    public var ciLow: Double?
    public var ciHigh: Double?
    public var flags: [PointFlag]

    public init(
        period: String, value: Double?, status: PointStatus? = nil, note: String? = nil, changeAbsolute: Double? = nil,
        changePercent: Double? = nil, movingAverage3: Double? = nil, ciLow: Double? = nil, ciHigh: Double? = nil,
        flags: [PointFlag] = []
    ) {
        self.period = period
        self.value = value
        self.status = status ?? (value == nil ? .missing : .ok)
        self.note = note
        self.changeAbsolute = changeAbsolute
        self.changePercent = changePercent
        self.movingAverage3 = movingAverage3
        self.ciLow = ciLow
        self.ciHigh = ciHigh
        self.flags = flags
    }

    /// The value when the point may be shown; nil for suppressed or missing points whatever `value` holds.
    public var shownValue: Double? { status == .ok ? value : nil }

    /// A suppressed point with its reason.
    public static func suppressed(_ period: String, reason: String? = nil) -> SeriesPoint {
        SeriesPoint(period: period, value: nil, status: .suppressed, note: reason)
    }

    /// A missing point with its reason.
    public static func missing(_ period: String, reason: String? = nil) -> SeriesPoint {
        SeriesPoint(period: period, value: nil, status: .missing, note: reason)
    }
}

/// A remark on one point of a series, such as a jump or a series break.
public struct PointFlag: Sendable, Codable, Hashable {
    public var kind: Kind
    public var text: String

    public init(_ kind: Kind, _ text: String) {
        self.kind = kind
        self.text = text
    }

    /// An open set of flag kinds: the pipeline may add its own.
    public struct Kind: RawRepresentable, Sendable, Codable, Hashable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// An unusually large change against the previous period.
        public static let jump = Kind(rawValue: "jump")
        /// The definition or the source changed: periods before and after are not comparable.
        public static let seriesBreak = Kind(rawValue: "series-break")
        /// Preliminary figure, to be revised.
        public static let preliminary = Kind(rawValue: "preliminary")
        /// Computed from part of the areas (the others have no number): the note says how many.
        public static let partial = Kind(rawValue: "partial")
    }
}

/// A comparison series (county, country) shown beside the municipality's.
public struct ComparisonSeries: Sendable, Codable, Hashable {
    public enum Kind: String, Sendable, Codable, Hashable, CaseIterable {
        /// The kommun itself in the comparison's source (beside its county and country from that source).
        case municipality
        case county
        case country
        case other
    }

    public var kind: Kind
    /// The name shown in legends and table headings, e.g. "Hallands län", "Riket".
    public var name: String
    public var points: [SeriesPoint]

    public init(kind: Kind, name: String, points: [SeriesPoint]) {
        self.kind = kind
        self.name = name
        self.points = points
    }
}

// MARK: - Areas

/// Areas ranked by one indicator in one period.
public struct AreaRanking: Sendable, Codable, Hashable {
    public var indicatorID: String
    public var indicatorTitle: String
    public var period: String
    public var unit: String
    public var decimals: Int
    /// "stadsdel", "DeSO", ….
    public var areaLevel: String
    public var areas: [AreaValue]
    public var note: String?

    public init(
        indicatorID: String, indicatorTitle: String, period: String, unit: String, decimals: Int = 1,
        areaLevel: String, areas: [AreaValue], note: String? = nil
    ) {
        self.indicatorID = indicatorID
        self.indicatorTitle = indicatorTitle
        self.period = period
        self.unit = unit
        self.decimals = decimals
        self.areaLevel = areaLevel
        self.areas = areas
        self.note = note
    }
}

/// One area's value in a ranking.
public struct AreaValue: Sendable, Codable, Hashable {
    /// District code or DeSO code, e.g. "1380C0120".
    public var code: String
    public var name: String
    public var value: Double?
    public var status: PointStatus
    /// Why the value is suppressed or missing.
    public var note: String?
    /// Marked by the pipeline: the area stands out from the rest of the kommun beyond chance.
    public var isHotSpot: Bool
    /// Why it is marked, e.g. "signifikant högre än kommunen som helhet: …".
    public var hotSpotReason: String?

    public init(
        code: String, name: String, value: Double?, status: PointStatus? = nil, note: String? = nil,
        isHotSpot: Bool = false, hotSpotReason: String? = nil
    ) {
        self.code = code
        self.name = name
        self.value = value
        self.status = status ?? (value == nil ? .missing : .ok)
        self.note = note
        self.isHotSpot = isHotSpot
        self.hotSpotReason = hotSpotReason
    }

    public var shownValue: Double? { status == .ok ? value : nil }
}

extension SeriesPoint {
    /// Computed from part of the areas.
    public var isPartial: Bool { flags.contains { $0.kind == .partial } }
}

// MARK: - Patterns

/// When and where one indicator's events happen: weekday × hour, month of year and place.
public struct Patterns: Sendable, Codable, Hashable {
    /// The indicator the events are counted for.
    public var indicatorID: String
    /// What is counted, e.g. "Polisens händelser, våld i offentlig miljö".
    public var title: String
    /// The periods counted, e.g. "2021–2023".
    public var period: String
    /// 7 rows (Monday first) of 24 cells (hour 0–23); empty when the indicator has no such pattern.
    public var weekdayHour: [[PatternCell]]
    /// 12 cells, January first; empty when the indicator has no such pattern.
    public var monthOfYear: [PatternCell]
    /// Counts by place as the source names it (e.g. Inomhus, Utomhus); empty when there are none.
    public var places: [PlaceCount]
    public var note: String?

    public init(
        indicatorID: String = "", title: String, period: String, weekdayHour: [[PatternCell]],
        monthOfYear: [PatternCell], places: [PlaceCount] = [], note: String? = nil
    ) {
        self.indicatorID = indicatorID
        self.title = title
        self.period = period
        self.weekdayHour = weekdayHour
        self.monthOfYear = monthOfYear
        self.places = places
        self.note = note
    }
}

/// The count of events at one kind of place.
public struct PlaceCount: Sendable, Codable, Hashable {
    /// The place as the source names it, e.g. "Utomhus".
    public var place: String
    public var cell: PatternCell

    public init(place: String, cell: PatternCell) {
        self.place = place
        self.cell = cell
    }
}

/// One count in a pattern.
public struct PatternCell: Sendable, Codable, Hashable {
    public var value: Double?
    public var status: PointStatus
    public var note: String?

    public init(value: Double?, status: PointStatus? = nil, note: String? = nil) {
        self.value = value
        self.status = status ?? (value == nil ? .missing : .ok)
        self.note = note
    }

    public var shownValue: Double? { status == .ok ? value : nil }

    public static func suppressed(_ reason: String? = nil) -> PatternCell {
        PatternCell(value: nil, status: .suppressed, note: reason)
    }
}

// MARK: - Sources and method

/// What Brå asks a lägesbild to document: sources, definitions, suppression, limits.
public struct SourcesAndMethod: Sendable, Codable, Hashable {
    public var sources: [SourceRecord]
    public var definitions: [Definition]
    /// How suppression was applied (optional; the threshold itself is ``ReportData/suppressionThreshold``).
    public var suppressionNote: String?
    /// What the data cannot show.
    public var limitations: [String]
    /// How areas and changes are judged against chance, in one or two sentences each.
    public var statisticalMethod: [String]

    public init(
        sources: [SourceRecord] = [], definitions: [Definition] = [], suppressionNote: String? = nil,
        limitations: [String] = [], statisticalMethod: [String] = []
    ) {
        self.sources = sources
        self.definitions = definitions
        self.suppressionNote = suppressionNote
        self.limitations = limitations
        self.statisticalMethod = statisticalMethod
    }
}

/// One delivered (or expected but missing) source file.
public struct SourceRecord: Sendable, Codable, Hashable {
    public enum Status: String, Sendable, Codable, Hashable, CaseIterable {
        /// Read and used.
        case used
        /// Used, with rows in quarantine.
        case partial
        /// Left out (not delivered, too old, or rejected).
        case notUsed = "not-used"
        /// Could not be read.
        case failed
    }

    /// The source's name in the pipeline file, e.g. "polisen-handelser".
    public var name: String
    public var supplier: String
    public var fileName: String
    public var deliveryDate: String
    /// Lowercase hex SHA-256 of the file.
    public var sha256: String
    /// Rows read = rows accepted + rows quarantined, counting the rows rejected in ingest and in
    /// normalize.
    public var rowsRead: Int
    public var rowsAccepted: Int
    public var rowsQuarantined: Int
    public var status: Status
    public var note: String?
    /// An observations file's values (a wide row holds several), beside its rows; nil for other files.
    public var values: Values?

    /// Values read from a file's accepted rows, and how many of them were quarantined.
    public struct Values: Sendable, Codable, Hashable {
        public var read: Int
        public var quarantined: Int

        public init(read: Int, quarantined: Int) {
            self.read = read
            self.quarantined = quarantined
        }
    }
    /// Lines after the table's end (source notes, a legend), skipped rather than read as rows.
    public var linesSkipped: Int?

    public init(
        name: String, supplier: String, fileName: String, deliveryDate: String, sha256: String, rowsRead: Int,
        rowsAccepted: Int, rowsQuarantined: Int, status: Status, note: String? = nil, values: Values? = nil
    ) {
        self.values = values
        self.name = name
        self.supplier = supplier
        self.fileName = fileName
        self.deliveryDate = deliveryDate
        self.sha256 = sha256
        self.rowsRead = rowsRead
        self.rowsAccepted = rowsAccepted
        self.rowsQuarantined = rowsQuarantined
        self.status = status
        self.note = note
    }
}

/// A term and its definition, as used in this report.
public struct Definition: Sendable, Codable, Hashable {
    public var term: String
    public var text: String

    public init(term: String, text: String) {
        self.term = term
        self.text = text
    }
}
