import CSVReader
import LagesbildModel

/// libFuzzer entry point for the CSV reader: dialect detection (encoding, delimiter, title lines), the
/// record scanner, the decoders and the inspector behind `lagesbild inspect`.
///
/// Each input is read twice: once with everything detected, as `lagesbild inspect` does, and once
/// with the dialect the first byte picks (a given encoding, delimiter, title lines or no header), as
/// a source in a pipeline file may set it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let path = FuzzFile.write(data, size)
    if let inspection = try? CSVInspector.inspect(path: path, sampleCount: 3) {
        let summary = inspection.summary
        require(
            summary.rowsRead == summary.rowsDelivered + summary.rowsRejected, "rows read ≠ delivered + rejected")
        require(inspection.columns.count <= CSVInspector.maximumColumns, "more columns described than the cap")
    }
    guard size > 0 else { return 0 }
    let selector = Int(data[0])
    let encodings: [TextEncoding?] = [nil] + TextEncoding.allCases
    let delimiters: [UInt8?] = [nil] + CSVDialect.detectableDelimiters
    let dialect = CSVDialect(
        delimiter: delimiters[selector % delimiters.count],
        encoding: encodings[(selector / 4) % encodings.count],
        titleLines: selector & 0x40 != 0 ? selector % 3 : nil,
        hasHeader: selector & 0x80 == 0,
        maxRecordBytes: 1 << 12)
    guard let reader = try? CSVFileReader(path: path, dialect: dialect) else { return 0 }
    var delivered = 0
    var rejected = 0
    let summary = try? reader.forEachRecord { record in
        delivered += 1
        for index in 0..<record.count {
            _ = record.string(at: index)
            _ = record.number(at: index)
        }
        _ = record.rawText
    } onReject: { _ in
        rejected += 1
    }
    if let summary {
        require(summary.rowsDelivered == delivered && summary.rowsRejected == rejected, "summary miscounts rows")
        require(summary.rowsRead == delivered + rejected, "rows read ≠ delivered + rejected")
    }
    return 0
}
