import LagesbildModel

/// Why a JSON answer cannot be read: the file, the JSON path (`$.values[3].period`) or the line and column
/// of a syntax error, and why in plain words.
public struct JSONReadError: Error, Sendable, Hashable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String

    public init(location: SourceLocation, message: String) {
        self.location = location
        self.message = PersonalNumberMask.mask(message)
    }

    init(file: String, path: String, _ message: String) {
        self.init(location: SourceLocation(file: file, line: 1, place: path), message: message)
    }

    public var description: String { "\(location): \(message)" }
}

/// The built-in shapes of JSON answers (`shape:` in a pipeline file).
public enum JSONShape: String, Sendable, Hashable, CaseIterable, Codable {
    /// JSON-stat 2.0 (SCB's PxWebApi 2): one record per cell, a column per dimension id, its label
    /// (`<id>.label`), `value` and `status`.
    case jsonStat = "json-stat"
    /// Kolada v3: `values[]` of `{kpi, municipality, period, values: [{gender, count, status, value}]}`, one
    /// record per nested value, with the fields `kpi`, `municipality`, `area` (the municipality id as SCB's
    /// code: `0013` → `13`, `0000` → `00`), `period`, `gender`, `count`, `status` and `value`.
    case kolada
    /// The police's events API: an array of `{id, datetime, name, summary, url, type, location: {name, gps}}`.
    case policeEvents = "police-events"
    /// SS 12000: `{data: [...], pageToken}`.
    case ss12000
    /// Skolverket's HAL+JSON statistics: values as `{value, valueType}` objects.
    case skolverket
}
