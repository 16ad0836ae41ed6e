import LagesbildModel

/// Change over time within one series (one area and breakdown): change against the previous period,
/// the 3-period moving average and jump flags. Pure functions.
public enum SeriesAnalysis {
    /// The period before `period` of the same kind: `2023` → `2022`, `2023-01` → `2022-12`, `2023-Q1` →
    /// `2022-Q4`, `2021-W01` → `2020-W53`, `2021/22` → `2020/21`, `2021-VT` → `2020-HT`.
    public static func previous(_ period: String) -> String? {
        Period(period)?.previous?.description
    }

    /// Fills change, moving average and jump flags in every value of a series (period → value).
    /// `previousPeriods` remembers ``previous(_:)`` across the series of a table (the same few periods).
    public static func analyse(
        _ series: inout [String: IndicatorValue], jumpThreshold: Double, previousPeriods: inout [String: String?]
    ) {
        func before(_ period: String) -> String? {
            if let known = previousPeriods[period] { return known }
            let found = Self.previous(period)
            previousPeriods[period] = .some(found)
            return found
        }
        for period in series.keys {
            guard var current = series[period], current.status == .ok, let value = current.value else { continue }
            if let previousPeriod = before(period), let previous = series[previousPeriod], previous.status == .ok,
                let previousValue = previous.value
            {
                current.changeAbsolute = value - previousValue
                if previousValue != 0 {
                    let percent = (value - previousValue) / abs(previousValue) * 100
                    current.changePercent = percent
                    if abs(percent) > jumpThreshold { current.flags.insert(.jump) }
                }
                if let earlierPeriod = before(previousPeriod), let earlier = series[earlierPeriod],
                    earlier.status == .ok, let earlierValue = earlier.value
                {
                    current.movingAverage3 = (value + previousValue + earlierValue) / 3
                }
            }
            series[period] = current
        }
    }

    /// ``analyse(_:jumpThreshold:previousPeriods:)`` for one series alone.
    public static func analyse(_ series: inout [String: IndicatorValue], jumpThreshold: Double) {
        var previousPeriods: [String: String?] = [:]
        analyse(&series, jumpThreshold: jumpThreshold, previousPeriods: &previousPeriods)
    }
}
