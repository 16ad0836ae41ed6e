import GRDB
import LagesbildModel
import PipelineModel

/// Turns source rows into workspace rows, or says why a row cannot be accepted.
///
/// Ingest checks structure only — required fields present, numbers readable. Codes, areas and dates are
/// checked by normalize, which knows the code lists.
enum RowMapping {
    /// Checks one event row's structure: required fields present, coordinates readable.
    static func checkEvent(_ row: SourceRow, source: SourceSpec) -> Result<Void, Rejection> {
        for role in ["crime_code", "date"] {
            if (row.text(role) ?? "").isEmpty {
                let column = source.columns[role]?.column ?? role
                return .failure(Rejection(reason: "the required field \(column) is empty", column: row.column(role)))
            }
        }
        for (role, mapping) in source.columns.sorted(by: { $0.key < $1.key })
        where mapping.required && (row.text(role) ?? "").isEmpty {
            return .failure(
                Rejection(reason: "the required field \(mapping.column) is empty", column: row.column(role)))
        }
        for role in ["x", "y"] {
            guard let text = row.text(role), !text.isEmpty else { continue }
            guard case .value = SwedishNumber.parse(text) else {
                let column = source.columns[role]?.column ?? role
                return .failure(Rejection(reason: "\(column) is not a number: '\(text)'", column: row.column(role)))
            }
        }
        return .success(())
    }

    /// The dimensions of a row in their stored form (``Dimensions/canonicalText``), totals written `*`.
    static func dimensions(_ row: SourceRow, source: SourceSpec) -> String {
        var values: [String: String] = [:]
        for name in source.dimensions.keys {
            let value = row.text("dimension:\(name)") ?? ""
            values[name] = isTotal(value, labels: source.totalLabels) ? Dimensions.total : value
        }
        return Dimensions(values).canonicalText
    }

    /// True when `value` is a total label, alone or followed by more words ("totalt ålder").
    static func isTotal(_ value: String, labels: [String]) -> Bool {
        let lowered = value.lowercased()
        if lowered.isEmpty || lowered == "*" { return true }
        return labels.contains { label in
            let label = label.lowercased()
            return lowered == label || lowered.hasPrefix(label + " ")
        }
    }
}

/// Why a row was not accepted, and in which column.
struct Rejection: Error {
    var reason: String
    var column: Int? = nil
}
