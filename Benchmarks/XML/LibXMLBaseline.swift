import CLibXML2
import Foundation
import XMLReader

/// libxml2's own speed, for the benchmark only: its parsers with the reader's options and chunk size and
/// nothing done per node. Written against libxml2 directly (not through the reader's internal wrappers),
/// so that no benchmark code ships in the XMLReader module.
enum LibXMLBaseline {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Reads every node of `path` with libxml2's text reader; returns the number of element nodes.
    static func countElements(path: String) throws -> Int {
        xmlInitParser()
        guard let reader = xmlReaderForFile(path, nil, XMLReaderSettings.parserOptions) else {
            throw Failure(description: "libxml2 could not open \(path)")
        }
        defer { xmlFreeTextReader(reader) }
        var elements = 0
        while true {
            let status = xmlTextReaderRead(reader)
            if status == 0 { return elements }
            if status < 0 { throw Failure(description: "libxml2 could not read \(path) (after \(elements) elements)") }
            if xmlTextReaderNodeType(reader) == 1 { elements += 1 }  // XML_READER_TYPE_ELEMENT
        }
    }

    /// Parses `path` with libxml2's SAX2 push parser, fed in the reader's chunk size, with a handler that
    /// only counts start tags; returns their number.
    static func countElementsSAX(path: String) throws -> Int {
        xmlInitParser()
        guard let file = fopen(path, "rb") else { throw Failure(description: "cannot open \(path)") }
        defer { fclose(file) }
        var handler = xmlSAXHandler()
        handler.initialized = UInt32(XML_SAX2_MAGIC)
        handler.startElementNs = { context, _, _, _, _, _, _, _, _ in
            context.unsafelyUnwrapped.assumingMemoryBound(to: Int.self).pointee += 1
        }
        guard let context = xmlCreatePushParserCtxt(&handler, nil, nil, 0, path) else {
            throw Failure(description: "libxml2 could not create a parser")
        }
        defer { xmlFreeParserCtxt(context) }
        xmlCtxtUseOptions(context, XMLReaderSettings.parserOptions)
        var elements = 0
        let chunkSize = XMLReaderSettings.chunkSize
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: chunkSize)
        defer { buffer.deallocate() }
        withUnsafeMutablePointer(to: &elements) { counter in
            context.pointee.userData = UnsafeMutableRawPointer(counter)
            while true {
                let count = fread(buffer, 1, chunkSize, file)
                xmlParseChunk(context, buffer, Int32(count), count == 0 ? 1 : 0)
                if count == 0 { break }
            }
            context.pointee.userData = nil
        }
        guard context.pointee.wellFormed != 0 else { throw Failure(description: "\(path) is not well-formed XML") }
        return elements
    }
}
