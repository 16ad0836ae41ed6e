/// Change over time within one series (one area and breakdown): change against the previous period,
/// the 3-period moving average and jump flags. Pure functions.
public enum SeriesAnalysis {
    /// The period before `period`: `2023` → `2022`, `2023-01` → `2022-12`, `2023-Q1` → `2022-Q4`.
    public static func previous(_ period: String) -> String? {
        let parts = period.split(separator: "-")
        guard let year = Int(parts.first ?? "") else { return nil }
        if parts.count == 1 { return String(year - 1) }
        let part = String(parts[1])
        if part.hasPrefix("Q"), let quarter = Int(part.dropFirst()) {
            return quarter == 1 ? "\(year - 1)-Q4" : "\(year)-Q\(quarter - 1)"
        }
        guard let month = Int(part) else { return nil }
        return month == 1 ? "\(year - 1)-12" : "\(year)-\(month - 1 < 10 ? "0" : "")\(month - 1)"
    }

    /// Fills change, moving average and jump flags in every value of a series (period → value).
    public static func analyse(_ series: inout [String: IndicatorValue], jumpThreshold: Double) {
        for period in series.keys {
            guard var current = series[period], current.status == .ok, let value = current.value else { continue }
            if let previousPeriod = previous(period), let previous = series[previousPeriod], previous.status == .ok,
                let previousValue = previous.value
            {
                current.changeAbsolute = value - previousValue
                if previousValue != 0 {
                    let percent = (value - previousValue) / abs(previousValue) * 100
                    current.changePercent = percent
                    if abs(percent) > jumpThreshold { current.flags.append("jump") }
                }
                if let earlierPeriod = self.previous(previousPeriod), let earlier = series[earlierPeriod],
                    earlier.status == .ok, let earlierValue = earlier.value
                {
                    current.movingAverage3 = (value + previousValue + earlierValue) / 3
                }
            }
            series[period] = current
        }
    }
}
