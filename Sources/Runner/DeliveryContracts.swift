import Foundation
import GRDB
import PipelineModel

/// The delivery gate's rules: no delivered file may vanish or empty silently, and each source keeps
/// the contract its pipeline file declares (`delivery:` — the files expected per year, their fewest
/// rows). Checked before publishing; `lagesbild status` shows the same per source.
public enum DeliveryContracts {
    /// One broken rule.
    public struct Finding: Sendable, Hashable, Codable {
        public var source: String
        /// The file concerned, if one.
        public var file: String?
        public var message: String
    }

    /// What a source's deliveries look like against its contract, for `lagesbild status`.
    public struct SourceState: Sendable, Codable {
        public var source: String
        /// The contract in words, or nil when the source declares none.
        public var contract: String?
        public var filesDelivered: Int
        public var findings: [Finding]
    }

    /// Every finding of the delivery gate in the workspace `db`.
    public static func check(_ pipeline: Pipeline, db: Database) throws -> [Finding] {
        try pipeline.sources.flatMap { try state(of: $0, db: db).findings }
    }

    /// The state of each source of `pipeline`.
    public static func states(_ pipeline: Pipeline, db: Database) throws -> [SourceState] {
        try pipeline.sources.map { try state(of: $0, db: db) }
    }

    static func state(of source: SourceSpec, db: Database) throws -> SourceState {
        let contract = source.delivery
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT path, rows_read, status, absent, absent_since FROM deliveries
                WHERE source_id = ? ORDER BY path
                """,
            arguments: [source.id])
        var findings: [Finding] = []
        var delivered = Set<String>()
        for row in rows {
            let path: String = row["path"]
            let name = (path as NSString).lastPathComponent
            let rowsRead: Int = row["rows_read"]
            delivered.insert(path)
            if contract.isWithdrawn(path) { continue }
            switch row["absent"] as String? {
            case "missing":
                findings.append(
                    Finding(
                        source: source.id, file: path,
                        message: "source \(source.id): \(name), delivered before with \(rowsRead) rows, is missing "
                            + "since \(String((row["absent_since"] as String? ?? "").prefix(10))); its last good data "
                            + "is kept. Deliver it again, or list it under delivery.withdrawn if it was withdrawn"))
                continue
            case "empty":
                findings.append(
                    Finding(
                        source: source.id, file: path,
                        message: "source \(source.id): \(name) is empty (0 bytes)"
                            + (rowsRead > 0 ? "; the \(rowsRead) rows delivered before are kept" : "")
                            + ". Deliver it again, or list it under delivery.withdrawn if it was withdrawn"))
                continue
            default: break
            }
            if rowsRead == 0, row["status"] as String == "accepted" {
                findings.append(
                    Finding(
                        source: source.id, file: path,
                        message: "source \(source.id): \(name) has no data rows. Deliver it again, or list it "
                            + "under delivery.withdrawn if it was withdrawn"))
            } else if let minimum = contract.minRows, rowsRead < minimum {
                findings.append(
                    Finding(
                        source: source.id, file: path,
                        message: "source \(source.id): \(name) has \(rowsRead) rows, fewer than the \(minimum) its "
                            + "delivery contract asks for"))
            }
        }
        for (year, path) in contract.expectedFiles where !delivered.contains(path) && !contract.isWithdrawn(path) {
            findings.append(
                Finding(
                    source: source.id, file: path,
                    message: "source \(source.id): the file for \(year) (\((path as NSString).lastPathComponent)) "
                        + "has not been delivered"))
        }
        return SourceState(
            source: source.id, contract: describe(contract, maxAgeDays: source.maxAgeDays), filesDelivered: rows.count,
            findings: findings)
    }

    /// The contract in words, e.g. "one file a year 2014–2026 (brott_{year}.csv), at least 100 rows each".
    static func describe(_ contract: DeliveryContract, maxAgeDays: Int?) -> String? {
        var parts: [String] = []
        if let expect = contract.expect, let years = contract.years {
            parts.append(
                "one file a year \(years.lowerBound)–\(years.upperBound) (\((expect as NSString).lastPathComponent))")
        }
        if let minimum = contract.minRows { parts.append("at least \(minimum) rows each") }
        if let days = maxAgeDays { parts.append("newest file at most \(days) days old") }
        if !contract.withdrawn.isEmpty { parts.append("\(contract.withdrawn.count) withdrawn") }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }
}
