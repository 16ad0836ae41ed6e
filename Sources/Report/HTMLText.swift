import LagesbildModel

/// Escaping for HTML text and attribute values.
public enum HTMLText {
    /// Escapes `&`, `<`, `>`, `"` and `'` so `text` is safe in element content and in quoted attributes.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// Masks personal identity numbers, then escapes: for every free text that reaches the report.
    public static func safe(_ text: String) -> String {
        escape(PersonalNumberMask.mask(text))
    }
}
