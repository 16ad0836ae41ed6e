/// Texts a supplier wrote beside an indicator's figures (a comment, a school's name), under one
/// Swedish heading: the indicator lists them with `texts:` in the pipeline file.
public struct SourceTextGroup: Sendable, Codable, Hashable {
    /// The text's name in the pipeline file, e.g. `comment`.
    public var name: String
    /// E.g. "Kommentarer från uppgiftslämnaren".
    public var heading: String
    public var entries: [SourceText]
    /// Texts left out to keep the list short.
    public var omitted: Int

    public init(name: String, heading: String, entries: [SourceText], omitted: Int = 0) {
        self.name = name
        self.heading = heading
        self.entries = entries
        self.omitted = omitted
    }

    /// The Swedish heading of a text name: known names get their own, others "Texter från källan (name)".
    public static func heading(for name: String) -> String {
        switch name {
        case "comment", "comments", "kommentar": return "Kommentarer från uppgiftslämnaren"
        case "note", "notes", "anmarkning": return "Anmärkningar från uppgiftslämnaren"
        case "school_name", "school": return "Skolenheter"
        case "place", "place_name": return "Platser"
        default: return "Texter från källan (\(name))"
        }
    }

    /// The groups as HTML (escaped); empty without entries.
    static func html(_ groups: [SourceTextGroup]) -> String {
        var out = ""
        for group in groups where !group.entries.isEmpty {
            out += "<section class=\"source-texts\">\n<h4>\(HTMLText.safe(group.heading))</h4>\n<ul>\n"
            for entry in group.entries {
                out += "<li><strong>\(HTMLText.safe(entry.area))</strong>, \(HTMLText.safe(entry.period)): "
                out += "\(HTMLText.safe(entry.text))</li>\n"
            }
            out += "</ul>\n"
            if group.omitted > 0 {
                out += "<p class=\"small\">Ytterligare \(group.omitted) texter finns i exporten.</p>\n"
            }
            out += "</section>\n"
        }
        return out
    }

    /// What the source table says about lines after a table's end.
    static func skippedNote(_ count: Int) -> String {
        count == 1
            ? "1 rad efter tabellens slut (källhänvisning, anmärkning) lästes inte som data."
            : "\(count) rader efter tabellens slut (källhänvisningar, anmärkningar) lästes inte som data."
    }
}

/// One text beside a figure: where and when it applies, and what the supplier wrote (masked, bounded).
public struct SourceText: Sendable, Codable, Hashable {
    public var area: String
    public var period: String
    public var text: String

    public init(area: String, period: String, text: String) {
        self.area = area
        self.period = period
        self.text = text
    }
}

/// How the report shows a value that is not published: its word in the table and its default reason.
struct HiddenValue {
    var label: String
    var marker: String
    var defaultReason: String

    init(_ status: PointStatus) {
        switch status {
        case .suppressed:
            label = "Prickad"
            marker = ".. prickad"
            defaultReason = "prickad"
        case .notApplicable:
            label = "Ej tillämpligt"
            marker = "– ej tillämpligt"
            defaultReason = "inget att redovisa"
        case .ok, .missing:
            label = "Saknas"
            marker = "saknas"
            defaultReason = "uppgiften saknas i källan"
        }
    }
}
