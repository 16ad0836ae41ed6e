import CLibXML2
import LagesbildModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What an XML file holds, for `lagesbild inspect`: element paths with counts, attributes and
/// sample values, the namespaces declared and a suggested record path.
public struct XMLInspection: Sendable, Codable, Hashable {
    /// The file inspected.
    public var file: String
    /// The root element's name as written (with its prefix), nil when none was read.
    public var rootElement: String?
    /// Namespaces declared anywhere: prefix → URI; the default namespace has the prefix "". At most
    /// ``XMLInspector/maximumNamespaces`` prefixes, the first URI declared for each.
    public var namespaces: [String: String]
    /// True when more prefixes were declared than are kept (``XMLInspector/maximumNamespaces``).
    public var namespacesTruncated: Bool
    /// Every distinct element path (names as written, from the root), in order of first appearance.
    public var elements: [XMLElementSummary]
    /// The most frequent repeated element path whose elements have child elements or attributes.
    public var suggestedRecordPath: String?
    /// True when the file had more distinct paths than are tracked (``XMLInspector/maximumPaths``).
    public var pathsTruncated: Bool
    /// True when the file had more distinct attributes (per path, counted over all paths) than are
    /// tracked (``XMLInspector/maximumAttributes``).
    public var attributesTruncated: Bool
    /// Bytes read from the file.
    public var bytesRead: Int
    /// Why reading stopped early (malformed, truncated or refused document), with its location.
    public var error: XMLReadError?
}

/// One distinct element path.
public struct XMLElementSummary: Sendable, Codable, Hashable {
    /// Element names from the root, as written, e.g. `lst:Export/lst:Kommun`. A name longer than
    /// ``XMLInspector/maximumSampleLength`` characters is cut (ending in `…`), and a path longer than
    /// ``XMLInspector/maximumPathLength`` keeps its end, after `…/`.
    public var path: String
    /// How many elements have this path.
    public var count: Int
    /// Whether any of them has a child element.
    public var hasChildElements: Bool
    /// Attributes seen on these elements (namespace declarations excluded), by first appearance.
    public var attributes: [XMLAttributeSummary]
    /// Up to the sample count of distinct, trimmed text values (direct text of the element).
    public var textSamples: [String]
}

/// One attribute of an element path.
public struct XMLAttributeSummary: Sendable, Codable, Hashable {
    /// The attribute's name as written.
    public var name: String
    /// How many elements of the path carry it.
    public var count: Int
    /// Up to the sample count of distinct values.
    public var samples: [String]
}

/// Builds an ``XMLInspection`` in one streaming pass, with the same safety rules as ``XMLRecordReader``.
///
/// What it keeps does not grow with the file: paths, attributes and namespace prefixes are capped
/// (the inspection says when a cap was reached), and names, samples and URIs are cut. Time is linear
/// in the number of elements, attributes and namespace declarations.
public enum XMLInspector {
    /// Distinct element paths tracked; more are counted nowhere and flagged in the inspection.
    public static let maximumPaths = 10_000
    /// Distinct attributes tracked, over all paths; more are flagged in the inspection.
    public static let maximumAttributes = 10_000
    /// Distinct namespace prefixes kept; more are flagged in the inspection.
    public static let maximumNamespaces = 1_000
    /// Longest sample or name kept, in characters.
    public static let maximumSampleLength = 80
    /// Longest element path or namespace URI kept, in characters.
    public static let maximumPathLength = 1_000

    /// Inspects `path`; an unreadable or malformed file gives an inspection with ``XMLInspection/error``
    /// set and what was seen before the fault. Samples have personal identity numbers masked.
    public static func inspect(path: String, sampleCount: Int = 5) -> XMLInspection {
        var inspection = XMLInspection(
            file: path, rootElement: nil, namespaces: [:], namespacesTruncated: false, elements: [],
            suggestedRecordPath: nil, pathsTruncated: false, attributesTruncated: false, bytesRead: 0, error: nil)
        let session: LibXMLSession
        do {
            session = try LibXMLSession(path: path)
        } catch {
            inspection.error = error
            return inspection
        }
        var walker = InspectionWalker(session: session, sampleCount: max(sampleCount, 0))
        do {
            try walker.run()
        } catch {
            inspection.error = error
        }
        inspection.rootElement = walker.rootElement
        inspection.namespaces = walker.namespaces
        inspection.namespacesTruncated = walker.namespacesTruncated
        inspection.elements = walker.elements
        inspection.pathsTruncated = walker.pathsTruncated
        inspection.attributesTruncated = walker.attributesTruncated
        inspection.bytesRead = session.input.bytesRead
        inspection.suggestedRecordPath = suggestRecordPath(walker.elements)
        return inspection
    }

    /// The most frequent repeated path whose elements have children or attributes; ties go to the
    /// shallower path, then to the first seen.
    static func suggestRecordPath(_ elements: [XMLElementSummary]) -> String? {
        var best: XMLElementSummary?
        var bestDepth = 0
        for element in elements where element.count > 1 && (element.hasChildElements || !element.attributes.isEmpty) {
            let depth = element.path.split(separator: "/").count
            if let current = best,
                element.count < current.count || (element.count == current.count && depth >= bestDepth)
            {
                continue
            }
            best = element
            bestDepth = depth
        }
        return best?.path
    }
}

private struct InspectionWalker {
    /// An element path's child or attribute: names compare as pointers into the reader's dictionary.
    private struct ChildKey: Hashable {
        var parent: Int
        var name: UnsafePointer<xmlChar>
    }

    let session: LibXMLSession
    let sampleCount: Int
    var rootElement: String?
    var namespaces: [String: String] = [:]
    var elements: [XMLElementSummary] = []
    var namespacesTruncated = false
    var pathsTruncated = false
    var attributesTruncated = false
    private var children: [ChildKey: Int] = [:]
    /// Index into its path's `attributes` of each attribute tracked.
    private var attributes: [ChildKey: Int] = [:]
    /// Element index per open element (-1: untracked), with the direct text gathered for samples.
    private var stack: [(element: Int, text: [UInt8])] = []

    init(session: LibXMLSession, sampleCount: Int) {
        self.session = session
        self.sampleCount = sampleCount
    }

    mutating func run() throws(XMLReadError) {
        let reader = session.reader
        while true {
            let status = xmlTextReaderRead(reader)
            if status != 1 {
                if status == 0, !session.errors.hasError { return }
                throw session.fault(recordsBeforeFault: 0, openElements: stack.count)
            }
            switch xmlTextReaderNodeType(reader) {
            case ReaderNode.element:
                startElement()
            case ReaderNode.endElement:
                endElement()
            case ReaderNode.text, ReaderNode.cdata:
                if let top = stack.indices.last, stack[top].element >= 0,
                    elements[stack[top].element].textSamples.count < sampleCount,
                    stack[top].text.count < 4 * XMLInspector.maximumSampleLength,
                    let value = xmlTextReaderConstValue(reader)
                {
                    stack[top].text.append(contentsOf: UnsafeBufferPointer(start: value, count: strlen(value)))
                }
            case ReaderNode.entityReference:
                throw session.entityReferenceFault(recordsBeforeFault: 0)
            case ReaderNode.documentType:
                try session.checkDocumentType(recordsBeforeFault: 0)
            default:
                break
            }
        }
    }

    private mutating func startElement() {
        let reader = session.reader
        let empty = xmlTextReaderIsEmptyElement(reader) == 1
        guard let name = xmlTextReaderConstName(reader) else { return }
        if rootElement == nil { rootElement = Self.name(name) }
        let parent = stack.last?.element ?? -2
        var index = -1
        if parent != -1 {
            if parent >= 0 { elements[parent].hasChildElements = true }
            let key = ChildKey(parent: parent, name: name)
            if let known = children[key] {
                index = known
            } else if elements.count < XMLInspector.maximumPaths {
                let path = (parent >= 0 ? elements[parent].path + "/" : "") + Self.name(name)
                elements.append(
                    XMLElementSummary(
                        path: Self.lastPart(of: path), count: 0, hasChildElements: false, attributes: [],
                        textSamples: []))
                index = elements.count - 1
                children[key] = index
            } else {
                pathsTruncated = true
            }
        }
        if index >= 0 {
            elements[index].count += 1
        }
        readAttributes(into: index)
        if empty {
            if index >= 0 { addSample("", to: index) }
        } else {
            stack.append((index, []))
        }
    }

    private mutating func endElement() {
        guard let (index, text) = stack.popLast(), index >= 0 else { return }
        addSample(String(decoding: text, as: UTF8.self), to: index)
    }

    private mutating func addSample(_ text: String, to index: Int) {
        let sample = Self.sample(text)
        guard !sample.isEmpty, elements[index].textSamples.count < sampleCount,
            !elements[index].textSamples.contains(sample)
        else { return }
        elements[index].textSamples.append(sample)
    }

    private mutating func readAttributes(into index: Int) {
        let reader = session.reader
        var status = xmlTextReaderMoveToFirstAttribute(reader)
        while status == 1 {
            if let declaration = lagesbild_xmlTextReaderNamespaceDecl(reader) {
                addNamespace(declaration)
            } else if index >= 0, let name = xmlTextReaderConstName(reader) {
                addAttribute(name, to: index)
            }
            status = xmlTextReaderMoveToNextAttribute(reader)
        }
        xmlTextReaderMoveToElement(reader)
    }

    /// The namespace declaration `declaration`, read straight from libxml2's node (see
    /// `lagesbild_xmlTextReaderNamespaceDecl`).
    private mutating func addNamespace(_ declaration: xmlNsPtr) {
        let prefix = declaration.pointee.prefix.map { String(cString: $0) } ?? ""
        guard namespaces[prefix] == nil else { return }
        guard namespaces.count < XMLInspector.maximumNamespaces else {
            namespacesTruncated = true
            return
        }
        let uri = declaration.pointee.href.map { String(cString: $0) } ?? ""
        namespaces[prefix] = Self.lastPart(of: uri, keepingStart: true)
    }

    /// The attribute `name` the reader stands on, of an element of path `index`.
    private mutating func addAttribute(_ name: UnsafePointer<xmlChar>, to index: Int) {
        let key = ChildKey(parent: index, name: name)
        guard let position = attributes[key] else {
            guard attributes.count < XMLInspector.maximumAttributes else {
                attributesTruncated = true
                return
            }
            attributes[key] = elements[index].attributes.count
            let samples = sampleCount > 0 ? [Self.sample(attributeValue())] : []
            elements[index].attributes.append(
                XMLAttributeSummary(name: Self.name(name), count: 1, samples: samples))
            return
        }
        elements[index].attributes[position].count += 1
        guard elements[index].attributes[position].samples.count < sampleCount else { return }
        let sample = Self.sample(attributeValue())
        if !elements[index].attributes[position].samples.contains(sample) {
            elements[index].attributes[position].samples.append(sample)
        }
    }

    /// The value of the attribute the reader stands on.
    private func attributeValue() -> String {
        xmlTextReaderConstValue(session.reader).map { String(cString: $0) } ?? ""
    }

    /// An element or attribute name, cut to ``XMLInspector/maximumSampleLength`` characters.
    private static func name(_ name: UnsafePointer<xmlChar>) -> String {
        shortened(String(cString: name), to: XMLInspector.maximumSampleLength)
    }

    /// `text` cut to `length` characters, ending in `…` when it was longer.
    private static func shortened(_ text: String, to length: Int) -> String {
        guard text.utf8.count > length,
            let end = text.index(text.startIndex, offsetBy: length, limitedBy: text.endIndex),
            end != text.endIndex
        else { return text }
        return String(text[..<end]) + "…"
    }

    /// `text` cut to ``XMLInspector/maximumPathLength`` characters: a path keeps its end (after `…/`),
    /// a URI its start (before `…`).
    private static func lastPart(of text: String, keepingStart: Bool = false) -> String {
        let length = XMLInspector.maximumPathLength
        guard text.utf8.count > length else { return text }
        if keepingStart { return shortened(text, to: length) }
        guard var start = text.index(text.endIndex, offsetBy: -length, limitedBy: text.startIndex),
            start != text.startIndex
        else { return text }
        if let slash = text[start...].firstIndex(of: "/") { start = text.index(after: slash) }
        return "…/" + text[start...]
    }

    /// Trimmed, shortened, with personal identity numbers masked.
    private static func sample(_ text: String) -> String {
        var sample = text.trimmingSpaces
        if sample.count > XMLInspector.maximumSampleLength {
            sample = String(sample.prefix(XMLInspector.maximumSampleLength)) + "…"
        }
        return PersonalNumberMask.mask(sample)
    }
}
