import GRDB
import LagesbildModel
import Workspace

/// Writes rejected rows to the workspace's quarantine table, inside the caller's transaction.
///
/// The raw text and reason are already masked for personal identity numbers by ``RejectedRecord``.
public struct QuarantineWriter {
    let statement: Statement
    public let stage: Stage
    public let sourceID: String
    /// The delivery the next rows come from; normalize sets it per file, so that each file counts the
    /// rows rejected there (``DeliveryCounts``).
    public var deliveryID: Int64?
    public private(set) var count = 0

    public init(db: Database, stage: Stage, sourceID: String, deliveryID: Int64?) throws {
        statement = try db.cachedStatement(
            sql: """
                INSERT INTO quarantine (stage, source_id, delivery_id, file, line, "column", reason, raw)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
        self.stage = stage
        self.sourceID = sourceID
        self.deliveryID = deliveryID
    }

    /// Stores one rejected row. A workbook's cell or a JSON path (``SourceLocation/place``) leads the
    /// reason (`Blad1!C17: …`), beside the row number as the line.
    public mutating func add(_ record: RejectedRecord) throws {
        let reason = record.location.place.map { "\($0): \(record.reason)" } ?? record.reason
        try statement.execute(arguments: [
            stage.rawValue, sourceID, deliveryID, record.location.file, record.location.line,
            record.location.column, reason, record.raw,
        ])
        count += 1
    }
}
