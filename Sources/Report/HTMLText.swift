import LagesbildModel

/// Escaping for HTML text and attribute values.
public enum HTMLText {
    /// Escapes `&`, `<`, `>`, `"` and `'` so `text` is safe in element content and in quoted attributes.
    public static func escape(_ text: String) -> String {
        // Most texts (names, numbers, periods) have nothing to escape: they are returned as they are.
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 })
        else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
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
