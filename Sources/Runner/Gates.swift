import Foundation
import GRDB
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
    struct Finding {
        var gate: String
        var action: GateAction
        var message: String
    }

    /// What the gates find in the working database; empty when every rule holds.
    static func check(_ pipeline: Pipeline, db: Database, now: Date = Date()) throws -> [Finding] {
        var findings: [Finding] = []
        if pipeline.gates.jumps != .off {
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT v.indicator_id, v.period, v.change_pct FROM indicator_values v
                    WHERE v.area_level = 'municipality' AND v.breakdown = '' AND v.period_type = 'year'
                        AND (',' || v.flags || ',') LIKE '%,jump,%'
                        AND v.period = (SELECT max(w.period) FROM indicator_values w
                            WHERE w.indicator_id = v.indicator_id AND w.period_type = 'year'
                                AND w.area_level = 'municipality' AND w.breakdown = '')
                    ORDER BY v.indicator_id
                    """)
            for row in rows {
                let change: Double = row["change_pct"]
                findings.append(
                    Finding(
                        gate: "jumps", action: pipeline.gates.jumps,
                        message: "\(row["indicator_id"] as String) changed \(String(format: "%+.1f", change)) % in "
                            + "\(row["period"] as String), beyond its jump threshold"))
            }
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
}
