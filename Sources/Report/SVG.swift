/// Small helpers shared by the charts.
enum SVG {
    /// A coordinate rounded to 0.1, written with a point: `12.5`, `300`.
    static func coordinate(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (value * 10).rounded() / 10
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        return String(rounded)
    }

    /// Opens an `<svg>` with a viewBox, an accessible name and a `<title>`.
    static func open(width: Double, height: Double, label: String, className: String) -> String {
        let label = HTMLText.safe(label)
        return "<svg class=\"chart \(className)\" viewBox=\"0 0 \(coordinate(width)) \(coordinate(height))\" "
            + "width=\"\(coordinate(width))\" height=\"\(coordinate(height))\" role=\"img\" "
            + "aria-label=\"\(label)\" font-size=\"12\"><title>\(label)</title>"
    }

    static func text(
        _ content: String, x: Double, y: Double, anchor: String = "start", className: String? = nil,
        extra: String = ""
    ) -> String {
        let classAttribute = className.map { " class=\"\($0)\"" } ?? ""
        return "<text x=\"\(coordinate(x))\" y=\"\(coordinate(y))\" text-anchor=\"\(anchor)\"\(classAttribute)\(extra)>"
            + HTMLText.safe(content) + "</text>"
    }

    /// A diagonal hatch pattern for suppressed cells; reference it as `url(#id)`.
    static func hatchPattern(id: String) -> String {
        "<pattern id=\"\(id)\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
            + "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#e4e4e4\"/>"
            + "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#8a8a8a\" stroke-width=\"2\"/></pattern>"
    }
}

/// Colours with good contrast on white, distinguishable in grey print too (with dashes).
public enum ChartPalette {
    public static let municipality = "#1f5f99"
    public static let county = "#b5540f"
    public static let country = "#4d4d4d"
    public static let other = "#6a3d9a"
    /// The path to a target (dotted).
    public static let target = "#00695c"
    public static let highlight = "#b3261e"
    public static let grid = "#dddddd"
    public static let axis = "#555555"
}
