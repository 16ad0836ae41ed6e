import GRDB

/// A delivered file's rows across ingest and normalize: rows read = rows accepted + rows quarantined,
/// where a row is quarantined when ingest rejected it or normalize rejected it (or, in a wide row, one of
/// its values). `lagesbild status`, `lagesbild quarantine`, the report's source table and PostgreSQL's
/// `deliveries` all show these figures.
public struct DeliveryCounts: Sendable, Codable, Hashable {
    /// The rows of the file (data rows after the header, or records), plus one for a fault that stopped it.
    public var rowsRead: Int
    /// Rows every stage accepted.
    public var rowsAccepted: Int
    /// Rows in the quarantine: ``quarantinedInIngest`` + ``quarantinedInNormalize``.
    public var rowsQuarantined: Int
    /// Rows rejected in ingest (broken records, empty required fields, unreadable numbers).
    public var quarantinedInIngest: Int
    /// Rows rejected in normalize (unknown codes, areas or measures; bad dates, times or periods).
    public var quarantinedInNormalize: Int
    /// An observations file's values (a wide row holds one per value column); nil for events and status
    /// reports, whose rows are one value each.
    public var values: ValueCounts?

    /// The values ingest took from an observations file's accepted rows, and how many normalize rejected.
    public struct ValueCounts: Sendable, Codable, Hashable {
        public var read: Int
        public var accepted: Int
        public var quarantined: Int
    }

    public init(
        rowsRead: Int, rowsAccepted: Int, rowsQuarantined: Int, quarantinedInIngest: Int, quarantinedInNormalize: Int,
        values: ValueCounts?
    ) {
        self.rowsRead = rowsRead
        self.rowsAccepted = rowsAccepted
        self.rowsQuarantined = rowsQuarantined
        self.quarantinedInIngest = quarantinedInIngest
        self.quarantinedInNormalize = quarantinedInNormalize
        self.values = values
    }

    /// The counts of a `deliveries` row.
    public init(row: Row) {
        let ingestAccepted: Int = row["rows_accepted"]
        rowsRead = row["rows_read"]
        quarantinedInIngest = row["rows_quarantined"]
        quarantinedInNormalize = row["normalize_rows_quarantined"]
        rowsAccepted = ingestAccepted - quarantinedInNormalize
        rowsQuarantined = quarantinedInIngest + quarantinedInNormalize
        values = (row["values_read"] as Int?).map { read in
            let quarantined: Int = row["normalize_values_quarantined"]
            return ValueCounts(read: read, accepted: read - quarantined, quarantined: quarantined)
        }
    }

    /// `rows read = accepted + quarantined` in words, e.g. `read 23 = accepted 20 + quarantined 3 (ingest 1,
    /// normalize 2)`, with `; values 230 = accepted 210 + quarantined 20` for an observations file.
    public var summary: String {
        var text = "read \(rowsRead) = accepted \(rowsAccepted) + quarantined \(rowsQuarantined)"
        if rowsQuarantined > 0 {
            text += " (ingest \(quarantinedInIngest), normalize \(quarantinedInNormalize))"
        }
        if let values {
            text += "; values \(values.read) = accepted \(values.accepted) + quarantined \(values.quarantined)"
        }
        return text
    }

    /// Counts each file's normalize quarantine rows into `deliveries`, after normalize wrote them: a row
    /// of an observations file once however many of its values were rejected (its values share its line),
    /// a row of any other file once per entry.
    public static func recordNormalize(_ db: Database) throws {
        try db.execute(
            sql: """
                UPDATE deliveries SET
                    normalize_values_quarantined = coalesce(
                        (SELECT count(*) FROM quarantine q WHERE q.stage = 'normalize' AND q.delivery_id = deliveries.id),
                        0),
                    normalize_rows_quarantined = coalesce(
                        (SELECT CASE WHEN deliveries.values_read IS NULL THEN count(*) ELSE count(DISTINCT q.line) END
                         FROM quarantine q WHERE q.stage = 'normalize' AND q.delivery_id = deliveries.id),
                        0)
                """)
    }
}
