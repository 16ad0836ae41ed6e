import Foundation
import Testing

/// The second synthetic kommun (Växjö, `Pipelines/vaxjo.yaml`): its exports are laid out unlike
/// Halmstad's for every supplier, and every value the pipeline publishes is compared with the
/// independent Python script `Tests/Reference/vaxjo_expected.py`, which reads the same files itself.
@Suite(.serialized)
struct SecondKommunTests {
    let root = CommandLineTool.repositoryRoot

    /// The columns compared in every published row (all the numbers and the status).
    static let numberColumns = [
        "numerator", "denominator", "value", "ci_low", "ci_high", "change_abs", "change_pct", "moving_avg_3",
    ]

    @Test(.enabled(if: pythonIsAvailable(), "needs python3 (standard library only)"))
    func everyPublishedValueMatchesTheIndependentScript() throws {
        let scratch = try ScratchFolder()
        let workspace = scratch.file("ws")
        let run = try CommandLineTool.run(
            ["run", "-p", root + "/Pipelines/vaxjo.yaml", "--workspace", workspace], in: scratch.path)
        try #require(run.status == 0, "\(run.standardError)")

        let reference = try referenceOutput()
        let expected = try expectedRows(reference)
        let published = try publishedRows(in: workspace + "/out")
        #expect(Set(published.keys) == Set(expected.keys), "the indicators published and the script's differ")
        var compared = 0
        for (indicator, rows) in expected.sorted(by: { $0.key < $1.key }) {
            let actual = published[indicator] ?? [:]
            let missing = Set(rows.keys).subtracting(actual.keys).sorted()
            let extra = Set(actual.keys).subtracting(rows.keys).sorted()
            #expect(missing.isEmpty, "\(indicator): not published: \(missing.prefix(8))")
            #expect(extra.isEmpty, "\(indicator): published but not expected: \(extra.prefix(8))")
            for (key, want) in rows.sorted(by: { $0.key < $1.key }) {
                guard let have = actual[key] else { continue }
                #expect(have["status"] == want["status"], "\(indicator) \(key): status")
                compared += 1
                for column in Self.numberColumns {
                    let wanted = want[column].flatMap { $0 }.flatMap(Double.init)
                    let got = have[column].flatMap { $0 }.flatMap(Double.init)
                    compared += 1
                    switch (wanted, got) {
                    case (nil, nil): continue
                    case (let wanted?, let got?):
                        // Published numbers have at most 6 decimals.
                        #expect(
                            abs(wanted - got) <= 1e-6 + 1e-12 * abs(wanted),
                            "\(indicator) \(key) \(column): published \(got), expected \(wanted)")
                    default:
                        Issue.record(
                            "\(indicator) \(key) \(column): published \(got as Any), expected \(wanted as Any)")
                    }
                }
            }
        }
        // The text attributes (`texts:`): every comment with its observation, masked and bounded.
        let texts = try expectedTexts(reference)
        let textsFile = workspace + "/out/observation_texts.csv"
        if !texts.isEmpty || FileManager.default.fileExists(atPath: textsFile) {
            let records = parseCSV(try String(contentsOfFile: textsFile, encoding: .utf8))
            let header = records.first ?? []
            let columns = ["source_id", "area_code", "period", "measure", "name", "text"].map {
                header.firstIndex(of: $0) ?? 0
            }
            let publishedTexts = Set(records.dropFirst().map { record in columns.map { record[$0] } })
            #expect(publishedTexts == texts, "texts: published \(publishedTexts.count), expected \(texts.count)")
            compared += texts.count
        }
        // One honest row count per delivery: rows read = accepted + quarantined, lines after the table's
        // end skipped, as `status` shows them.
        let status = try CommandLineTool.run(
            ["status", "-p", root + "/Pipelines/vaxjo.yaml", "--workspace", workspace, "--json"], in: scratch.path)
        let statusObject = try JSONSerialization.jsonObject(with: Data(status.standardOutput.utf8)) as? [String: Any]
        let deliveries = try #require((statusObject?["status"] as? [String: Any])?["deliveries"] as? [[String: Any]])
        let files = try #require(reference["files"] as? [[String: Any]])
        #expect(deliveries.count == files.count, "deliveries in status: \(deliveries.count), files: \(files.count)")
        for file in files {
            let name = file["file"] as? String ?? ""
            let delivery = deliveries.first { ($0["file"] as? String)?.hasSuffix("/" + name) == true }
            let read = file["read"] as? Int ?? -1
            let quarantined = file["quarantined"] as? Int ?? -1
            #expect(delivery?["rows_read"] as? Int == read, "\(name): rows read")
            #expect(delivery?["rows_quarantined"] as? Int == quarantined, "\(name): rows quarantined")
            #expect(delivery?["rows_accepted"] as? Int == read - quarantined, "\(name): rows accepted")
            #expect(delivery?["lines_skipped"] as? Int == file["skipped"] as? Int, "\(name): lines skipped")
            compared += 4
        }
        // 16 indicators, about 570 rows of 9 compared fields each, the texts and the row counts.
        #expect(compared > 2_000, "compared \(compared) values")
        print("SecondKommunTests: compared \(compared) published values (status and numbers)")
    }

    typealias Key = String
    typealias Row = [String: String?]

    /// The reference script's output: `values` and `texts`.
    func referenceOutput() throws -> [String: Any] {
        let result = try runPython([root + "/Tests/Reference/vaxjo_expected.py"])
        try #require(result.status == 0, "the reference script failed: \(result.standardError)")
        return try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
    }

    /// The script's rows per indicator, keyed `area|period|breakdown|breakdown value`, numbers as text.
    func expectedRows(_ reference: [String: Any]) throws -> [String: [Key: Row]] {
        let values = try #require(reference["values"] as? [[String: Any]])
        var rows: [String: [Key: Row]] = [:]
        for value in values {
            let indicator = try #require(value["indicator"] as? String)
            let key = [value["area"], value["period"], value["breakdown"], value["breakdown_value"]]
                .map { ($0 as? String) ?? "" }.joined(separator: "|")
            var row: Row = ["status": value["status"] as? String]
            for column in Self.numberColumns {
                row[column] = (value[column] as? NSNumber).map { "\($0.doubleValue)" }
            }
            rows[indicator, default: [:]][key] = row
        }
        return rows
    }

    /// The script's text attributes: (source, area, period, measure, name, text).
    func expectedTexts(_ reference: [String: Any]) throws -> Set<[String]> {
        let texts = try #require(reference["texts"] as? [[String: String]])
        return Set(
            texts.map { text in ["source", "area", "period", "measure", "name", "text"].map { text[$0] ?? "" } })
    }

    /// The published indicator CSVs (plain dialect), keyed like ``expectedRows()``.
    func publishedRows(in folder: String) throws -> [String: [Key: Row]] {
        var rows: [String: [Key: Row]] = [:]
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter {
            $0.hasSuffix(".csv") && !$0.hasSuffix(".excel-sv.csv") && !$0.hasPrefix("uppfoljning")
                && !$0.hasPrefix("atgardsplan")
        }
        for file in files {
            let records = parseCSV(try String(contentsOfFile: folder + "/" + file, encoding: .utf8))
            guard let header = records.first, header.contains("indicator_id") else { continue }
            for record in records.dropFirst() {
                let fields = Dictionary(uniqueKeysWithValues: zip(header, record))
                let key = ["area_code", "period", "breakdown", "breakdown_value"].map { fields[$0] ?? "" }
                    .joined(separator: "|")
                var row: Row = ["status": fields["status"]]
                for column in Self.numberColumns {
                    row[column] = fields[column].flatMap { $0.isEmpty ? nil : $0 }
                }
                rows[fields["indicator_id"] ?? file, default: [:]][key] = row
            }
        }
        return rows
    }
}

/// Splits CSV text (comma, `"` quotes with `""` for a quote, LF) into records of fields.
func parseCSV(_ text: String) -> [[String]] {
    var records: [[String]] = []
    var record: [String] = []
    var field = ""
    var quoted = false
    var previous: Character?
    for character in text {
        if quoted {
            if character == "\"" { quoted = false } else { field.append(character) }
        } else if character == "\"" {
            if previous == "\"" { field.append("\"") }  // a doubled quote inside a quoted field
            quoted = true
        } else if character == "," || character == "\n" {
            record.append(field)
            field = ""
            if character == "\n" {
                records.append(record)
                record = []
            }
        } else {
            field.append(character)
        }
        previous = character
    }
    if !field.isEmpty || !record.isEmpty { records.append(record + [field]) }
    return records
}

/// Runs `python3` with `arguments` in the repository's root.
func runPython(_ arguments: [String]) throws -> CommandLineTool.Result {
    try CommandLineTool.run(
        program: "/usr/bin/env", ["python3"] + arguments, in: CommandLineTool.repositoryRoot)
}

/// Whether `python3` runs; the comparison is skipped (not passed) without it.
func pythonIsAvailable() -> Bool {
    (try? runPython(["-c", "import json, csv, xml.etree.ElementTree"]).status) == 0
}
