import ArgumentParser
import CSVReader
import Foundation
import LagesbildModel
import LagesbildRunner
import XMLReader

/// `lagesbild inspect FILE`: what a new delivery looks like, before writing its pipeline entry.
struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract:
            "Describe a CSV, XML, Excel or JSON export: encoding, delimiter, header or elements, types, rejected rows.",
        discussion: """
            Reads the file once and writes nothing. Prints the detected format, encoding, delimiter, title lines, \
            header (or XML element paths), the row count, sample values per column with their inferred type, and \
            every line that would be quarantined and why.
            """)

    @Argument(help: "The export to inspect.", completion: .file())
    var file: String

    @Option(name: .long, help: "The encoding, when not to detect it: utf-8, utf-16, windows-1252, iso-8859-1.")
    var encoding: String?

    @Option(name: .long, help: "The delimiter, when not to detect it: ';', ',' or tab.")
    var delimiter: String?

    @Option(name: .long, help: "A workbook's sheet: its name or number (default: the first worksheet).")
    var sheet: String?

    @Option(name: .long, help: "A workbook's header row (default: detected).")
    var headerRow: Int?

    @Option(name: .long, help: "How many distinct sample values to show per column.")
    var samples = 5

    @Flag(name: .long, help: "Print the inspection as JSON.")
    var json = false

    func validate() throws {
        if let encoding, TextEncoding(name: encoding) == nil {
            throw ValidationError("unknown encoding '\(encoding)'; use one of \(TextEncoding.acceptedNames)")
        }
        if let delimiter, delimiterByte(delimiter) == nil {
            throw ValidationError("unknown delimiter '\(delimiter)'; use ';', ',', tab or '|'")
        }
    }

    func run() async throws {
        try await withExitStatus {
            let dialect = CSVDialect(
                delimiter: delimiter.flatMap(delimiterByte), encoding: encoding.flatMap(TextEncoding.init(name:)))
            let inspection = try FileInspection.inspect(
                path: file, dialect: dialect, sampleCount: samples, workbook: workbookOptions)
            if json {
                Output.print(try JSONOutput.encode(inspection))
            } else {
                switch inspection {
                case .csv(let csv): printCSV(csv)
                case .xml(let xml): printXML(xml)
                case .xlsx(let workbook): printWorkbook(workbook)
                case .json(let json): printJSON(json)
                }
            }
            // What was read is shown, but a file that cannot be read to its end is a data error (exit 65).
            if case .xml(let xml) = inspection, let error = xml.error {
                throw InspectionError(
                    message: "the file cannot be read to its end: \(error.location): \(error.message)")
            }
        }
    }

    func delimiterByte(_ text: String) -> UInt8? {
        switch text {
        case ";": return UInt8(ascii: ";")
        case ",": return UInt8(ascii: ",")
        case "\t", "tab", "\\t": return UInt8(ascii: "\t")
        case "|": return UInt8(ascii: "|")
        default: return nil
        }
    }

    func printCSV(_ csv: CSVInspection) {
        Output.print("Format:     CSV")
        Output.print("Encoding:   \(csv.encoding.rawValue)\(csv.encodingWasDetected ? " (detected)" : " (given)")")
        Output.print(
            "Delimiter:  \(csv.delimiter == "\t" ? "tab" : csv.delimiter)\(csv.delimiterWasDetected ? " (detected)" : "")"
        )
        if !csv.titleLines.isEmpty {
            Output.print("Title lines (\(csv.titleLines.count)), skipped:")
            for line in csv.titleLines { Output.print("  \(line)") }
        }
        let described = csv.columnCount > csv.columns.count ? " (the first \(csv.columns.count) described)" : ""
        Output.print("Header:     line \(csv.headerLine), \(csv.columnCount) columns\(described)")
        Output.print(
            "Rows:       \(csv.summary.rowsRead) read = \(csv.summary.rowsDelivered) readable + "
                + "\(csv.summary.rowsRejected) rejected (\(csv.summary.blankLines) blank lines skipped)")
        Output.print("Columns:")
        for (index, column) in csv.columns.enumerated() {
            let missing = column.missingCounts.sorted { $0.key < $1.key }.map { "\($0.value)× '\($0.key)'" }
            let missingText = missing.isEmpty ? "" : "; missing: " + missing.joined(separator: ", ")
            Output.print(
                "  \(index + 1). \(column.name) — \(column.inferredType.rawValue), \(column.filledCount) filled\(missingText)"
            )
            if !column.samples.isEmpty {
                Output.print("     e.g. \(column.samples.map { "'\($0)'" }.joined(separator: ", "))")
            }
        }
        if csv.columnCount > csv.columns.count {
            Output.print("  … and \(csv.columnCount - csv.columns.count) more columns, not described")
        }
        printRejected(csv.rejected, total: csv.summary.rowsRejected)
    }

    func printXML(_ xml: XMLInspection) {
        Output.print("Format:     XML")
        Output.print("Root:       \(xml.rootElement ?? "(none)")")
        for (prefix, uri) in xml.namespaces.sorted(by: { $0.key < $1.key }) {
            Output.print("Namespace:  \(prefix.isEmpty ? "(default)" : prefix) = \(uri)")
        }
        if xml.namespacesTruncated {
            Output.print("Namespace:  … more prefixes, after the first \(XMLInspector.maximumNamespaces)")
        }
        if let suggested = xml.suggestedRecordPath { Output.print("Suggested record_path: \(suggested)") }
        Output.print("Elements:")
        for element in xml.elements {
            Output.print("  \(element.path) ×\(element.count)")
            for attribute in element.attributes {
                Output.print(
                    "     @\(attribute.name) ×\(attribute.count): \(attribute.samples.map { "'\($0)'" }.joined(separator: ", "))"
                )
            }
            if !element.textSamples.isEmpty {
                Output.print("     text: \(element.textSamples.map { "'\($0)'" }.joined(separator: ", "))")
            }
        }
        if xml.pathsTruncated {
            Output.print("  … more element paths, after the first \(XMLInspector.maximumPaths)")
        }
        if xml.attributesTruncated {
            Output.print("  … more attributes, after the first \(XMLInspector.maximumAttributes) (over all paths)")
        }
        if let error = xml.error {
            Output.print("The file cannot be read to its end; it would be quarantined:")
            Output.print("  \(error.location): \(error.message)")
        } else {
            Output.print("Read to the end without errors.")
        }
    }

    /// The first rejected rows, and how many more there are of `total`.
    func printRejected(_ rejected: [RejectedRecord], total: Int) {
        if total == 0 {
            Output.print("Every row can be read.")
            return
        }
        let shown = total > rejected.count ? ", the first \(rejected.count) shown" : ""
        Output.print("Rows that would be quarantined (\(total)\(shown)):")
        for record in rejected {
            Output.print(
                "  line \(record.location.line)\(record.location.column.map { ", column \($0)" } ?? ""): \(record.reason)"
            )
            Output.print("     \(record.raw)")
        }
    }
}
