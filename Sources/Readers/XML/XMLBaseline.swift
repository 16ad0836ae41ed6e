import CLibXML2

/// libxml2's own speed, for benchmarks: its parsers with nothing done per node.
public enum XMLBaseline {
    /// Reads every node of `path` with libxml2's text reader (the parser of ``XMLInspector``), with
    /// the same options and input, doing nothing with them; returns the number of element nodes.
    public static func countElements(path: String) throws -> Int {
        let session = try LibXMLSession(path: path)
        var elements = 0
        while true {
            let status = xmlTextReaderRead(session.reader)
            if status != 1 {
                if status == 0, !session.errors.hasError { return elements }
                throw session.fault(recordsBeforeFault: 0)
            }
            if xmlTextReaderNodeType(session.reader) == ReaderNode.element { elements += 1 }
        }
    }

    /// Parses `path` with libxml2's SAX2 push parser exactly as ``XMLRecordReader`` feeds it (same
    /// options, chunk size and input), with handlers that only count start tags; returns their number.
    public static func countElementsSAX(path: String) throws -> Int {
        var handler = xmlSAXHandler()
        handler.startElementNs = { context, _, _, _, _, _, _, _, _ in
            context.unsafelyUnwrapped.assumingMemoryBound(to: Counter.self).pointee.elements += 1
        }
        handler.serror = { context, error in
            guard let error else { return }
            context.unsafelyUnwrapped.assumingMemoryBound(to: Counter.self).pointee.errors.record(error.pointee)
        }
        let parser = try LibXMLPushParser(path: path, handler: handler)
        var counter = Counter(errors: parser.errors)
        let elements = withUnsafeMutablePointer(to: &counter) { pointer in
            parser.userData = UnsafeMutableRawPointer(pointer)
            parser.run()
            parser.userData = nil
            return pointer.pointee.elements
        }
        if let fault = parser.fault(recordsBeforeFault: 0, openElements: 0) { throw fault }
        return elements
    }

    private struct Counter {
        var elements = 0
        let errors: LibXMLErrorBox
    }
}
