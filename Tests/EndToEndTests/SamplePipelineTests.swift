import Foundation
import GRDB
import Testing

/// The sample pipeline from the command line, as the README's first command runs it.
@Suite(.serialized)
struct SamplePipelineTests {
    let root = CommandLineTool.repositoryRoot
    var pipeline: String { root + "/Pipelines/halmstad.yaml" }

    /// The hand calculation: good rows per year from the generator's counts, population from the
    /// PX-Web file's total row for Halmstad, read here independently of the pipeline.
    func expectedRates() throws -> [String: Double] {
        let counts =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: root + "/SampleData/expected_counts.json")))
            as! [String: Any]
        let police = counts["police"] as! [String: [String: Any]]
        let populationText = String(
            decoding: try Data(
                contentsOf: URL(fileURLWithPath: root + "/SampleData/population/befolkning_halmstad.csv")),
            as: UTF8.self)
        // ISO-8859-1 bytes of åäö decode as replacement characters here; only the ASCII parts matter.
        let totalLine = try #require(
            populationText.split(whereSeparator: \.isNewline).first {
                $0.hasPrefix("\"1380 Halmstad\"") && $0.contains("\"totalt\"") && !$0.contains("år\"")
                    && $0.contains("totalt ")
            })
        let cells = totalLine.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        let years = ["2020", "2021", "2022", "2023"]
        var rates: [String: Double] = [:]
        for (offset, year) in years.enumerated() {
            let goodRows = try #require(police[year]?["good_rows"] as? Int)
            let population = try #require(Double(cells[3 + offset]))
            rates[year] = Double(goodRows) / population * 100_000
        }
        return rates
    }

    func publishedRates(_ csvPath: String) throws -> [String: Double] {
        let text = try String(contentsOfFile: csvPath, encoding: .utf8)
        var lines = text.split(separator: "\n").map(String.init)
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        let period = try #require(header.firstIndex(of: "period"))
        let value = try #require(header.firstIndex(of: "value"))
        let level = try #require(header.firstIndex(of: "area_level"))
        let breakdown = try #require(header.firstIndex(of: "breakdown"))
        var result: [String: Double] = [:]
        for line in lines {
            // The titles hold no comma, so a plain split is enough for this file.
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields[level] == "municipality", fields[breakdown].isEmpty else { continue }
            result[fields[period]] = Double(fields[value])
        }
        return result
    }

    @Test func fullRunPublishesTheHandCalculatedRate() throws {
        let scratch = try ScratchFolder()
        let workspace = scratch.file("ws")
        let result = try CommandLineTool.run(["run", "-p", pipeline, "--workspace", workspace], in: scratch.path)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("Workspace database: \(workspace)/lagesbild.sqlite"))
        let csv = workspace + "/out/anmalda_brott_per_100k.csv"
        #expect(result.standardOutput.contains("files to \(workspace)/out\n"))
        #expect(FileManager.default.fileExists(atPath: csv))
        let published = try publishedRates(csv)
        let expected = try expectedRates()
        #expect(published.keys.sorted() == expected.keys.sorted())
        for (year, rate) in expected {
            let value = try #require(published[year])
            #expect(abs(value - rate) < 0.0001, "year \(year): published \(value), hand-calculated \(rate)")
        }
        // The kommun's problem index, a mean of its districts: an independent script computes it from the survey
        // file, leaving out the districts marked '..' (a partial year is published and noted as such).
        let script = try runPython(["Tests/Reference/halmstad_problemindex.py"])
        #expect(script.status == 0, "\(script.standardError)")
        #expect(script.standardOutput.split(separator: "\n").count == 4, "one line per year 2020–2023")
        let lines = try String(contentsOfFile: workspace + "/out/problemindex.csv", encoding: .utf8)
            .split(separator: "\n").filter { $0.contains(",1380,Halmstad,municipality,") }
        for line in script.standardOutput.split(separator: "\n") {
            let fields = line.split(separator: " ").map(String.init)
            let row = try #require(lines.first { $0.contains(",municipality,\(fields[0]),year,") })
            #expect(row.contains(",\(fields[1]),"), "\(row) vs the script's \(line)")
            let partial = fields[2] != fields[3]
            #expect(row.hasSuffix(",partial") == partial, "\(row)")
            if partial { #expect(row.contains("computed from \(fields[2]) of \(fields[3]) areas")) }
        }
        // The same numbers are in the workspace database.
        let database = try DatabaseQueue(path: workspace + "/lagesbild.sqlite")
        let value2022 = try database.read { db in
            try Double.fetchOne(
                db,
                sql:
                    "SELECT value FROM indicator_values WHERE indicator_id = 'anmalda_brott_per_100k' AND period = '2022' "
                    + "AND area_level = 'municipality' AND breakdown = ''"
            )
        }
        #expect(abs((value2022 ?? 0) - expected["2022"]!) < 0.0001)

        // Re-running aggregation alone gives the same result.
        let again = try CommandLineTool.run(
            ["run", "-p", pipeline, "--workspace", workspace, "--stage", "aggregate"], in: scratch.path)
        #expect(again.status == 0, "\(again.standardError)")
        let valueAgain = try database.read { db in
            try Double.fetchOne(
                db,
                sql:
                    "SELECT value FROM indicator_values WHERE indicator_id = 'anmalda_brott_per_100k' AND period = '2022' "
                    + "AND area_level = 'municipality' AND breakdown = ''"
            )
        }
        #expect(valueAgain == value2022)

        // The kommun's own incidents, counted here from the export and its type list: the flag column
        // and the category column each give their own count; neither enters the crime rate above.
        let typeRows = try String(contentsOfFile: root + "/Pipelines/codelists/est_handelsetyper.csv", encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ";", omittingEmptySubsequences: false) }
        let flagged = Set(typeRows.filter { $0[3] == "ja" }.map { String($0[0]) })
        let unsafe = Set(typeRows.filter { $0[2] == "otrygg_plats_est" }.map { String($0[0]) })
        let incidentTypes = try String(
            contentsOfFile: root + "/SampleData/incidents/handelser_2023.csv", encoding: .utf8
        )
        .split(separator: "\r\n").dropFirst().map {
            String($0.split(separator: ";", omittingEmptySubsequences: false)[3])
        }
        for (indicator, types) in [("skadegorelse_est", flagged), ("otrygga_platser_est", unsafe)] {
            let published = try database.read { db in
                try Double.fetchOne(
                    db,
                    sql: """
                        SELECT value FROM indicator_values WHERE indicator_id = ? AND period = '2023'
                        AND area_level = 'municipality' AND breakdown = ''
                        """,
                    arguments: [indicator])
            }
            let counted = incidentTypes.filter(types.contains).count
            #expect(counted > 50)
            #expect(published == Double(counted), "\(indicator)")
        }
        // The police's press notices (a JSON page), by the headlines the kommun's list calls violence.
        let noticeTypes = try String(
            contentsOfFile: root + "/Pipelines/codelists/polisens_handelsetyper.csv", encoding: .utf8
        ).split(separator: "\n").dropFirst().map { $0.split(separator: ";", omittingEmptySubsequences: false) }
        let violence = Set(noticeTypes.filter { $0[2] == "vald_notis" }.map { String($0[0]) })
        let page =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: root + "/SampleData/police/handelser_polisen_2023.json")))
            as! [[String: Any]]
        let violentNotices = page.filter { violence.contains($0["type"] as! String) }.count
        let publishedNotices = try database.read { db in
            try Double.fetchOne(
                db,
                sql: """
                    SELECT value FROM indicator_values WHERE indicator_id = 'polisnotiser_vald' AND period = '2023'
                    AND area_level = 'municipality' AND breakdown = ''
                    """)
        }
        #expect(violentNotices > 20)
        #expect(publishedNotices == Double(violentNotices))

        // Rows read = accepted + quarantined for every delivered file, and status shows it.
        let deliveries = try database.read { db in
            try Row.fetchAll(db, sql: "SELECT rows_read, rows_accepted, rows_quarantined FROM deliveries")
        }
        #expect(deliveries.count == 25)  // every sample file of every source (8 of them status reports)
        for row in deliveries {
            #expect((row["rows_read"] as Int) == (row["rows_accepted"] as Int) + (row["rows_quarantined"] as Int))
        }
        let status = try CommandLineTool.run(
            ["status", "-p", pipeline, "--workspace", workspace, "--json"], in: scratch.path)
        #expect(status.status == 0)
        #expect(status.standardOutput.contains("\"stage\" : \"aggregate\""))
        #expect(status.standardOutput.contains("\"decision\" : \"skip\""))
        #expect(status.standardOutput.contains("\"rows_quarantined\" : 1"))

        // No personal identity number anywhere in the workspace: the planted one is masked.
        let database2 = try Data(contentsOf: URL(fileURLWithPath: workspace + "/lagesbild.sqlite"))
        let wal = (try? Data(contentsOf: URL(fileURLWithPath: workspace + "/lagesbild.sqlite-wal"))) ?? Data()
        for bytes in [database2, wal] {
            #expect(bytes.range(of: Data("850412-1230".utf8)) == nil)
        }
        let quarantined = try database.read { db in try String.fetchAll(db, sql: "SELECT raw FROM quarantine") }
        #expect(quarantined.contains { $0.contains("******-****") })

        // The measures' follow-up from the sample status reports (SampleData/README.md, "atgarder").
        let followUp = try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT measure_id, planned, delivered, latest_status, missing_latest_report FROM measure_followup
                    WHERE year = 2023 ORDER BY measure_id
                    """)
        }
        #expect(
            followUp.filter { ($0["missing_latest_report"] as Int) == 1 }.map { $0["measure_id"] as String } == ["M06"])
        let m02 = try #require(followUp.first { ($0["measure_id"] as String) == "M02" })
        #expect(m02["latest_status"] as String == "försenad")
        #expect(m02["planned"] as Double == 40 && m02["delivered"] as Double == 27)
        let rejectedReports = try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT file, line FROM quarantine WHERE source_id = 'measure-reports' AND stage = 'normalize'
                    ORDER BY file
                    """)
        }
        #expect(
            rejectedReports.map { "\(($0["file"] as String).split(separator: "/").last!):\($0["line"] as Int)" } == [
                "statusrapport_2022K1.csv:12", "statusrapport_2023K2.csv:12", "statusrapport_2023K3.csv:11",
            ])
        for bytes in [database2, wal] {
            #expect(bytes.range(of: Data("850412-1234".utf8)) == nil)
        }
        #expect(FileManager.default.fileExists(atPath: workspace + "/out/uppfoljning_atgarder.excel-sv.csv"))

        // Zero is a number: Fyllinge had no robbery in 2022, a year the police files cover; 2019 has no file.
        let zero = try CommandLineTool.run(
            [
                "explain", "ran_per_100k", "-p", pipeline, "--workspace", workspace, "--area", "1380D07", "--period",
                "2022",
            ],
            in: scratch.path)
        #expect(zero.status == 0, "\(zero.standardError)")
        #expect(zero.standardOutput.contains("value for Fyllinge (1380D07), 2022: 0 [ok]"))
        #expect(
            zero.standardOutput.contains(
                "0 händelser i kategorin ran i Fyllinge (1380D07) 2022: perioden täcks av godkända leveranser av "
                    + "händelser (brott_2022.csv)"))
        let uncovered = try CommandLineTool.run(
            [
                "explain", "ran_per_100k", "-p", pipeline, "--workspace", workspace, "--area", "1380D07", "--period",
                "2019",
            ],
            in: scratch.path)
        #expect(uncovered.status == 64)
        #expect(uncovered.standardError.contains("no accepted delivery of events covers all of 2019"))
    }

    @Test func aggregateAloneOnAnEmptyWorkspaceSaysWhichStageFirst() throws {
        let scratch = try ScratchFolder()
        let result = try CommandLineTool.run(
            ["run", "-p", pipeline, "--workspace", scratch.file("empty"), "--stage", "aggregate"], in: scratch.path)
        #expect(result.status == 66)
        #expect(result.standardError.contains("stage aggregate reads what stage normalize writes"))
        #expect(!FileManager.default.fileExists(atPath: scratch.file("empty/lagesbild.sqlite")))
    }

    @Test func untilAggregateRunsEverythingButPublish() throws {
        let scratch = try ScratchFolder()
        let workspace = scratch.file("until")
        let result = try CommandLineTool.run(
            ["run", "-p", pipeline, "--workspace", workspace, "--until", "aggregate", "-q"], in: scratch.path)
        #expect(result.status == 0, "\(result.standardError)")
        let database = try DatabaseQueue(path: workspace + "/lagesbild.sqlite")
        let stages = try database.read { db in
            try String.fetchAll(db, sql: "SELECT stage FROM stage_runs WHERE status = 'succeeded' ORDER BY id")
        }
        #expect(stages == ["ingest", "normalize", "aggregate"])
        #expect(try database.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM indicator_values") ?? 0 } > 0)
        #expect(!FileManager.default.fileExists(atPath: workspace + "/out/lagesbild.html"))
        let combined = try CommandLineTool.run(
            ["run", "-p", pipeline, "--workspace", workspace, "--until", "aggregate", "--stage", "ingest"],
            in: scratch.path)
        #expect(combined.status == 64)
    }

    @Test func validateChecksSourcesAndWritesNothing() throws {
        let scratch = try ScratchFolder()
        let result = try CommandLineTool.run(
            ["validate", "-p", pipeline, "--workspace", scratch.file("ws")], in: scratch.path)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("source police-events: 4 file(s)"))
        // The plan has no gaps; its targets' baselines need a workspace.
        #expect(result.standardOutput.contains("4 problems, 10 measures; 5 targets"))
        #expect(!result.standardOutput.contains("names no target"))
        #expect(result.standardOutput.contains("cannot be checked yet (5):"))
        #expect(!FileManager.default.fileExists(atPath: scratch.file("ws")))
    }
}
