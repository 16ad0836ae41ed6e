import GRDB
import LagesbildModel
import PipelineModel
import Workspace

/// Writes indicator definitions and values to the workspace, as ``IndicatorRecord`` and
/// ``IndicatorValueRecord`` rows.
struct IndicatorWriter {
    let db: Database
    let directory: AreaDirectory
    let municipality: Municipality
    let insert: Statement

    init(db: Database, directory: AreaDirectory, municipality: Municipality) throws {
        self.db = db
        self.directory = directory
        self.municipality = municipality
        insert = try db.cachedStatement(sql: IndicatorValueRecord.insertSQL)
    }

    /// Stores the indicator's definition as this run uses it; `position` is its place in the pipeline file.
    func define(_ indicator: IndicatorSpec, position: Int) throws {
        try IndicatorRecord(
            id: indicator.id, title: indicator.title, definition: indicator.definition, kind: indicator.kind,
            numerator: indicator.numerator.description, denominator: indicator.denominator?.description,
            scale: indicator.scale, unit: indicator.unit, better: indicator.better, section: indicator.section,
            decimals: indicator.kind == .count ? 0 : 1, areaLevels: indicator.areaLevels, position: position
        ).insert(db)
    }

    /// Writes a table's values (in any order: the table keeps its rows in key order) through one cached
    /// statement that binds each record's ``IndicatorValueRecord/insertArguments``.
    func write(indicator: IndicatorSpec, table: IndicatorTable) throws {
        for (cell, value) in table.values {
            let level: AreaLevel
            switch table.areas {
            case .level(let tableLevel): level = tableLevel
            case .comparison:
                level = try directory.level(cell.area).map(AreaLevel.init(stored:)) ?? AreaLevel(code: cell.area)
            }
            let name =
                table.names[cell.area]
                ?? (cell.area == municipality.code ? municipality.name : directory.name(cell.area))
            let record = IndicatorValueRecord(
                indicatorID: indicator.id, areaCode: cell.area, areaName: name, areaLevel: level, period: cell.period,
                periodType: table.periodType, breakdown: cell.breakdown, breakdownValue: cell.breakdownValue,
                numerator: value.numerator, denominator: value.denominator, value: value.value, ciLow: value.ciLow,
                ciHigh: value.ciHigh, changeAbs: value.changeAbsolute, changePct: value.changePercent,
                movingAvg3: value.movingAverage3, status: value.status, note: value.note, flags: value.flags)
            try insert.execute(arguments: record.insertArguments)
        }
    }
}
