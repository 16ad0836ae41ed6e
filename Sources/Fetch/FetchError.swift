/// Why `lagesbild fetch` failed for a source, with the exit status it ends with.
///
/// A failed fetch leaves no file behind and is recorded in `fetches` with the message.
public struct FetchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure, as a `sysexits.h` status.
    public enum Kind: Int32, Sendable, Hashable {
        /// The answer is not what the pipeline file expects (an HTML error page where JSON was expected,
        /// invalid JSON, a page without its items array): 65.
        case unexpectedAnswer = 65
        /// The server cannot be reached or keeps failing (timeouts, broken connections, 5xx or 429 after the
        /// retries, another 4xx, the hourly limit reached): 69.
        case unavailable = 69
        /// The delivery file cannot be written (a full disk, a folder that is not writable): 74.
        case cannotWrite = 74
        /// The server refused the credential (401, 403), or the environment variable naming it is not set: 77.
        case refused = 77
    }

    public var kind: Kind
    /// The source whose fetch failed.
    public var source: String
    public var message: String

    public init(_ kind: Kind, source: String, _ message: String) {
        self.kind = kind
        self.source = source
        self.message = message
    }

    /// The exit status the command ends with.
    public var exitStatus: Int32 { kind.rawValue }

    public var description: String { "fetch of source '\(source)' failed: \(message)" }
}
