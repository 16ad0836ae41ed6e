import LagesbildModel

/// One record element with the values of the configured fields.
///
/// A field whose element or attribute is missing is absent (`nil`); an empty element gives `""`.
public struct XMLRecord: Sendable {
    /// The line of the record's start tag.
    public var line: Int
    /// The local name of the record element.
    public var elementName: String
    let layout: FieldLayout
    var storage: [String?]

    init(line: Int, elementName: String, layout: FieldLayout, storage: [String?]) {
        self.line = line
        self.elementName = elementName
        self.layout = layout
        self.storage = storage
    }

    /// The fields found, by output name.
    public var values: [String: String] {
        var values: [String: String] = [:]
        values.reserveCapacity(storage.count)
        for (index, value) in storage.enumerated() {
            if let value { values[layout.names[index]] = value }
        }
        return values
    }

    /// The value of a field, or nil when the record has none (or the spec has no such field).
    public subscript(_ field: String) -> String? {
        guard let index = layout.index[field] else { return nil }
        return storage[index]
    }

    /// A compact one-line text of the record for a quarantine list, e.g.
    /// `Tillsyn antal=12 kod=1380 typ="öppet efter 01:00"`. Fields are in output-name order; absent
    /// ones are left out. Personal identity numbers are masked when this becomes a `RejectedRecord`.
    public var rawText: String {
        var text = elementName
        for (index, value) in storage.enumerated() {
            guard let value else { continue }
            text += " " + layout.names[index] + "=" + Self.quotedIfNeeded(value)
        }
        return text
    }

    /// A rejected-record entry for this record, located at its start tag.
    public func rejected(file: String, reason: String) -> RejectedRecord {
        RejectedRecord(location: SourceLocation(file: file, line: line), reason: reason, raw: rawText)
    }

    private static func quotedIfNeeded(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.unicodeScalars.contains { $0.properties.isWhitespace || $0 == "\"" }
        guard needsQuotes else { return value }
        var escaped = ""
        for character in value {
            switch character {
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            default: escaped.append(character)
            }
        }
        return "\"" + escaped + "\""
    }
}

/// The output names of a spec's fields, shared by all records of one read.
final class FieldLayout: Sendable {
    let names: [String]
    let index: [String: Int]

    init(names: [String]) {
        self.names = names
        var index: [String: Int] = [:]
        for (position, name) in names.enumerated() { index[name] = position }
        self.index = index
    }
}

/// Why an XML file could not be read: where, what, and how many records were delivered before.
public struct XMLReadError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The file, line and (when libxml2 knows it) column of the fault; line 0 when the file could not
    /// be opened or the spec is invalid.
    public var location: SourceLocation
    /// What was wrong, as a sentence (libxml2's message cleaned, personal identity numbers masked).
    public var message: String
    /// Records delivered to the caller before the fault.
    public var recordsBeforeFault: Int

    public init(location: SourceLocation, message: String, recordsBeforeFault: Int = 0) {
        self.location = location
        self.message = PersonalNumberMask.mask(message)
        self.recordsBeforeFault = recordsBeforeFault
    }

    public var description: String {
        "\(location): \(message) (\(recordsBeforeFault) record(s) read before the fault)"
    }
}

/// What one complete read delivered.
public struct XMLReadSummary: Sendable, Hashable {
    /// Records delivered to the caller.
    public var recordsRead: Int
    /// Bytes read from the file.
    public var bytesRead: Int

    public init(recordsRead: Int, bytesRead: Int) {
        self.recordsRead = recordsRead
        self.bytesRead = bytesRead
    }
}
