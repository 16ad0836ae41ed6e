import Foundation
import Testing

/// Runs the built `lagesbild` executable as a user would, in a scratch folder.
struct CommandLineTool {
    struct Result {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// The repository's root, found from this file's path.
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// The executable beside the test bundle (SwiftPM builds it because this target depends on it).
    static let executable: String = {
        var candidates: [String] = []
        for argument in [CommandLine.arguments.first, Bundle.main.executablePath].compactMap({ $0 }) {
            var url = URL(fileURLWithPath: argument)
            for _ in 0..<4 {
                url.deleteLastPathComponent()
                candidates.append(url.appendingPathComponent("lagesbild").path)
            }
        }
        candidates.append(repositoryRoot + "/.build/debug/lagesbild")
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
    }()

    /// Runs `lagesbild` with `arguments` in `directory`, waiting for it to end.
    static func run(_ arguments: [String], in directory: String, environment: [String: String] = [:]) throws -> Result {
        try run(program: executable, arguments, in: directory, environment: environment)
    }

    /// Runs `program` (a path) with `arguments` in `directory`, waiting for it to end.
    static func run(
        program: String, _ arguments: [String], in directory: String, environment: [String: String] = [:]
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var variables = ProcessInfo.processInfo.environment
        variables.removeValue(forKey: "LAGESBILD_WORKSPACE")
        variables.removeValue(forKey: "LAGESBILD_PIPELINE")
        for (key, value) in environment { variables[key] = value }
        process.environment = variables
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData, as: UTF8.self))
    }
}

/// The smallest pipeline the end-to-end tests run: one police events source (`police/*.csv`, columns
/// `Brottskod` and `Datum`) and a count of all crimes, workspace `ws`.
func smallPolicePipeline(name: String) -> String {
    """
    version: 1
    name: \(name)
    municipality: { code: "1380", name: Halmstad }
    workspace: ws
    sources:
      - id: police
        supplier: police
        kind: events
        files: police/*.csv
        encoding: utf-8
        delimiter: ";"
        columns: { crime_code: Brottskod, date: Datum }
    indicators:
      - id: crimes
        title: Anmälda brott
        kind: count
        numerator: { events: all }

    """
}

/// A temporary folder removed when the test ends.
final class ScratchFolder {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("lagesbild-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    func write(_ name: String, _ text: String) throws {
        let target = file(name)
        try FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: target, atomically: true, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
