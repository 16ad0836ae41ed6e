import ColumnStore
import Foundation
import GRDB
import PipelineModel
import StageKit
import Workspace

/// The months the accepted deliveries of events sources cover: in a covered period an area without
/// an event has the count 0; in a period no delivery covers its count is missing, not 0.
///
/// - A file that a source's delivery contract expects for a year (`delivery: { expect: …{year}…,
///   years: … }`) covers that calendar year, whatever dates its events have (a crime reported late may
///   be dated the year before).
/// - Any other accepted delivery covers every month from its earliest to its latest accepted event.
/// - A delivery with no accepted event covers nothing. A delivery whose file went missing keeps its
///   data, and so its coverage, until it is listed as withdrawn.
///
/// A period (month, quarter, year) is covered when every month of it is.
public struct EventCoverage: Sendable {
    /// Covered months (year × 12 + month − 1) → the names of the files that cover them.
    public private(set) var filesByMonth: [Int: [String]] = [:]

    /// Reads the coverage of the workspace's accepted events deliveries.
    public init(db: Database, workspace: Workspace, pipeline: Pipeline) throws {
        var deliveries: [Int64: (path: String, source: SourceSpec)] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT id, source_id, path FROM deliveries WHERE status = 'accepted' AND rows_accepted > 0")
        {
            guard let source = pipeline.source(row["source_id"]), source.kind == .events else { continue }
            deliveries[row["id"]] = (row["path"], source)
        }
        // The span of accepted event months of each delivery, from the events column files.
        var spans: [Int64: ClosedRange<Int>] = [:]
        let column = { (name: String) in EventColumns.normalized.firstIndex(of: name)! }
        for entry in try StoreFiles.entries(db, kind: EventColumns.normalizedKind) {
            let reader = try ColumnFileReader(path: workspace.storePath(entry.name))
            try reader.forEachChunk { chunk in
                let ids = chunk.column(column("delivery"))
                let years = chunk.column(column("year"))
                let months = chunk.column(column("month"))
                for row in 0..<chunk.rows {
                    let month = Int(years[row]) * 12 + Int(months[row]) - 1
                    let id = Int64(ids[row])
                    if let span = spans[id] {
                        if !span.contains(month) {
                            spans[id] = min(span.lowerBound, month)...max(span.upperBound, month)
                        }
                    } else {
                        spans[id] = month...month
                    }
                }
            }
        }
        for (id, delivery) in deliveries {
            let name = (delivery.path as NSString).lastPathComponent
            let path = (delivery.path as NSString).standardizingPath
            let expected = delivery.source.delivery.expectedFiles.first {
                ($0.path as NSString).standardizingPath == path
            }
            let months: ClosedRange<Int>?
            if let year = expected?.year {
                months = year * 12...year * 12 + 11
            } else {
                months = spans[id]
            }
            for month in months ?? 1...0 where !(filesByMonth[month]?.contains(name) ?? false) {
                filesByMonth[month, default: []].append(name)
            }
        }
        filesByMonth = filesByMonth.mapValues { $0.sorted() }
    }

    /// The months (year × 12 + month − 1) of a canonical period text (`2023`, `2023-Q1`, `2023-01`), or
    /// nil when it is none of them.
    static func months(of period: String) -> [Int]? {
        let parts = period.split(separator: "-")
        guard let year = Int(parts.first ?? ""), parts[0].count == 4 else { return nil }
        if parts.count == 1 { return Array(year * 12...year * 12 + 11) }
        guard parts.count == 2 else { return nil }
        if parts[1].hasPrefix("Q"), let quarter = Int(parts[1].dropFirst()), (1...4).contains(quarter) {
            return Array(year * 12 + (quarter - 1) * 3...year * 12 + quarter * 3 - 1)
        }
        guard let month = Int(parts[1]), (1...12).contains(month) else { return nil }
        return [year * 12 + month - 1]
    }

    /// True when accepted events deliveries cover every month of `period`.
    public func covers(_ period: String) -> Bool {
        guard let months = Self.months(of: period) else { return false }
        return months.allSatisfy { filesByMonth[$0] != nil }
    }

    /// The files that cover some month of `period`, by name.
    public func files(covering period: String) -> [String] {
        Array(Set((Self.months(of: period) ?? []).flatMap { filesByMonth[$0] ?? [] })).sorted()
    }

    /// Every covered period of `type`, in order.
    public func periods(_ type: PeriodType) -> [String] {
        let years = Set(filesByMonth.keys.map { $0 / 12 }).sorted()
        let candidates: [String] = years.flatMap { year -> [String] in
            switch type {
            case .year: return [String(year)]
            case .quarter: return (1...4).map { "\(year)-Q\($0)" }
            case .month: return (1...12).map { "\(year)-\($0 < 10 ? "0" : "")\($0)" }
            }
        }
        return candidates.filter(covers)
    }
}
