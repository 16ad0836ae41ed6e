import Yams

/// A node of the pipeline file's YAML with its key path, so every error can name the key and line.
///
/// Mappings are read through ``mapping(allowedKeys:)``, which rejects keys it does not know: a typo in
/// a key is an error, never silently ignored.
struct ConfigNode {
    let node: Node
    let keyPath: String
    let file: String

    func error(_ message: String) -> PipelineFileError {
        PipelineFileError(
            file: file, line: node.mark?.line, column: node.mark?.column, keyPath: keyPath, message: message)
    }

    /// The node as a mapping whose keys must all be in `allowedKeys`.
    func mapping(allowedKeys: Set<String>) throws -> ConfigMapping {
        guard case .mapping(let mapping) = node else {
            throw error("expected a mapping (key: value lines), found \(kind)")
        }
        var entries: [(key: String, keyNode: Node, value: Node)] = []
        for (keyNode, value) in mapping {
            guard let key = keyNode.string else {
                throw ConfigNode(node: keyNode, keyPath: keyPath, file: file).error("a key must be text")
            }
            guard allowedKeys.contains(key) else {
                let known = allowedKeys.sorted().joined(separator: ", ")
                throw ConfigNode(node: keyNode, keyPath: join(key), file: file)
                    .error("unknown key '\(key)'; known keys here: \(known)")
            }
            entries.append((key, keyNode, value))
        }
        return ConfigMapping(owner: self, entries: entries)
    }

    /// A mapping whose keys are free (names chosen by the user), in file order.
    func freeMapping() throws -> [(key: String, value: ConfigNode)] {
        guard case .mapping(let mapping) = node else {
            throw error("expected a mapping (key: value lines), found \(kind)")
        }
        return try mapping.map { keyNode, value in
            guard let key = keyNode.string else {
                throw ConfigNode(node: keyNode, keyPath: keyPath, file: file).error("a key must be text")
            }
            return (key, ConfigNode(node: value, keyPath: join(key), file: file))
        }
    }

    func sequence() throws -> [ConfigNode] {
        guard case .sequence(let sequence) = node else {
            throw error("expected a list (lines starting with '-'), found \(kind)")
        }
        return sequence.enumerated().map { index, item in
            ConfigNode(node: item, keyPath: "\(keyPath)[\(index)]", file: file)
        }
    }

    func string() throws -> String {
        guard case .scalar(let scalar) = node else { throw error("expected a text value, found \(kind)") }
        return scalar.string
    }

    func int() throws -> Int {
        guard case .scalar(let scalar) = node, let value = Int(scalar.string) else {
            throw error("expected a whole number, found \(describeValue)")
        }
        return value
    }

    func double() throws -> Double {
        guard case .scalar(let scalar) = node, let value = Double(scalar.string) else {
            throw error("expected a number, found \(describeValue)")
        }
        return value
    }

    func bool() throws -> Bool {
        guard case .scalar(let scalar) = node else { throw error("expected true or false, found \(kind)") }
        switch scalar.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("expected true or false, found \(describeValue)")
        }
    }

    /// A list of texts; a single text counts as a list of one.
    func stringList() throws -> [String] {
        if case .scalar = node { return [try string()] }
        return try sequence().map { try $0.string() }
    }

    private var kind: String {
        switch node {
        case .scalar(let scalar): return "'\(scalar.string)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    private var describeValue: String {
        if case .scalar(let scalar) = node { return "'\(scalar.string)'" }
        return kind
    }

    func join(_ key: String) -> String { keyPath.isEmpty ? key : "\(keyPath).\(key)" }
}

/// A checked mapping: look up keys, require the ones that must be there.
struct ConfigMapping {
    let owner: ConfigNode
    let entries: [(key: String, keyNode: Node, value: Node)]

    subscript(_ key: String) -> ConfigNode? {
        guard let entry = entries.first(where: { $0.key == key }) else { return nil }
        return ConfigNode(node: entry.value, keyPath: owner.join(key), file: owner.file)
    }

    func require(_ key: String) throws -> ConfigNode {
        guard let node = self[key] else { throw owner.error("missing required key '\(key)'") }
        return node
    }

    var keys: [String] { entries.map(\.key) }
}

extension ConfigNode {
    /// An id that also names files: ASCII letters, digits, `-` and `_`.
    func identifier() throws -> String {
        let id = try string()
        guard !id.isEmpty, id.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "_" })
        else {
            throw error("use ASCII letters, digits, '-' and '_' only (the id names output files)")
        }
        return id
    }

    /// One of an enumeration's raw values.
    func choice<T: RawRepresentable & CaseIterable>() throws -> T where T.RawValue == String {
        let text = try string()
        guard let value = T(rawValue: text) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw error("unknown value '\(text)'; use one of: \(allowed)")
        }
        return value
    }
}
