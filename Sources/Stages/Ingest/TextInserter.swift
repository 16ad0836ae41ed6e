import GRDB
import LagesbildModel
import PipelineModel

/// Keeps the text attributes of a source row (`texts:`) in `observation_texts`, by delivery and line.
enum TextInserter {
    /// Inserts the row's non-empty texts, masked for personal identity numbers and cut to
    /// ``ObservationText/limit`` characters.
    static func insert(db: Database, source: SourceSpec, deliveryID: Int64, row: SourceRow) throws {
        guard !source.texts.isEmpty else { return }
        for name in source.texts.keys.sorted() {
            guard let text = row.text("text:\(name)"), !text.isEmpty else { continue }
            try db.cachedStatement(
                sql: "INSERT OR REPLACE INTO observation_texts (delivery_id, line, name, text) VALUES (?, ?, ?, ?)"
            ).execute(arguments: [deliveryID, row.line, name, ObservationText.bounded(text)])
        }
    }
}
