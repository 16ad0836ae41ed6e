import Foundation
import GRDB
import Workspace

/// Turns low-level failures into messages an operator can act on: a full disk is named as such with
/// its path (SQLite reports it as error 13, whose text is often "not an error"), a damaged database as
/// damaged with the way forward.
public enum Faults {
    /// The error to report for `error` met while working on the workspace folder `workspace`.
    public static func diagnose(_ error: any Error, workspace: String) -> any Error {
        switch error {
        case let error as DatabaseError:
            return WorkspaceError(error, path: workspace, directory: workspace)
        case let error as POSIXError where error.code == .ENOSPC:
            return WorkspaceError.noSpace(workspace)
        case let error as CocoaError:
            let path = error.userInfo[NSFilePathErrorKey] as? String ?? workspace
            if error.code == .fileWriteOutOfSpace || isNoSpace(error.userInfo[NSUnderlyingErrorKey]) {
                return WorkspaceError.noSpace(path)
            }
            return error
        case let error as NSError where error.domain == NSPOSIXErrorDomain && error.code == Int(ENOSPC):
            return WorkspaceError.noSpace(workspace)
        default:
            return error
        }
    }

    static func isNoSpace(_ underlying: Any?) -> Bool {
        if let error = underlying as? POSIXError { return error.code == .ENOSPC }
        if let error = underlying as? NSError { return error.domain == NSPOSIXErrorDomain && error.code == Int(ENOSPC) }
        return false
    }
}
