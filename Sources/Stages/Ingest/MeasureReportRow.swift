import GRDB
import LagesbildModel
import PipelineModel

/// One status report row as ingest stores it in `raw_measure_reports`: the texts as the owner wrote them
/// (personal identity numbers masked) and the numbers read. Whether the measure, period and status are
/// known is for normalize to check against the action plan.
struct RawMeasureReport: Codable, Sendable, PersistableRecord {
    static let databaseTableName = "raw_measure_reports"
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    /// The longest comment kept, in characters; longer ones are cut (status reports are not case files).
    static let commentLimit = 1000

    var deliveryId: Int64
    var line: Int
    var measure: String
    var period: String
    var status: String
    var outputName: String?
    var outputs: Double?
    var hours: Double?
    var costSek: Double?
    var comment: String?

    /// Reads one row of a `measure-reports` source: the required fields must be there and the numbers
    /// readable (decimal comma or point, thousands with spaces); an empty number cell is no number.
    static func read(_ row: SourceRow, deliveryID: Int64, source: SourceSpec) -> Result<RawMeasureReport, Rejection> {
        for role in ["measure", "period", "status"] where (row.text(role) ?? "").isEmpty {
            let column = source.columns[role]?.column ?? role
            return .failure(Rejection(reason: "the required field \(column) is empty", column: row.column(role)))
        }
        var numbers: [String: Double] = [:]
        for role in ["outputs", "hours", "cost"] {
            guard let text = row.text(role), !text.isEmpty else { continue }
            switch SwedishNumber.parse(text) {
            case .value(let number) where number >= 0: numbers[role] = number
            case .missing: continue
            default:
                let column = source.columns[role]?.column ?? role
                return .failure(
                    Rejection(
                        reason: "\(column) is not a number of 0 or more: '\(text)'", column: row.column(role)))
            }
        }
        let comment = (row.text("comment") ?? "").trimmingWhitespace()
        let output = (row.text("output") ?? "").trimmingWhitespace()
        return .success(
            RawMeasureReport(
                deliveryId: deliveryID, line: row.line, measure: row.text("measure") ?? "",
                period: row.text("period") ?? "", status: row.text("status") ?? "",
                outputName: output.isEmpty ? nil : output, outputs: numbers["outputs"], hours: numbers["hours"],
                costSek: numbers["cost"],
                comment: comment.isEmpty ? nil : String(PersonalNumberMask.mask(comment).prefix(commentLimit))))
    }
}
