import GRDB
import LagesbildModel
import PipelineModel

/// Where an observations source keeps its values in a row:
/// - one `value` column (long layout);
/// - several named value columns, one per measure (`values:`), e.g. Skolverket's share and merit value;
/// - one column per period and maybe per measure, found by a pattern over the header (`wide:`), as
///   PX-Web and Brå SOL export.
struct ObservationLayout {
    /// A value column: read by role (`values:`) or by position (`wide:`).
    struct ValueColumn {
        /// The row role holding the value (`value:<measure>`), for `values:` layouts.
        var role: String?
        /// The column's position, for `wide:` layouts.
        var index: Int?
        var header: String
        /// The period, when the header gives it; nil means the row's `period` field.
        var period: String?
        /// The measure; empty means the row's `measure` field.
        var measure: String
    }

    /// The value columns; empty for a long layout.
    var valueColumns: [ValueColumn] = []

    /// Builds the layout of a source; `header` is the CSV header (empty for XML). Throws a plain-words
    /// reason when the header does not fit the wide pattern.
    init(source: SourceSpec, header: [String]) throws(Rejection) {
        for (measure, column) in source.values.sorted(by: { $0.key < $1.key }) {
            valueColumns.append(ValueColumn(role: "value:\(measure)", header: column, period: nil, measure: measure))
        }
        guard let wide = source.wide else { return }
        let regex: Regex<AnyRegexOutput>
        do {
            regex = try Regex(wide.pattern)
        } catch {
            throw Rejection(reason: "the wide pattern is not a valid regular expression", column: nil)
        }
        for (index, name) in header.enumerated() {
            let trimmed = name.trimmingWhitespace()
            guard let match = try? regex.wholeMatch(in: trimmed) else { continue }
            var measure = source.measure ?? ""
            if let label = match.output["measure"]?.substring.map({ String($0).trimmingWhitespace() }) {
                measure = wide.measures[label] ?? label
            }
            let period = match.output["period"]?.substring.map(String.init)
            valueColumns.append(ValueColumn(index: index, header: trimmed, period: period, measure: measure))
        }
        if valueColumns.isEmpty {
            let headerText = header.joined(separator: " | ")
            throw Rejection(reason: "no header column matches the wide pattern \(wide.pattern); header: \(headerText)")
        }
    }

    /// The `raw_observations` rows of one source row, or the rejection of the whole row.
    /// `cell` reads a CSV field by position (for wide layouts).
    func observations(
        _ row: SourceRow, deliveryID: Int64, source: SourceSpec, cell: (Int) -> String
    ) -> Result<[StatementArguments], Rejection> {
        guard let area = row.text("area"), !area.isEmpty else {
            let column = source.columns["area"]?.column ?? "area"
            return .failure(Rejection(reason: "the area field \(column) is empty", column: row.column("area")))
        }
        let dimensions = RowMapping.dimensions(row, source: source)
        var base: Double?
        if let text = row.text("base"), !text.isEmpty {
            switch Self.parse(text, markers: source.markers) {
            case .value(let number): base = number
            case .missing: base = nil
            case .invalid(let raw):
                return .failure(
                    Rejection(reason: "the number of respondents is not a number: '\(raw)'", column: row.column("base"))
                )
            }
        }
        var rowPeriod = row.text("period") ?? ""
        if source.columns["period_start"] != nil {
            // A range in two fields: normalize reads it as the month, quarter or year it covers.
            for role in ["period_start", "period_end"] where (row.text(role) ?? "").isEmpty {
                let column = source.columns[role]?.column ?? role
                return .failure(Rejection(reason: "the \(role) field \(column) is empty", column: row.column(role)))
            }
            rowPeriod = (row.text("period_start") ?? "") + Period.rangeSeparator + (row.text("period_end") ?? "")
        }
        let rowMeasure = row.text("measure") ?? source.measure ?? ""
        let columns =
            valueColumns.isEmpty
            ? [ValueColumn(role: "value", header: source.columns["value"]?.column ?? "value", measure: "")]
            : valueColumns
        var result: [StatementArguments] = []
        result.reserveCapacity(columns.count)
        for column in columns {
            let period = column.period ?? rowPeriod
            guard !period.isEmpty else {
                return .failure(Rejection(reason: "the period field is empty", column: row.column("period")))
            }
            let measure = column.measure.isEmpty ? rowMeasure : column.measure
            guard !measure.isEmpty else {
                return .failure(Rejection(reason: "the measure field is empty", column: row.column("measure")))
            }
            let text = column.role.map { row.text($0) ?? "" } ?? column.index.map(cell) ?? ""
            switch Self.value(text, markers: source.markers) {
            case .success(let (value, missing)):
                result.append([deliveryID, row.line, area, period, measure, dimensions, value, missing, base])
            case .failure(let problem):
                let position = column.role.flatMap(row.column) ?? column.index.map { $0 + 1 }
                return .failure(Rejection(reason: "\(column.header): \(problem.reason)", column: position))
            }
        }
        return .success(result)
    }

    /// A cell read with the source's own markers (`markers:`), or with the defaults.
    static func parse(_ text: String, markers: CellMarkers?) -> CellNumber {
        markers?.parse(text) ?? SwedishNumber.parse(text)
    }

    /// A value or its missing reason; an unreadable cell is a rejection.
    static func value(_ text: String, markers: CellMarkers? = nil) -> Result<(Double?, String?), CellProblem> {
        switch parse(text, markers: markers) {
        case .value(let number): return .success((number, nil))
        case .missing(let reason): return .success((nil, reason.rawValue))
        case .invalid(let raw):
            return .failure(CellProblem(reason: "not a number and not a missing-value marker: '\(raw)'"))
        }
    }
}

extension ObservationLayout.ValueColumn {
    init(role: String, header: String, measure: String) {
        self.init(role: role, index: nil, header: header, period: nil, measure: measure)
    }
}

/// A cell that is neither a number nor a missing-value marker.
struct CellProblem: Error {
    var reason: String
}

extension ObservationLayout {
    /// The long layout: one `value` column per row.
    static let long = ObservationLayout()

    private init() {}
}
