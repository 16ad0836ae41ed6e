/// Which elements of an XML export are records and which values each record yields.
///
/// - `recordPath`: element steps from the root, separated by `/`, e.g. `Export/Kommun/Tillsyn`.
///   A step is a local name (`Tillsyn`, any namespace), `prefix:Name` (namespace URI from
///   `namespaces` and local name), `*` (any element) or `prefix:*` (any element in that namespace).
/// - `fields`: output name → where the value is, relative to the record element:
///   - `Antal`, `Period/Start`, `lst:Antal`: text content of the first matching descendant element
///     (text and CDATA of the element and its descendants, not trimmed);
///   - `.`: text content of the record element itself;
///   - `@typ`, `Period/@start`: an attribute of the record or of a descendant element;
///   - `../@kod`, `../../@namn`: an attribute of an ancestor of the record.
///
///   Attribute steps follow the element rule: `@kod` matches the local name in any namespace,
///   `@p:kod` needs namespace `p`.
public struct XMLRecordSpec: Sendable, Hashable {
    /// Element steps from the root to the record element.
    public var recordPath: String
    /// Prefix → namespace URI for the prefixes used in `recordPath` and `fields`.
    public var namespaces: [String: String]
    /// Output name → field path (see the type's documentation).
    public var fields: [String: String]

    public init(recordPath: String, namespaces: [String: String] = [:], fields: [String: String]) {
        self.recordPath = recordPath
        self.namespaces = namespaces
        self.fields = fields
    }
}

/// A parse error in an ``XMLRecordSpec``.
struct XMLSpecError: Error {
    var message: String
}

/// A name test: a local name and a namespace URI, each nil for "any".
struct NameTest: Hashable {
    var localName: String?
    var namespaceURI: String?
}

/// Where one field's value comes from.
enum FieldSource: Hashable {
    /// An attribute of the ancestor `levels` above the record (1 = parent).
    case ancestorAttribute(levels: Int, name: NameTest)
    /// An attribute of the element reached by `path` from the record (empty path = the record).
    case attribute(path: [NameTest], name: NameTest)
    /// The text content of the element reached by `path` from the record (empty path = the record).
    case text(path: [NameTest])
}

/// An ``XMLRecordSpec`` parsed and checked.
struct CompiledSpec {
    var steps: [NameTest]
    /// Output names, sorted; a field's index is its position here.
    var fieldNames: [String]
    var sources: [FieldSource]

    init(_ spec: XMLRecordSpec) throws(XMLSpecError) {
        var namespaces = spec.namespaces
        namespaces["xml"] = namespaces["xml"] ?? "http://www.w3.org/XML/1998/namespace"
        for (prefix, uri) in spec.namespaces {
            guard Self.isName(Substring(prefix)), !prefix.contains(":") else {
                throw XMLSpecError(message: "namespace prefix '\(prefix)' is not a valid prefix")
            }
            guard !uri.isEmpty else { throw XMLSpecError(message: "namespace prefix '\(prefix)' maps to an empty URI") }
        }

        var path = Substring(spec.recordPath.trimmingSpaces)
        if path.hasPrefix("/") { path = path.dropFirst() }
        guard !path.isEmpty else { throw XMLSpecError(message: "the record path is empty") }
        steps = try path.split(separator: "/", omittingEmptySubsequences: false).map { step throws(XMLSpecError) in
            try Self.nameTest(
                step, allowWildcard: true, namespaces: namespaces, context: "record path '\(spec.recordPath)'")
        }

        fieldNames = spec.fields.keys.sorted()
        var sources: [FieldSource] = []
        for name in fieldNames {
            guard !name.isEmpty else { throw XMLSpecError(message: "a field has an empty output name") }
            sources.append(
                try Self.fieldSource(
                    spec.fields[name]!, field: name, recordDepth: steps.count - 1, namespaces: namespaces))
        }
        self.sources = sources
    }

    private static func fieldSource(
        _ text: String, field: String, recordDepth: Int, namespaces: [String: String]
    ) throws(XMLSpecError) -> FieldSource {
        let context = "field '\(field)' ('\(text)')"
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty else { throw XMLSpecError(message: "\(context): the path is empty") }
        if trimmed == "." { return .text(path: []) }
        var parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        var levels = 0
        while parts.first == ".." {
            levels += 1
            parts.removeFirst()
        }
        if parts.first == "." { parts.removeFirst() }
        var attribute: NameTest?
        if let last = parts.last, last.hasPrefix("@") {
            attribute = try nameTest(last.dropFirst(), allowWildcard: false, namespaces: namespaces, context: context)
            parts.removeLast()
        }
        if levels > 0 {
            guard let attribute, parts.isEmpty else {
                throw XMLSpecError(
                    message: "\(context): only an attribute can be read from an ancestor, as in '../@kod'")
            }
            guard levels <= recordDepth else {
                throw XMLSpecError(message: "\(context): the record has only \(recordDepth) ancestor(s)")
            }
            return .ancestorAttribute(levels: levels, name: attribute)
        }
        guard !parts.isEmpty || attribute != nil else { throw XMLSpecError(message: "\(context): the path is empty") }
        let path = try parts.map { step throws(XMLSpecError) in
            if step == ".." { throw XMLSpecError(message: "\(context): '..' may only start a path") }
            return try nameTest(step, allowWildcard: true, namespaces: namespaces, context: context)
        }
        if let attribute { return .attribute(path: path, name: attribute) }
        return .text(path: path)
    }

    private static func nameTest(
        _ step: Substring, allowWildcard: Bool, namespaces: [String: String], context: String
    ) throws(XMLSpecError) -> NameTest {
        guard !step.isEmpty else { throw XMLSpecError(message: "\(context): empty step (two '/' in a row?)") }
        var prefix: Substring?
        var local = step
        if let colon = step.firstIndex(of: ":") {
            prefix = step[..<colon]
            local = step[step.index(after: colon)...]
        }
        var test = NameTest(localName: nil, namespaceURI: nil)
        if let prefix {
            guard isName(prefix), !prefix.contains(":") else {
                throw XMLSpecError(message: "\(context): '\(step)' has an invalid prefix")
            }
            guard let uri = namespaces[String(prefix)] else {
                throw XMLSpecError(message: "\(context): unknown namespace prefix '\(prefix)' (add it to namespaces)")
            }
            test.namespaceURI = uri
        }
        if local == "*" {
            guard allowWildcard else { throw XMLSpecError(message: "\(context): '*' is not allowed for an attribute") }
            return test
        }
        guard isName(local), !local.contains(":") else {
            throw XMLSpecError(message: "\(context): '\(step)' is not a valid element or attribute name")
        }
        test.localName = String(local)
        return test
    }

    /// A loose check of an XML name: no spaces, no markup characters, not starting with a digit.
    private static func isName(_ text: Substring) -> Bool {
        guard let first = text.unicodeScalars.first else { return false }
        if first.properties.numericType != nil || first == "-" || first == "." { return false }
        let forbidden: Set<Unicode.Scalar> = [
            "/", "@", "<", ">", "&", "\"", "'", "=", "[", "]", "(", ")", "*", "|", ",",
        ]
        return text.unicodeScalars.allSatisfy { !$0.properties.isWhitespace && !forbidden.contains($0) }
    }
}

extension String {
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[start...end])
    }
}
