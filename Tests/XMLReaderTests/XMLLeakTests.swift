import CLibXML2
import Foundation
import Testing

@testable import XMLReader

/// libxml2 nodes (documents, DTDs, entities, elements) created minus freed on the counting thread.
///
/// The callbacks may be process-wide (libxml2 2.12 and later) while other suites read XML and workbooks
/// on other threads at the same time, so a callback counts only the nodes of the thread that installed
/// it; a synchronous test runs on one thread.
private enum LiveNodes {
    nonisolated(unsafe) static var count = 0
    nonisolated(unsafe) static var countingThread: pthread_t?

    static var onCountingThread: Bool {
        guard let thread = countingThread else { return false }
        return pthread_equal(pthread_self(), thread) != 0
    }

    /// `body`'s net count of libxml2 nodes: 0 when everything it made was freed.
    static func left(by body: () throws -> Void) rethrows -> Int {
        count = 0
        countingThread = pthread_self()
        defer { countingThread = nil }
        let register = xmlRegisterNodeDefault { _ in if LiveNodes.onCountingThread { LiveNodes.count += 1 } }
        let deregister = xmlDeregisterNodeDefault { _ in if LiveNodes.onCountingThread { LiveNodes.count -= 1 } }
        defer {
            xmlRegisterNodeDefault(register)
            xmlDeregisterNodeDefault(deregister)
        }
        try body()
        return count
    }
}

/// Everything libxml2 allocates for a file is freed with its reader, refused files included
/// (found by LeakSanitizer under `scripts/fuzz.sh`). Serialized: the cases share one counter.
@Suite(.serialized) struct XMLLeakTests {
    @Test(arguments: [
        "<!DOCTYPE r [<!ENTITY e \"X\">]><r/>",
        "<!DOCTYPE r [<!ENTITY % p \"X\"><!ENTITY e SYSTEM \"file:///etc/hostname\">]>\n<r><t>&e;</t></r>",
        "<!DOCTYPE r [<!ENTITY e \"X\">]><r><t>",
        "<r><t a=\"1\">x</t><t>&e;</t></r>",
    ])
    func refusedDocumentsLeaveNoNodeBehind(_ document: String) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("refused.xml", document)
        let reader = try XMLRecordReader(path: path, spec: XMLRecordSpec(recordPath: "r/t", fields: ["a": "@a"]))
        let left = LiveNodes.left {
            #expect(throws: XMLReadError.self) { try reader.forEachRecord { _ in } }
        }
        #expect(left == 0, "the record reader left \(left) libxml2 node(s)")
        let inspectorLeft = LiveNodes.left { #expect(XMLInspector.inspect(path: path).error != nil) }
        #expect(inspectorLeft == 0, "the inspector left \(inspectorLeft) libxml2 node(s)")
    }
}
