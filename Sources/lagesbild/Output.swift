import Foundation
import LagesbildModel
import Logging

/// Where every line the commands write goes: personal identity numbers are masked in all of it, so
/// nothing a delivery carried reaches a terminal or a batch job's log unmasked, whichever command
/// printed it and wherever the text came from.
enum Output {
    /// Writes `text` and a line break to standard output.
    static func print(_ text: String) {
        Swift.print(PersonalNumberMask.mask(text))
    }

    /// Writes `text` and a line break to standard error.
    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((PersonalNumberMask.mask(text) + "\n").utf8))
    }
}

/// Masks personal identity numbers in a log line's message and metadata, then hands it to `wrapped`
/// (text or JSON lines).
struct MaskingLogHandler: LogHandler {
    var wrapped: any LogHandler

    var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue }
    }
    var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        var event = event
        event.message = "\(PersonalNumberMask.mask(event.message.description))"
        event.metadata = event.metadata?.mapValues(Self.mask)
        var handler = wrapped
        handler.metadata = wrapped.metadata.mapValues(Self.mask)
        handler.log(event: event)
    }

    private static func mask(_ value: Logger.MetadataValue) -> Logger.MetadataValue {
        switch value {
        case .string(let text): .string(PersonalNumberMask.mask(text))
        case .stringConvertible(let value): .string(PersonalNumberMask.mask(value.description))
        case .array(let values): .array(values.map(mask))
        case .dictionary(let values): .dictionary(values.mapValues(mask))
        }
    }
}
