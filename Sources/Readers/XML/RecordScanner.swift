import CLibXML2
import LagesbildModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The depth-indexed state machine over one document, driven by libxml2's SAX2 callbacks.
///
/// Outside a record it only follows how many steps of the record path the open elements match.
/// Inside a record each open element has a field state: the set of field-tree nodes it matches
/// (usually one; a set when steps such as `Period` and `g:Period` both match), or -1 for none.
/// Names are compared as pointers into the parser's dictionary, and only the elements that can matter
/// are looked at.
///
/// The scanner lives at a fixed address (the parser's `userData`) for the whole parse; callbacks
/// reach it through that pointer, so the hot path has no reference counting or exclusivity checks.
/// Errors cannot be thrown through libxml2: a callback that must stop the parse stores the error in
/// ``failure`` and stops the parser.
struct RecordScanner {
    private let parser: LibXMLPushParser
    private let layout: FieldLayout
    private let steps: [InternedTest]
    private let recordDepth: Int
    /// Name test of each field-tree node.
    private let tests: [InternedTest]
    // Field states, as ranges into shared pools (flat arrays keep the hot loop free of reference
    // counting). States 0..<tests.count are the single field-tree nodes; states for sets of nodes
    // (an element matching two steps) are added as they are met.
    private var childRanges: [Range<Int>] = []
    private var childPool: [Int] = []
    private var textRanges: [Range<Int>] = []
    private var textPool: [Int] = []
    private var attributeRanges: [Range<Int>] = []
    private var attributePool: [(test: InternedTest, output: Int)] = []
    private var combined: [[Int]: Int] = [:]
    /// Attribute fields per ancestor depth, as ranges into `attributePool`.
    private var ancestorRanges: [Range<Int>] = []
    /// Fields read from ancestors, by output index; copied into each record.
    private var ancestorValues: [String?]
    private let ancestorFieldIndices: [Int]
    private let fieldCount: Int

    /// Open elements.
    private(set) var depth = 0
    private var matchedSteps = 0
    private var inRecord = false
    private var recordLine = 0
    /// Values of the record being read. Handed to the record and taken back after `body`: reused in
    /// place when the caller did not keep the record.
    private var values: [String?]
    /// Field state per depth below the record (index 0 = the record element), -1 for none.
    private var stateStack: [Int]
    /// Text being collected: state index and the depth of its element.
    private var collectors: [(state: Int, depth: Int)] = []
    /// Text collected per field state: a String from the first piece on (most fields have one).
    private var texts: [String]
    private var recordName = ""
    private var recordNamePointer: UnsafePointer<xmlChar>?
    /// Length of the current text node so far (consecutive character data, as libxml2's tree has it).
    private var textNodeBytes = 0
    /// Records delivered to `body`.
    private(set) var delivered = 0
    /// The document type declaration declared an entity; the document is refused at its next node.
    private(set) var entitiesDeclared = false
    /// Why this side stopped the parse: a policy fault or an error thrown by `body`.
    private(set) var failure: (any Error)?
    /// The consumer of the records, set for the duration of the parse.
    var body: ((XMLRecord) throws -> Void)?

    init(compiled: CompiledSpec, tree: FieldTree, layout: FieldLayout, parser: LibXMLPushParser) throws(XMLReadError) {
        self.parser = parser
        self.layout = layout
        steps = try compiled.steps.map { step throws(XMLReadError) in try InternedTest(step, parser: parser) }
        recordDepth = compiled.steps.count - 1
        tests = try tree.nodes.map { node throws(XMLReadError) in try InternedTest(node.test, parser: parser) }
        var attributePool: [(test: InternedTest, output: Int)] = []
        func appendAttributes(_ list: [(test: NameTest, output: Int)]) throws(XMLReadError) -> Range<Int> {
            let start = attributePool.count
            for (test, output) in list { attributePool.append((try InternedTest(test, parser: parser), output)) }
            return start..<attributePool.count
        }
        for node in tree.nodes {
            childRanges.append(childPool.count..<(childPool.count + node.children.count))
            childPool += node.children
            textRanges.append(textPool.count..<(textPool.count + node.textOutputs.count))
            textPool += node.textOutputs
            attributeRanges.append(try appendAttributes(node.attributeOutputs))
        }
        for list in tree.ancestorOutputs {
            ancestorRanges.append(try appendAttributes(list))
        }
        self.attributePool = attributePool
        ancestorFieldIndices = tree.ancestorOutputs.flatMap { $0.map(\.output) }
        fieldCount = compiled.fieldNames.count
        values = Array(repeating: nil, count: fieldCount)
        ancestorValues = values
        stateStack = Array(repeating: -1, count: 8)
        texts = Array(repeating: "", count: tree.nodes.count)
    }

    // MARK: - SAX2 events

    /// A start tag. `attributes`: libxml2's SAX2 layout, five pointers per attribute (local name,
    /// prefix, namespace URI, value start, value end); `attributeCount` excludes those defaulted from
    /// the DTD, which libxml2's tree builder drops too (no `XML_PARSE_DTDATTR`).
    mutating func startElement(
        _ local: UnsafePointer<xmlChar>?, _ uri: UnsafePointer<xmlChar>?, _ attributes: SAXAttributes
    ) {
        if entitiesDeclared { return stop(entityDeclarationFault()) }
        textNodeBytes = 0
        let current = depth
        guard current < LibXMLPushParser.maximumDepth else {
            return stop(
                policyFault(
                    "elements are nested deeper than libxml2's limit of \(LibXMLPushParser.maximumDepth) levels"))
        }
        depth += 1
        if inRecord {
            let relative = current - recordDepth
            let parent = stateStack[relative - 1]
            var state = -1
            if parent >= 0, !childRanges[parent].isEmpty {
                state = matchingState(under: parent, local, uri)
                if state >= 0 { startField(state, depth: current, attributes) }
            }
            if relative >= stateStack.count {
                stateStack.append(contentsOf: repeatElement(-1, count: stateStack.count))
            }
            stateStack[relative] = state
            return
        }
        guard current == matchedSteps, current < steps.count, steps[current].matches(local, uri) else { return }
        if current < recordDepth {
            let wanted = ancestorRanges[current]
            if !wanted.isEmpty {
                for index in wanted { ancestorValues[attributePool[index].output] = nil }
                Self.captureAttributes(attributes, attributePool, wanted, into: &ancestorValues)
            }
            matchedSteps = current + 1
            return
        }
        // A record starts.
        inRecord = true
        recordLine = parser.line
        if local != recordNamePointer {
            recordNamePointer = local
            recordName = local.map { String(cString: $0) } ?? ""
        }
        if values.count != fieldCount { values = Array(repeating: nil, count: fieldCount) }
        values.withUnsafeMutableBufferPointer { values in
            for index in values.indices { values[index] = nil }
            for index in ancestorFieldIndices { values[index] = ancestorValues[index] }
        }
        stateStack[0] = 0
        startField(0, depth: current, attributes)
    }

    /// An end tag (also after the start of an empty element).
    mutating func endElement() {
        textNodeBytes = 0
        depth -= 1
        let current = depth
        if inRecord {
            if let last = collectors.last, last.depth == current {
                collectors.removeLast()
                let text = texts[last.state]
                for index in textRanges[last.state] where values[textPool[index]] == nil {
                    values[textPool[index]] = text
                }
            }
            if current == recordDepth { finishRecord() }
        } else if matchedSteps > current {
            matchedSteps = current
        }
    }

    /// Character data (text, character and predefined entity references, whitespace).
    mutating func characters(_ text: UnsafePointer<xmlChar>?, _ count: Int) {
        if entitiesDeclared { return stop(entityDeclarationFault()) }
        textNodeBytes += count
        if textNodeBytes > LibXMLPushParser.maximumTextNodeBytes {
            return stop(policyFault("a text node is longer than libxml2's limit of 10 MB"))
        }
        if !collectors.isEmpty { collect(text, count) }
    }

    /// A CDATA section (a node of its own: the text node before it ends).
    mutating func cdata(_ text: UnsafePointer<xmlChar>?, _ count: Int) {
        if entitiesDeclared { return stop(entityDeclarationFault()) }
        textNodeBytes = 0
        if !collectors.isEmpty { collect(text, count) }
    }

    /// An entity reference libxml2 could not resolve: every entity but the predefined ones, since the
    /// handler resolves none.
    mutating func entityReference(_ name: UnsafePointer<xmlChar>?) {
        if entitiesDeclared { return stop(entityDeclarationFault()) }
        let text = name.map { String(cString: $0) } ?? "?"
        stop(
            policyFault(
                "entity reference &\(text); refused: only the predefined entities and character references are allowed",
                column: true))
    }

    /// An entity declaration (general, parameter or unparsed) in the document type declaration.
    ///
    /// Parsing goes on to the end of the declaration (nothing is stored, so nothing can be expanded or
    /// loaded) so that the fault names the line after it, as the text reader does.
    mutating func entityDeclared() {
        entitiesDeclared = true
    }

    // MARK: - Records

    /// The state of an element, a child of an element in state `parent`, or -1.
    private mutating func matchingState(
        under parent: Int, _ local: UnsafePointer<xmlChar>?, _ uri: UnsafePointer<xmlChar>?
    ) -> Int {
        var first = -1
        var all: [Int]?
        for index in childRanges[parent] {
            let child = childPool[index]
            guard tests[child].matches(local, uri) else { continue }
            if first < 0 {
                first = child
            } else {
                all = (all ?? [first]) + [child]
            }
        }
        guard let all else { return first }
        if let known = combined[all] { return known }
        let childStart = childPool.count
        let textStart = textPool.count
        let attributeStart = attributePool.count
        for member in all {
            for index in childRanges[member] { childPool.append(childPool[index]) }
            for index in textRanges[member] { textPool.append(textPool[index]) }
            for index in attributeRanges[member] { attributePool.append(attributePool[index]) }
        }
        childRanges.append(childStart..<childPool.count)
        textRanges.append(textStart..<textPool.count)
        attributeRanges.append(attributeStart..<attributePool.count)
        texts.append("")
        combined[all] = childRanges.count - 1
        return childRanges.count - 1
    }

    /// The element of field state `state` starts at `depth`.
    private mutating func startField(_ state: Int, depth: Int, _ attributes: SAXAttributes) {
        if !attributeRanges[state].isEmpty {
            Self.captureAttributes(attributes, attributePool, attributeRanges[state], into: &values)
        }
        let outputs = textRanges[state]
        // The first element of a field gives its value; later ones are ignored.
        guard outputs.contains(where: { values[textPool[$0]] == nil }) else { return }
        texts[state] = ""
        collectors.append((state, depth))
    }

    private mutating func finishRecord() {
        inRecord = false
        collectors.removeAll(keepingCapacity: true)
        // A non-fatal libxml2 error (a namespace error, say) fails the file before the record.
        if parser.errors.hasError { return parser.stop() }
        let record = XMLRecord(line: recordLine, elementName: recordName, layout: layout, storage: values)
        values = []
        do {
            try body?(record)
        } catch {
            return stop(error)
        }
        // Unique again unless the caller kept the record: the next record then resets it in place.
        values = record.storage
        delivered += 1
    }

    private mutating func collect(_ text: UnsafePointer<xmlChar>?, _ count: Int) {
        guard let text, count > 0 else { return }
        let piece = String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
        for collector in collectors {
            if texts[collector.state].isEmpty {
                texts[collector.state] = piece
            } else {
                texts[collector.state] += piece
            }
            if texts[collector.state].utf8.count > XMLRecordReader.maximumFieldBytes {
                let names = textRanges[collector.state].map { layout.names[textPool[$0]] }.joined(separator: ", ")
                return stop(policyFault("field \(names) is longer than \(XMLRecordReader.maximumFieldBytes) bytes"))
            }
        }
    }

    /// Copies the wanted attributes (a range of `pool`) of an element; the first matching attribute
    /// wins. Static, so that writing into a property of the scanner does not copy it.
    private static func captureAttributes(
        _ attributes: SAXAttributes, _ pool: [(test: InternedTest, output: Int)], _ wanted: Range<Int>,
        into target: inout [String?]
    ) {
        guard let list = attributes.list else { return }
        for attribute in 0..<attributes.count {
            let base = 5 * attribute
            let local = list[base]
            for index in wanted {
                let (test, output) = pool[index]
                if target[output] == nil, test.matches(local, list[base + 2], attribute: true) {
                    target[output] = attributeValue(start: list[base + 3], end: list[base + 4])
                }
            }
        }
    }

    /// An attribute value as libxml2's SAX2 layer hands it over: references resolved, except that a
    /// `&` (written `&amp;` or `&#38;`) is left as `&#38;` in a value libxml2 had to copy (one that is
    /// NUL-terminated), for its tree builder to resolve. No other `&` can remain: the handler resolves
    /// no entity, so a reference to any other entity has stopped the parse.
    private static func attributeValue(start: UnsafePointer<xmlChar>?, end: UnsafePointer<xmlChar>?) -> String {
        guard let start, let end, end > start else { return "" }
        let bytes = UnsafeBufferPointer(start: start, count: end - start)
        guard end.pointee == 0, bytes.contains(UInt8(ascii: "&")) else {
            return String(decoding: bytes, as: UTF8.self)
        }
        let reference = Array("&#38;".utf8)
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "&"), index + reference.count <= bytes.count,
                bytes[index..<(index + reference.count)].elementsEqual(reference)
            {
                decoded.append(UInt8(ascii: "&"))
                index += reference.count
            } else {
                decoded.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: decoded, as: UTF8.self)
    }

    // MARK: - Faults

    private mutating func stop(_ error: any Error) {
        if failure == nil { failure = error }
        parser.stop()
    }

    /// An error raised by this module's own policy at the parser's current place.
    private func policyFault(_ message: String, column: Bool = false) -> XMLReadError {
        XMLReadError(
            location: SourceLocation(
                file: parser.path, line: max(parser.line, 1), column: column && parser.column > 0 ? parser.column : nil),
            message: message, recordsBeforeFault: delivered)
    }

    /// The refusal of a document whose document type declaration declares entities, reported at the
    /// first node after the declaration (or where parsing stopped).
    func entityDeclarationFault() -> XMLReadError {
        policyFault(
            "the document type declaration (before this line) declares entities; DTD entities are refused in "
                + "data exports (protection against external-entity and entity-expansion attacks)")
    }
}

/// The attributes of a SAX2 start tag: `count` attributes of five pointers each.
struct SAXAttributes {
    var list: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    var count: Int
}

extension RecordScanner {
    /// The SAX2 handler driving a scanner: the parser's `userData` must point at the scanner. No
    /// entity lookup, no external subset, no tree.
    static var handler: xmlSAXHandler {
        var handler = xmlSAXHandler()
        handler.startElementNs = { context, local, _, uri, _, _, count, defaulted, attributes in
            scannerAt(context).pointee.startElement(
                local, uri, SAXAttributes(list: attributes, count: Int(count - defaulted)))
        }
        handler.endElementNs = { context, _, _, _ in scannerAt(context).pointee.endElement() }
        handler.characters = { context, text, count in scannerAt(context).pointee.characters(text, Int(count)) }
        // The same function: libxml2 then skips its check whether whitespace is ignorable.
        handler.ignorableWhitespace = handler.characters
        handler.cdataBlock = { context, text, count in scannerAt(context).pointee.cdata(text, Int(count)) }
        handler.reference = { context, name in scannerAt(context).pointee.entityReference(name) }
        handler.entityDecl = { context, _, _, _, _, _ in scannerAt(context).pointee.entityDeclared() }
        handler.unparsedEntityDecl = { context, _, _, _, _ in scannerAt(context).pointee.entityDeclared() }
        handler.serror = { context, error in
            guard let error else { return }
            scannerAt(context).pointee.parserErrors.record(error.pointee)
        }
        return handler
    }

    var parserErrors: LibXMLErrorBox { parser.errors }
}

/// The scanner a SAX callback's context points at.
@inline(__always)
private func scannerAt(_ context: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<RecordScanner> {
    context.unsafelyUnwrapped.assumingMemoryBound(to: RecordScanner.self)
}
