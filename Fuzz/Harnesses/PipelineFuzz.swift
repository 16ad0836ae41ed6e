import PipelineModel

/// libFuzzer entry point for the pipeline-file loader: YAML through Yams, then the checks of every
/// key. Any input must load or fail with a ``PipelineFileError``, quickly and without a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPipeline(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        _ = try PipelineLoader.parse(yaml: text, path: "/nonexistent/lagesbild-fuzz/pipeline.yaml")
    } catch is PipelineFileError {
    } catch {
        require(false, "unexpected error type \(error)")
    }
    return 0
}
