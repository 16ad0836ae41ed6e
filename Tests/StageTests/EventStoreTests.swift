import Foundation
import GRDB
import LagesbildRunner
import Logging
import StageKit
import Testing
import Workspace

/// Events of several municipalities in one file, and the column files events are kept in.
@Suite struct MultiMunicipalityEventTests {
    /// Two municipalities of Hallands län and one of Västra Götaland, each with a district called Centrum.
    let areas = """
        code;name;level;parent;aliases
        00;Sverige;country;;
        13;Hallands län;county;00;
        14;Västra Götalands län;county;00;
        1380;Halmstad;municipality;13;
        1382;Falkenberg;municipality;13;
        1480;Göteborg;municipality;14;
        1380D01;Centrum;district;1380;
        1382D01;Centrum;district;1382;
        1382D02;Ätran;district;1382;
        1380C0010;Centrum 1;deso;1380D01;
        1382C0010;Centrum 1;deso;1382D01;

        """

    func makeFixture(scope: String) throws -> PipelineFixture {
        let fixture = try PipelineFixture()
        try fixture.write("areas.csv", areas)
        try fixture.writePipeline(
            sources: policeSource + "\n      municipality: Kommun",
            indicators: """
                  - id: crimes
                    title: Anmälda brott
                    kind: count
                    numerator: { events: all }
                    area_levels: [municipality, district]
                """)
        let pipeline = try String(contentsOfFile: fixture.path("pipeline.yaml"), encoding: .utf8)
        try fixture.write(
            "pipeline.yaml",
            pipeline.replacingOccurrences(
                of: "\(repositoryRoot)/Pipelines/codelists/areas_halmstad.csv", with: fixture.path("areas.csv")
            ).replacingOccurrences(of: "workspace: ws", with: "workspace: ws\nscope: \(scope)"))
        // Three copies of each row, so the counts are not below the disclosure threshold.
        let rows = [
            "0857;2023-03-01;1380;Centrum;1380C0010",  // Halmstad, its Centrum
            "0857;2023-03-02;1382;Centrum;1382C0010",  // Falkenberg: the same name, its own Centrum
            "0857;2023-03-03;Falkenberg;Ätran;",  // the municipality by name
            "0857;2023-03-04;1380;;1382C0010",  // a DeSO of another municipality
            "0857;2023-03-05;9999;;",  // no such municipality
            "0857;2023-03-06;;Centrum;",  // no municipality
            "0857;2023-03-07;1480;Ätran;",  // Ätran is in Falkenberg, not Göteborg
            "0857;2023-03-08;1480;;",  // Göteborg: valid, outside the county
        ]
        var text = "Nr;Brottskod;Brottsdatum;Klockslag;Kommun;Område;DeSO\r\n"
        var number = 0
        for row in rows {
            for _ in 0..<3 {
                number += 1
                let fields = row.split(separator: ";", omittingEmptySubsequences: false)
                text += "\(number);\(fields[0]);\(fields[1]);;\(fields[2]);\(fields[3]);\(fields[4])\r\n"
            }
        }
        try fixture.writeWindows1252("police/2023.csv", text)
        return fixture
    }

    @Test func eachEventCountsForItsOwnMunicipality() async throws {
        let fixture = try makeFixture(scope: "county")
        try await fixture.run([.ingest, .normalize, .aggregate])
        try fixture.expectDeliveriesBalance()
        let events = try fixture.events()
        #expect(events.count == 12)
        #expect(Set(events.map(\.municipality)) == ["1380", "1382", "1480"])
        #expect(
            events.filter { $0.municipality == "1382" }.compactMap(\.district).sorted() == Array(
                repeating: "1382D01", count: 3) + Array(repeating: "1382D02", count: 3))
        #expect(events.filter { $0.municipality == "1380" }.allSatisfy { $0.district == "1380D01" })

        let reasons = try fixture.rows("SELECT DISTINCT reason FROM quarantine WHERE stage = 'normalize'")
            .map { $0["reason"] as String }
        #expect(reasons.count == 4, "\(reasons)")
        #expect(reasons.contains("'1382C0010' is not a DeSO code of municipality 1380"))
        #expect(reasons.contains { $0.hasPrefix("unknown municipality '9999'") })
        #expect(reasons.contains("no municipality: the field Kommun is empty"))
        #expect(reasons.contains("the area 'Ätran' is not in municipality 1480"))

        // Scope county: Halmstad and Falkenberg, not Göteborg.
        let values = try fixture.rows(
            "SELECT area_code, numerator FROM indicator_values WHERE area_level = 'municipality' ORDER BY area_code")
        #expect(values.map { $0["area_code"] as String } == ["1380", "1382"])
        #expect(values.map { $0["numerator"] as Double? } == [3, 6])
        let districts = try fixture.rows(
            "SELECT area_code, numerator FROM indicator_values WHERE area_level = 'district' ORDER BY area_code")
        #expect(districts.map { $0["area_code"] as String } == ["1380D01", "1382D01", "1382D02"])
    }

    @Test func theMunicipalityScopeKeepsOnlyThePipelinesMunicipality() async throws {
        let fixture = try makeFixture(scope: "municipality")
        try await fixture.run([.ingest, .normalize, .aggregate])
        let areas = try fixture.rows("SELECT DISTINCT area_code FROM indicator_values").map {
            $0["area_code"] as String
        }
        #expect(areas.sorted() == ["1380", "1380D01"])
    }

    @Test func theCountryScopeKeepsEveryMunicipality() async throws {
        let fixture = try makeFixture(scope: "country")
        try await fixture.run([.ingest, .normalize, .aggregate])
        let areas = try fixture.rows("SELECT area_code FROM indicator_values WHERE area_level = 'municipality'")
            .map { $0["area_code"] as String }
        #expect(areas.sorted() == ["1380", "1382", "1480"])
    }
}

@Suite struct StoreFileTests {
    let header = "Ärendenummer;Brottskod;Brottsdatum;Klockslag;Område;DeSO\r\n"

    /// The names in the store folder and the names the database lists.
    func storeState(_ fixture: PipelineFixture) throws -> (files: Set<String>, listed: Set<String>) {
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: fixture.path("ws/store")))
        let listed = Set(try fixture.rows("SELECT name FROM store_files").map { $0["name"] as String })
        return (files, listed)
    }

    @Test func replacedAndLeftOverFilesAreRemovedAndListedFilesKept() async throws {
        let fixture = try PipelineFixture()
        try fixture.writePipeline(sources: policeSource)
        try fixture.writeWindows1252("police/2022.csv", header + "1;0857;2022-03-01;;Vallås;\r\n")
        try fixture.writeWindows1252("police/2023.csv", header + "1;0857;2023-03-01;;Vallås;\r\n")
        try await fixture.run([.ingest, .normalize])
        var state = try storeState(fixture)
        #expect(state.files == state.listed)
        #expect(state.files.count == 4)  // two raw files, two events files (one per delivery)
        let files2022 = try fixture.rows(
            """
            SELECT s.name FROM store_files s JOIN deliveries d ON d.id = s.delivery_id
            WHERE d.file_name = '2022.csv'
            """
        ).map { $0["name"] as String }

        // A killed run's half-written file is removed by the next run.
        try fixture.write("ws/store/raw-events-left-by-a-killed-run.lbcol.partial", "x")
        // A changed 2023 file: its raw and events files are replaced; 2022's raw and events files are kept.
        try fixture.writeWindows1252(
            "police/2023.csv", header + "1;0857;2023-03-01;;Vallås;\r\n2;1201;2023-03-02;;Centrum;\r\n")
        try await fixture.run([.ingest, .normalize])
        state = try storeState(fixture)
        #expect(state.files == state.listed)
        #expect(state.files.count == 4)
        #expect(files2022.count == 2)
        #expect(state.files.isSuperset(of: files2022))
        #expect(try fixture.events().count == 3)
    }

    @Test func aFailedRunLeavesTheListedFilesOfTheLastGoodRun() async throws {
        let fixture = try PipelineFixture()
        try fixture.writePipeline(sources: policeSource + "\n    on_file_error: fail")
        try fixture.writeWindows1252("police/2023.csv", header + "1;0857;2023-03-01;;Vallås;\r\n")
        try await fixture.run([.ingest, .normalize])
        let before = try storeState(fixture)
        // A second file whose header lacks a mapped column fails the stage: nothing changes.
        try fixture.writeWindows1252("police/2024.csv", "Brottskod;Område\r\n0857;Vallås\r\n")
        await #expect(throws: StageDataError.self) { try await fixture.run([.ingest, .normalize]) }
        let after = try storeState(fixture)
        #expect(after.files == before.files)
        #expect(after.listed == before.listed)
        #expect(try fixture.events().count == 1)
    }

    @Test func rawEventsKeepTheDeliveredTextsTrimmed() async throws {
        let fixture = try PipelineFixture()
        try fixture.writePipeline(sources: policeSource)
        try fixture.writeWindows1252(
            "police/2023.csv", header + "1; 0857 ;2023-03-01;\u{A0}22:15;Vallås\u{A0};\r\n2;1201;2023-03-02;;;\r\n")
        try await fixture.run([.ingest])
        let rows = try fixture.rawEvents()
        #expect(rows.count == 2)
        #expect(rows[0]["crime_code"] == "0857")
        #expect(rows[0]["time"] == "22:15")
        #expect(rows[0]["area"] == "Vallås")
        #expect(rows[0]["deso"] == nil)
        #expect(rows[1]["line"] == "3")
    }
}

/// Police events delivered as XML go through the same column files as CSV ones.
@Suite struct XMLEventTests {
    let source = """
          - id: police-xml
            supplier: police
            kind: events
            format: xml
            files: police/*.xml
            record_path: Export/Brott
            quarantine_limit: 100%
            columns:
              crime_code: Kod
              date: Datum
              time: "@tid"
              area: Omrade
              x: X
        """

    func record(_ code: String, _ date: String, time: String = "10:15", area: String = "Vallås", x: String = "")
        -> String
    {
        "<Brott tid=\"\(time)\"><Kod>\(code)</Kod><Datum>\(date)</Datum><Omrade>\(area)</Omrade><X>\(x)</X></Brott>"
    }

    @Test func xmlEventsAreCheckedAndNormalized() async throws {
        let fixture = try PipelineFixture()
        try fixture.writePipeline(sources: source)
        try fixture.write(
            "police/2023.xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Export>\n"
                + record("0857", "2023-03-01") + "\n"
                + record("", "2023-03-02") + "\n"  // no crime code: ingest
                + record("0857", "2023-03-03", x: "öst") + "\n"  // X not a number: ingest
                + record("1201", "2023-02-30") + "\n"  // impossible date: normalize
                + record("1201", "2023-03-05", time: "", area: " Centrum ") + "\n"
                + "</Export>\n")
        try await fixture.run([.ingest, .normalize])
        try fixture.expectDeliveriesBalance()
        let delivery = try #require(try fixture.rows("SELECT rows_read, rows_accepted, status FROM deliveries").first)
        #expect((delivery["rows_read"] as Int) == 5)
        #expect((delivery["rows_accepted"] as Int) == 3)
        let events = try fixture.events().sorted { $0.date < $1.date }
        #expect(events.map(\.date) == ["2023-03-01", "2023-03-05"])
        #expect(events.map(\.hour) == [10, nil])
        #expect(events.map(\.district) == ["1380D03", "1380D01"])
        let reasons = try fixture.rows("SELECT stage, reason FROM quarantine ORDER BY line").map {
            "\($0["stage"] as String): \($0["reason"] as String)"
        }
        #expect(reasons.count == 3, "\(reasons)")
        #expect(reasons.contains("ingest: the required field Kod is empty"))
        #expect(reasons.contains("ingest: X is not a number: 'öst'"))
        #expect(reasons.contains { $0.hasPrefix("normalize: the date '2023-02-30' is impossible") })
    }

    @Test func personalNumbersInXMLFieldsAreMaskedBeforeTheyAreStored() async throws {
        let fixture = try PipelineFixture()
        try fixture.writePipeline(sources: source)
        try fixture.write(
            "police/2023.xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Export>\n"
                + record("0857", "2023-03-01", time: "8504121230", area: "Vallås 19850412-1230") + "\n"
                + record("0857", "2023-03-02", x: "850412 1230") + "\n"
                + "</Export>\n")
        try await fixture.run([.ingest])
        let raw = try fixture.rawEvents()
        #expect(raw.map { $0["time"] } == ["**********"])
        #expect(raw.map { $0["area"] } == ["Vallås ********-****"])
        let reasons = try fixture.rows("SELECT reason FROM quarantine").map { $0["reason"] as String }
        #expect(reasons == ["X is not a number: '****** ****'"])
        for file in try FileManager.default.subpathsOfDirectory(atPath: fixture.path("ws")) {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: fixture.path("ws/" + file), isDirectory: &isFolder),
                !isFolder.boolValue
            else { continue }
            let data = try Data(contentsOf: URL(fileURLWithPath: fixture.path("ws/" + file)))
            #expect(data.range(of: Data("850412".utf8)) == nil, "\(file)")
        }
    }

    @Test func aTruncatedXMLFileHoldsBackItsRowsAndTheRunGoesOn() async throws {
        let fixture = try PipelineFixture()
        try fixture.writePipeline(sources: source)
        try fixture.write(
            "police/2023.xml",
            "<?xml version=\"1.0\"?>\n<Export>\n" + record("0857", "2023-03-01") + "\n" + record("0857", "2023-03-02")
                + "\n<Brott tid=\"10:00\"><Kod>08")
        try await fixture.run([.ingest, .normalize])
        try fixture.expectDeliveriesBalance()
        let delivery = try #require(
            try fixture.rows("SELECT status, rows_read, rows_quarantined FROM deliveries").first)
        #expect((delivery["status"] as String) == "failed")
        #expect((delivery["rows_read"] as Int) == 3)  // two records and the fault
        #expect((delivery["rows_quarantined"] as Int) == 3)
        let reasons = try fixture.rows("SELECT reason FROM quarantine ORDER BY id").map { $0["reason"] as String }
        #expect(reasons.filter { $0.hasPrefix("held back: the file cannot be read past line") }.count == 2)
        #expect(try fixture.events().isEmpty)
        #expect(try fixture.count("SELECT count(*) FROM store_files WHERE kind = 'raw-events'") == 0)
    }
}

/// `lagesbild explain` names the police files that hold the value's year, not every police file.
@Suite struct ExplainSourceFileTests {
    @Test func aYearlyValueNamesThePoliceFileOfItsYear() async throws {
        let fixture = try PipelineFixture()
        try fixture.useSamplePipeline()
        try await fixture.run([.ingest, .normalize, .aggregate])
        let explanation = try Explanation.read(
            directory: fixture.path("ws"), pipeline: try fixture.pipeline(), indicator: "anmalda_brott_per_100k",
            period: "2022")
        let files = explanation.sources.map { ($0.file as NSString).lastPathComponent }
        #expect(files.filter { $0.hasPrefix("brott_") } == ["brott_2022.csv"])
        #expect(files.contains("befolkning_halmstad.csv"))
    }
}

/// What the stages report to a progress display.
@Suite struct ProgressTests {
    final class Recorder: StageProgressReporting, @unchecked Sendable {
        let lock = NSLock()
        var reports: [StageProgress] = []
        var finished: [Stage] = []
        func report(_ progress: StageProgress) { lock.withLock { reports.append(progress) } }
        func finish(_ stage: Stage) { lock.withLock { finished.append(stage) } }
    }

    @Test func everyStageReportsAllItsWorkDone() async throws {
        let fixture = try PipelineFixture()
        try fixture.useSamplePipeline()
        let recorder = Recorder()
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let runner = PipelineRunner(
            pipeline: try fixture.pipeline(), workspaceDirectory: fixture.path("ws"), logger: logger,
            progress: recorder)
        let report = try await runner.run(RunOptions(stages: [.ingest, .normalize, .aggregate]))
        #expect(recorder.finished == [.ingest, .normalize, .aggregate])
        let last = Dictionary(recorder.reports.map { ($0.stage, $0) }, uniquingKeysWith: { _, new in new })
        let bytes = try fixture.count("SELECT sum(size) FROM deliveries")
        #expect(last[.ingest]?.done == Int64(bytes))
        #expect(last[.ingest]?.total == Int64(bytes))
        #expect(last[.ingest]?.rows == Int64(report.stages[0].counts.rowsIn))
        #expect(last[.normalize]?.done == last[.normalize]?.total)
        // Normalize works through every event, value and status report of the accepted files; its stage
        // counts are rows (a wide row holds several values).
        let records = try fixture.count(
            "SELECT sum(coalesce(values_read, rows_accepted)) FROM deliveries WHERE status = 'accepted'")
        #expect(last[.normalize]?.done == Int64(records))
        #expect(
            report.stages[1].counts.rowsIn
                == (try fixture.count("SELECT sum(rows_accepted) FROM deliveries WHERE status = 'accepted'")))
        #expect(last[.aggregate]?.done == Int64(try fixture.pipeline().indicators.count))
        #expect(last[.aggregate]?.rows == Int64(report.stages[2].counts.rowsOut))
    }
}
