/// Numbers written the Swedish way for people: `2 330,5`, `−3,2`, `12,5 %`.
///
/// Thousands are separated by a narrow no-break space (U+202F), the decimal separator is a comma, the
/// minus sign is U+2212 and a percent sign follows a no-break space (U+00A0). Written by hand so the
/// output does not depend on the machine's locale.
public enum SwedishFormat {
    /// The thousands separator: narrow no-break space.
    public static let thousandsSeparator = "\u{202F}"
    /// The space before `%` and units: no-break space.
    public static let unitSpace = "\u{00A0}"
    /// The minus sign: U+2212.
    public static let minus = "\u{2212}"

    /// `1234.56` with 1 decimal → `1 234,6`.
    public static func number(_ value: Double, decimals: Int = 0) -> String {
        guard value.isFinite else { return "–" }
        let decimals = max(0, min(decimals, 6))
        var scale: Double = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else { return value < 0 ? minus + "∞" : "∞" }
        let units = UInt64(scaled)
        let factor = UInt64(scale)
        let integerPart = units / factor
        let fraction = units % factor
        var text = grouped(integerPart)
        if decimals > 0 {
            var digits = String(fraction)
            while digits.count < decimals { digits = "0" + digits }
            text += "," + digits
        }
        return (value < 0 && units != 0 ? minus : "") + text
    }

    /// Like ``number(_:decimals:)`` with a leading `+` for positive values; zero has no sign.
    public static func signedNumber(_ value: Double, decimals: Int = 0) -> String {
        let text = number(value, decimals: decimals)
        if value > 0 && text.contains(where: { $0 != "0" && $0 != "," }) { return "+" + text }
        return text
    }

    /// `12.5` → `12,5 %` (the value is already in percent).
    public static func percent(_ value: Double, decimals: Int = 1) -> String {
        number(value, decimals: decimals) + unitSpace + "%"
    }

    /// `12.5` → `+12,5 %`.
    public static func signedPercent(_ value: Double, decimals: Int = 1) -> String {
        signedNumber(value, decimals: decimals) + unitSpace + "%"
    }

    private static func grouped(_ value: UInt64) -> String {
        let digits = String(value)
        guard value >= 1000 else { return digits }
        var out = ""
        let count = digits.utf8.count
        for (index, digit) in digits.unicodeScalars.enumerated() {
            if index > 0 && (count - index) % 3 == 0 { out += thousandsSeparator }
            out.unicodeScalars.append(digit)
        }
        return out
    }
}
