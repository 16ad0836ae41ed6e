import CLibXML2
import LagesbildModel

/// Streams the records of one XML file, as picked by an ``XMLRecordSpec``, with libxml2's SAX2 push
/// parser (``LibXMLPushParser``): no tree is built, the file is fed in 64 KB blocks.
///
/// Memory stays bounded whatever the file size: libxml2 keeps only the open elements' names and its
/// input window, and a record holds only its field values. Each call of ``forEachRecord(_:)`` opens the
/// file anew with its own libxml2 parser, so an instance holds no libxml2 state between calls; do not
/// use one instance from two tasks at once.
///
/// Security policy (data exports have no use for DTD entities, so any sign of them fails the file):
/// - libxml2 options `XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_COMPACT`; never `NOENT`,
///   `DTDLOAD`, `DTDATTR`, `DTDVALID`, and the SAX handler has no entity lookup and no external-subset
///   callback: no entity is expanded, no external entity, external DTD or parameter entity is loaded.
/// - A document type declaration that declares any general, parameter or unparsed entity is refused.
/// - Any entity reference other than the predefined ones (and character references) is refused, in
///   text and in attribute values.
/// - No `XML_PARSE_HUGE`: libxml2's parser limits stay on (name and attribute lengths, bounded name
///   dictionary), and the limits its tree builder would apply are applied here: depth 256, 10 MB per
///   text node; a field value is capped at ``maximumFieldBytes``. Memory stays bounded whatever the
///   input.
public final class XMLRecordReader {
    /// The file read.
    public let path: String
    /// The spec the records are picked by.
    public let spec: XMLRecordSpec
    let compiled: CompiledSpec
    let tree: FieldTree
    let layout: FieldLayout

    /// Largest text value of one field, in bytes (libxml2 bounds one text node at 10 MB too).
    public static let maximumFieldBytes = 10_000_000

    /// Checks the spec and that the file can be opened; throws ``XMLReadError`` otherwise.
    public init(path: String, spec: XMLRecordSpec) throws {
        self.path = path
        self.spec = spec
        do {
            compiled = try CompiledSpec(spec)
        } catch {
            throw XMLReadError(
                location: SourceLocation(file: path, line: 0), message: "invalid XML record spec: \(error.message)")
        }
        tree = FieldTree(compiled)
        layout = FieldLayout(names: compiled.fieldNames)
        let descriptor = try LibXMLInput.open(path)
        close(descriptor)
    }

    /// Calls `body` with each record in document order.
    ///
    /// Throws ``XMLReadError`` when the document is malformed, truncated or refused; the records
    /// before the fault (every record whose end tag came before it) have been delivered already and the
    /// error counts them. Rethrows `body`'s errors.
    public func forEachRecord(_ body: (XMLRecord) throws -> Void) throws -> XMLReadSummary {
        let parser = try LibXMLPushParser(path: path, handler: RecordScanner.handler)
        let scanner = UnsafeMutablePointer<RecordScanner>.allocate(capacity: 1)
        defer { scanner.deallocate() }
        scanner.initialize(to: try RecordScanner(compiled: compiled, tree: tree, layout: layout, parser: parser))
        defer { scanner.deinitialize(count: 1) }
        parser.userData = UnsafeMutableRawPointer(scanner)
        withoutActuallyEscaping(body) { body in
            scanner.pointee.body = body
            parser.run()
            scanner.pointee.body = nil
        }
        parser.userData = nil
        if let failure = scanner.pointee.failure { throw failure }
        if scanner.pointee.entitiesDeclared { throw scanner.pointee.entityDeclarationFault() }
        let delivered = scanner.pointee.delivered
        if let fault = parser.fault(recordsBeforeFault: delivered, openElements: scanner.pointee.depth) {
            throw fault
        }
        return XMLReadSummary(recordsRead: delivered, bytesRead: parser.input.bytesRead)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A name test resolved against one parser's dictionary: pointers compare with the parser's names.
struct InternedTest {
    /// nil: any local name.
    var localName: UnsafePointer<xmlChar>?
    /// nil: any namespace.
    var namespaceURI: UnsafePointer<xmlChar>?

    init(_ test: NameTest, parser: LibXMLPushParser) throws(XMLReadError) {
        localName = try test.localName.map { name throws(XMLReadError) in try parser.intern(name) }
        namespaceURI = try test.namespaceURI.map { uri throws(XMLReadError) in try parser.intern(uri) }
    }

    /// Whether an element or attribute with this local name and namespace URI passes the test.
    /// Names compare as dictionary pointers (libxml2 interns element and attribute names and namespace
    /// URIs), falling back to bytes for attribute names and URIs.
    @inline(__always)
    func matches(_ local: UnsafePointer<xmlChar>?, _ uri: UnsafePointer<xmlChar>?, attribute: Bool = false) -> Bool {
        if let localName, localName != local {
            guard attribute, let local, xmlStrEqual(localName, local) != 0 else { return false }
        }
        guard let namespaceURI else { return true }
        guard let uri else { return false }
        if uri == namespaceURI { return true }
        // libc's strcmp is vectorised; xmlStrEqual goes byte by byte.
        return strcmp(
            UnsafeRawPointer(uri).assumingMemoryBound(to: CChar.self),
            UnsafeRawPointer(namespaceURI).assumingMemoryBound(to: CChar.self)) == 0
    }
}

/// The fields below the record element as a tree of element steps; node 0 is the record itself.
struct FieldTree {
    struct Node {
        var test: NameTest
        var children: [Int] = []
        var textOutputs: [Int] = []
        var attributeOutputs: [(test: NameTest, output: Int)] = []
    }

    var nodes: [Node] = [Node(test: NameTest())]
    /// Per ancestor depth (0 = root element): attribute fields read from that ancestor.
    var ancestorOutputs: [[(test: NameTest, output: Int)]]

    init(_ spec: CompiledSpec) {
        let recordDepth = spec.steps.count - 1
        ancestorOutputs = Array(repeating: [], count: recordDepth)
        for (output, source) in spec.sources.enumerated() {
            switch source {
            case .ancestorAttribute(let levels, let name):
                ancestorOutputs[recordDepth - levels].append((name, output))
            case .attribute(let path, let name):
                let node = node(for: path)
                nodes[node].attributeOutputs.append((name, output))
            case .text(let path):
                let node = node(for: path)
                nodes[node].textOutputs.append(output)
            }
        }
    }

    private mutating func node(for path: [NameTest]) -> Int {
        var current = 0
        for step in path {
            if let existing = nodes[current].children.first(where: { nodes[$0].test == step }) {
                current = existing
                continue
            }
            nodes.append(Node(test: step))
            nodes[current].children.append(nodes.count - 1)
            current = nodes.count - 1
        }
        return current
    }

}
