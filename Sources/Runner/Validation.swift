import Foundation
import Ingest
import PipelineModel
import StageKit

/// What `lagesbild validate` found: each source with its files. Reading it writes nothing.
public struct ValidationReport: Sendable, Codable {
    public struct SourceFiles: Sendable, Codable {
        public var id: String
        public var files: [String]
    }

    public var pipeline: String
    public var sources: [SourceFiles]
    public var indicators: [String]
}

/// Checks a loaded pipeline: every source has at least one readable file.
public enum PipelineValidator {
    /// Throws ``InputFileMissingError`` for the first source without readable files.
    public static func validate(_ pipeline: Pipeline) throws -> ValidationReport {
        var sources: [ValidationReport.SourceFiles] = []
        for source in pipeline.sources {
            var files: [String] = []
            for pattern in source.files { files += expandGlob(pattern) }
            guard !files.isEmpty else {
                throw InputFileMissingError(
                    source: source.id, pattern: source.files.joined(separator: ", "), detail: "no file matches")
            }
            for file in files where !FileManager.default.isReadableFile(atPath: file) {
                throw InputFileMissingError(source: source.id, pattern: file, detail: "the file cannot be read")
            }
            sources.append(.init(id: source.id, files: files))
        }
        return ValidationReport(pipeline: pipeline.path, sources: sources, indicators: pipeline.indicators.map(\.id))
    }
}
