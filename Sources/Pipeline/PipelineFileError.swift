import LagesbildModel

/// A problem in a pipeline file: where it is (file, line, column), which key, and what is wrong.
public struct PipelineFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The pipeline file.
    public var file: String
    /// 1-based line, or nil when the problem is not tied to a line (the file cannot be read).
    public var line: Int?
    public var column: Int?
    /// The key path, e.g. `sources[0].columns.date`; empty for the whole document.
    public var keyPath: String
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, keyPath: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.message = message
    }

    /// `file:line:column` of the problem.
    public var locationText: String {
        var place = file
        if let line { place += ":\(line)" }
        if let column { place += ":\(column)" }
        return place
    }

    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let column { place += ":\(column)" }
        let key = keyPath.isEmpty ? "" : " \(keyPath):"
        return "\(place):\(key) \(message)"
    }
}
