import GRDB
import Workspace

extension IndicatorValueRecord {
    /// The records of a `SELECT * FROM indicator_values …` query, each column decoded by its position,
    /// found once per query.
    ///
    /// For the reports at country scope: decoding through `Codable` looks every column up by name in every
    /// row, and reading the thousands of rows of the national report that way took a fifth of its time.
    /// Decodes exactly as the record's `init(row:)` (each value through its `DatabaseValueConvertible`
    /// conformance), and throws as it does on a word the workspace does not know.
    static func fetchByPosition(_ db: Database, sql: String, arguments: StatementArguments) throws
        -> [IndicatorValueRecord]
    {
        let statement = try db.cachedStatement(sql: sql)
        try statement.setArguments(arguments)
        let names = statement.columnNames.map { $0.lowercased() }
        let positions = try CodingKeys.allCases.map { key in
            guard let index = names.firstIndex(of: key.rawValue) else {
                throw DatabaseError(message: "indicator_values has no column \(key.rawValue): \(sql)")
            }
            return index
        }
        func at(_ key: CodingKeys) -> Int { positions[CodingKeys.allCases.firstIndex(of: key)!] }
        let (indicator, code, name, level, period, periodType, breakdown, breakdownValue) = (
            at(.indicatorID), at(.areaCode), at(.areaName), at(.areaLevel), at(.period), at(.periodType),
            at(.breakdown), at(.breakdownValue)
        )
        let (numerator, denominator, value, low, high, changeAbs, changePct, average, status, note, flags) = (
            at(.numerator), at(.denominator), at(.value), at(.ciLow), at(.ciHigh), at(.changeAbs), at(.changePct),
            at(.movingAvg3), at(.status), at(.note), at(.flags)
        )
        var records: [IndicatorValueRecord] = []
        let rows = try Row.fetchCursor(statement)
        while let row = try rows.next() {
            records.append(
                IndicatorValueRecord(
                    indicatorID: try row.decode(atIndex: indicator), areaCode: try row.decode(atIndex: code),
                    areaName: try row.decode(atIndex: name), areaLevel: try row.decode(atIndex: level),
                    period: try row.decode(atIndex: period), periodType: try row.decode(atIndex: periodType),
                    breakdown: try row.decode(atIndex: breakdown),
                    breakdownValue: try row.decode(atIndex: breakdownValue),
                    numerator: try row.decode(atIndex: numerator), denominator: try row.decode(atIndex: denominator),
                    value: try row.decode(atIndex: value), ciLow: try row.decode(atIndex: low),
                    ciHigh: try row.decode(atIndex: high), changeAbs: try row.decode(atIndex: changeAbs),
                    changePct: try row.decode(atIndex: changePct), movingAvg3: try row.decode(atIndex: average),
                    status: try row.decode(atIndex: status), note: try row.decode(atIndex: note),
                    flags: try row.decode(atIndex: flags)))
        }
        return records
    }
}
