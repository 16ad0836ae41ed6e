import Foundation

/// Conditions on the columns of events (`where:` beside `events:` in the pipeline file): a subset of a
/// category's events, e.g. the violence outdoors or every crime at night, for shares over events.
///
/// An event matches when it matches every condition: its column's value is one of the listed values
/// (exactly), and its hour lies in ``hours``. An event whose column is empty (or whose time is unknown)
/// matches no condition on that column.
public struct EventFilter: Sendable, Hashable, CustomStringConvertible {
    /// Column → accepted values.
    public var values: [EventFilterColumn: [String]]
    /// The hours of the day, when the filter has `hours:`.
    public var hours: HourRange?

    public init(values: [EventFilterColumn: [String]] = [:], hours: HourRange? = nil) {
        self.values = values
        self.hours = hours
    }

    public var isEmpty: Bool { values.isEmpty && hours == nil }

    public var description: String {
        var parts = values.sorted { $0.key.rawValue < $1.key.rawValue }.map { column, values in
            values.count == 1
                ? "\(column.rawValue) = \(values[0])" : "\(column.rawValue) in [\(values.joined(separator: ", "))]"
        }
        if let hours { parts.append("hours \(hours)") }
        return parts.joined(separator: ", ")
    }
}

/// The event columns a `where:` can test: the mapped columns the events column files keep.
public enum EventFilterColumn: String, Sendable, Hashable, CaseIterable {
    /// The delivered place text, e.g. `Utomhus`.
    case place
    /// Brå's crime code.
    case crimeCode = "crime_code"
    /// The district (by SCB-style code or name in the area code list).
    case area
    /// The DeSO code.
    case deso
    /// The municipality (by code or name).
    case municipality

    /// The source column (role under `columns:`) the condition needs mapped.
    public var role: String { rawValue }
}

/// Hours of the day from `first` to `last` inclusive (0–23); wraps midnight when `first` > `last`:
/// `22-05` is 22:00–05:59.
public struct HourRange: Sendable, Hashable, CustomStringConvertible {
    public var first: Int
    public var last: Int

    /// Reads `H-H` (e.g. `22-05`, `0-23`), or nil when it is not two hours 0–23.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard parts.count == 2, let first = Int(parts[0]), let last = Int(parts[1]), (0...23).contains(first),
            (0...23).contains(last), parts.allSatisfy({ (1...2).contains($0.count) })
        else { return nil }
        self.first = first
        self.last = last
    }

    /// True when `hour` (0–23) is in the range.
    public func contains(_ hour: Int) -> Bool {
        first <= last ? (first...last).contains(hour) : hour >= first || hour <= last
    }

    public var description: String {
        func two(_ hour: Int) -> String { hour < 10 ? "0\(hour)" : String(hour) }
        return "\(two(first))-\(two(last))"
    }
}

extension Quantity {
    /// The event category counted (both with and without a filter); nil for a measure.
    public var eventCategory: String? {
        switch self {
        case .events(let category, _), .filteredEvents(let category, _): return category
        case .measure: return nil
        }
    }

    /// True when the quantity counts events.
    public var countsEvents: Bool { eventCategory != nil }
}
