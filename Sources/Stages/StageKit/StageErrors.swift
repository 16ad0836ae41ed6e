import LagesbildModel
import Workspace

/// A stage failed on its input (a bad file, a missing denominator, too many quarantined rows).
/// Exit status 65.
public struct StageDataError: Error, Sendable, CustomStringConvertible {
    public var stage: Stage
    public var message: String
    public var location: SourceLocation?

    public init(stage: Stage, message: String, location: SourceLocation? = nil) {
        self.stage = stage
        self.message = PersonalNumberMask.mask(message)
        self.location = location
    }

    public var description: String {
        let place = location.map { "\($0): " } ?? ""
        return "\(stage.rawValue): \(place)\(message)"
    }
}

/// A stage was run alone before the stage it reads from. Exit status 66 (its input is missing).
public struct StagePrerequisiteError: Error, Sendable, CustomStringConvertible {
    public var stage: Stage
    public var missing: Stage
    public var workspace: String

    public init(stage: Stage, missing: Stage, workspace: String) {
        self.stage = stage
        self.missing = missing
        self.workspace = workspace
    }

    public var description: String {
        "stage \(stage.rawValue) reads what stage \(missing.rawValue) writes, and the last run of \(missing.rawValue) "
            + "in the workspace \(workspace) did not succeed (or there is none); run `lagesbild run` for every "
            + "stage, or `lagesbild run --stage \(missing.rawValue)` first"
    }
}

/// An input file named by the pipeline file is missing or unreadable. Exit status 66.
public struct InputFileMissingError: Error, Sendable, CustomStringConvertible {
    public var source: String
    public var pattern: String
    public var detail: String

    public init(source: String, pattern: String, detail: String) {
        self.source = source
        self.pattern = pattern
        self.detail = detail
    }

    public var description: String { "source \(source): \(detail) (\(pattern))" }
}
