import Foundation
import Testing

/// One honest row count (issue 14, item 9): rows that pass ingest but fail normalize count as
/// quarantined for their file, and `status`, `quarantine` and the report's source table say the same.
@Suite struct RowCountTests {
    /// The small police pipeline with a limit of 50 % and two observations sources: a long survey and a
    /// wide population table.
    static let pipeline = smallPolicePipeline(name: "counts")
        .replacingOccurrences(of: "    columns:", with: "    quarantine_limit: 50%\n    columns:")
        .replacingOccurrences(
            of: "indicators:",
            with: """
                  - id: trygghet
                    supplier: police
                    kind: observations
                    files: survey/*.csv
                    encoding: utf-8
                    delimiter: ";"
                    area_codes: scb
                    measure: index
                    quarantine_limit: 50%
                    columns: { area: Region, period: Period, value: Index }
                  - id: befolkning
                    supplier: scb
                    kind: observations
                    files: population/*.csv
                    encoding: utf-8
                    delimiter: ";"
                    area_codes: scb
                    measure: population
                    quarantine_limit: 50%
                    columns: { area: Region }
                    wide: { pattern: "^(?<period>[0-9]{4})$" }
                indicators:
                """)

    /// Every row passes ingest but for one broken police row; normalize rejects a date that does not
    /// exist, a period that is none, an unknown area code and, in the wide file, an unknown area (two values).
    func scratchWithDeliveries() throws -> ScratchFolder {
        let scratch = try ScratchFolder()
        try scratch.write("pipeline.yaml", Self.pipeline)
        try scratch.write(
            "police/2023.csv",
            "Brottskod;Datum\n0301;2023-01-05\n0301;2023-02-30\n0857;2023-03-01\n0301\n0857;2023-04-02\n"
                + "0301;2023-05-06\n")
        try scratch.write(
            "survey/trygghet.csv",
            "Region;Period;Index\n1380;2023;1,5\n1380;sommaren 2023;2,0\n13800;2023;1,1\n1380;2022;1,2\n")
        try scratch.write("population/befolkning.csv", "Region;2022;2023\n1380;100;110\nOkänt;5;6\n1381;50;55\n")
        return scratch
    }

    /// file name → the summary `status` and `quarantine` print for it.
    static let expected = [
        "2023.csv": "read 6 = accepted 4 + quarantined 2 (ingest 1, normalize 1)",
        "trygghet.csv":
            "read 4 = accepted 2 + quarantined 2 (ingest 0, normalize 2); values 4 = accepted 2 + quarantined 2",
        "befolkning.csv":
            "read 3 = accepted 2 + quarantined 1 (ingest 0, normalize 1); values 6 = accepted 4 + quarantined 2",
    ]

    /// read, accepted, quarantined per file.
    static let figures = ["2023.csv": [6, 4, 2], "trygghet.csv": [4, 2, 2], "befolkning.csv": [3, 2, 1]]

    @Test func statusQuarantineAndReportTellTheSameCounts() throws {
        let scratch = try scratchWithDeliveries()
        let run = try CommandLineTool.run(["run", "-p", "pipeline.yaml"], in: scratch.path)
        #expect(run.status == 0, "\(run.standardError)")

        let status = try CommandLineTool.run(["status", "-p", "pipeline.yaml"], in: scratch.path)
        #expect(status.status == 0)
        for (file, summary) in Self.expected {
            #expect(status.standardOutput.contains("\(file): \(summary) [accepted]"), "\(status.standardOutput)")
        }

        let listing = try CommandLineTool.run(["quarantine", "-p", "pipeline.yaml"], in: scratch.path)
        #expect(listing.status == 0)
        for (file, summary) in Self.expected {
            #expect(listing.standardOutput.contains("\(file): \(summary)"), "\(listing.standardOutput)")
        }
        // The entries: one per rejected row, a wide row once per rejected value; their lines are the rows.
        let json = try CommandLineTool.run(["quarantine", "-p", "pipeline.yaml", "--json"], in: scratch.path)
        let decoded = try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any]
        let entries = try #require(decoded?["entries"] as? [[String: Any]])
        var lines: [String: Set<Int>] = [:]
        var entryCount: [String: Int] = [:]
        for entry in entries {
            let file = ((entry["file"] as? String ?? "") as NSString).lastPathComponent
            lines[file, default: []].insert(entry["line"] as? Int ?? -1)
            entryCount[file, default: 0] += 1
        }
        for (file, figures) in Self.figures { #expect(lines[file]?.count == figures[2], "\(file)") }
        #expect(entryCount == ["2023.csv": 2, "trygghet.csv": 2, "befolkning.csv": 2])
        #expect(lines["befolkning.csv"] == [3])
        #expect(lines["2023.csv"] == [3, 5])

        // The report's source table: rows read, accepted, quarantined per file.
        let html = try String(contentsOfFile: scratch.file("ws/out/lagesbild.html"), encoding: .utf8)
        for (file, figures) in Self.figures {
            #expect(Self.sourceTableFigures(html, file: file) == figures, "\(file)")
        }
        #expect(html.contains("6 värden"))  // befolkning.csv's values under its rows

        // `explain` names the police file behind the count with the same figures.
        let explain = try CommandLineTool.run(
            ["explain", "crimes", "-p", "pipeline.yaml", "--area", "1380", "--period", "2023"], in: scratch.path)
        #expect(explain.status == 0, "\(explain.standardError)")
        #expect(explain.standardOutput.contains("read 6, accepted 4, quarantined 2"), "\(explain.standardOutput)")
    }

    @Test func normalizeRejectionsCountAgainstTheLimitPerFile() throws {
        let scratch = try scratchWithDeliveries()
        // 2 of 4 survey rows are lost in normalize: more than 1 row.
        try scratch.write(
            "pipeline.yaml",
            Self.pipeline.replacingOccurrences(
                of: "measure: index\n    quarantine_limit: 50%", with: "measure: index\n    quarantine_limit: 1"))
        let run = try CommandLineTool.run(["run", "-p", "pipeline.yaml"], in: scratch.path)
        #expect(run.status == 65)
        #expect(
            run.standardError.contains(
                "source trygghet, file trygghet.csv: 2 of 4 rows quarantined (0 in ingest, 2 in normalize), "
                    + "more than the limit of 1 rows"), "\(run.standardError)")
    }

    /// The numbers in the report's source-table row of `file`: rows read, accepted, quarantined.
    static func sourceTableFigures(_ html: String, file: String) -> [Int] {
        guard let fileRange = html.range(of: "<span class=\"file\">\(file)</span>"),
            let rowEnd = html.range(of: "</tr>", range: fileRange.upperBound..<html.endIndex)
        else { return [] }
        let row = html[fileRange.upperBound..<rowEnd.lowerBound]
        return row.components(separatedBy: "<td class=\"num\">").dropFirst().compactMap { cell in
            // Thousands are grouped with a (no-break) space: "2 510".
            Int(String(cell.prefix { $0.isNumber || $0.isWhitespace }.filter(\.isNumber)))
        }
    }
}
