/// An indicator as declared in the pipeline file.
public struct IndicatorSpec: Sendable, Hashable {
    public var id: String
    /// Swedish title for the report.
    public var title: String
    /// What it measures, in words.
    public var definition: String
    public var kind: IndicatorKind
    public var numerator: Quantity
    /// Required for rates and shares.
    public var denominator: Quantity?
    /// Rates are per `scale` inhabitants (1 000, 10 000 or 100 000).
    public var scale: Double
    public var unit: String
    /// Period breakdowns (`year`; later `month`, `weekday`, ...).
    public var breakdowns: [String]
    /// Area level the indicator is computed for.
    public var areaLevel: String
    public var better: Direction
}

/// The kinds of indicator the engine computes.
public enum IndicatorKind: String, Sendable, Hashable, CaseIterable {
    /// A number of events or the sum of an observed measure.
    case count
    /// numerator / denominator × scale.
    case rate
}

/// Which direction of change counts as better.
public enum Direction: String, Sendable, Hashable, CaseIterable {
    case lower
    case higher
}

/// What is counted or summed.
public enum Quantity: Sendable, Hashable, CustomStringConvertible {
    /// Police events in a crime category (`all` for every code).
    case events(category: String)
    /// The sum of an observed measure; `dimensions` picks rows by dimension value, others must be totals.
    case measure(name: String, dimensions: [String: String])

    public var description: String {
        switch self {
        case .events(let category): return "events in category '\(category)'"
        case .measure(let name, let dimensions):
            let condition = dimensions.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(
                separator: ", ")
            return condition.isEmpty ? "measure '\(name)'" : "measure '\(name)' where \(condition)"
        }
    }
}
