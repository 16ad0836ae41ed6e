import LagesbildModel

/// Reads `where:` beside `events:` and checks indicators over events (see ``EventFilter``).
enum EventFilterLoader {
    /// `where: { place: Utomhus, area: [Centrum, Vallås], hours: "22-05" }`.
    static func filter(_ node: ConfigNode, sources: [SourceSpec]) throws -> EventFilter {
        let keys = EventFilterColumn.allCases.map(\.rawValue) + ["hours"]
        var filter = EventFilter()
        for (key, value) in try node.freeMapping() {
            if key == "hours" {
                let text = try value.string()
                guard let hours = HourRange(text) else {
                    throw value.error(
                        "bad hours '\(text)': write the first and the last hour (0–23), e.g. \"22-05\" for "
                            + "22:00–05:59 (it wraps midnight) or \"0-23\" for every event with a known time")
                }
                try requireMapped("time", for: "hours", node: value, sources: sources)
                filter.hours = hours
                continue
            }
            guard let column = EventFilterColumn(rawValue: key) else {
                throw value.error(
                    "unknown event column '\(key)' in 'where'; use one of: \(keys.joined(separator: ", "))")
            }
            if column != .crimeCode { try requireMapped(column.role, for: key, node: value, sources: sources) }
            let values = try value.stringList()
            guard !values.isEmpty, !values.contains(where: \.isEmpty) else {
                throw value.error("'\(key)' needs a value or a list of values, e.g. [Utomhus, Inomhus]")
            }
            filter.values[column] = values
        }
        return filter
    }

    /// A condition on a column no events source maps could never match: an error, not an empty share.
    static func requireMapped(_ role: String, for key: String, node: ConfigNode, sources: [SourceSpec]) throws {
        guard sources.contains(where: { $0.kind == .events && $0.columns[role] != nil }) else {
            throw node.error(
                "'\(key)' tests the events' '\(role)' column, but no source of kind 'events' maps it under 'columns:'")
        }
    }

    /// A share over events needs events below the line too; patterns count a whole category.
    static func checkEvents(
        kind: IndicatorKind, numerator: Quantity, denominator: Quantity?, patterns: [Pattern], map: ConfigMapping,
        sources: [SourceSpec]
    ) throws {
        if case .filteredEvents = numerator, !patterns.isEmpty {
            throw try map.require("patterns").error(
                "patterns count every event of the category; they cannot follow the numerator's 'where'")
        }
        guard kind == .share, numerator.countsEvents else { return }
        guard let denominator, denominator.countsEvents else {
            throw (map["denominator"] ?? map.owner).error(
                "a share over events needs events as its denominator too, e.g. denominator: { events: "
                    + "\(numerator.eventCategory ?? "all") }")
        }
        // The numerator's events are a subset of the denominator's: the same source, or a crime-coded source
        // among all crime-coded events (a kommun's own incidents are never counted among crimes).
        let numeratorSource = eventSource(numerator)
        let denominatorSource = eventSource(denominator)
        let crimeCoded = numeratorSource.map { id in sources.first { $0.id == id }?.eventTypes == nil } ?? true
        guard numeratorSource == denominatorSource || (denominatorSource == nil && crimeCoded) else {
            throw (map["denominator"] ?? map.owner).error(
                "a share over events counts the numerator's events among the denominator's: both must count the "
                    + "same events source (the same 'source:', or none for the crime-coded events)")
        }
    }

    /// The events source a quantity names (`source:`), nil for the crime-coded events.
    static func eventSource(_ quantity: Quantity) -> String? {
        if case .events(_, let source?) = quantity { return source }
        return nil
    }
}
