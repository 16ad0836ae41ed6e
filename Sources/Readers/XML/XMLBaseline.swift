import CLibXML2

/// libxml2's own reader speed, for benchmarks: the loop every XML read in this module is built on.
public enum XMLBaseline {
    /// Reads every node of `path` with the same libxml2 options and input as ``XMLRecordReader``,
    /// doing nothing with them; returns the number of element nodes.
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
}
