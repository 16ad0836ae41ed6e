import LagesbildModel

/// What the county or national report shows (`scope: county` or `country`): the pipeline's kommuner side
/// by side, indicator by indicator.
public struct CountyReportData: Sendable, Codable, Hashable {
    public var title: String
    /// What the kommuner are compared with: the county (`Hallands län`) or the country (`riket`).
    public var reference: CountyReference
    public var generatedAt: String
    public var runID: String
    public var suppressionThreshold: Int
    /// The kommuner in scope, by name.
    public var municipalities: [CountyMunicipality]
    public var indicators: [CountyIndicator]
    /// The method section's paragraphs, in Swedish.
    public var method: [String]
    public var sources: [SourceRecord]

    public init(
        title: String, reference: CountyReference, generatedAt: String, runID: String, suppressionThreshold: Int,
        municipalities: [CountyMunicipality], indicators: [CountyIndicator], method: [String],
        sources: [SourceRecord]
    ) {
        self.title = title
        self.reference = reference
        self.generatedAt = generatedAt
        self.runID = runID
        self.suppressionThreshold = suppressionThreshold
        self.municipalities = municipalities
        self.indicators = indicators
        self.method = method
        self.sources = sources
    }
}

/// The area the kommuner are compared with.
public struct CountyReference: Sendable, Codable, Hashable {
    public enum Kind: String, Sendable, Codable, Hashable {
        case county
        case country
    }

    public var kind: Kind
    /// `Hallands län`, `Sverige`.
    public var name: String
    /// The word in "signifikant högre än länet": `länet`, `riket`.
    public var definite: String

    public init(kind: Kind, name: String) {
        self.kind = kind
        self.name = name
        self.definite = kind == .county ? "länet" : "riket"
    }
}

/// A kommun of the report, with its municipality group when the pipeline names the groups.
public struct CountyMunicipality: Sendable, Codable, Hashable {
    public var code: String
    public var name: String
    public var group: String?

    public init(code: String, name: String, group: String? = nil) {
        self.code = code
        self.name = name
        self.group = group
    }
}

/// Whether a kommun's rate differs from the reference beyond chance.
public enum CountyDeviation: String, Sendable, Codable, Hashable {
    case higher
    case lower
    case withinNoise = "within-noise"
    case notTestable = "not-testable"
}

/// One kommun in an indicator's ranking, latest year.
public struct CountyRankEntry: Sendable, Codable, Hashable {
    public var code: String
    public var name: String
    public var value: Double?
    public var status: PointStatus
    /// The 95 % interval (exact Poisson for counts and rates).
    public var low: Double?
    public var high: Double?
    public var deviation: CountyDeviation
    /// The test's numbers in Swedish (rate ratio and interval), or why the value is hidden.
    public var note: String?

    public init(
        code: String, name: String, value: Double?, status: PointStatus, low: Double? = nil, high: Double? = nil,
        deviation: CountyDeviation, note: String? = nil
    ) {
        self.code = code
        self.name = name
        self.value = value
        self.status = status
        self.low = low
        self.high = high
        self.deviation = deviation
        self.note = note
    }
}

/// One indicator across the kommuner: the ranking, each kommun's trend and the comparison lines.
public struct CountyIndicator: Sendable, Codable, Hashable {
    public var id: String
    public var title: String
    public var definition: String
    public var unit: String
    public var decimals: Int
    public var better: Direction
    /// The ranking's year.
    public var period: String
    /// The reference's value that year from the kommuner's own numbers (summed counts over summed
    /// population), with its interval.
    public var referenceValue: Double?
    public var referenceLow: Double?
    public var referenceHigh: Double?
    /// Highest first; hidden values last.
    public var ranking: [CountyRankEntry]
    /// The years of the trends.
    public var periods: [String]
    /// Each kommun's own series (small multiples), in the ranking's order.
    public var trends: [ComparisonSeries]
    /// The reference summed from the kommuner, per year (drawn in every small multiple).
    public var referenceSeries: [SeriesPoint]
    /// County, country and municipality group from the comparison source (Brå), like with like.
    public var comparisons: [ComparisonSeries]
    /// Notes on the comparisons (their source, the municipality group and its year).
    public var notes: [String]

    public init(
        id: String, title: String, definition: String, unit: String, decimals: Int, better: Direction,
        period: String, referenceValue: Double?, referenceLow: Double?, referenceHigh: Double?,
        ranking: [CountyRankEntry], periods: [String], trends: [ComparisonSeries], referenceSeries: [SeriesPoint],
        comparisons: [ComparisonSeries], notes: [String]
    ) {
        self.id = id
        self.title = title
        self.definition = definition
        self.unit = unit
        self.decimals = decimals
        self.better = better
        self.period = period
        self.referenceValue = referenceValue
        self.referenceLow = referenceLow
        self.referenceHigh = referenceHigh
        self.ranking = ranking
        self.periods = periods
        self.trends = trends
        self.referenceSeries = referenceSeries
        self.comparisons = comparisons
        self.notes = notes
    }
}
