import CSVReader
import Foundation
import JSONReader
import LagesbildModel
import XLSXReader
import XMLReader

/// What `lagesbild inspect` reports on a new delivery: a CSV or an XML inspection, read in one pass.
public enum FileInspection: Sendable, Encodable {
    case csv(CSVInspection)
    case xml(XMLInspection)
    case xlsx(XLSXInspection)
    case json(JSONInspection)

    /// Inspects `path`, choosing the reader by the file's first non-blank byte (`<` means XML) or its
    /// extension. The CSV settings can be given; by default everything is detected.
    public static func inspect(
        path: String, dialect: CSVDialect = CSVDialect(), sampleCount: Int = 5, workbook: XLSXOptions = XLSXOptions()
    ) throws -> FileInspection {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw InspectionError(message: "\(path): the file does not exist or cannot be read")
        }
        if let other = try inspectWorkbookOrJSON(path: path, sampleCount: sampleCount, workbook: workbook) {
            return other
        }
        if looksLikeXML(path) {
            return .xml(XMLInspector.inspect(path: path, sampleCount: sampleCount))
        }
        do {
            return .csv(try CSVInspector.inspect(path: path, dialect: dialect, sampleCount: sampleCount))
        } catch let error as CSVError {
            throw InspectionError(message: error.description)
        }
    }

    static func looksLikeXML(_ path: String) -> Bool {
        if path.lowercased().hasSuffix(".xml") { return true }
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 256)) ?? Data()
        var bytes = Array(head)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        return bytes.first { $0 != 32 && $0 != 9 && $0 != 10 && $0 != 13 } == UInt8(ascii: "<")
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .csv(let inspection): try container.encode(FormatTagged(format: "csv", inspection: inspection))
        case .xml(let inspection): try container.encode(FormatTagged(format: "xml", inspection: inspection))
        case .xlsx(let inspection): try container.encode(FormatTagged(format: "xlsx", inspection: inspection))
        case .json(let inspection): try container.encode(FormatTagged(format: "json", inspection: inspection))
        }
    }

    private struct FormatTagged<Inspection: Encodable>: Encodable {
        var format: String
        var inspection: Inspection
    }
}

/// A file that cannot be inspected at all. Exit status 66 when missing, 65 when unreadable as CSV or XML.
public struct InspectionError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }

    public init(message: String) { self.message = message }
}
