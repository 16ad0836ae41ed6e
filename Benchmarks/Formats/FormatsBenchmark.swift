import CSVReader
import Foundation
import JSONReader
import XLSXReader
import ZIPFoundation

/// Writes the same table as CSV, as an Excel workbook and as a JSON array (once, under
/// `$TMPDIR/lagesbild-formats-benchmark/`), then reads one of them with its reader and touches every cell.
/// Usage: `formats-benchmark --format csv|xlsx|json [--rows N] [--passes N] [--generate]`. Run one format
/// per process, after generating the file in another (`--generate`), so that the peak memory (VmHWM) is the
/// reader's own.
@main struct FormatsBenchmark {
    static func main() throws {
        var arguments = Array(CommandLine.arguments.dropFirst())
        var rows = 500_000
        var passes = 2
        var format = "csv"
        var generateOnly = false
        while !arguments.isEmpty {
            switch arguments.removeFirst() {
            case "--generate": generateOnly = true
            case "--rows": rows = Int(arguments.removeFirst()) ?? rows
            case "--passes": passes = Int(arguments.removeFirst()) ?? passes
            case "--format": format = arguments.removeFirst()
            default:
                print("usage: formats-benchmark --format csv|xlsx|json [--rows N] [--passes N] [--generate]")
                return
            }
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lagesbild-formats-benchmark")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("table-\(rows).\(format)").path
        if !FileManager.default.fileExists(atPath: file) {
            let start = ContinuousClock.now
            switch format {
            case "csv": try Table.writeCSV(rows: rows, to: file)
            case "xlsx": try Table.writeXLSX(rows: rows, to: file)
            default: try Table.writeJSON(rows: rows, to: file)
            }
            print("generated \(file) in \(start.duration(to: .now))")
        }
        // The generator's memory would count in this process's peak: measure in a process of its own.
        if generateOnly { return }
        let size = (try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        for pass in 1...passes {
            let start = ContinuousClock.now
            var cells = 0
            var bytes = 0
            var records = 0
            switch format {
            case "csv":
                let reader = try CSVFileReader(path: file, dialect: CSVDialect(delimiter: UInt8(ascii: ";")))
                _ = try reader.forEachRecord(
                    { record in
                        records += 1
                        for index in 0..<record.count {
                            bytes += record.string(at: index).utf8.count
                            cells += 1
                        }
                    }, onReject: { _ in })
            case "xlsx":
                let reader = try XLSXRecordReader(path: file)
                print("  xlsx: workbook parts, merged ranges and header read in \(start.duration(to: .now))")
                _ = try reader.forEachRecord { record in
                    records += 1
                    for cell in record.cells {
                        bytes += cell.utf8.count
                        cells += 1
                    }
                }
            default:
                // Above the reader's 64 MB default: the limit is lifted to measure what parsing costs.
                let reader = try JSONRecordReader(
                    path: file, options: JSONOptions(records: "[]", fields: Table.header), maximumBytes: Int.max)
                print("  json: parsed in \(start.duration(to: .now))")
                try reader.forEachRecord { record in
                    records += 1
                    for cell in record.cells {
                        bytes += cell.utf8.count
                        cells += 1
                    }
                }
            }
            let seconds = start.duration(to: .now).seconds
            let megabytes = Double(size) / 1_000_000
            print(
                String(
                    format: "%@ pass %d: %d records, %d cells (%.1f MB of cell text) from %.1f MB in %.2f s: "
                        + "%.1f MB/s of file, %.0f records/s",
                    format, pass, records, cells, Double(bytes) / 1_000_000, megabytes, seconds, megabytes / seconds,
                    Double(records) / seconds))
        }
        print("peak memory (VmHWM): \(peakMemoryMiB()) MiB")
    }

    static func peakMemoryMiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return -1 }
        return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// The benchmark's table: Brå-style rows of region, crime type, year, date, count, rate and a note.
enum Table {
    static let header = ["Region", "Brottstyp", "År", "Datum", "Antal", "Per 100 000 inv.", "Kommentar"]
    static let regions = ["Halmstad", "Hallands län", "Hela landet", "Laholm", "Falkenberg", "Varberg", "Kungsbacka"]
    static let crimes = ["Misshandel inkl. grov", "Olaga hot", "Skadegörelse", "Bostadsinbrott", "Rån inkl. grovt"]

    /// Row `index`: text cells, then the numbers (year, date serial, count, rate).
    static func row(_ index: Int) -> (
        region: String, crime: String, year: Int, serial: Int, count: Int, rate: Double, note: String
    ) {
        let year = 2014 + index % 10
        let count = (index * 7919) % 100_000
        return (
            regions[index % regions.count], crimes[(index / 7) % crimes.count], year, 41_640 + index % 3650, count,
            Double(count) / 10.3, "Anmärkning \(index % 1000): preliminär siffra för år \(year)"
        )
    }

    static func dateText(_ serial: Int) -> String { ExcelDate.isoDate(serial: Double(serial), date1904: false)! }

    static func writeCSV(rows: Int, to path: String) throws {
        var text = header.joined(separator: ";") + "\r\n"
        for index in 0..<rows {
            let r = row(index)
            text += "\(r.region);\(r.crime);\(r.year);\(dateText(r.serial));\(r.count);\(r.rate);\(r.note)\r\n"
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    static func writeJSON(rows: Int, to path: String) throws {
        var text = "[\n"
        for index in 0..<rows {
            let r = row(index)
            text +=
                "{\"Region\": \"\(r.region)\", \"Brottstyp\": \"\(r.crime)\", \"År\": \(r.year), \"Datum\": "
                + "\"\(dateText(r.serial))\", \"Antal\": \(r.count), \"Per 100 000 inv.\": \(r.rate), "
                + "\"Kommentar\": \"\(r.note)\"}\(index + 1 < rows ? "," : "")\n"
        }
        try Data((text + "]\n").utf8).write(to: URL(fileURLWithPath: path))
    }

    /// A workbook as Excel writes one: shared strings for the repeated texts, a date style, numbers as `<v>`.
    static func writeXLSX(rows: Int, to path: String) throws {
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        var strings = header + regions + crimes
        var index: [String: Int] = [:]
        for (position, text) in strings.enumerated() { index[text] = position }
        func letters(_ column: Int) -> String { CellReference.letters(column) }
        var sheet = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"\(main)\"><sheetData><row r=\"1\">"
        for (column, name) in header.enumerated() {
            sheet += "<c r=\"\(letters(column + 1))1\" t=\"s\"><v>\(index[name]!)</v></c>"
        }
        sheet += "</row>"
        for number in 0..<rows {
            let r = row(number)
            let line = number + 2
            if index[r.note] == nil {
                index[r.note] = strings.count
                strings.append(r.note)
            }
            sheet +=
                "<row r=\"\(line)\"><c r=\"A\(line)\" t=\"s\"><v>\(index[r.region]!)</v></c>"
                + "<c r=\"B\(line)\" t=\"s\"><v>\(index[r.crime]!)</v></c><c r=\"C\(line)\"><v>\(r.year)</v></c>"
                + "<c r=\"D\(line)\" s=\"1\"><v>\(r.serial)</v></c><c r=\"E\(line)\"><v>\(r.count)</v></c>"
                + "<c r=\"F\(line)\"><v>\(r.rate)</v></c><c r=\"G\(line)\" t=\"s\"><v>\(index[r.note]!)</v></c></row>"
        }
        sheet += "</sheetData></worksheet>"
        let parts: [(String, String)] = [
            (
                "_rels/.rels",
                "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship "
                    + "Id=\"rId1\" Type=\"\(rel)/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"
            ),
            (
                "xl/workbook.xml",
                "<workbook xmlns=\"\(main)\" xmlns:r=\"\(rel)\"><sheets><sheet name=\"Blad1\" sheetId=\"1\" "
                    + "r:id=\"rId1\"/></sheets></workbook>"
            ),
            (
                "xl/_rels/workbook.xml.rels",
                "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship "
                    + "Id=\"rId1\" Type=\"\(rel)/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" "
                    + "Type=\"\(rel)/styles\" Target=\"styles.xml\"/><Relationship Id=\"rId3\" "
                    + "Type=\"\(rel)/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>"
            ),
            (
                "xl/styles.xml",
                "<styleSheet xmlns=\"\(main)\"><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellXfs></styleSheet>"
            ),
            (
                "xl/sharedStrings.xml",
                "<sst xmlns=\"\(main)\">" + strings.map { "<si><t>\($0)</t></si>" }.joined() + "</sst>"
            ),
            ("xl/worksheets/sheet1.xml", sheet),
        ]
        try? FileManager.default.removeItem(atPath: path)
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        for (name, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(
                with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
                provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
        }
    }
}
