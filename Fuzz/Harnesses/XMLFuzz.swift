import XMLReader

/// Record specs as pipeline files write them: one with a namespace, ancestor attributes, an attribute
/// and a nested text field (Länsstyrelsen's export), one without namespaces, with wildcards and the
/// record's own text.
private let specs = [
    XMLRecordSpec(
        recordPath: "lst:Export/lst:Kommun/lst:Uppgift", namespaces: ["lst": "urn:se:lansstyrelsen:alkoholtillsyn:1"],
        fields: ["area": "../@kod", "period": "../../@ar", "measure": "@typ", "value": "lst:Antal"]),
    XMLRecordSpec(
        recordPath: "*/r", fields: ["text": ".", "code": "a/b", "attribute": "a/@k", "any": "*/c"]),
]

/// libFuzzer entry point for the XML readers: the record reader (libxml2's SAX2 push parser) with
/// two specs, and the inspector behind `lagesbild inspect` (libxml2's text reader).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXML(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let path = FuzzFile.write(data, size)
    for spec in specs {
        guard let reader = try? XMLRecordReader(path: path, spec: spec) else { continue }
        var records = 0
        do {
            let summary = try reader.forEachRecord { record in
                records += 1
                _ = record.rawText
            }
            require(summary.recordsRead == records, "recordsRead ≠ records delivered")
        } catch let error as XMLReadError {
            require(error.recordsBeforeFault == records, "recordsBeforeFault ≠ records delivered")
        } catch {
            require(false, "unexpected error type \(error)")
        }
    }
    let inspection = XMLInspector.inspect(path: path, sampleCount: 3)
    require(inspection.elements.count <= XMLInspector.maximumPaths, "more paths than the cap")
    return 0
}
