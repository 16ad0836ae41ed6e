import CLibXML2
import LagesbildModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// libxml2 is initialised once per process, before the first reader or parser.
let libXMLInitialized: Void = { xmlInitParser() }()

/// Node types of `xmlTextReaderNodeType`.
enum ReaderNode {
    static let element: Int32 = 1
    static let text: Int32 = 3
    static let cdata: Int32 = 4
    static let entityReference: Int32 = 5
    static let documentType: Int32 = 10
    static let whitespace: Int32 = 13
    static let significantWhitespace: Int32 = 14
    static let endElement: Int32 = 15
}

/// The file being read, fed to libxml2 through `xmlReaderForIO`; counts the bytes read.
final class LibXMLInput {
    let descriptor: Int32
    private(set) var bytesRead = 0
    private(set) var readErrno: Int32 = 0
    private(set) var atEnd = false

    init(descriptor: Int32) { self.descriptor = descriptor }

    func read(into buffer: UnsafeMutablePointer<CChar>, count: Int) -> Int32 {
        while true {
            let result = Glibc.read(descriptor, buffer, count)
            if result >= 0 {
                if result == 0 { atEnd = true }
                bytesRead += result
                return Int32(result)
            }
            if errno == EINTR { continue }
            readErrno = errno
            return -1
        }
    }

    /// Opens `path` for reading, or throws an ``XMLReadError`` that says why not.
    static func open(_ path: String) throws(XMLReadError) -> Int32 {
        let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw XMLReadError(
                location: SourceLocation(file: path, line: 0),
                message: "cannot open the file: \(String(cString: strerror(errno)))")
        }
        var status = stat()
        if fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
            close(descriptor)
            throw XMLReadError(location: SourceLocation(file: path, line: 0), message: "cannot read: it is a directory")
        }
        return descriptor
    }
}

private let libXMLReadCallback: xmlInputReadCallback = { context, buffer, length in
    guard let context, let buffer, length > 0 else { return -1 }
    return Unmanaged<LibXMLInput>.fromOpaque(context).takeUnretainedValue().read(into: buffer, count: Int(length))
}

/// One libxml2 text reader over one file, owned by a single call and freed with it.
///
/// Options: `XML_PARSE_NONET` (no network), `XML_PARSE_BIG_LINES` (line numbers past 65 535),
/// `XML_PARSE_COMPACT`; never `XML_PARSE_NOENT`, `XML_PARSE_DTDLOAD`, `XML_PARSE_DTDATTR`,
/// `XML_PARSE_DTDVALID` nor `XML_PARSE_HUGE`, so libxml2's limits stay on (10 MB per text node, depth
/// 256, a bounded name dictionary). Documents whose DTD declares entities, and entity references,
/// are refused by the callers with ``policyFault(_:recordsBeforeFault:)``.
final class LibXMLSession {
    let path: String
    let reader: xmlTextReaderPtr
    let input: LibXMLInput
    let errors = LibXMLErrorBox()

    static let options: Int32 = Int32(
        XML_PARSE_NONET.rawValue | XML_PARSE_BIG_LINES.rawValue | XML_PARSE_COMPACT.rawValue)

    init(path: String) throws(XMLReadError) {
        _ = libXMLInitialized
        self.path = path
        let descriptor = try LibXMLInput.open(path)
        input = LibXMLInput(descriptor: descriptor)
        guard
            let reader = xmlReaderForIO(
                libXMLReadCallback, nil, Unmanaged.passUnretained(input).toOpaque(), path, nil, Self.options)
        else {
            close(descriptor)
            throw XMLReadError(
                location: SourceLocation(file: path, line: 0), message: "libxml2 could not create a reader")
        }
        self.reader = reader
        xmlTextReaderSetStructuredErrorHandler(reader, libXMLErrorCallback, Unmanaged.passUnretained(errors).toOpaque())
    }

    deinit {
        xmlFreeTextReader(reader)
        close(input.descriptor)
    }

    /// Interns `name` in the reader's dictionary: names the reader returns compare by pointer to it.
    func intern(_ name: String) -> UnsafePointer<xmlChar>? {
        xmlTextReaderConstString(reader, name)
    }

    /// The error for a read that failed (`xmlTextReaderRead` returned -1) or that libxml2 reported
    /// an error for.
    ///
    /// `openElements`: elements still open where reading stopped, to tell a truncated file, for which
    /// libxml2's push parser says "Extra content at the end of the document".
    func fault(recordsBeforeFault: Int, openElements: Int = 0) -> XMLReadError {
        Self.fault(
            path: path, errors: errors, input: input, parserLine: Int(xmlTextReaderGetParserLineNumber(reader)),
            recordsBeforeFault: recordsBeforeFault, openElements: openElements)
    }

    /// The error for a parse that libxml2 failed or reported an error for, from its first message;
    /// shared by the text reader and the SAX push parser. `parserLine`: libxml2's place in the document.
    static func fault(
        path: String, errors: LibXMLErrorBox, input: LibXMLInput, parserLine: Int, recordsBeforeFault: Int,
        openElements: Int
    ) -> XMLReadError {
        if let primary = errors.primary {
            var message = LibXMLText.clean(primary)
            let code = UInt32(primary.code)
            if code == XML_ERR_DOCUMENT_END.rawValue || code == XML_ERR_DOCUMENT_EMPTY.rawValue, input.atEnd {
                if input.bytesRead == 0 {
                    message = "the file is empty"
                } else if openElements > 0 {
                    message = "the document ends with \(openElements) element(s) still open: the file looks truncated"
                }
            }
            var line = primary.line
            var column: Int? = primary.column > 0 ? primary.column : nil
            if primary.file == nil || line <= 0 {
                // Inside an entity's text: report the parser's place in the document.
                line = parserLine
                column = nil
            }
            return XMLReadError(
                location: SourceLocation(file: path, line: max(line, 1), column: column),
                message: message, recordsBeforeFault: recordsBeforeFault)
        }
        let message =
            input.readErrno != 0
            ? "reading the file failed: \(String(cString: strerror(input.readErrno)))"
            : "libxml2 stopped reading without an error message"
        return XMLReadError(
            location: SourceLocation(file: path, line: max(parserLine, 1)),
            message: message, recordsBeforeFault: recordsBeforeFault)
    }

    /// An error raised by this module's own policy at the reader's current node.
    func policyFault(_ message: String, recordsBeforeFault: Int) -> XMLReadError {
        var line = lagesbild_xmlTextReaderNodeLine(reader)
        var column: Int?
        if line <= 0 {
            line = Int(xmlTextReaderGetParserLineNumber(reader))
            column = Int(xmlTextReaderGetParserColumnNumber(reader))
        }
        return XMLReadError(
            location: SourceLocation(file: path, line: max(line, 1), column: column),
            message: message, recordsBeforeFault: recordsBeforeFault)
    }

    /// The document-type check every reader applies: refuse a DTD that declares entities.
    func checkDocumentType(recordsBeforeFault: Int) throws(XMLReadError) {
        guard lagesbild_xmlTextReaderDTDDeclaresEntities(reader) != 0 else { return }
        // libxml2 keeps no line for the declaration: report the line of the node after it.
        if xmlTextReaderRead(reader) != 1 || errors.hasError {
            throw fault(recordsBeforeFault: recordsBeforeFault)
        }
        throw policyFault(
            "the document type declaration (before this line) declares entities; DTD entities are refused in "
                + "data exports (protection against external-entity and entity-expansion attacks)",
            recordsBeforeFault: recordsBeforeFault)
    }

    /// The error for an entity reference node (`&name;` that libxml2 left unexpanded).
    func entityReferenceFault(recordsBeforeFault: Int) -> XMLReadError {
        let name = xmlTextReaderConstName(reader).map { String(cString: $0) } ?? "?"
        return policyFault(
            "entity reference &\(name); refused: only the predefined entities and character references are allowed",
            recordsBeforeFault: recordsBeforeFault)
    }
}
