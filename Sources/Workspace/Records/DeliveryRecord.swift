import GRDB

/// One row of `deliveries`: a delivered file of a source as ingest read it, with its row counts across ingest
/// and normalize (see ``DeliveryCounts``).
public struct DeliveryRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "deliveries"

    public var id: Int64?
    public var sourceID: String
    public var path: String
    public var fileName: String
    public var sha256: String
    /// The hash of the source's settings the file was read with.
    public var configSHA256: String
    public var size: Int64
    public var ingestedAt: String
    public var encoding: String?
    public var rowsRead: Int
    public var rowsAccepted: Int
    public var rowsQuarantined: Int
    /// `accepted`, `rejected` or `failed`.
    public var status: String
    public var message: String?
    /// Why an expected delivery is absent, and since when.
    public var absent: String?
    public var absentSince: String?
    public var valuesRead: Int?
    public var normalizeRowsQuarantined: Int
    public var normalizeValuesQuarantined: Int
    /// Lines after a table's end, not read as rows.
    public var linesSkipped: Int
    /// `device:inode:size:mtime:ctime` of the file when it was hashed; ingest trusts the hash without
    /// reading the file again while its identity is unchanged. Nil when it had just changed.
    public var fileIdentity: String? = nil

    enum CodingKeys: String, CodingKey {
        case id
        case sourceID = "source_id"
        case path
        case fileName = "file_name"
        case sha256
        case configSHA256 = "config_sha256"
        case size
        case ingestedAt = "ingested_at"
        case encoding
        case rowsRead = "rows_read"
        case rowsAccepted = "rows_accepted"
        case rowsQuarantined = "rows_quarantined"
        case status, message, absent
        case absentSince = "absent_since"
        case valuesRead = "values_read"
        case normalizeRowsQuarantined = "normalize_rows_quarantined"
        case normalizeValuesQuarantined = "normalize_values_quarantined"
        case linesSkipped = "lines_skipped"
        case fileIdentity = "file_identity"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// The file's rows across ingest and normalize.
    public var counts: DeliveryCounts {
        DeliveryCounts(
            rowsRead: rowsRead, rowsAccepted: rowsAccepted - normalizeRowsQuarantined,
            rowsQuarantined: rowsQuarantined + normalizeRowsQuarantined, quarantinedInIngest: rowsQuarantined,
            quarantinedInNormalize: normalizeRowsQuarantined,
            values: valuesRead.map { read in
                DeliveryCounts.ValueCounts(
                    read: read, accepted: read - normalizeValuesQuarantined, quarantined: normalizeValuesQuarantined)
            })
    }
}
