import GRDB
import PipelineModel

/// Writes indicator definitions and values to the workspace.
struct IndicatorWriter {
    let db: Database
    let directory: AreaDirectory
    let municipality: Municipality
    let insert: Statement

    init(db: Database, directory: AreaDirectory, municipality: Municipality) throws {
        self.db = db
        self.directory = directory
        self.municipality = municipality
        insert = try db.cachedStatement(
            sql: """
                INSERT INTO indicator_values (indicator_id, area_code, area_name, area_level, period, period_type,
                    breakdown, breakdown_value, numerator, denominator, value, ci_low, ci_high, change_abs, change_pct,
                    moving_avg_3, status, note, flags)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
    }

    func define(_ indicator: IndicatorSpec) throws {
        try db.execute(
            sql: """
                INSERT INTO indicators (id, title, definition, kind, numerator, denominator, scale, unit, better, section)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                indicator.id, indicator.title, indicator.definition, indicator.kind.rawValue,
                indicator.numerator.description, indicator.denominator?.description, indicator.scale, indicator.unit,
                indicator.better.rawValue, indicator.section,
            ])
    }

    /// Writes a table's values (in any order: the table keeps its rows in key order).
    func write(indicator: IndicatorSpec, table: IndicatorTable) throws {
        for (cell, value) in table.values {
            let level =
                table.level == "comparison" ? (directory.level(cell.area) ?? levelOfCode(cell.area)) : table.level
            let name =
                table.names[cell.area]
                ?? (cell.area == municipality.code ? municipality.name : directory.name(cell.area))
            try insert.execute(arguments: [
                indicator.id, cell.area, name, level, cell.period, table.periodType.rawValue, cell.breakdown,
                cell.breakdownValue, value.numerator, value.denominator, value.value, value.ciLow, value.ciHigh,
                value.changeAbsolute, value.changePercent, value.movingAverage3, value.status.rawValue, value.note,
                value.flags.joined(separator: ","),
            ])
        }
    }

    func levelOfCode(_ code: String) -> String {
        code == "00" ? "country" : code.count == 2 ? "county" : "municipality"
    }
}
