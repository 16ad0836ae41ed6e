import Foundation
import SampleGenerator
import Testing

/// The county report (`scope: county`): a generated Hallands län sample run end to end (real files, real
/// SQLite), its report checked against the independent script `Tests/Reference/county_ranking.py`, which
/// reads the exported counts and the sample's SCB and Brå files itself.
@Suite(.serialized)
struct CountyReportTests {
    let root = CommandLineTool.repositoryRoot

    static let hallandsKommuner = ["Falkenberg", "Halmstad", "Hylte", "Kungsbacka", "Laholm", "Varberg"]

    /// Generates a sample at `scale` for 2021–2023 into `folder` and runs its pipeline.
    func generateAndRun(scale: String, in folder: String) throws {
        let sample = try CommandLineTool.run(
            [
                "sample", "--scale", scale, "-o", folder, "--years", "2021-2023", "--code-lists",
                root + "/Pipelines/codelists",
            ], in: folder)
        try #require(sample.status == 0, "\(sample.standardError)")
        let run = try CommandLineTool.run(["run", "-p", folder + "/pipeline.yaml"], in: folder)
        try #require(run.status == 0, "\(run.standardError)")
    }

    @Test(.enabled(if: pythonIsAvailable(), "needs python3 (standard library only)"))
    func countyReportRanksTheSixKommunerAsTheIndependentScript() throws {
        let scratch = try ScratchFolder()
        try generateAndRun(scale: "county", in: scratch.path)
        let html = try String(contentsOfFile: scratch.file("workspace/out/lagesbild.html"), encoding: .utf8)

        // Every kommun of the county is named, in the kommun table and in each ranking.
        for name in Self.hallandsKommuner {
            #expect(html.contains("<tr><th scope=\"row\">\(name)</th><td>"), "\(name) is not in the kommun table")
        }
        #expect(html.contains("<main data-report=\"county\">"))
        // All Swedish: none of the pipeline's own English words reach the reader.
        var visible = html
        if let style = visible.range(of: "<style>"), let end = visible.range(of: "</style>") {
            visible.removeSubrange(style.lowerBound..<end.upperBound)
        }
        visible = visible.replacing(/<[^>]+>/, with: " ")
        for phrase in [
            "the ", "fewer than", "missing", "suppressed", "source", "county", "group", "events", "have a number",
            "within", "higher", "lower", "not-testable",
        ] {
            #expect(!visible.contains(phrase), "English in the county report: \(phrase)")
        }
        #expect(!html.contains("Brottslighet över tid"), "the kommun's own report was written instead")

        var marked = 0
        for indicator in [
            "anmalda_brott_per_100k", "vald_per_100k", "ran_per_100k", "klotter_per_100k",
            "bedrageri_per_100k", "narkotika_per_100k",
        ] {
            let result = try runPython([
                "Tests/Reference/county_ranking.py", scratch.path, scratch.file("workspace/out"), indicator, "13",
            ])
            try #require(result.status == 0, "\(result.standardError)")
            let reference = try #require(
                try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
            let expected = try #require(reference["ranking"] as? [[String: Any]])
            let shown = try Self.ranking(in: html, indicator: indicator)
            #expect(shown.map(\.name) == expected.map { $0["name"] as? String ?? "" }, "\(indicator): order")
            for (row, want) in zip(shown, expected) {
                for (have, key) in [(row.value, "rate"), (row.low, "low"), (row.high, "high")] {
                    let wanted = want[key] as? Double ?? .nan
                    // The report shows one decimal.
                    #expect(abs(have - wanted) <= 0.051, "\(indicator) \(row.name) \(key): \(have) vs \(wanted)")
                }
                let deviation = want["deviation"] as? String
                let words = [
                    "higher": "signifikant högre än länet", "lower": "signifikant lägre än länet",
                    "within-noise": "inom slumpens variation", "not-testable": "kan inte prövas",
                ]
                #expect(row.judgement == words[deviation ?? ""], "\(indicator) \(row.name): \(row.judgement)")
                if deviation == "higher" || deviation == "lower" { marked += 1 }
            }
            let county = try #require(reference["county_rate"] as? Double)
            #expect(html.contains("Hallands län \(Self.swedish(county))"), "\(indicator): county line label")
        }
        #expect(marked > 0, "the sample should have some kommun beyond chance (Varberg's klotter, say)")

        // The kommungrupp: Halmstad's group "Större städer" has 33 kommuner, of which Brå's county file holds
        // only Halmstad and Varberg: no group value, and the report says why.
        let result = try runPython([
            "Tests/Reference/county_ranking.py", scratch.path, scratch.file("workspace/out"), "anmalda_brott_per_100k",
            "13", root + "/Pipelines/codelists/kommungrupper_2023.csv", "1380", "",
        ])
        try #require(result.status == 0, "\(result.standardError)")
        let reference = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let group = try #require(reference["group"] as? [String: [String: Any]])
        #expect(group["2023"]?["value"] is NSNull)
        let have = try #require(group["2023"]?["members_with_values"] as? Int)
        let members = try #require(group["2023"]?["members"] as? Int)
        #expect((have, members) == (2, 33))
        #expect(html.contains("Kommungruppen Större städer (SKR 2023) (Brå)"))
        #expect(html.contains("\(have) av \(members) har ett värde i källan"))
    }

    /// One row of an indicator's ranking table as the report shows it.
    struct ShownRank {
        var name: String
        var value: Double
        var low: Double
        var high: Double
        var judgement: String
    }

    static func ranking(in html: String, indicator: String) throws -> [ShownRank] {
        let start = try #require(html.range(of: "<article class=\"county-indicator\" id=\"lan-\(indicator)\">"))
        let article = html[start.upperBound...].prefix { _ in true }
        let end = try #require(article.range(of: "</article>"))
        let table = try #require(article[..<end.lowerBound].range(of: "<table class=\"ranking\">"))
        let body = article[table.upperBound..<end.lowerBound]
        let pattern =
            /<tr><td class="num">[0-9]+<\/td><th scope="row">([^<]+)<\/th><td class="num">([^<]+)<\/td><td class="num">([^<–]+)–([^<]+)<\/td><td(?: class="deviation")?>([^<]+)/
        return body.matches(of: pattern).map { match in
            ShownRank(
                name: String(match.1), value: number(match.2), low: number(match.3), high: number(match.4),
                judgement: String(match.5))
        }
    }

    static func number(_ text: Substring) -> Double {
        Double(text.filter { !$0.isWhitespace && $0 != "\u{202F}" }.replacingOccurrences(of: ",", with: ".")) ?? .nan
    }

    /// A number as the report writes it with one decimal (narrow no-break space, decimal comma).
    static func swedish(_ value: Double) -> String {
        let text = String(format: "%.1f", value).replacingOccurrences(of: ".", with: ",")
        let parts = text.split(separator: ",")
        var digits = String(parts[0])
        var grouped = ""
        while digits.count > 3 {
            grouped = "\u{202F}" + digits.suffix(3) + grouped
            digits = String(digits.dropLast(3))
        }
        return digits + grouped + "," + parts[1]
    }
}

/// The kommungrupp's value where the source has every kommun: all 290 kommuner (a national sample with few
/// police events), the group's rate of Brå's reported crimes checked against the independent script.
@Suite(.serialized)
struct MunicipalityGroupValueTests {
    let root = CommandLineTool.repositoryRoot

    @Test(.enabled(if: pythonIsAvailable(), "needs python3 (standard library only)"))
    func groupRateIsTheSummedCountsOverTheSummedPopulation() throws {
        let scratch = try ScratchFolder()
        let scale = SampleScale(name: "national", selection: .all, eventsPerYear: 3_000)
        _ = try SampleGenerator(
            scale: scale, years: try SampleYears(first: 2022, last: 2023), seed: 7,
            codeListDirectory: root + "/Pipelines/codelists", parallelism: 2
        ).generate(into: scratch.path)
        let run = try CommandLineTool.run(
            ["run", "-p", scratch.file("pipeline.yaml")], in: scratch.path)
        try #require(run.status == 0, "\(run.standardError)")

        // Brå's file has a `..` for one of the group's kommuner in every year of all crimes (so no group value,
        // and the year says why), and for none in assaults.
        var checked = 0
        for (indicator, crimeType) in [
            ("anmalda_brott_per_100k", ""), ("misshandel_per_100k", "Misshandel inkl. grov"),
        ] {
            checked += try compareGroup(indicator: indicator, crimeType: crimeType, in: scratch)
        }
        #expect(checked == 2, "assaults should have a group value in both years")
        let html = try String(contentsOfFile: scratch.file("workspace/out/lagesbild.html"), encoding: .utf8)
        #expect(html.contains("Kommungruppen Större städer (SKR 2023) (Brå)"))
    }

    /// Compares the exported group line of `indicator` with the script's; returns the years with a value.
    func compareGroup(indicator: String, crimeType: String, in scratch: ScratchFolder) throws -> Int {
        let result = try runPython([
            "Tests/Reference/county_ranking.py", scratch.path, scratch.file("workspace/out"), indicator,
            "", root + "/Pipelines/codelists/kommungrupper_2023.csv", "1380", crimeType,
        ])
        try #require(result.status == 0, "\(result.standardError)")
        let reference = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let group = try #require(reference["group"] as? [String: [String: Any]])
        let exported = try String(contentsOfFile: scratch.file("workspace/out/\(indicator).csv"), encoding: .utf8)
        let records = parseCSV(exported)
        let header = try #require(records.first)
        func column(_ name: String) throws -> Int { try #require(header.firstIndex(of: name)) }
        let (code, period, value, status, note) = (
            try column("area_code"), try column("period"), try column("value"), try column("status"),
            try column("note")
        )
        var checked = 0
        for year in ["2022", "2023"] {
            let want = try #require(group[year])
            let row = try #require(
                records.first { $0.count > note && $0[code] == "kommungrupp-B3" && $0[period] == year })
            #expect(want["members"] as? Int == 33)
            if let wanted = want["value"] as? Double {
                let have = try #require(Double(row[value]), "\(indicator) \(year): no group value exported")
                #expect(abs(have - wanted) <= 1e-5, "\(indicator) \(year): group rate \(have), expected \(wanted)")
                // Brå's own counts give the same rate up to the rounding of its rates to one decimal.
                let fromCounts = try #require(want["from_counts"] as? Double)
                #expect(abs(have - fromCounts) <= 0.05, "\(indicator) \(year): \(have) vs Brå's counts \(fromCounts)")
                checked += 1
            } else {
                let have = try #require(want["members_with_values"] as? Int)
                #expect(row[status] == "missing", "\(indicator) \(year): a year without every kommun is missing")
                #expect(row[note].contains("\(have) of 33 have a number"), "\(indicator) \(year): \(row[note])")
            }
        }
        return checked
    }
}
