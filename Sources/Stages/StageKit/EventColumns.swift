/// The column files that carry events between the stages: their kinds (in `store_files`) and columns.
///
/// Text columns hold indexes into the file's dictionary of the same name; -1 means empty (or not
/// mapped). See `ColumnStore` for the file format.
public enum EventColumns {
    /// Ingest's output: one file per delivery of an events source, the fields as delivered.
    public static let rawKind = "raw-events"
    /// The text roles of a raw events file, after `line`.
    public static let rawRoles = ["crime_code", "date", "time", "area", "deso", "municipality", "place"]
    /// The columns of a raw events file: the source line, then the text roles.
    public static let raw = ["line"] + rawRoles

    /// Normalize's output: one file per delivery of an events source, every event checked and coded.
    public static let normalizedKind = "events"
    /// The footer metadata of a normalized events file (one per delivery) with the first and last month of
    /// its events, `first-last` as year × 12 + month − 1; absent when it has none (or an older file).
    public static let monthsKey = "months"
    /// The footer metadata of a raw events file read to its end as CSV: the physical lines and bytes it
    /// spans (`lines`, `end`), so that a file the supplier delivers again with rows appended can be read
    /// from where it ended; absent when the file is not a CSV file read to its end.
    public static let linesKey = "lines"
    public static let endKey = "end"
    /// The footer metadata of a file (raw or normalized) that continues another one of the same delivery:
    /// the other file's name and rows, which it begins with byte for byte (``continuedRowsKey``).
    public static let continuesKey = "continues"
    public static let continuedRowsKey = "continued_rows"
    /// The footer metadata of a normalized events file: the raw file it was normalized from, and the key of
    /// everything else its result depends on (the settings, the delivery; see normalize's `DeliveryReuse`).
    public static let rawFileKey = "raw_file"
    public static let settingsKey = "normalize_settings"
    /// The columns of a normalized events file. `crime_code`, `municipality`, `district`, `deso` and
    /// `place` index the dictionaries of those names; `hour` is -1 when the time is unknown;
    /// `weekday` is 1 (Monday) … 7 (Sunday).
    public static let normalized = [
        "delivery", "line", "crime_code", "year", "month", "day", "weekday", "hour", "municipality", "district",
        "deso", "place",
    ]
}
