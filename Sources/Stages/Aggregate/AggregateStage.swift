import GRDB
import LagesbildModel
import Logging
import PipelineModel
import StageKit
import Workspace

/// Aggregate: computes every indicator of the pipeline file from `events` and `observations` and
/// replaces `indicators` and `indicator_values` in one transaction.
public struct AggregateStage: PipelineStage {
    public var stage: Stage { .aggregate }

    public init() {}

    public func run(_ context: StageContext) throws -> StageCounts {
        let pipeline = context.pipeline
        var counts = StageCounts()
        try context.workspace.database.write { db in
            try db.execute(sql: "DELETE FROM indicator_values")
            try db.execute(sql: "DELETE FROM indicators")
            counts.rowsIn =
                try Int.fetchOne(db, sql: "SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM observations)")
                ?? 0
            let insertValue = try db.cachedStatement(
                sql: """
                    INSERT INTO indicator_values (indicator_id, area_code, area_name, area_level, period, numerator,
                        denominator, value, status, note)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for indicator in pipeline.indicators {
                try db.execute(
                    sql: """
                        INSERT INTO indicators (id, title, definition, kind, numerator, denominator, scale, unit, better)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        indicator.id, indicator.title, indicator.definition, indicator.kind.rawValue,
                        indicator.numerator.description, indicator.denominator?.description, indicator.scale,
                        indicator.unit, indicator.better.rawValue,
                    ])
                let area = pipeline.municipality
                let areaName = "\(area.name) (\(area.code))"
                let numerators = try Self.yearly(indicator.numerator, area: area.code, db: db)
                let denominators = try indicator.denominator.map { try Self.yearly($0, area: area.code, db: db) } ?? [:]
                let values: [IndicatorValue]
                do {
                    values = try IndicatorEngine.compute(
                        indicator: indicator, areaName: areaName, numerators: numerators, denominators: denominators,
                        suppressBelow: pipeline.disclosure.threshold)
                } catch let error as MissingDenominatorError {
                    throw StageDataError(stage: .aggregate, message: error.description)
                }
                for value in values {
                    try insertValue.execute(arguments: [
                        indicator.id, area.code, area.name, "municipality", value.period, value.numerator,
                        value.denominator, value.value, value.status.rawValue, value.note,
                    ])
                }
                counts.rowsOut += values.count
                context.logger.info(
                    "computed", metadata: ["indicator": "\(indicator.id)", "values": "\(values.count)"])
            }
        }
        return counts
    }

    /// The yearly numbers of a quantity for one area.
    static func yearly(_ quantity: Quantity, area: String, db: Database) throws -> [String: IndicatorEngine.Observed] {
        switch quantity {
        case .events(let category):
            let rows: [Row]
            if category == "all" {
                rows = try Row.fetchAll(
                    db, sql: "SELECT year, count(*) AS n FROM events WHERE municipality_code = ? GROUP BY year",
                    arguments: [area])
            } else {
                let known =
                    try Bool.fetchOne(
                        db, sql: "SELECT EXISTS (SELECT 1 FROM codelist_crime_categories WHERE category = ?)",
                        arguments: [category]) ?? false
                guard known else {
                    throw StageDataError(
                        stage: .aggregate,
                        message: "unknown crime category '\(category)': not in the category code list")
                }
                rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT e.year, count(*) AS n FROM events e
                        JOIN codelist_crime_categories c ON c.crime_code = e.crime_code AND c.category = ?
                        WHERE e.municipality_code = ? GROUP BY e.year
                        """,
                    arguments: [category, area])
            }
            var result: [String: IndicatorEngine.Observed] = [:]
            for row in rows { result[String(row["year"] as Int)] = (Double(row["n"] as Int), nil) }
            return result
        case .measure(let name, let dimensions):
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT period, dimensions, value, missing FROM observations
                    WHERE measure = ? AND area_code = ? AND period = CAST(year AS TEXT)
                    """,
                arguments: [name, area])
            var result: [String: IndicatorEngine.Observed] = [:]
            for row in rows where Self.dimensions(row["dimensions"], match: dimensions) {
                let period: String = row["period"]
                let value: Double? = row["value"]
                let previous = result[period]
                if let value {
                    result[period] = ((previous?.value ?? 0) + value, nil)
                } else if previous?.value == nil {
                    result[period] = (nil, row["missing"])
                }
            }
            return result
        }
    }

    /// True when a row's dimension text (`age=*;sex=kvinnor`) has the wanted values and totals elsewhere.
    static func dimensions(_ text: String, match wanted: [String: String]) -> Bool {
        for pair in text.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            if parts[1] != (wanted[parts[0]] ?? "*") { return false }
        }
        return true
    }
}
