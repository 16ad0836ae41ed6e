import GRDB
import LagesbildModel

// The model's closed vocabularies are stored as their words. A word the workspace does not know fails to
// decode (a record's `init(row:)` throws), never silently becoming a default.

extension AreaLevel: DatabaseValueConvertible {}
extension ValueStatus: DatabaseValueConvertible {}
extension Direction: DatabaseValueConvertible {}
extension ReportSection: DatabaseValueConvertible {}
extension Commitment: DatabaseValueConvertible {}
extension IndicatorKind: DatabaseValueConvertible {}
extension Period.Kind: DatabaseValueConvertible {}
extension TargetJudgement: DatabaseValueConvertible {}
extension Trend.Model: DatabaseValueConvertible {}

extension ValueFlags: DatabaseValueConvertible {
    /// The flags as stored: their words joined by commas (see ``ValueFlags/stored``).
    public var databaseValue: DatabaseValue { stored.databaseValue }

    /// Nil (a decoding error) for a text with an unknown word.
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> ValueFlags? {
        String.fromDatabaseValue(dbValue).flatMap { try? ValueFlags(stored: $0) }
    }
}
