import Foundation
import GRDB
import LagesbildRunner
import Testing
import Workspace

/// Low-level failures become messages an operator can act on, with the exit status that says what
/// kind of failure it was.
struct FaultTests {
    @Test func aFullDiskIsNamedWithItsPath() {
        // SQLite's error 13; its message is often the unhelpful "not an error".
        let full = DatabaseError(resultCode: .SQLITE_FULL, message: "not an error")
        let diagnosed = Faults.diagnose(full, workspace: "/var/lib/lagesbild/halmstad")
        #expect("\(diagnosed)".contains("no space left on the device that holds /var/lib/lagesbild/halmstad"))
        #expect(ExitStatus.of(diagnosed) == .ioError)

        let posix = Faults.diagnose(POSIXError(.ENOSPC), workspace: "/ws")
        #expect("\(posix)".contains("no space left"))
        let cocoa = Faults.diagnose(
            CocoaError(.fileWriteOutOfSpace, userInfo: [NSFilePathErrorKey: "/ws/store/x.col"]), workspace: "/ws")
        #expect("\(cocoa)".contains("/ws/store/x.col"))
    }

    @Test func aDamagedDatabaseSaysHowToRepairIt() {
        let damaged = Faults.diagnose(DatabaseError(resultCode: .SQLITE_NOTADB), workspace: "/ws")
        #expect("\(damaged)".contains("is damaged"))
        #expect("\(damaged)".contains("lagesbild repair"))
        #expect(ExitStatus.of(damaged) == .software)
    }
}
