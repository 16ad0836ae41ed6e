import CLibXML2

/// One message from libxml2, copied out of its `xmlError`.
struct LibXMLMessage {
    var level: Int
    var code: Int
    var line: Int
    var column: Int
    /// The file libxml2 named: nil when the fault lies inside an entity's replacement text.
    var file: String?
    var message: String

    var isError: Bool { level >= Int(XML_ERR_ERROR.rawValue) }
}

/// Collects libxml2's structured errors for one reader; passed to the C callback through `Unmanaged`.
final class LibXMLErrorBox {
    private(set) var messages: [LibXMLMessage] = []
    private(set) var hasError = false
    private(set) var warningCount = 0
    private let limit = 20

    func record(_ error: xmlError) {
        let level = Int(error.level.rawValue)
        if level < Int(XML_ERR_ERROR.rawValue) {
            warningCount += 1
            return
        }
        hasError = true
        guard messages.count < limit else { return }
        messages.append(
            LibXMLMessage(
                level: level,
                code: Int(error.code),
                line: Int(error.line),
                column: Int(error.int2),
                file: error.file.map { String(cString: $0) },
                message: error.message.map { String(cString: $0) } ?? "unknown libxml2 error"
            ))
    }

    /// The message to report: the first error located in the document itself, else the first error.
    var primary: LibXMLMessage? {
        messages.first { $0.file != nil } ?? messages.first
    }
}

/// The C callback handed to `xmlTextReaderSetStructuredErrorHandler`; `context` is a `LibXMLErrorBox`.
let libXMLErrorCallback: xmlStructuredErrorFunc = { context, error in
    guard let context, let error else { return }
    Unmanaged<LibXMLErrorBox>.fromOpaque(context).takeUnretainedValue().record(error.pointee)
}

enum LibXMLText {
    /// libxml2's message as one sentence: whitespace collapsed, with a hint for the common causes.
    static func clean(_ message: LibXMLMessage) -> String {
        var text = message.message.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" })
            .joined(separator: " ")
        if text.isEmpty { text = "unknown libxml2 error" }
        if text.hasSuffix("huge text node") {
            text = "a text node is longer than libxml2's limit of 10 MB"
        }
        switch UInt32(message.code) {
        case XML_ERR_ENTITY_LOOP.rawValue:
            text += " (entity expansion stopped: documents that declare entities are refused)"
        case XML_ERR_TAG_NOT_FINISHED.rawValue, XML_ERR_DOCUMENT_EMPTY.rawValue:
            text += " (is the file truncated?)"
        default:
            break
        }
        return text
    }
}
