import Foundation
import LagesbildModel

/// One field of an inspected JSON answer.
public struct JSONFieldInspection: Sendable, Codable, Hashable {
    public var name: String
    /// `number`, `text`, `boolean`, `empty`, `mixed`, or `object/array` for values of the wrong type.
    public var type: String
    public var filledCount: Int
    /// Records without the field at all.
    public var absentCount: Int
    public var samples: [String]
}

/// A JSON answer described for `lagesbild inspect`: its shape, where the records are and their fields.
public struct JSONInspection: Sendable, Codable, Hashable {
    public var file: String
    public var shape: JSONShape?
    public var records: Int
    public var fields: [JSONFieldInspection]
}

/// Builds a ``JSONInspection``.
public enum JSONInspector {
    /// Reads the file and describes it; throws ``JSONReadError``.
    public static func inspect(path: String, options: JSONOptions = JSONOptions(), sampleCount: Int = 5) throws
        -> JSONInspection
    {
        let reader = try JSONRecordReader(path: path, options: options)
        var fields = reader.header.map {
            JSONFieldInspection(name: $0, type: "empty", filledCount: 0, absentCount: 0, samples: [])
        }
        try reader.forEachRecord { record in
            for index in fields.indices {
                if record.absent[index] { fields[index].absentCount += 1 }
                let kind: String
                if record.problems[index] != nil {
                    kind = "object/array"
                } else {
                    let text = record.cells[index]
                    guard !text.isEmpty else { continue }
                    kind = Double(text) != nil ? "number" : text == "true" || text == "false" ? "boolean" : "text"
                    let masked = PersonalNumberMask.mask(text)
                    if fields[index].samples.count < sampleCount, !fields[index].samples.contains(masked) {
                        fields[index].samples.append(String(masked.prefix(80)))
                    }
                }
                fields[index].filledCount += 1
                let current = fields[index].type
                fields[index].type = current == "empty" || current == kind ? kind : "mixed"
            }
        }
        return JSONInspection(file: path, shape: reader.shape, records: reader.count, fields: fields)
    }
}
