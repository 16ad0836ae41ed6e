import CLibXML2
import LagesbildModel

/// Streams the records of one XML file, as picked by an ``XMLRecordSpec``, with libxml2's text reader.
///
/// Memory stays bounded whatever the file size: libxml2 frees each node once the reader has passed
/// it. Each call of ``forEachRecord(_:)`` opens the file anew with its own libxml2 reader, so an
/// instance holds no libxml2 state between calls; do not use one instance from two tasks at once.
///
/// Hostile input is refused: no network access, no external entities or DTDs loaded, documents whose
/// DTD declares entities and any entity reference are errors, and libxml2's size limits stay on.
public final class XMLRecordReader {
    /// The file read.
    public let path: String
    /// The spec the records are picked by.
    public let spec: XMLRecordSpec
    let compiled: CompiledSpec
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
        layout = FieldLayout(names: compiled.fieldNames)
        let descriptor = try LibXMLInput.open(path)
        close(descriptor)
    }

    /// Calls `body` with each record in document order.
    ///
    /// Throws ``XMLReadError`` when the document is malformed, truncated or refused; the records
    /// before the fault have been delivered already (up to the last few hundred bytes before the fault,
    /// which libxml2 parses ahead of the reader) and the error counts them. Rethrows `body`'s errors.
    public func forEachRecord(_ body: (XMLRecord) throws -> Void) throws -> XMLReadSummary {
        let session = try LibXMLSession(path: path)
        var scanner = try RecordScanner(compiled: compiled, layout: layout, session: session)
        let records = try scanner.run(body)
        return XMLReadSummary(recordsRead: records, bytesRead: session.input.bytesRead)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A name test resolved against one reader's dictionary: pointers compare with the reader's names.
struct InternedTest {
    /// nil: any local name.
    var localName: UnsafePointer<xmlChar>?
    /// nil: any namespace.
    var namespaceURI: UnsafePointer<xmlChar>?

    init(_ test: NameTest, session: LibXMLSession) throws(XMLReadError) {
        localName = nil
        namespaceURI = nil
        if let name = test.localName {
            guard let interned = session.intern(name) else { throw session.policyFault("out of memory", recordsBeforeFault: 0) }
            localName = interned
        }
        if let uri = test.namespaceURI {
            guard let interned = session.intern(uri) else { throw session.policyFault("out of memory", recordsBeforeFault: 0) }
            namespaceURI = interned
        }
    }

    /// Whether the reader's current element (local name already fetched) passes the test.
    @inline(__always)
    func matchesElement(_ local: UnsafePointer<xmlChar>?, _ reader: xmlTextReaderPtr) -> Bool {
        if let localName, localName != local { return false }
        if let namespaceURI { return xmlTextReaderConstNamespaceUri(reader) == namespaceURI }
        return true
    }

    /// Whether the reader's current attribute passes the test (compared by content, not pointer).
    func matchesAttribute(_ local: UnsafePointer<xmlChar>?, _ reader: xmlTextReaderPtr) -> Bool {
        if let localName, localName != local, xmlStrEqual(localName, local) == 0 { return false }
        if let namespaceURI {
            let uri = xmlTextReaderConstNamespaceUri(reader)
            return uri == namespaceURI || xmlStrEqual(uri, namespaceURI) != 0
        }
        return true
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

    init(_ spec: CompiledSpec) throws(XMLSpecError) {
        let recordDepth = spec.steps.count - 1
        ancestorOutputs = Array(repeating: [], count: recordDepth)
        for (output, source) in spec.sources.enumerated() {
            switch source {
            case .ancestorAttribute(let levels, let name):
                ancestorOutputs[recordDepth - levels].append((name, output))
            case .attribute(let path, let name):
                let node = try node(for: path, field: spec.fieldNames[output])
                nodes[node].attributeOutputs.append((name, output))
            case .text(let path):
                let node = try node(for: path, field: spec.fieldNames[output])
                nodes[node].textOutputs.append(output)
            }
        }
    }

    private mutating func node(for path: [NameTest], field: String) throws(XMLSpecError) -> Int {
        var current = 0
        for step in path {
            if let existing = nodes[current].children.first(where: { nodes[$0].test == step }) {
                current = existing
                continue
            }
            for sibling in nodes[current].children where Self.overlap(nodes[sibling].test, step) {
                throw XMLSpecError(
                    message: "field '\(field)': a step can match the same elements as another field's step "
                        + "(a '*' or an unprefixed name beside a more specific one); write the steps apart")
            }
            nodes.append(Node(test: step))
            nodes[current].children.append(nodes.count - 1)
            current = nodes.count - 1
        }
        return current
    }

    private static func overlap(_ a: NameTest, _ b: NameTest) -> Bool {
        (a.localName == nil || b.localName == nil || a.localName == b.localName)
            && (a.namespaceURI == nil || b.namespaceURI == nil || a.namespaceURI == b.namespaceURI)
    }
}

/// The depth-indexed state machine over one reader's nodes.
struct RecordScanner {
    private struct Node {
        var test: InternedTest
        var children: [Int]
        var textOutputs: [Int]
        var attributeOutputs: [(test: InternedTest, output: Int)]
    }

    private let session: LibXMLSession
    private let reader: xmlTextReaderPtr
    private let layout: FieldLayout
    private let steps: [InternedTest]
    private let recordDepth: Int
    private let nodes: [Node]
    private let ancestorOutputs: [[(test: InternedTest, output: Int)]]
    /// Fields read from ancestors, by output index; copied into each record.
    private var ancestorValues: [String?]
    private let ancestorFieldIndices: [Int]

    // State.
    private var depth = 0
    private var matchedSteps = 0
    private var inRecord = false
    private var recordLine = 0
    private var values: [String?]
    /// Field node per depth below the record (index 0 = the record element), -1 for none.
    private var nodeStack: [Int]
    /// Text being collected: node index and the depth of its element.
    private var collectors: [(node: Int, depth: Int)] = []
    private var buffers: [[UInt8]]
    private var recordName = ""
    private var recordNamePointer: UnsafePointer<xmlChar>?
    private var delivered = 0

    init(compiled: CompiledSpec, layout: FieldLayout, session: LibXMLSession) throws(XMLReadError) {
        self.session = session
        reader = session.reader
        self.layout = layout
        let tree: FieldTree
        do {
            tree = try FieldTree(compiled)
        } catch {
            throw XMLReadError(
                location: SourceLocation(file: session.path, line: 0),
                message: "invalid XML record spec: \(error.message)")
        }
        steps = try compiled.steps.map { step throws(XMLReadError) in try InternedTest(step, session: session) }
        recordDepth = compiled.steps.count - 1
        nodes = try tree.nodes.map { node throws(XMLReadError) in
            Node(
                test: try InternedTest(node.test, session: session), children: node.children,
                textOutputs: node.textOutputs,
                attributeOutputs: try node.attributeOutputs.map { pair throws(XMLReadError) in
                    (try InternedTest(pair.test, session: session), pair.output)
                })
        }
        ancestorOutputs = try tree.ancestorOutputs.map { list throws(XMLReadError) in
            try list.map { pair throws(XMLReadError) in (try InternedTest(pair.test, session: session), pair.output) }
        }
        ancestorFieldIndices = tree.ancestorOutputs.flatMap { $0.map(\.output) }
        values = Array(repeating: nil, count: compiled.fieldNames.count)
        ancestorValues = values
        nodeStack = Array(repeating: -1, count: 8)
        buffers = Array(repeating: [], count: tree.nodes.count)
    }

    /// Reads to the end; returns the number of records delivered.
    mutating func run(_ body: (XMLRecord) throws -> Void) throws -> Int {
        while true {
            let status = xmlTextReaderRead(reader)
            if status != 1 {
                if status == 0, !session.errors.hasError { return delivered }
                throw session.fault(recordsBeforeFault: delivered)
            }
            switch xmlTextReaderNodeType(reader) {
            case ReaderNode.element:
                try startElement(body)
            case ReaderNode.endElement:
                try endElement(body)
            case ReaderNode.text, ReaderNode.cdata, ReaderNode.whitespace, ReaderNode.significantWhitespace:
                if !collectors.isEmpty { try collectText() }
            case ReaderNode.entityReference:
                throw session.entityReferenceFault(recordsBeforeFault: delivered)
            case ReaderNode.documentType:
                try session.checkDocumentType(recordsBeforeFault: delivered)
            default:
                break
            }
        }
    }

    private mutating func startElement(_ body: (XMLRecord) throws -> Void) throws {
        let empty = xmlTextReaderIsEmptyElement(reader) == 1
        let current = depth
        if !empty { depth += 1 }
        if inRecord {
            let relative = current - recordDepth
            let parent = nodeStack[relative - 1]
            var node = -1
            if parent >= 0, !nodes[parent].children.isEmpty {
                let local = xmlTextReaderConstLocalName(reader)
                for child in nodes[parent].children where nodes[child].test.matchesElement(local, reader) {
                    node = child
                    break
                }
                if node >= 0 { try startField(node, depth: current, empty: empty) }
            }
            if !empty {
                if relative >= nodeStack.count { nodeStack.append(contentsOf: repeatElement(-1, count: nodeStack.count)) }
                nodeStack[relative] = node
            }
            return
        }
        guard current == matchedSteps, current < steps.count else { return }
        let local = xmlTextReaderConstLocalName(reader)
        guard steps[current].matchesElement(local, reader) else { return }
        if current < recordDepth {
            if !ancestorOutputs[current].isEmpty {
                for (_, output) in ancestorOutputs[current] { ancestorValues[output] = nil }
                captureAttributes(ancestorOutputs[current], into: &ancestorValues)
            }
            if !empty { matchedSteps = current + 1 }
            return
        }
        // A record starts.
        inRecord = true
        recordLine = Int(lagesbild_xmlTextReaderNodeLine(reader))
        if local != recordNamePointer {
            recordNamePointer = local
            recordName = local.map { String(cString: $0) } ?? ""
        }
        for index in ancestorFieldIndices { values[index] = ancestorValues[index] }
        nodeStack[0] = 0
        try startField(0, depth: current, empty: empty)
        if empty { try finishRecord(body) }
    }

    /// The element of field node `node` starts at `depth`.
    private mutating func startField(_ node: Int, depth: Int, empty: Bool) throws {
        if !nodes[node].attributeOutputs.isEmpty { captureAttributes(nodes[node].attributeOutputs, into: &values) }
        let outputs = nodes[node].textOutputs
        guard let first = outputs.first, values[first] == nil else { return }
        if empty {
            for output in outputs { values[output] = "" }
        } else {
            buffers[node].removeAll(keepingCapacity: true)
            collectors.append((node, depth))
        }
    }

    private mutating func endElement(_ body: (XMLRecord) throws -> Void) throws {
        depth -= 1
        let current = depth
        if inRecord {
            if let last = collectors.last, last.depth == current {
                collectors.removeLast()
                let text = String(decoding: buffers[last.node], as: UTF8.self)
                for output in nodes[last.node].textOutputs { values[output] = text }
            }
            if current == recordDepth { try finishRecord(body) }
        } else if matchedSteps > current {
            matchedSteps = current
        }
    }

    private mutating func finishRecord(_ body: (XMLRecord) throws -> Void) throws {
        inRecord = false
        collectors.removeAll(keepingCapacity: true)
        // A non-fatal libxml2 error (a namespace error, say) fails the file before the next record.
        if session.errors.hasError { throw session.fault(recordsBeforeFault: delivered) }
        let record = XMLRecord(line: recordLine, elementName: recordName, layout: layout, storage: values)
        for index in values.indices { values[index] = nil }
        try body(record)
        delivered += 1
    }

    private mutating func collectText() throws {
        guard let text = xmlTextReaderConstValue(reader) else { return }
        let count = strlen(text)
        let bytes = UnsafeBufferPointer(start: text, count: count)
        for collector in collectors {
            buffers[collector.node].append(contentsOf: bytes)
            if buffers[collector.node].count > XMLRecordReader.maximumFieldBytes {
                let names = nodes[collector.node].textOutputs.map { layout.names[$0] }.joined(separator: ", ")
                throw session.policyFault(
                    "field \(names) is longer than \(XMLRecordReader.maximumFieldBytes) bytes",
                    recordsBeforeFault: delivered)
            }
        }
    }

    /// Copies the wanted attributes of the current element; the first matching attribute wins.
    private func captureAttributes(_ wanted: [(test: InternedTest, output: Int)], into target: inout [String?]) {
        var status = xmlTextReaderMoveToFirstAttribute(reader)
        while status == 1 {
            if xmlTextReaderIsNamespaceDecl(reader) != 1 {
                let local = xmlTextReaderConstLocalName(reader)
                for (test, output) in wanted where target[output] == nil && test.matchesAttribute(local, reader) {
                    target[output] = xmlTextReaderConstValue(reader).map { String(cString: $0) } ?? ""
                }
            }
            status = xmlTextReaderMoveToNextAttribute(reader)
        }
        xmlTextReaderMoveToElement(reader)
    }
}
