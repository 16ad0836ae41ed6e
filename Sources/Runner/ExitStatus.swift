import PipelineModel
import PostgresOutput
import StageKit
import Workspace

/// The exit statuses of `lagesbild`, from sysexits.h, so batch jobs can tell failures apart.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Everything ran.
    case success = 0
    /// The command line was wrong.
    case usage = 64
    /// A stage failed on its input (bad data, too many quarantined rows, a missing denominator).
    case dataError = 65
    /// An input file, or the output of an earlier stage, is missing.
    case noInput = 66
    /// A service is unavailable: the PostgreSQL server cannot be reached, its database does not exist, or a table
    /// stayed locked past the lock timeout (`postgres.required: true`).
    case unavailable = 69
    /// An unexpected internal error, another PostgreSQL failure, or a damaged workspace database
    /// (`lagesbild repair` rebuilds it).
    case software = 70
    /// The disk is full, or the workspace cannot be locked or written.
    case ioError = 74
    /// Another run holds the workspace.
    case temporaryFailure = 75
    /// Permission denied: PostgreSQL refused the login (password, role, `pg_hba.conf`) or a privilege.
    case noPermission = 77
    /// The pipeline file is invalid.
    case configuration = 78

    /// The status an error ends the command with.
    public static func of(_ error: any Error) -> ExitStatus {
        switch error {
        case is PipelineFileError: return .configuration
        case is StageDataError, is GateFailedError: return .dataError
        case is StagePrerequisiteError, is InputFileMissingError: return .noInput
        case let error as WorkspaceError:
            switch error {
            case .missing: return .noInput
            case .noSpace: return .ioError
            case .damaged, .unusable: return .software
            }
        case is WorkspaceLockError: return .ioError
        case is WorkspaceLockedError: return .temporaryFailure
        case is UsageError: return .usage
        case let error as PostgresPublishError:
            switch error {
            case .connection, .unavailable: return .unavailable
            case .refused: return .noPermission
            case .rowWidth, .invalidValue: return .dataError
            default: return .software
            }
        case let error as InspectionError: return error.message.contains("does not exist") ? .noInput : .dataError
        default: return .software
        }
    }
}

/// A request the pipeline cannot serve as asked (an unknown source or stage id). Exit status 64.
public struct UsageError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
