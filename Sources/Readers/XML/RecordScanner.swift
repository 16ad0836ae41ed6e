import CLibXML2
import LagesbildModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The depth-indexed state machine over one reader's nodes.
///
/// Outside a record it only follows how many steps of the record path the open elements match.
/// Inside a record each open element has a field state: the set of field-tree nodes it matches
/// (usually one; a set when steps such as `Period` and `g:Period` both match), or -1 for none.
/// Names are compared as dictionary pointers, and only the elements that can matter are named at all.
struct RecordScanner {
    private let session: LibXMLSession
    private let reader: xmlTextReaderPtr
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

    private var depth = 0
    private var matchedSteps = 0
    private var inRecord = false
    private var recordLine = 0
    private var values: [String?]
    /// Field state per depth below the record (index 0 = the record element), -1 for none.
    private var stateStack: [Int]
    /// Text being collected: state index and the depth of its element.
    private var collectors: [(state: Int, depth: Int)] = []
    private var buffers: [[UInt8]]
    private var recordName = ""
    private var recordNamePointer: UnsafePointer<xmlChar>?
    private var delivered = 0

    init(compiled: CompiledSpec, tree: FieldTree, layout: FieldLayout, session: LibXMLSession) throws(XMLReadError) {
        self.session = session
        reader = session.reader
        self.layout = layout
        steps = try compiled.steps.map { step throws(XMLReadError) in try InternedTest(step, session: session) }
        recordDepth = compiled.steps.count - 1
        tests = try tree.nodes.map { node throws(XMLReadError) in try InternedTest(node.test, session: session) }
        var attributePool: [(test: InternedTest, output: Int)] = []
        func appendAttributes(_ list: [(test: NameTest, output: Int)]) throws(XMLReadError) -> Range<Int> {
            let start = attributePool.count
            for (test, output) in list { attributePool.append((try InternedTest(test, session: session), output)) }
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
        buffers = Array(repeating: [], count: tree.nodes.count)
    }

    /// Reads to the end; returns the number of records delivered.
    mutating func run(_ body: (XMLRecord) throws -> Void) throws -> Int {
        while true {
            let status = xmlTextReaderRead(reader)
            if status != 1 {
                if status == 0, !session.errors.hasError { return delivered }
                throw session.fault(recordsBeforeFault: delivered, openElements: depth)
            }
            switch xmlTextReaderNodeType(reader) {
            case ReaderNode.element:
                try startElement(body)
            case ReaderNode.endElement:
                try endElement(body)
            case ReaderNode.text, ReaderNode.cdata, ReaderNode.whitespace, ReaderNode.significantWhitespace:
                if inRecord, recordLine == 0 {
                    // The record's start tag came at the end of a parsed chunk: its first text tells.
                    recordLine = Int(lagesbild_xmlTextReaderNodeLine(reader))
                }
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
            let parent = stateStack[relative - 1]
            var state = -1
            if parent >= 0, !childRanges[parent].isEmpty {
                state = matchingState(under: parent)
                if state >= 0 { try startField(state, depth: current, empty: empty) }
            }
            if !empty {
                if relative >= stateStack.count {
                    stateStack.append(contentsOf: repeatElement(-1, count: stateStack.count))
                }
                stateStack[relative] = state
            }
            return
        }
        guard current == matchedSteps, current < steps.count else { return }
        let local = xmlTextReaderConstLocalName(reader)
        guard steps[current].matches(local, reader) else { return }
        if current < recordDepth {
            let wanted = ancestorRanges[current]
            if !wanted.isEmpty {
                for index in wanted { ancestorValues[attributePool[index].output] = nil }
                Self.captureAttributes(reader, attributePool, wanted, into: &ancestorValues)
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
        stateStack[0] = 0
        try startField(0, depth: current, empty: empty)
        if empty { try finishRecord(body) }
    }

    /// The state of the current element, a child of an element in state `parent`, or -1.
    private mutating func matchingState(under parent: Int) -> Int {
        let local = xmlTextReaderConstLocalName(reader)
        var first = -1
        var all: [Int]?
        for index in childRanges[parent] {
            let child = childPool[index]
            guard tests[child].matches(local, reader) else { continue }
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
        buffers.append([])
        combined[all] = childRanges.count - 1
        return childRanges.count - 1
    }

    /// The element of field state `state` starts at `depth`.
    private mutating func startField(_ state: Int, depth: Int, empty: Bool) throws {
        if !attributeRanges[state].isEmpty {
            Self.captureAttributes(reader, attributePool, attributeRanges[state], into: &values)
        }
        let outputs = textRanges[state]
        // The first element of a field gives its value; later ones are ignored.
        guard outputs.contains(where: { values[textPool[$0]] == nil }) else { return }
        if empty {
            for index in outputs where values[textPool[index]] == nil { values[textPool[index]] = "" }
        } else {
            buffers[state].removeAll(keepingCapacity: true)
            collectors.append((state, depth))
        }
    }

    private mutating func endElement(_ body: (XMLRecord) throws -> Void) throws {
        depth -= 1
        let current = depth
        if inRecord {
            if let last = collectors.last, last.depth == current {
                collectors.removeLast()
                let text = String(decoding: buffers[last.state], as: UTF8.self)
                for index in textRanges[last.state] where values[textPool[index]] == nil {
                    values[textPool[index]] = text
                }
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
        if recordLine == 0 { recordLine = Int(xmlTextReaderGetParserLineNumber(reader)) }  // approximate
        let record = XMLRecord(line: recordLine, elementName: recordName, layout: layout, storage: values)
        values = Array(repeating: nil, count: fieldCount)
        try body(record)
        delivered += 1
    }

    private mutating func collectText() throws {
        guard let text = xmlTextReaderConstValue(reader) else { return }
        let bytes = UnsafeBufferPointer(start: text, count: strlen(text))
        for collector in collectors {
            buffers[collector.state].append(contentsOf: bytes)
            if buffers[collector.state].count > XMLRecordReader.maximumFieldBytes {
                let names = textRanges[collector.state].map { layout.names[textPool[$0]] }.joined(separator: ", ")
                throw session.policyFault(
                    "field \(names) is longer than \(XMLRecordReader.maximumFieldBytes) bytes",
                    recordsBeforeFault: delivered)
            }
        }
    }

    /// Copies the wanted attributes (a range of `pool`) of the reader's current element; the first
    /// matching attribute wins. Static, so that writing into a property of the scanner does not copy it.
    private static func captureAttributes(
        _ reader: xmlTextReaderPtr, _ pool: [(test: InternedTest, output: Int)], _ wanted: Range<Int>,
        into target: inout [String?]
    ) {
        var status = xmlTextReaderMoveToFirstAttribute(reader)
        while status == 1 {
            if xmlTextReaderIsNamespaceDecl(reader) != 1 {
                let local = xmlTextReaderConstLocalName(reader)
                for index in wanted {
                    let (test, output) = pool[index]
                    if target[output] == nil, test.matches(local, reader, attribute: true) {
                        target[output] = xmlTextReaderConstValue(reader).map { String(cString: $0) } ?? ""
                    }
                }
            }
            status = xmlTextReaderMoveToNextAttribute(reader)
        }
        xmlTextReaderMoveToElement(reader)
    }
}
