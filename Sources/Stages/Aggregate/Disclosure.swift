/// Secondary suppression: no suppressed cell may be recomputed from a published total.
///
/// Cells form groups whose sum is published (the districts of a municipality, the hours of a year's
/// pattern). When a group has exactly one suppressed cell, the total minus the others would reveal
/// it, so the smallest other cell is suppressed too. Pure function.
public enum Disclosure {
    /// Applies secondary suppression to `values`; `group` names the group of a cell (nil: in none).
    public static func secondarySuppression(
        _ values: inout [Cell: IndicatorValue], group: (Cell) -> String?
    ) {
        var groups: [String: [Cell]] = [:]
        for cell in values.keys {
            if let name = group(cell) { groups[name, default: []].append(cell) }
        }
        for cells in groups.values {
            let suppressed = cells.filter { values[$0]?.status == .suppressed }
            guard suppressed.count == 1 else { continue }
            // A published 0 protects nothing: everyone knows it. The next suppression is a count above 0.
            let candidates = cells.filter { values[$0]?.status == .ok && values[$0]?.numerator != 0 }
                .sorted { ((values[$0]?.numerator ?? 0), $0) < ((values[$1]?.numerator ?? 0), $1) }
            guard let smallest = candidates.first else { continue }
            values[smallest]?.suppress("secondary suppression: would reveal a suppressed cell of the same table")
        }
    }
}
