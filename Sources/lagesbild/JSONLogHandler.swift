import Foundation
import LagesbildModel
import Logging

/// Writes one JSON object per log line to standard error, for batch jobs and log collectors.
///
/// Fields: `time`, `level`, `label`, `message`, `module` (the Swift module that logged) and the metadata as
/// strings — `run_id` and `stage` on every line of a run, `source` where a line is about one source —
/// personal identity numbers masked.
struct JSONLogHandler: LogHandler {
    var label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields: [String: String] = [:]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            fields[key] = "\(value)"
        }
        Self.write(
            level: event.level, label: label, message: event.message.description, module: event.source,
            fields: fields)
    }

    /// Writes one log line; also for what is said outside a logger (a command's error, an interruption).
    static func write(
        level: Logger.Level, label: String = "lagesbild", message: String, module: String = "lagesbild",
        fields: [String: String] = [:]
    ) {
        var object = fields.mapValues(PersonalNumberMask.mask)
        object["time"] = ISO8601DateFormatter().string(from: Date())
        object["level"] = level.rawValue
        object["label"] = label
        object["message"] = PersonalNumberMask.mask(message)
        object["module"] = module
        guard var data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        data.append(0x0A)
        FileHandle.standardError.write(data)
    }
}
