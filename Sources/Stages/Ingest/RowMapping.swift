import GRDB
import LagesbildModel
import PipelineModel

/// Turns source rows into workspace rows, or says why a row cannot be accepted.
///
/// Ingest checks structure only — required fields present, numbers readable. Codes, areas and dates are
/// checked by normalize, which knows the code lists.
enum RowMapping {
    /// Arguments for one `raw_events` row, or the reason and column of the rejection.
    static func event(_ row: SourceRow, deliveryID: Int64, source: SourceSpec) -> Result<StatementArguments, Rejection>
    {
        for role in ["crime_code", "date"] {
            if (row.text(role) ?? "").isEmpty {
                let column = source.columns[role]?.column ?? role
                return .failure(Rejection(reason: "the required field \(column) is empty", column: row.column(role)))
            }
        }
        for (role, mapping) in source.columns where mapping.required && (row.text(role) ?? "").isEmpty {
            return .failure(
                Rejection(reason: "the required field \(mapping.column) is empty", column: row.column(role)))
        }
        var coordinates: [Double?] = []
        for role in ["x", "y"] {
            guard let text = row.text(role), !text.isEmpty else {
                coordinates.append(nil)
                continue
            }
            guard case .value(let number) = SwedishNumber.parse(text) else {
                let column = source.columns[role]?.column ?? role
                return .failure(Rejection(reason: "\(column) is not a number: '\(text)'", column: row.column(role)))
            }
            coordinates.append(number)
        }
        let arguments: StatementArguments = [
            deliveryID, row.line, row.text("crime_code"), row.text("date"), nonEmpty(row.text("time")),
            nonEmpty(row.text("area")), nonEmpty(row.text("deso")), coordinates[0], coordinates[1],
            nonEmpty(row.text("place")),
        ]
        return .success(arguments)
    }

    static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }

    /// The canonical dimension text of a row: `name=value` pairs sorted by name, totals written `*`.
    static func dimensions(_ row: SourceRow, source: SourceSpec) -> String {
        source.dimensions.keys.sorted().map { name in
            let value = row.text("dimension:\(name)") ?? ""
            return "\(name)=\(isTotal(value, labels: source.totalLabels) ? "*" : value)"
        }.joined(separator: ";")
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
