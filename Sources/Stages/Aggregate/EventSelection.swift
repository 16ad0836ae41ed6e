import ColumnStore
import GRDB
import StageKit
import Workspace

/// Which events an events quantity counts: without a source, the events of every source coded by crime
/// codes (a kommun's own incidents never enter the crime figures); with one, that source's events alone.
struct EventSelection: Hashable, Sendable {
    /// The events source, or nil for the crime events.
    var source: String?

    /// True when the normalized events file with this footer holds events of the selection.
    func includes(_ footer: ColumnFileFooter) -> Bool {
        guard let source else { return footer.metadata[EventColumns.codeListKey] != EventColumns.eventTypesCodeList }
        return footer.metadata["source"] == source
    }

    /// True when the selection's codes are a source's own event types rather than crime codes.
    func usesEventTypes(_ db: Database) throws -> Bool {
        guard let source else { return false }
        return try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM codelist_event_types WHERE source_id = ?)", arguments: [source])
            ?? false
    }

    /// (category, code) of every category the selection's codes belong to.
    func categoryCodes(_ db: Database) throws -> [(category: String, code: String)] {
        let rows =
            try usesEventTypes(db)
            ? Row.fetchAll(
                db, sql: "SELECT category, code FROM codelist_event_categories WHERE source_id = ?",
                arguments: [source])
            : Row.fetchAll(db, sql: "SELECT category, crime_code AS code FROM codelist_crime_categories")
        return rows.map { ($0["category"], $0["code"]) }
    }

    /// Checks that `category` is `all` or a category of the selection's code list.
    func checkCategory(_ category: String, db: Database) throws {
        guard category != "all" else { return }
        guard try !categoryCodes(db).contains(where: { $0.category == category }) else { return }
        let message =
            try usesEventTypes(db)
            ? "unknown event category '\(category)': not in the event type list of source \(source ?? "")"
            : "unknown crime category '\(category)': not in the category code list"
        throw StageDataError(stage: .aggregate, message: message)
    }
}
