/// Paths into a JSON document.
///
/// A records path lists steps from the root separated by `.`: a field name, or a name followed by `[]` to
/// take every element of the array it holds (`data[]`, `values[].values[]`; `[]` alone: the root array;
/// `$` or empty: the root as one record). A field path is relative to a record: `location.name`,
/// `values[0]`, and `..` for the element one `[]` level up (`../kpi` in Kolada's nested values).
struct RecordsPath: Sendable, Hashable {
    struct Step: Sendable, Hashable {
        /// The field to enter; nil for the array itself (a leading `[]`).
        var name: String?
        /// Take every element of the array.
        var each: Bool
    }
    var steps: [Step]

    init?(_ text: String) {
        var body = text.trimmingCharacters(in: " ")
        if body.hasPrefix("$") { body.removeFirst() }
        if body.hasPrefix(".") { body.removeFirst() }
        steps = []
        guard !body.isEmpty else { return }
        for piece in body.split(separator: ".", omittingEmptySubsequences: false) {
            var name = String(piece)
            var each = false
            if name.hasSuffix("[]") {
                each = true
                name.removeLast(2)
            }
            guard !name.contains("["), !name.contains("]"), !(name.isEmpty && !each) else { return nil }
            steps.append(Step(name: name.isEmpty ? nil : name, each: each))
        }
    }
}

/// A field path relative to a record.
struct FieldPath: Sendable, Hashable {
    enum Step: Sendable, Hashable {
        case up
        case field(String)
        case index(Int)
    }
    var steps: [Step]
    /// The path as written: a record's key spelt exactly so (`Per 100 000 inv.`) is taken first.
    var literal: String

    /// One key, as it is.
    init(key: String) {
        literal = key
        steps = [.field(key)]
    }

    init?(_ text: String) {
        literal = text
        steps = []
        for piece in text.split(separator: "/", omittingEmptySubsequences: true).flatMap({
            $0 == ".." ? [Substring("..")] : $0.split(separator: ".", omittingEmptySubsequences: false)
        }) {
            if piece == ".." {
                steps.append(.up)
                continue
            }
            var name = Substring(piece)
            var indexes: [Int] = []
            while name.hasSuffix("]"), let open = name.lastIndex(of: "[") {
                guard let index = Int(name[name.index(after: open)..<name.index(before: name.endIndex)]), index >= 0
                else { return nil }
                indexes.insert(index, at: 0)
                name = name[..<open]
            }
            guard !name.isEmpty || !indexes.isEmpty else { return nil }
            if !name.isEmpty { steps.append(.field(String(name))) }
            steps += indexes.map(Step.index)
        }
        guard !steps.isEmpty else { return nil }
    }
}

extension String {
    fileprivate func trimmingCharacters(in character: Character) -> String {
        var text = Substring(self)
        while text.first == character { text.removeFirst() }
        while text.last == character { text.removeLast() }
        return String(text)
    }
}

/// The text of a JSON path: `$.values[3]`, with `["…"]` for keys that are not plain names.
enum PathText {
    static func appending(_ path: String, field: String) -> String {
        let plain =
            field.first.map { $0.isLetter || $0 == "_" } == true
            && field.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
        return plain ? "\(path).\(field)" : "\(path)[\"\(field.replacingOccurrences(of: "\"", with: "\\\""))\"]"
    }

    static func appending(_ path: String, index: Int) -> String { "\(path)[\(index)]" }
}
