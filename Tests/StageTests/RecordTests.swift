import Foundation
import GRDB
import LagesbildModel
import Testing

@testable import Workspace

/// The workspace's record types on a real SQLite database, and migration v15 on a v14 workspace.
@Suite struct RecordTests {
    /// A v14 workspace (as the last release left it) with one indicator and its values.
    func v14Workspace() throws -> DatabaseQueue {
        let database = try DatabaseQueue()
        try Schema.migrator.migrate(database, upTo: "v14: event types of an events source's own list")
        try database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO indicators (id, title, definition, kind, numerator, denominator, scale, unit, better,
                        section)
                    VALUES ('ran', 'Rån', 'Anmälda rån.', 'count', 'events', NULL, 1, 'antal', 'lower', 'crime'),
                        ('trygg', 'Trygghet', 'Andel trygga.', 'share', 'measure', NULL, 100, '%', 'higher', 'safety');
                    INSERT INTO indicator_values (indicator_id, area_code, area_name, area_level, period, period_type,
                        breakdown, breakdown_value, value, status, flags)
                    VALUES ('ran', '1380', 'Halmstad', 'municipality', '2023', 'year', '', '', 12, 'ok', 'jump'),
                        ('ran', '138001', 'Centrum', 'district', '2023', 'year', '', '', 4, 'ok', ''),
                        ('ran', '13', 'Hallands län', 'county', '2023', 'year', 'comparison', 'ran', 9, 'ok', '');
                    """)
        }
        return database
    }

    @Test func migrationV15StoresDefinitionsAnOlderWorkspaceLacked() throws {
        let database = try v14Workspace()
        try Schema.migrator.migrate(database)
        let indicators = try database.read { db in try IndicatorRecord.all(db) }
        #expect(indicators.map(\.id) == ["ran", "trygg"])
        #expect(indicators[0].decimals == 0 && indicators[1].decimals == 1)
        #expect(indicators[0].areaLevels == [.municipality, .district])
        #expect(indicators[1].areaLevels == [.municipality])
        #expect(indicators[1].better == .higher && indicators[1].section == .safety && indicators[1].kind == .share)
    }

    @Test func valuesRoundTripTyped() throws {
        let database = try v14Workspace()
        try Schema.migrator.migrate(database)
        let value = IndicatorValueRecord(
            indicatorID: "ran", areaCode: "138002", areaName: "Söder", areaLevel: .district, period: "2022",
            periodType: .year, breakdown: "", breakdownValue: "", numerator: 3, denominator: nil, value: 3, ciLow: nil,
            ciHigh: nil, changeAbs: nil, changePct: nil, movingAvg3: nil, status: .suppressed,
            note: "fewer than 3 events", flags: [.seriesBreak, .areaChanged])
        try database.write { db in try value.insert(db) }
        let stored = try database.read { db in
            try String.fetchOne(db, sql: "SELECT flags FROM indicator_values WHERE area_code = '138002'")
        }
        #expect(stored == "area-changed,series-break")
        let read = try database.read { db in
            try IndicatorValueRecord.filter(IndicatorValueRecord.Columns.areaCode == "138002").fetchOne(db)
        }
        #expect(read == value)
    }

    @Test func anUnknownStoredWordFailsToDecode() throws {
        let database = try v14Workspace()
        try Schema.migrator.migrate(database)
        try database.write { db in
            try db.execute(sql: "UPDATE indicator_values SET area_level = 'kommundel' WHERE area_code = '138001'")
        }
        #expect(throws: (any Error).self) { try database.read { db in try IndicatorValueRecord.fetchAll(db) } }
        try database.write { db in try db.execute(sql: "UPDATE indicators SET better = 'smaller' WHERE id = 'ran'") }
        #expect(throws: (any Error).self) { try database.read { db in try IndicatorRecord.all(db) } }
    }
}
