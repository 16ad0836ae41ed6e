/// Why a boundary file cannot be read: the file, the feature (GeoPackage fid or GeoJSON feature index) and
/// the reason in plain words.
public struct GeoReadError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// `fid 12`, `feature 3` or nil when the problem is the file itself.
    public var feature: String?
    public var message: String

    public init(file: String, feature: String? = nil, message: String) {
        self.file = file
        self.feature = feature
        self.message = message
    }

    public var description: String {
        if let feature { return "\(file), \(feature): \(message)" }
        return "\(file): \(message)"
    }
}

/// A problem inside one geometry blob, before it is tied to its file and feature.
public struct GeometryError: Error, Sendable, Hashable {
    public var message: String

    public init(_ message: String) { self.message = message }
}
