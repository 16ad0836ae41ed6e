import Foundation
import LagesbildModel

/// How to find records in a JSON answer (`shape`, `records` and the mapped fields of a pipeline source).
public struct JSONOptions: Sendable, Hashable {
    /// A built-in shape; nil for a plain records path.
    public var shape: JSONShape?
    /// Where the records are (see ``RecordsPath``); nil for the shape's own (`data[]` for SS 12000, the
    /// root array for the police, the root object otherwise).
    public var records: String?
    /// The field paths to read from each record (the columns a source maps). Empty: the shape's fields, or
    /// the fields of the first record.
    public var fields: [String]

    public init(shape: JSONShape? = nil, records: String? = nil, fields: [String] = []) {
        self.shape = shape
        self.records = records
        self.fields = fields
    }
}

/// One record: a text per field of ``JSONRecordReader/header``, and where each is.
public struct JSONRecord {
    /// The record's number, from 1 (the line of the quarantine).
    public let line: Int
    /// The record's JSON path, `$.values[3].values[1]`.
    public let path: String
    /// One text per header field: strings as they are, numbers without an exponent, `true`/`false`, and
    /// "" for `null` or an absent field. A JSON-stat cell whose value is `null` takes its status (`..`).
    public let cells: [String]
    /// Fields the record does not have at all (as opposed to `null`).
    public let absent: [Bool]
    /// Fields of the wrong type (an object or an array where a text or number belongs), with why.
    public let problems: [Int: String]
    /// Builds a field's JSON path when it is asked for (most records never need one).
    let placeOf: (Int) -> String

    public func string(at index: Int) -> String { index >= 0 && index < cells.count ? cells[index] : "" }

    /// The JSON path of the field at `index`: `$.values[3].values[1].value`.
    public func place(ofField index: Int) -> String { placeOf(index) }

    /// The record's fields as `name=value` pairs, for the quarantine.
    public func rawText(header: [String]) -> String {
        zip(header, cells).map { "\($0)=\($1)" }.joined(separator: ";")
    }
}

/// What reading gave.
public struct JSONReadSummary: Sendable, Hashable {
    public var recordsRead: Int
    public var bytesRead: Int
}

/// Reads a JSON answer and hands out its records.
///
/// The file is parsed whole with Foundation's `JSONSerialization`: a streaming parser is not worth it for
/// API answers, which are paged (Kolada 5 000 values, PxWebApi a bounded number of cells, the police 500
/// events), so memory is bounded by refusing files above ``defaultMaximumBytes`` (64 MB) rather than by
/// streaming. A file that is HTML (an error page where JSON was expected) or not
/// JSON at all is refused with its line and column; records, fields and JSON-stat cubes of the wrong shape
/// are errors that name their JSON path.
public final class JSONRecordReader {
    public let path: String
    public let options: JSONOptions
    /// The shape read: the given one, or the one the document looks like.
    public let shape: JSONShape?
    /// The field names, one per record cell.
    public private(set) var header: [String] = []
    public let bytesRead: Int
    private var records: [Located] = []
    private var fieldPaths: [FieldPath] = []
    private var cube: JSONStatCube?

    /// Refused above this size. `JSONSerialization` needs about 23 bytes of memory per byte of JSON (measured:
    /// 1.8 GB for a 78 MB answer; see Benchmarks/FORMATS-RESULTS.md), so 64 MB stays under 1.5 GB.
    public static let defaultMaximumBytes = 64 << 20

    /// An element of the document and the path to it, with the elements of the `[]` levels above it.
    struct Located {
        var value: Any
        var path: String
        var ancestors: [(value: Any, path: String)]
    }

    public init(path: String, options: JSONOptions = JSONOptions(), maximumBytes: Int = defaultMaximumBytes) throws {
        self.path = path
        self.options = options
        let root = try Self.parse(path: path, maximumBytes: maximumBytes)
        bytesRead = root.bytes
        shape = options.shape ?? Self.detectShape(root.value)
        if shape == .jsonStat {
            let cube = try JSONStatCube(root.value, file: path)
            self.cube = cube
            header = cube.header
            return
        }
        let recordsText: String
        switch (options.records, shape) {
        case (let given?, _): recordsText = given
        case (nil, .kolada): recordsText = "values[].values[]"
        case (nil, .ss12000): recordsText = "data[]"
        case (nil, .policeEvents): recordsText = "[]"
        default: recordsText = (root.value is [Any]) ? "[]" : "$"
        }
        guard let recordsPath = RecordsPath(recordsText) else {
            throw JSONReadError(
                file: path, path: "$", "the records path '\(recordsText)' is not valid; write e.g. data[]")
        }
        records = try Self.records(root.value, path: recordsPath, file: path)
        var fields = options.fields
        if fields.isEmpty {
            switch shape {
            case .kolada: fields = ["kpi", "municipality", "area", "period", "gender", "count", "status", "value"]
            case .policeEvents:
                fields = ["id", "datetime", "name", "summary", "url", "type", "location.name", "location.gps"]
            default: fields = records.first.map { Self.leafFields($0.value) } ?? []
            }
        }
        header = fields
        fieldPaths = fields.map { field in
            if shape == .kolada, let preset = Self.koladaFields[field] { return preset }
            // A key with dots or brackets in it (`Per 100 000 inv.`) is looked up as it is.
            return FieldPath(field) ?? FieldPath(key: field)
        }
    }

    /// Kolada's fields of the outer record, reached from a nested value.
    static let koladaFields: [String: FieldPath] = [
        "kpi": FieldPath("../kpi")!, "municipality": FieldPath("../municipality")!,
        "area": FieldPath("../municipality")!, "period": FieldPath("../period")!,
    ]

    /// Kolada's municipality id as SCB's code: counties `00NN` → `NN`, Sweden `0000` → `00`, municipalities
    /// as they are.
    static func scbCode(koladaID: String) -> String {
        guard koladaID.count == 4, koladaID.hasPrefix("00") else { return koladaID }
        return String(koladaID.suffix(2)) == "00" ? "00" : String(koladaID.suffix(2))
    }

    /// The number of records.
    public var count: Int { cube?.count ?? records.count }

    /// Calls `body` with each record in document order.
    @discardableResult
    public func forEachRecord(_ body: (JSONRecord) throws -> Void) throws -> JSONReadSummary {
        if let cube {
            try cube.forEachRecord(body)
            return JSONReadSummary(recordsRead: cube.count, bytesRead: bytesRead)
        }
        let fieldPaths = fieldPaths
        for (index, record) in records.enumerated() {
            var cells: [String] = []
            var absent: [Bool] = []
            var problems: [Int: String] = [:]
            cells.reserveCapacity(fieldPaths.count)
            absent.reserveCapacity(fieldPaths.count)
            // Cast once per record: each cast of a Foundation dictionary costs.
            let object = record.value as? [String: Any]
            for (field, fieldPath) in fieldPaths.enumerated() {
                let value = Self.value(fieldPath, in: record, object: object)
                absent.append(value == nil)
                switch Self.text(value, shape: shape) {
                case .success(let text):
                    let isArea = shape == .kolada && header[field] == "area"
                    cells.append(isArea ? Self.scbCode(koladaID: text) : text)
                case .failure(let problem):
                    cells.append("")
                    problems[field] = problem.reason
                }
            }
            try body(
                JSONRecord(
                    line: index + 1, path: record.path, cells: cells, absent: absent, problems: problems,
                    placeOf: { Self.resolve(fieldPaths[$0], in: record).1 }))
        }
        return JSONReadSummary(recordsRead: records.count, bytesRead: bytesRead)
    }

    // MARK: - Parsing

    static func parse(path: String, maximumBytes: Int) throws -> (value: Any, bytes: Int) {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard let size = (attributes?[.size] as? NSNumber)?.intValue else {
            throw JSONReadError(file: path, path: "$", "the file does not exist or cannot be read")
        }
        guard size <= maximumBytes else {
            throw JSONReadError(
                file: path, path: "$",
                "the file has \(size) bytes, more than the limit of \(maximumBytes) for a JSON answer; "
                    + "ask for fewer values per request (pages)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw JSONReadError(file: path, path: "$", "the file cannot be read")
        }
        guard let first = data.first(where: { ![9, 10, 13, 32, 0xEF, 0xBB, 0xBF].contains($0) }) else {
            throw JSONReadError(file: path, path: "$", "the file is empty")
        }
        if first == UInt8(ascii: "<") {
            throw JSONReadError(
                location: SourceLocation(file: path, line: 1, column: 1),
                message: "the file is HTML or XML, not JSON: the server answered with a web page\(htmlTitle(data)) "
                    + "where JSON was expected (an error page, a login page or a wrong address?)")
        }
        do {
            let value = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return (value, data.count)
        } catch {
            let description = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            var location = SourceLocation(file: path, line: 1)
            if let range = description.range(of: "character "),
                let offset = Int(description[range.upperBound...].prefix { $0.isNumber })
            {
                var line = 1
                var column = 1
                for byte in data.prefix(offset) {
                    if byte == 10 {
                        line += 1
                        column = 1
                    } else if byte & 0xC0 != 0x80 {
                        column += 1
                    }
                }
                location = SourceLocation(file: path, line: line, column: column)
            }
            throw JSONReadError(location: location, message: "not valid JSON: \(description)")
        }
    }

    /// ` ("title")` of an HTML page, when it has one.
    static func htmlTitle(_ data: Data) -> String {
        let text = String(decoding: data.prefix(8192), as: UTF8.self)
        guard let start = text.range(of: "<title>", options: .caseInsensitive),
            let end = text.range(of: "</title>", options: .caseInsensitive, range: start.upperBound..<text.endIndex)
        else { return "" }
        let title = text[start.upperBound..<end.lowerBound].split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return title.isEmpty ? "" : " (\"\(title.prefix(80))\")"
    }

    /// The shape a document looks like, or nil.
    public static func detectShape(_ root: Any) -> JSONShape? {
        if let object = root as? [String: Any] {
            if object["class"] as? String == "dataset" || (object["dimension"] != nil && object["value"] != nil) {
                return .jsonStat
            }
            if let values = object["values"] as? [Any], let first = values.first as? [String: Any],
                first["kpi"] != nil
            {
                return .kolada
            }
            if object["data"] is [Any] { return .ss12000 }
            if object["_links"] != nil || object["_embedded"] != nil { return .skolverket }
            if let dataset = object["dataset"] as? [String: Any], dataset["dimension"] != nil { return .jsonStat }
        }
        if let array = root as? [Any], let first = array.first as? [String: Any], first["datetime"] != nil,
            first["location"] != nil
        {
            return .policeEvents
        }
        return nil
    }

    /// The elements the records path leads to.
    static func records(_ root: Any, path: RecordsPath, file: String) throws -> [Located] {
        var current = [Located(value: root, path: "$", ancestors: [])]
        for step in path.steps {
            var next: [Located] = []
            for item in current {
                var value = item.value
                var place = item.path
                if let name = step.name {
                    guard let object = value as? [String: Any] else {
                        throw JSONReadError(
                            file: file, path: place,
                            "expected an object with the field '\(name)', found \(kind(of: value))")
                    }
                    guard let field = object[name] else {
                        let fields = object.keys.sorted().prefix(20).joined(separator: ", ")
                        throw JSONReadError(
                            file: file, path: place, "the field '\(name)' is missing; the object has: \(fields)")
                    }
                    value = field
                    place = PathText.appending(place, field: name)
                }
                guard step.each else {
                    next.append(Located(value: value, path: place, ancestors: item.ancestors))
                    continue
                }
                guard let array = value as? [Any] else {
                    throw JSONReadError(
                        file: file, path: place, "expected an array of records, found \(kind(of: value))")
                }
                for (index, element) in array.enumerated() {
                    next.append(
                        Located(
                            value: element, path: PathText.appending(place, index: index),
                            ancestors: item.ancestors + [(item.value, item.path)]))
                }
            }
            current = next
        }
        return current
    }

    /// The value of a field path in a record (nil when absent); `object` is the record cast once.
    static func value(_ fieldPath: FieldPath, in record: Located, object: [String: Any]?) -> Any? {
        if case .field(let name) = fieldPath.steps.first, let object {
            if fieldPath.steps.count == 1 { return object[name] }
            if let literal = object[fieldPath.literal] { return literal }
        }
        return resolve(fieldPath, in: record).0
    }

    /// The value of a field path in a record (nil when absent) and its JSON path.
    static func resolve(_ fieldPath: FieldPath, in record: Located) -> (Any?, String) {
        if fieldPath.steps.count > 1, let object = record.value as? [String: Any], let value = object[fieldPath.literal]
        {
            return (value, PathText.appending(record.path, field: fieldPath.literal))
        }
        var value: Any? = record.value
        var place = record.path
        var level = record.ancestors.count
        for step in fieldPath.steps {
            switch step {
            case .up:
                level -= 1
                guard level >= 0 else { return (nil, place) }
                value = record.ancestors[level].value
                place = record.ancestors[level].path
            case .field(let name):
                place = PathText.appending(place, field: name)
                value = (value as? [String: Any])?[name]
            case .index(let index):
                place = PathText.appending(place, index: index)
                let array = value as? [Any]
                value = array.flatMap { index < $0.count ? $0[index] : nil }
            }
        }
        return (value, place)
    }

    struct Problem: Error {
        var reason: String
    }

    /// A field's text; objects and arrays are of the wrong type (except Skolverket's value objects).
    static func text(_ value: Any?, shape: JSONShape?) -> Result<String, Problem> {
        guard let value, !(value is NSNull) else { return .success("") }
        if let string = value as? String { return .success(string) }
        if let number = value as? NSNumber { return .success(numberText(number)) }
        if let object = value as? [String: Any], object["valueType"] != nil || shape == .skolverket {
            return skolverketValue(object)
        }
        return .failure(Problem(reason: "expected a text or a number, found \(kind(of: value))"))
    }

    /// Skolverket's `{value, valueType}`: the value when `valueType` is `EXISTS`, else a missing marker
    /// (`..` for values withheld for confidentiality, `.` otherwise).
    static func skolverketValue(_ object: [String: Any]) -> Result<String, Problem> {
        guard let type = object["valueType"] as? String else {
            return .failure(Problem(reason: "expected a value object with 'valueType', found an object without one"))
        }
        guard type.uppercased() == "EXISTS" else {
            let withheld = ["SECRET", "SUPPRESS", "SEKRETESS", "FEW", "SMALL"].contains {
                type.uppercased().contains($0)
            }
            return .success(withheld ? ".." : ".")
        }
        switch object["value"] {
        case let string as String: return .success(string)
        case let number as NSNumber: return .success(numberText(number))
        case nil, is NSNull: return .success("")
        case let other?: return .failure(Problem(reason: "expected the value as text, found \(kind(of: other))"))
        }
    }

    /// A number as text: booleans `true`/`false`, integers as they are, decimals without an exponent.
    static func numberText(_ number: NSNumber) -> String {
        let type = String(cString: number.objCType)
        if type == "c" || type == "B" { return number.boolValue ? "true" : "false" }
        if type != "d" && type != "f" { return number.stringValue }
        let value = number.doubleValue
        guard value.isFinite else { return "" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        let text = "\(value)"
        guard text.contains("e") else { return text }
        let exponent = Int(log10(abs(value)).rounded(.down))
        var result = String(format: "%.\(min(max(0, 14 - exponent), 40))f", value)
        while result.contains("."), result.hasSuffix("0") { result.removeLast() }
        if result.hasSuffix(".") { result.removeLast() }
        return result
    }

    static func kind(of value: Any) -> String {
        switch value {
        case is NSNull: return "null"
        case is String: return "a text"
        case let number as NSNumber:
            let type = String(cString: number.objCType)
            return type == "c" || type == "B" ? "a boolean" : "a number"
        case is [Any]: return "an array"
        case is [String: Any]: return "an object"
        default: return "a value of another type"
        }
    }

    /// The leaf field paths of a record (nested objects as `a.b`), for a header when none is mapped.
    static func leafFields(_ value: Any, prefix: String = "") -> [String] {
        guard let object = value as? [String: Any] else { return prefix.isEmpty ? [] : [prefix] }
        return object.keys.sorted().flatMap { key -> [String] in
            let name = prefix.isEmpty ? key : "\(prefix).\(key)"
            if let nested = object[key] as? [String: Any], nested["valueType"] == nil, !nested.isEmpty {
                return leafFields(nested, prefix: name)
            }
            return [name]
        }
    }
}
