import Foundation
import GRDB
import LagesbildModel
import PipelineModel
import StageKit
import Workspace

/// A gate that failed: publishing stops (exit 65).
public struct GateFailedError: Error, Sendable, CustomStringConvertible {
    public var gate: String
    public var message: String

    public var description: String { "gate \(gate) failed: \(message); nothing was published" }
}

/// Plausibility gates checked before publishing.
enum Gates {
    /// One broken rule; a jump names its indicator, area and period.
    struct Finding {
        var gate: String
        var action: GateAction
        var message: String
        var indicator: String? = nil
        var area: String? = nil
        var period: String? = nil
        /// The change from the previous period, in %, for a jump.
        var changePercent: Double? = nil
    }

    /// What the gates find in the working database; empty when every rule holds.
    static func check(_ pipeline: Pipeline, db: Database, now: Date = Date()) throws -> [Finding] {
        var findings: [Finding] = []
        if pipeline.gates.jumps != .off {
            findings += try jumps(pipeline, db: db)
        }
        if pipeline.gates.staleDeliveries != .off {
            for source in pipeline.sources {
                guard let days = source.maxAgeDays else { continue }
                var newest: Date?
                for pattern in source.files {
                    for file in expandGlob(pattern) {
                        let modified =
                            (try? FileManager.default.attributesOfItem(atPath: file))?[.modificationDate] as? Date
                        if let modified, newest == nil || modified > newest! { newest = modified }
                    }
                }
                guard let newest else { continue }
                let age = Int(now.timeIntervalSince(newest) / 86_400)
                if age > days {
                    findings.append(
                        Finding(
                            gate: "stale_deliveries", action: pipeline.gates.staleDeliveries,
                            message: "source \(source.id): the newest file is \(age) days old, more than \(days)"))
                }
            }
        }
        if pipeline.gates.deliveries != .off {
            findings += try DeliveryContracts.check(pipeline, db: db).map {
                Finding(gate: "deliveries", action: pipeline.gates.deliveries, message: $0.message)
            }
        }
        return findings
    }

    /// Every kommun value of an indicator's latest year flagged `jump` (beyond the indicator's threshold)
    /// whose change is also beyond chance: for counts and rates the exact-enough log rate ratio of this
    /// year's count against last year's (95 %), for shares with a known base a two-proportion test; a
    /// plain value has no noise model and is judged by the threshold alone. A +25 % on 3 robberies is
    /// noise, not a finding. Each indicator's latest year is found once (a subquery per row took 8 s on
    /// the 34 800 values of the national sample).
    static func jumps(_ pipeline: Pipeline, db: Database) throws -> [Finding] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT v.indicator_id, v.area_code, v.area_name, v.period, v.change_pct,
                    v.numerator, v.denominator, v.value, v.flags, p.numerator AS previous_numerator,
                    p.denominator AS previous_denominator, p.value AS previous_value
                FROM (SELECT indicator_id, max(period) AS period FROM indicator_values
                        WHERE period_type = 'year' AND area_level = 'municipality' AND breakdown = ''
                        GROUP BY indicator_id) AS latest
                CROSS JOIN indicator_values v ON v.indicator_id = latest.indicator_id AND v.period = latest.period
                LEFT JOIN indicator_values p ON p.indicator_id = v.indicator_id AND p.area_code = v.area_code
                    AND p.breakdown = '' AND p.breakdown_value = '' AND p.period_type = 'year'
                    AND p.period = CAST(CAST(v.period AS INTEGER) - 1 AS TEXT)
                WHERE v.area_level = 'municipality' AND v.breakdown = '' AND v.period_type = 'year'
                ORDER BY v.indicator_id, v.area_code
                """)
        return try rows.compactMap { row -> Finding? in
            let id: String = row["indicator_id"]
            guard try ValueFlags(stored: row["flags"]).contains(.jump), let indicator = pipeline.indicator(id),
                beyondNoise(row, indicator: indicator)
            else { return nil }
            let change: Double = row["change_pct"]
            let area: String = row["area_code"]
            let period: String = row["period"]
            return Finding(
                gate: "jumps", action: pipeline.gates.jumps,
                message: "\(id) changed \(String(format: "%+.1f", change)) % in \(row["area_name"] as String) "
                    + "(\(area)) \(period), beyond its jump threshold and beyond chance",
                indicator: id, area: area, period: period, changePercent: change)
        }
    }

    /// True when the change from the previous year is beyond chance at 95 % (see ``jumps(_:db:)``).
    static func beyondNoise(_ row: Row, indicator: IndicatorSpec) -> Bool {
        let count: Double? = row["numerator"]
        let previousCount: Double? = row["previous_numerator"]
        switch indicator.kind {
        case .count, .rate:
            guard let count, let previousCount else { return true }
            let exposure: Double = indicator.kind == .rate ? (row["denominator"] ?? 0) : 1
            let previousExposure: Double = indicator.kind == .rate ? (row["previous_denominator"] ?? 0) : 1
            guard exposure > 0, previousExposure > 0 else { return true }
            guard
                let ratio = FollowUpStatistics.rateRatio(
                    count1: Int(count.rounded()), exposure1: exposure, count2: Int(previousCount.rounded()),
                    exposure2: previousExposure)
            else { return false }  // a zero count on either side: too few events to call it a jump
            return !ratio.interval.contains(1)
        case .share:
            guard let trials: Double = row["denominator"], let previousTrials: Double = row["previous_denominator"],
                let value: Double = row["value"], let previousValue: Double = row["previous_value"], trials > 0,
                previousTrials > 0
            else { return true }
            let p1 = value / indicator.scale
            let p2 = previousValue / indicator.scale
            let pooled = (p1 * trials + p2 * previousTrials) / (trials + previousTrials)
            let standardError = (pooled * (1 - pooled) * (1 / trials + 1 / previousTrials)).squareRoot()
            guard standardError > 0 else { return p1 != p2 }
            return abs(p1 - p2) / standardError > FollowUpStatistics.normalQuantile(0.975)
        case .value:
            return true
        }
    }
}
