import Foundation
import LagesbildModel

extension ConfigNode {
    /// A delimiter as written in the pipeline file (`;`, `,`, tab, `|`), or nil for `detect`.
    func delimiterByte() throws -> UInt8? {
        switch try string() {
        case ";": return UInt8(ascii: ";")
        case ",": return UInt8(ascii: ",")
        case "\t", "tab", "\\t": return UInt8(ascii: "\t")
        case "|": return UInt8(ascii: "|")
        case "detect": return nil
        case let other: throw error("unknown delimiter '\(other)'; use ';', ',', tab, '|' or detect")
        }
    }

    /// A code list: a path (read as Brå's crime code list, `brottskod;benamning;upphord`) or a mapping that
    /// names the file's columns: `file`, `encoding`, `delimiter`, `code`, `name`, `retired`, `category` and
    /// `flags` (category: column). `resolve` makes a path absolute; `allowRetired` is false where an end year
    /// means nothing (an events source's own types).
    func codeListFile(resolve: (String) -> String, allowRetired: Bool = true) throws -> CodeListFile {
        func readable(_ node: ConfigNode) throws -> String {
            let resolved = resolve(try node.string())
            guard FileManager.default.isReadableFile(atPath: resolved) else {
                throw node.error("code list file \(resolved) does not exist or cannot be read")
            }
            return resolved
        }
        if case .scalar = node { return CodeListFile.bra(path: try readable(self)) }
        var keys: Set<String> = ["file", "encoding", "delimiter", "code", "name", "category", "flags"]
        if allowRetired { keys.insert("retired") }
        let map = try mapping(allowedKeys: keys)
        var list = CodeListFile(
            path: try readable(map.require("file")), code: try map.require("code").string(),
            name: try map.require("name").string())
        if let node = map["encoding"] {
            let name = try node.string()
            guard let encoding = TextEncoding(name: name) else {
                throw node.error("unknown encoding '\(name)'; use one of \(TextEncoding.acceptedNames)")
            }
            list.encoding = encoding
        }
        if let node = map["delimiter"] {
            guard let delimiter = try node.delimiterByte() else {
                throw node.error("a code list names its delimiter: ';', ',', tab or '|'")
            }
            list.delimiter = delimiter
        }
        list.retired = try map["retired"]?.string()
        list.category = try map["category"]?.string()
        for (category, column) in try map["flags"]?.freeMapping() ?? [] {
            guard category != "all" else {
                throw column.error("the category name 'all' is reserved for all events; rename it")
            }
            list.flags.append(FlagColumn(category: category, column: try column.string()))
        }
        let columns =
            [list.code, list.name] + [list.retired, list.category].compactMap { $0 } + list.flags.map(\.column)
        let lowered = columns.map { $0.lowercased() }
        if let repeated = lowered.first(where: { name in lowered.filter { $0 == name }.count > 1 }) {
            throw error("the column '\(repeated)' is named twice; each role of a code list has its own column")
        }
        return list
    }
}

extension PipelineLoader {
    /// The `source:` of an events quantity: the id of an events source, or nil (the crime events), which
    /// needs a source coded by crime codes.
    static func eventSource(_ node: ConfigNode?, events: ConfigNode, sources: [SourceSpec]) throws -> String? {
        guard let node else {
            guard sources.contains(where: { $0.kind == .events && $0.eventTypes == nil }) else {
                throw events.error(
                    "without 'source:' events are counted from sources coded by crime codes, and there "
                        + "is none; name the events source, e.g. source: \(sources.first { $0.kind == .events }?.id ?? "ID")"
                )
            }
            return nil
        }
        let id = try node.string()
        guard let source = sources.first(where: { $0.id == id }) else {
            throw node.error("no source with id '\(id)'")
        }
        guard source.kind == .events else {
            throw node.error(
                "source '\(id)' is of kind \(source.kind.rawValue); events are counted from a source of kind events")
        }
        return id
    }
}
