import CSVReader
import LagesbildModel
import PipelineModel
import StageKit

/// Reads a code list's CSV file: finds the named columns in its header and hands each row's cells to
/// a closure. Every problem fails normalize with the file and line.
enum CodeListTable {
    /// A column to find in the header (any case); a required one missing from the header is an error, and
    /// an empty name stands for a column the list does not have.
    struct Column {
        var name: String
        var required: Bool
    }

    /// Calls `row` with each record's cells of `columns`, in order (a column missing from the header or
    /// the row reads as empty).
    static func read(
        _ path: String, encoding: TextEncoding = .utf8, delimiter: UInt8 = UInt8(ascii: ";"), columns: [Column],
        row: ([String], SourceLocation) throws -> Void
    ) throws {
        let reader: CSVFileReader
        do {
            reader = try CSVFileReader(
                path: path, dialect: CSVDialect(delimiter: delimiter, encoding: encoding, titleLines: 0))
        } catch let error as CSVError {
            throw StageDataError(stage: .normalize, message: "code list: \(error.message)", location: error.location)
        }
        let header = reader.header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var indexes: [Int?] = []
        for column in columns {
            if column.name.isEmpty {
                indexes.append(nil)
                continue
            }
            let index = header.firstIndex(of: column.name.trimmingCharacters(in: .whitespaces).lowercased())
            if index == nil, column.required {
                let shown = reader.header.joined(separator: String(UnicodeScalar(delimiter)))
                throw StageDataError(
                    stage: .normalize, message: "code list has no column '\(column.name)' (header: \(shown))",
                    location: SourceLocation(file: path, line: reader.headerLine))
            }
            indexes.append(index)
        }
        var firstProblem: RejectedRecord?
        _ = try reader.forEachRecord(
            { record in
                let values = indexes.map { index in index.map { Self.trimmed(record.string(at: $0)) } ?? "" }
                try row(values, SourceLocation(file: path, line: record.line))
            },
            onReject: { rejected in if firstProblem == nil { firstProblem = rejected } })
        if let firstProblem {
            throw StageDataError(
                stage: .normalize, message: "code list row cannot be read: \(firstProblem.reason)",
                location: firstProblem.location)
        }
    }

    /// `text` trimmed of `.whitespaces`. Most cells have none around them and are returned as they are,
    /// without Foundation's character-set trimming (a tenth of a second for the national sample's lists).
    static func trimmed(_ text: String) -> String {
        // White_Space covers every character `.whitespaces` trims (and more): when neither end is one, trimming
        // would change nothing.
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last,
            first.properties.isWhitespace || last.properties.isWhitespace
        else { return text }
        return text.trimmingCharacters(in: .whitespaces)
    }
}

/// The codes of one code list (``CodeListFile``): each code's name and end year, and the categories its
/// category column and flag columns give it (a code may be in several; they need not agree).
struct LoadedCodes {
    var entries: [String: (name: String, retired: Int?)] = [:]
    /// (category, code) pairs in file order, each once.
    var categories: [(category: String, code: String)] = []

    init() {}

    /// Reads `list`; `codeProblem` says why a code cannot be one (nil when it can).
    init(_ list: CodeListFile, codeProblem: (String) -> String?) throws {
        // The path form reads Brå's list, whose end-year column may be absent; named columns must exist.
        let isBra = list == CodeListFile.bra(path: list.path)
        var columns = [CodeListTable.Column(name: list.code, required: true), .init(name: list.name, required: true)]
        columns.append(.init(name: list.retired ?? "", required: list.retired != nil && !isBra))
        columns.append(.init(name: list.category ?? "", required: list.category != nil))
        columns += list.flags.map { .init(name: $0.column, required: true) }
        var lines: [String: Int] = [:]
        var seen = Set<String>()
        try CodeListTable.read(list.path, encoding: list.encoding, delimiter: list.delimiter, columns: columns) {
            values, location in
            let code = values[0]
            func fail(_ message: String) -> StageDataError {
                StageDataError(stage: .normalize, message: message, location: location)
            }
            if let problem = codeProblem(code) { throw fail(problem) }
            if let line = lines[code] { throw fail("the code '\(code)' is listed twice (also on line \(line))") }
            lines[code] = location.line
            var retired: Int?
            if !values[2].isEmpty {
                retired = Int(values[2])
                if retired == nil, !isBra {
                    throw fail(
                        "the end year '\(values[2])' of code \(code) (column \(list.retired ?? "")) is not a year")
                }
            }
            entries[code] = (values[1], retired)
            var memberships: [String] = []
            if !values[3].isEmpty { memberships.append(values[3]) }
            for (flag, cell) in zip(list.flags, values.dropFirst(4)) {
                guard let member = FlagColumn.truth(cell) else {
                    throw fail(
                        "the flag \(flag.column) of code \(code) reads '\(cell)'; write 1, ja, j, x, true or sant for "
                            + "a member, and 0, nej, n, false, falskt or an empty cell for none")
                }
                if member { memberships.append(flag.category) }
            }
            for category in memberships {
                guard category != "all" else {
                    throw fail("the category name 'all' is reserved for all events; rename it")
                }
                if seen.insert("\(category)\u{0}\(code)").inserted { categories.append((category, code)) }
            }
        }
    }
}
