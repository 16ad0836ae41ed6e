import GRDB
import LagesbildModel
import PipelineModel

/// Where an observations source keeps its values: one value column per row (long layout), or one
/// column per period, and maybe per measure (wide layout, as PX-Web and Brå SOL export).
struct ObservationLayout {
    /// A value column of a wide layout.
    struct ValueColumn {
        var index: Int
        var header: String
        var period: String
        var measure: String
    }

    /// Wide layouts: the value columns found in the header. Empty for long layouts.
    var valueColumns: [ValueColumn] = []

    /// A long layout: one value column per row.
    init() {}

    /// Builds the layout from a CSV header; throws a plain-words reason when the header does not fit.
    init(source: SourceSpec, header: [String]) throws(Rejection) {
        guard let wide = source.wide else { return }
        let regex: Regex<AnyRegexOutput>
        do {
            regex = try Regex(wide.pattern)
        } catch {
            throw Rejection(reason: "the wide pattern is not a valid regular expression", column: nil)
        }
        for (index, name) in header.enumerated() {
            let trimmed = name.trimmingWhitespace()
            guard let match = try? regex.wholeMatch(in: trimmed),
                let period = match.output["period"]?.substring.map(String.init)
            else { continue }
            var measure = source.measure ?? ""
            if let label = match.output["measure"]?.substring.map({ String($0).trimmingWhitespace() }) {
                measure = wide.measures[label] ?? label
            }
            valueColumns.append(ValueColumn(index: index, header: trimmed, period: period, measure: measure))
        }
        if valueColumns.isEmpty {
            throw Rejection(
                reason:
                    "no header column matches the wide pattern \(wide.pattern); header: \(header.joined(separator: " | "))",
                column: nil)
        }
    }

    /// The `raw_observations` rows of one source row, or the rejection of the whole row.
    func observations(
        _ row: SourceRow, deliveryID: Int64, source: SourceSpec, cell: (Int) -> String
    ) -> Result<[StatementArguments], Rejection> {
        guard let area = row.text("area"), !area.isEmpty else {
            return .failure(
                Rejection(
                    reason: "the area field \(source.columns["area"]?.column ?? "area") is empty",
                    column: row.column("area")))
        }
        let dimensions = RowMapping.dimensions(row, source: source)
        var base: Double?
        if let text = row.text("base"), !text.isEmpty {
            switch SwedishNumber.parse(text) {
            case .value(let number): base = number
            case .missing: base = nil
            case .invalid(let raw):
                return .failure(
                    Rejection(reason: "the number of respondents is not a number: '\(raw)'", column: row.column("base"))
                )
            }
        }
        if valueColumns.isEmpty {
            guard let period = row.text("period"), !period.isEmpty else {
                return .failure(Rejection(reason: "the period field is empty", column: row.column("period")))
            }
            let measure = row.text("measure") ?? source.measure ?? ""
            guard !measure.isEmpty else {
                return .failure(Rejection(reason: "the measure field is empty", column: row.column("measure")))
            }
            switch Self.value(row.text("value") ?? "") {
            case .success(let (value, missing)):
                return .success([[deliveryID, row.line, area, period, measure, dimensions, value, missing, base]])
            case .failure(let problem):
                return .failure(Rejection(reason: problem.reason, column: row.column("value")))
            }
        }
        var result: [StatementArguments] = []
        result.reserveCapacity(valueColumns.count)
        let rowMeasure = row.text("measure") ?? ""
        for column in valueColumns {
            let measure = column.measure.isEmpty ? rowMeasure : column.measure
            guard !measure.isEmpty else {
                return .failure(Rejection(reason: "the measure field is empty", column: row.column("measure")))
            }
            switch Self.value(cell(column.index)) {
            case .success(let (value, missing)):
                result.append([deliveryID, row.line, area, column.period, measure, dimensions, value, missing, base])
            case .failure(let problem):
                return .failure(Rejection(reason: "\(column.header): \(problem.reason)", column: column.index + 1))
            }
        }
        return .success(result)
    }

    /// A value or its missing reason; an unreadable cell is a rejection.
    static func value(_ text: String) -> Result<(Double?, String?), CellProblem> {
        switch SwedishNumber.parse(text) {
        case .value(let number): return .success((number, nil))
        case .missing(let reason): return .success((nil, reason.rawValue))
        case .invalid(let raw):
            return .failure(CellProblem(reason: "not a number and not a missing-value marker: '\(raw)'"))
        }
    }
}

/// A cell that is neither a number nor a missing-value marker.
struct CellProblem: Error {
    var reason: String
}
