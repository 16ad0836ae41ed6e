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
    /// A set of field-tree nodes matched by one element.
    private struct State {
        var children: [Int]
        var textOutputs: [Int]
        var attributeOutputs: [(test: InternedTest, output: Int)]
    }

    private let session: LibXMLSession
    private let reader: xmlTextReaderPtr
    private let layout: FieldLayout
    private let steps: [InternedTest]
    private let recordDepth: Int
    /// Name test of each field-tree node.
    private let tests: [InternedTest]
    /// States 0..<tests.count are the single nodes; more are made for sets of nodes as met.
    private var states: [State]
    private var combined: [[Int]: Int] = [:]
    private let ancestorOutputs: [[(test: InternedTest, output: Int)]]
    /// Fields read from ancestors, by output index; copied into each record.
    private var ancestorValues: [String?]
    private let ancestorFieldIndices: [Int]

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
        func intern(_ list: [(test: NameTest, output: Int)]) throws(XMLReadError) -> [(test: InternedTest, output: Int)]
        {
            try list.map { pair throws(XMLReadError) in (try InternedTest(pair.test, session: session), pair.output) }
        }
        steps = try compiled.steps.map { step throws(XMLReadError) in try InternedTest(step, session: session) }
        recordDepth = compiled.steps.count - 1
        tests = try tree.nodes.map { node throws(XMLReadError) in try InternedTest(node.test, session: session) }
        states = try tree.nodes.map { node throws(XMLReadError) in
            State(
                children: node.children, textOutputs: node.textOutputs,
                attributeOutputs: try intern(node.attributeOutputs))
        }
        ancestorOutputs = try tree.ancestorOutputs.map { list throws(XMLReadError) in try intern(list) }
        ancestorFieldIndices = tree.ancestorOutputs.flatMap { $0.map(\.output) }
        values = Array(repeating: nil, count: compiled.fieldNames.count)
        ancestorValues = values
        stateStack = Array(repeating: -1, count: 8)
        buffers = Array(repeating: [], count: states.count)
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
            if parent >= 0, !states[parent].children.isEmpty {
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
        stateStack[0] = 0
        try startField(0, depth: current, empty: empty)
        if empty { try finishRecord(body) }
    }

    /// The state of the current element, a child of an element in state `parent`, or -1.
    private mutating func matchingState(under parent: Int) -> Int {
        let local = xmlTextReaderConstLocalName(reader)
        var first = -1
        var all: [Int]?
        for child in states[parent].children where tests[child].matchesElement(local, reader) {
            if first < 0 {
                first = child
            } else {
                all = (all ?? [first]) + [child]
            }
        }
        guard let all else { return first }
        if let known = combined[all] { return known }
        var state = State(children: [], textOutputs: [], attributeOutputs: [])
        for member in all {
            state.children += states[member].children
            state.textOutputs += states[member].textOutputs
            state.attributeOutputs += states[member].attributeOutputs
        }
        states.append(state)
        buffers.append([])
        combined[all] = states.count - 1
        return states.count - 1
    }

    /// The element of field state `state` starts at `depth`.
    private mutating func startField(_ state: Int, depth: Int, empty: Bool) throws {
        if !states[state].attributeOutputs.isEmpty { captureAttributes(states[state].attributeOutputs, into: &values) }
        let outputs = states[state].textOutputs
        // The first element of a field gives its value; later ones are ignored.
        guard outputs.contains(where: { values[$0] == nil }) else { return }
        if empty {
            for output in outputs where values[output] == nil { values[output] = "" }
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
                for output in states[last.state].textOutputs where values[output] == nil { values[output] = text }
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
        for index in values.indices { values[index] = nil }
        try body(record)
        delivered += 1
    }

    private mutating func collectText() throws {
        guard let text = xmlTextReaderConstValue(reader) else { return }
        let bytes = UnsafeBufferPointer(start: text, count: strlen(text))
        for collector in collectors {
            buffers[collector.state].append(contentsOf: bytes)
            if buffers[collector.state].count > XMLRecordReader.maximumFieldBytes {
                let names = states[collector.state].textOutputs.map { layout.names[$0] }.joined(separator: ", ")
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
