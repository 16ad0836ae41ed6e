import CLibXML2
import LagesbildModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a ``SAXPushParser`` reports: start and end tags by local name, and character data.
protocol SAXHandler: AnyObject {
    func startElement(_ name: XMLName, _ attributes: SAXAttributeList)
    func endElement(_ name: XMLName)
    func characters(_ text: UnsafeBufferPointer<UInt8>)
    /// Set by the handler to stop the parse; thrown by ``SAXPushParser/feed(_:)``.
    var failure: (any Error)? { get }
}

/// A local element or attribute name from libxml2, compared without building a String.
struct XMLName {
    let pointer: UnsafePointer<xmlChar>?

    /// True when the name is `literal` (ASCII).
    @inline(__always)
    func `is`(_ literal: StaticString) -> Bool {
        guard let pointer else { return false }
        return strcmp(
            UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self),
            UnsafeRawPointer(literal.utf8Start).assumingMemoryBound(to: CChar.self)) == 0
    }
}

/// The attributes of a SAX2 start tag: five pointers each (local name, prefix, URI, value start, value end).
struct SAXAttributeList {
    let list: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    let count: Int

    /// Calls `body` with the bytes of the first attribute whose local name is `name`; nil when absent.
    func withValue<Result>(_ name: StaticString, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result? {
        guard let list else { return nil }
        for index in 0..<count where XMLName(pointer: list[5 * index]).is(name) {
            guard let start = list[5 * index + 3], let end = list[5 * index + 4] else {
                return body(UnsafeBufferPointer(start: nil, count: 0))
            }
            return body(UnsafeBufferPointer(start: start, count: end - start))
        }
        return nil
    }

    /// The value of the first attribute whose local name is `name`, as text.
    ///
    /// libxml2 leaves `&` as `&#38;` in values it had to copy (for its tree builder); it is turned back.
    func string(_ name: StaticString) -> String? {
        withValue(name) { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            return text.contains("&#38;") ? text.replacingOccurrences(of: "&#38;", with: "&") : text
        }
    }

    /// The value of attribute `name` as a whole number.
    func int(_ name: StaticString) -> Int? {
        withValue(name) { bytes -> Int? in
            guard !bytes.isEmpty, bytes.count < 19 else { return nil }
            var value = 0
            for byte in bytes {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        } ?? nil
    }
}

/// libxml2's SAX2 push parser fed from memory chunks (the decompressed bytes of one archive part), with
/// the same secure settings as the XML reader: `XML_PARSE_NONET`, no `NOENT`, `DTDLOAD`, `DTDATTR` or
/// `HUGE`; the handler resolves no entity, and a document that declares entities or refers to one is
/// refused.
final class SAXPushParser {
    /// The file and the archive part, for error locations.
    let file: String
    let part: String
    private let handler: any SAXHandler
    private let context: xmlParserCtxtPtr
    private let box: Box
    /// Stopped on purpose by ``stop()``: not an error.
    private(set) var stoppedOnPurpose = false

    /// What the C callbacks reach through the parser's user data.
    final class Box {
        let handler: any SAXHandler
        var firstError: (message: String, line: Int)?
        var refused: String?
        init(handler: any SAXHandler) { self.handler = handler }
    }

    static let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_BIG_LINES.rawValue | XML_PARSE_COMPACT.rawValue)

    init(file: String, part: String, handler: any SAXHandler) throws(XLSXReadError) {
        _ = saxInitialized
        self.file = file
        self.part = part
        self.handler = handler
        box = Box(handler: handler)
        var sax = xmlSAXHandler()
        sax.initialized = UInt32(XML_SAX2_MAGIC)
        sax.startElementNs = { context, local, _, _, _, _, count, defaulted, attributes in
            boxAt(context).handler.startElement(
                XMLName(pointer: local), SAXAttributeList(list: attributes, count: Int(count - defaulted)))
        }
        sax.endElementNs = { context, local, _, _ in boxAt(context).handler.endElement(XMLName(pointer: local)) }
        sax.characters = { context, text, count in
            boxAt(context).handler.characters(UnsafeBufferPointer(start: text, count: Int(count)))
        }
        sax.ignorableWhitespace = sax.characters
        sax.cdataBlock = sax.characters
        sax.reference = { context, name in
            let box = boxAt(context)
            if box.refused == nil {
                box.refused =
                    "entity reference &\(name.map { String(cString: $0) } ?? "?"); refused: only the predefined "
                    + "entities and character references are allowed"
            }
        }
        sax.entityDecl = { context, _, _, _, _, _ in
            boxAt(context).refused = "the document declares entities; DTD entities are refused in workbooks"
        }
        sax.unparsedEntityDecl = { context, _, _, _, _ in
            boxAt(context).refused = "the document declares entities; DTD entities are refused in workbooks"
        }
        sax.serror = { context, error in
            guard let error, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
            let box = boxAt(context)
            if box.firstError == nil {
                let message = error.pointee.message.map { String(cString: $0) } ?? "unknown libxml2 error"
                box.firstError = (
                    message.split(whereSeparator: \.isWhitespace).joined(separator: " "), Int(error.pointee.line)
                )
            }
        }
        guard let context = xmlCreatePushParserCtxt(&sax, nil, nil, 0, part) else {
            throw XLSXReadError(file: file, place: part, "libxml2 could not create a parser")
        }
        self.context = context
        xmlCtxtUseOptions(context, Self.options)
        context.pointee.userData = Unmanaged.passUnretained(box).toOpaque()
    }

    deinit { xmlFreeParserCtxt(context) }

    /// Stops the parse from a handler: the rest of the part is not read.
    func stop() {
        stoppedOnPurpose = true
        xmlStopParser(context)
    }

    private var isStopped: Bool { context.pointee.instate == XML_PARSER_EOF || context.pointee.wellFormed == 0 }

    /// Feeds one chunk; throws the handler's failure or the parse error. Returns false once the parse has
    /// stopped (on purpose): the caller stops feeding.
    func feed(_ bytes: UnsafeRawBufferPointer) throws -> Bool {
        guard !stoppedOnPurpose else { return false }
        if bytes.count > 0 {
            xmlParseChunk(
                context, bytes.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(bytes.count), 0)
        }
        try check()
        return !stoppedOnPurpose && !isStopped
    }

    /// Ends the document; throws when it is malformed or truncated.
    func finish() throws {
        guard !stoppedOnPurpose else { return }
        xmlParseChunk(context, nil, 0, 1)
        try check()
    }

    private func check() throws {
        if let failure = handler.failure { throw failure }
        if stoppedOnPurpose { return }
        if let refused = box.refused {
            throw XLSXReadError(file: file, place: part, "\(refused) (line \(line))")
        }
        if let error = box.firstError {
            throw XLSXReadError(file: file, place: part, "malformed XML at line \(error.line): \(error.message)")
        }
        if context.pointee.wellFormed == 0 {
            throw XLSXReadError(file: file, place: part, "malformed XML at line \(line)")
        }
    }

    private var line: Int { Int(context.pointee.input?.pointee.line ?? 0) }
}

private let saxInitialized: Void = { xmlInitParser() }()

@inline(__always)
private func boxAt(_ context: UnsafeMutableRawPointer?) -> SAXPushParser.Box {
    Unmanaged<SAXPushParser.Box>.fromOpaque(context.unsafelyUnwrapped).takeUnretainedValue()
}
