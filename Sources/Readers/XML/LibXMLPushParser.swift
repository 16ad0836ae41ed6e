import CLibXML2
import LagesbildModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// libxml2's SAX2 push parser over one file: the parser ``XMLRecordReader`` is built on.
///
/// No tree is built: libxml2 calls the handler's functions for each start tag, end tag and piece of
/// text, and the file is fed to it in ``chunkSize`` blocks (the text reader feeds its parser 512 bytes
/// at a time and builds, then frees, a node for everything). Parser options are
/// ``LibXMLSession/options``: no `NOENT`, `DTDLOAD`, `DTDATTR`, `DTDVALID` nor `HUGE`.
///
/// What the text reader's tree builder enforced and a SAX handler must enforce itself (see
/// ``RecordScanner``): the depth limit (``maximumDepth``), the length of one text node
/// (``maximumTextNodeBytes``), and dropping attributes defaulted from the DTD. The handler installs
/// no entity lookup at all (`getEntity`, `getParameterEntity`), so libxml2 can neither expand nor load
/// an entity: a declared entity reads as undeclared.
final class LibXMLPushParser {
    /// Bytes fed to libxml2 per call: large enough that the per-chunk work is negligible, small enough
    /// to stay in cache.
    static let chunkSize = 64 * 1024
    /// Open elements at most, as libxml2's tree builder (`xmlParserMaxDepth`) without `XML_PARSE_HUGE`.
    static let maximumDepth = 256
    /// Longest text node, as libxml2's tree builder (`XML_MAX_TEXT_LENGTH`) without `XML_PARSE_HUGE`.
    static let maximumTextNodeBytes = 10_000_000

    let path: String
    let input: LibXMLInput
    let errors = LibXMLErrorBox()
    let context: xmlParserCtxtPtr

    /// Opens `path` and creates a parser calling `handler`'s functions; set ``userData`` before ``run()``.
    init(path: String, handler: xmlSAXHandler) throws(XMLReadError) {
        _ = libXMLInitialized
        self.path = path
        let descriptor = try LibXMLInput.open(path)
        input = LibXMLInput(descriptor: descriptor)
        var handler = handler
        handler.initialized = UInt32(XML_SAX2_MAGIC)
        // No first bytes: libxml2 detects the encoding when the first chunk arrives.
        guard let context = xmlCreatePushParserCtxt(&handler, nil, nil, 0, path) else {
            close(descriptor)
            throw XMLReadError(
                location: SourceLocation(file: path, line: 0), message: "libxml2 could not create a parser")
        }
        self.context = context
        xmlCtxtUseOptions(context, LibXMLSession.options)
    }

    deinit {
        // A SAX parse builds no tree, but libxml2 stores each entity declaration in a document of its
        // own ("SAX compatibility mode", made by `xmlParseEntityDecl`), which `xmlFreeParserCtxt`
        // leaves to the caller: without this, every refused file with an entity leaked ~13 KB.
        if let document = context.pointee.myDoc {
            xmlFreeDoc(document)
            context.pointee.myDoc = nil
        }
        xmlFreeParserCtxt(context)
        close(input.descriptor)
    }

    /// The pointer every callback (including the structured error callback) receives as its context.
    var userData: UnsafeMutableRawPointer? {
        get { context.pointee.userData }
        set { context.pointee.userData = newValue }
    }

    /// The parser's dictionary: names the callbacks receive are pointers into it.
    var dictionary: xmlDictPtr { context.pointee.dict }

    /// libxml2's current line in the document.
    var line: Int { Int(context.pointee.input?.pointee.line ?? 0) }

    /// libxml2's current column in the document.
    var column: Int { Int(context.pointee.input?.pointee.col ?? 0) }

    /// Interns `name` in the parser's dictionary.
    func intern(_ name: String) throws(XMLReadError) -> UnsafePointer<xmlChar> {
        guard let interned = xmlDictLookup(dictionary, name, -1) else {
            throw XMLReadError(location: SourceLocation(file: path, line: 0), message: "libxml2 is out of memory")
        }
        return interned
    }

    /// Stops the parse from inside a callback: libxml2 makes no further calls.
    func stop() { xmlStopParser(context) }

    /// Whether the parse ended, by a fatal error or ``stop()``: feeding more is pointless.
    var isStopped: Bool { context.pointee.instate == XML_PARSER_EOF || context.pointee.wellFormed == 0 }

    /// Feeds the whole file to the parser, until its end, a read error, a fatal error or ``stop()``.
    func run() {
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: Self.chunkSize)
        defer { buffer.deallocate() }
        while true {
            let count = input.read(into: buffer, count: Self.chunkSize)
            if count < 0 { return }
            xmlParseChunk(context, buffer, count, count == 0 ? 1 : 0)
            if count == 0 || isStopped { return }
        }
    }

    /// The error for a parse that libxml2 failed, or that stopped early; nil when it read the whole file
    /// without an error. `openElements`: elements still open where parsing stopped.
    func fault(recordsBeforeFault: Int, openElements: Int) -> XMLReadError? {
        guard errors.hasError || context.pointee.wellFormed == 0 || input.readErrno != 0 || !input.atEnd else {
            return nil
        }
        return LibXMLSession.fault(
            path: path, errors: errors, input: input, parserLine: line, recordsBeforeFault: recordsBeforeFault,
            openElements: openElements)
    }
}
