import ColumnStore
import Foundation
import GRDB
import LagesbildModel
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

    /// Reads the coverage of the workspace's accepted deliveries of the events sources a quantity counts
    /// (``sources(of:pipeline:)``): a kommun's own incidents cover no crime period, nor the reverse.
    public init(db: Database, workspace: Workspace, pipeline: Pipeline, counting quantity: Quantity) throws {
        let counted = Self.sources(of: quantity, pipeline: pipeline)
        var deliveries: [Int64: (path: String, source: SourceSpec)] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT id, source_id, path FROM deliveries WHERE status = 'accepted' AND rows_accepted > 0")
        {
            guard let source = pipeline.source(row["source_id"]), counted.contains(source.id) else { continue }
            deliveries[row["id"]] = (row["path"], source)
        }
        // The span of accepted event months of each delivery, from the events column files.
        var spans: [Int64: ClosedRange<Int>] = [:]
        let column = { (name: String) in EventColumns.normalized.firstIndex(of: name)! }
        for entry in try StoreFiles.entries(db, kind: EventColumns.normalizedKind) {
            let reader = try ColumnFileReader(path: workspace.storePath(entry.name))
            if let id = entry.deliveryID {
                // A delivery's own file: its span is in the footer (none when it has no events).
                if let span = Self.span(reader.footer.metadata[EventColumns.monthsKey]) { spans[id] = span }
                if entry.rows == 0 || spans[id] != nil { continue }
            }
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

    /// A `first-last` month span of a footer.
    static func span(_ text: String?) -> ClosedRange<Int>? {
        guard let parts = text?.split(separator: "-"), parts.count == 2, let first = Int(parts[0]),
            let last = Int(parts[1]), first <= last
        else { return nil }
        return first...last
    }

    /// The events sources a quantity counts: the one it names (`source:`), else every events source coded by
    /// crime codes.
    public static func sources(of quantity: Quantity, pipeline: Pipeline) -> Set<String> {
        if case .events(_, let source?) = quantity { return [source] }
        return Set(pipeline.sources.filter { $0.kind == .events && $0.eventTypes == nil }.map(\.id))
    }

    /// The months (year × 12 + month − 1) a period touches (`2023`, `2023-Q1`, `2023-01`, `2023-W05`, `2020/21`,
    /// `2020-HT`), or nil for a text that is no period. A week is covered when the months it touches are.
    static func months(of text: String) -> [Int]? {
        guard let period = Period(text) else { return nil }
        let first = period.firstDay
        let last = period.lastDay
        let firstMonth = first.year * 12 + first.month - 1
        let lastMonth = last.year * 12 + last.month - 1
        return Array(firstMonth...lastMonth)
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
        let candidates: [String] = years.flatMap { year -> [Period?] in
            switch type {
            case .year: return [.year(year)]
            case .quarter: return (1...4).map { .quarter(year, $0) }
            case .month: return (1...12).map { .month(year, $0) }
            case .week: return (1...Period.weeksInISOYear(year)).map { .week(year, $0) }
            case .schoolYear: return [.schoolYear(startingIn: year)]
            case .term: return [.springTerm(year), .autumnTerm(year)]
            }
        }.compactMap { $0?.description }
        return candidates.filter(covers)
    }
}
