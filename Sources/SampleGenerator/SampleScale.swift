import Foundation

/// How much data `lagesbild sample` generates: which municipalities and how many police events.
public struct SampleScale: Sendable, Hashable {
    /// Which municipalities the exports cover.
    public enum Selection: Sendable, Hashable {
        /// These municipalities (SCB codes).
        case municipalities([String])
        /// Every municipality of these counties (SCB county codes).
        case counties([String])
        /// All 290 municipalities.
        case all
    }

    public var name: String
    public var selection: Selection
    /// Police events per year over all selected municipalities (the middle year; a slight trend over
    /// the years keeps the average at this number, see ``eventCount(yearIndex:yearCount:)``).
    public var eventsPerYear: Int
    /// Inhabitants per DeSO when DeSO are made up (Halmstad keeps the 50 of the sample's area list).
    public var inhabitantsPerDeSO: Int

    /// The generated pipeline file's `scope`: the municipalities its indicators cover.
    var pipelineScope: String {
        switch selection {
        case .municipalities(let codes): return codes.count == 1 ? "municipality" : "country"
        case .counties: return "county"
        case .all: return "country"
        }
    }

    public init(name: String, selection: Selection, eventsPerYear: Int, inhabitantsPerDeSO: Int = 1_760) {
        self.name = name
        self.selection = selection
        self.eventsPerYear = eventsPerYear
        self.inhabitantsPerDeSO = inhabitantsPerDeSO
    }

    /// Halmstad only, ~2 500 events a year (the level of the sample in `SampleData/`).
    public static let municipality = SampleScale(
        name: "municipality", selection: .municipalities(["1380"]), eventsPerYear: 2_500)
    /// Hallands län's six municipalities; events at the national rate per inhabitant (~49 000 a year).
    public static let county = SampleScale(name: "county", selection: .counties(["13"]), eventsPerYear: 49_000)
    /// All 290 municipalities, ~6 000 DeSO, ~1.5 million events a year.
    public static let national = SampleScale(name: "national", selection: .all, eventsPerYear: 1_500_000)

    public static let presets: [SampleScale] = [.municipality, .county, .national]

    /// The preset with this name.
    public static func named(_ name: String) -> SampleScale? { presets.first { $0.name == name } }

    /// Events in the year with this index: a trend from -4 % to +4 % around ``eventsPerYear``.
    public func eventCount(yearIndex: Int, yearCount: Int) -> Int {
        guard yearCount > 1 else { return eventsPerYear }
        let position = Double(yearIndex) / Double(yearCount - 1) - 0.5
        return Int((Double(eventsPerYear) * (1 + 0.08 * position)).rounded())
    }

    /// True when the police files need a `Kommun` column (more than one municipality).
    func needsMunicipalityColumn(_ count: Int) -> Bool { count > 1 }
}

/// The years to generate, e.g. 2014–2023.
public struct SampleYears: Sendable, Hashable {
    public var first: Int
    public var last: Int

    public init(first: Int, last: Int) throws {
        guard (1990...2100).contains(first), (1990...2100).contains(last), first <= last else {
            throw SampleGeneratorError("years must be between 1990 and 2100, the first not after the last")
        }
        self.first = first
        self.last = last
    }

    /// Reads `2014-2023` or `2023`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard (1...2).contains(parts.count), let first = Int(parts[0]), let last = Int(parts[parts.count - 1]) else {
            throw SampleGeneratorError("years '\(text)': write a range like 2014-2023 or one year like 2023")
        }
        try self.init(first: first, last: last)
    }

    public static let standard = try! SampleYears(first: 2014, last: 2023)

    public var all: [Int] { Array(first...last) }
    public var count: Int { last - first + 1 }
}
