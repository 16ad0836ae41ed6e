import Foundation
import Testing

/// Fake personal identity numbers planted in every place a delivery can carry them must not reach any
/// file the tool writes, nor anything it prints (issue #18, item 4).
struct PersonalNumberLeakTests {
    /// A fake, Luhn-valid personal identity number: the nine digits `YYMMDDNNN` and their check digit.
    struct Planted {
        var century: String
        var digits: String

        init(_ century: String, _ nine: String) {
            self.century = century
            let weights = (0..<9).map { $0 % 2 == 0 ? 2 : 1 }
            let sum = zip(nine, weights).reduce(0) { sum, pair in
                let product = Int(String(pair.0))! * pair.1
                return sum + product / 10 + product % 10
            }
            digits = nine + String((10 - sum % 10) % 10)
        }

        var date: Substring { digits.prefix(6) }
        var tail: Substring { digits.suffix(4) }
        var dashed: String { "\(date)-\(tail)" }
        var plus: String { "\(date)+\(tail)" }
        var spaced: String { "\(date) \(tail)" }
        var long: String { century + digits }
        var longDashed: String { century + dashed }
        var longSpaced: String { century + spaced }

        /// Every way the number can be written: found anywhere, it leaked.
        var needles: [String] { [digits, dashed, plus, spaced] }
    }

    let planted = [
        Planted("19", "850412123"), Planted("19", "720101987"), Planted("20", "051231456"),
        Planted("19", "640229321"), Planted("19", "911111222"), Planted("19", "530707654"),
        Planted("20", "100315789"), Planted("19", "880808111"), Planted("19", "770615333"),
        Planted("19", "660101444"), Planted("19", "990909555"), Planted("19", "810203666"),
        Planted("19", "930330777"), Planted("19", "120514888"), Planted("20", "010101999"),
        Planted("19", "871224135"), Planted("19", "790704246"), Planted("19", "450362357"),
    ]

    func writeInputs(in scratch: ScratchFolder) throws {
        let codeLists = CommandLineTool.repositoryRoot + "/Pipelines/codelists"
        try scratch.write(
            "pipeline.yaml",
            """
            version: 1
            name: pii-test
            municipality: { code: "1380", name: Halmstad, county_code: "13" }
            workspace: ws
            code_lists:
              crime_codes: \(codeLists)/brottskoder.csv
              crime_categories: \(codeLists)/crime_categories.csv
              areas: \(codeLists)/areas_halmstad.csv
            sources:
              - id: police
                supplier: police
                kind: events
                files: police/*.csv
                encoding: utf-8
                delimiter: ";"
                area_codes: name
                quarantine_limit: 100%
                columns:
                  crime_code: Brottskod
                  date: Brottsdatum
                  time: Klockslag
                  area: Område
                  deso: DeSO
                  municipality: Kommun
                  place: Plats
                  x: X
                  y: Y
              - id: population
                supplier: scb
                kind: observations
                files: population/*.csv
                encoding: utf-8
                delimiter: ";"
                area_codes: name
                measure: population
                quarantine_limit: 100%
                columns: { area: Region, period: År, value: Antal }
                dimensions: { sex: Kön }
            indicators:
              - id: crimes
                title: Anmälda brott
                kind: count
                numerator: { events: all }
              - id: places
                title: Brott per plats
                kind: count
                numerator: { events: all }
                patterns: [place]
            """)
        let p = planted
        let valid = "0301;2023-01-05;12:00;Andersberg;1380C0120;1380;Utomhus;370919;6281453;"
        let police = [
            "Brottskod;Brottsdatum;Klockslag;Område;DeSO;Kommun;Plats;X;Y;Anmälare",
            valid, valid, valid, valid,
            "\(p[0].dashed);2023-01-05;12:00;Andersberg;1380C0120;1380;Utomhus;370919;6281453;",
            "0301;\(p[1].long);12:00;Andersberg;1380C0120;1380;Utomhus;370919;6281453;",
            "0301;2023-01-05;\(p[2].digits);Andersberg;1380C0120;1380;Utomhus;370919;6281453;",
            "0301;2023-01-05;12:00;\(p[3].plus);1380C0120;1380;Utomhus;370919;6281453;",
            "0301;2023-01-05;12:00;Andersberg;\(p[4].spaced);1380;Utomhus;370919;6281453;",
            "0301;2023-01-05;12:00;Andersberg;1380C0120;\(p[5].longDashed);Utomhus;370919;6281453;",
            "0301;2023-01-05;12:00;Andersberg;1380C0120;1380;Hemma hos \(p[6].longSpaced);370919;6281453;",
            "0301;2023-01-05;12:00;Andersberg;1380C0120;1380;Utomhus;\(p[7].dashed);6281453;",
            "0301;2023-01-05;12:00;Andersberg;1380C0120;1380;Utomhus;370919;\(p[8].spaced);",
            "0301;2023-01-05;12:00;Andersberg;1380C0120;1380;Utomhus;370919;6281453;\(p[9].dashed)",
            "0301;2023-01-05;12:00;too few fields \(p[10].dashed)",
            "0301;;12:00;Andersberg;1380C0120;1380;Utomhus;370919;6281453;\(p[11].long)",
        ]
        try scratch.write("police/2023.csv", police.joined(separator: "\n") + "\n")
        // A file without its header: the first line is data.
        try scratch.write(
            "police/2024.csv",
            "0301;2024-01-05;12:00;Andersberg;1380C0120;1380;Utomhus;370919;6281453;\(p[12].dashed)\n" + valid + "\n")
        try scratch.write(
            "population/2023.csv",
            """
            Region;År;Kön;Antal
            Halmstad;2023;totalt;105796
            \(p[13].dashed);2023;totalt;100
            Halmstad;\(p[14].spaced);totalt;1
            Halmstad;2023;\(p[15].plus);5
            Halmstad;2023;totalt;\(p[16].dashed)

            """)
    }

    /// Every file below `directory`, recursively.
    func files(below directory: String) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: directory)
        var result: [String] = []
        while let name = enumerator?.nextObject() as? String {
            let path = (directory as NSString).appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                result.append(path)
            }
        }
        return result
    }

    /// The planted numbers found in `bytes`, by how they were written.
    func leaks(in bytes: Data) -> [String] {
        planted.flatMap(\.needles).filter { bytes.range(of: Data($0.utf8)) != nil }
    }

    @Test func plantedNumbersReachNoFileAndNoOutput() throws {
        let scratch = try ScratchFolder()
        try writeInputs(in: scratch)
        var outputs: [(String, CommandLineTool.Result)] = []
        func run(_ arguments: [String]) throws -> CommandLineTool.Result {
            let result = try CommandLineTool.run(arguments, in: scratch.path)
            outputs.append((arguments.joined(separator: " "), result))
            return result
        }
        let first = try run(["run", "-p", "pipeline.yaml", "--log-format", "text", "--log-level", "debug"])
        #expect(first.status == 0, "\(first.standardError)")
        let second = try run(["run", "-p", "pipeline.yaml", "--force", "--log-format", "json", "--log-level", "debug"])
        #expect(second.status == 0, "\(second.standardError)")
        for arguments in [
            ["status", "-p", "pipeline.yaml"], ["status", "-p", "pipeline.yaml", "--json"],
            ["runs", "-p", "pipeline.yaml", "--json"], ["quarantine", "-p", "pipeline.yaml"],
            ["quarantine", "-p", "pipeline.yaml", "--json"], ["inspect", "police/2023.csv"],
            ["inspect", "police/2023.csv", "--json"], ["inspect", "police/2024.csv"],
            ["inspect", "police/2024.csv", "--json"], ["inspect", "population/2023.csv"],
            ["explain", "crimes", "-p", "pipeline.yaml"], ["report", "-p", "pipeline.yaml", "-o", "ws/report.html"],
        ] {
            _ = try run(arguments)
        }

        // The valid rows got through, and what is not a personal number was kept as it was.
        let crimes = try String(contentsOfFile: scratch.file("ws/out/crimes.csv"), encoding: .utf8)
        #expect(crimes.contains(",1380,Halmstad,municipality,2023,year,"))
        let quarantine = try #require(outputs.first { $0.0 == "quarantine -p pipeline.yaml --json" }?.1)
        #expect(quarantine.standardOutput.contains("******-****"))

        var written = files(below: scratch.file("ws"))
        #expect(written.contains { $0.hasSuffix("lagesbild.sqlite") })
        #expect(written.contains { $0.contains("/store/") })
        #expect(written.contains { $0.hasSuffix("/out/lagesbild.html") })
        written.sort()
        for file in written {
            let found = leaks(in: try Data(contentsOf: URL(fileURLWithPath: file)))
            #expect(found.isEmpty, "\(file) holds \(found)")
        }
        for (command, result) in outputs {
            let standardOutput = leaks(in: Data(result.standardOutput.utf8))
            let standardError = leaks(in: Data(result.standardError.utf8))
            #expect(standardOutput.isEmpty, "`lagesbild \(command)` printed \(standardOutput)")
            #expect(standardError.isEmpty, "`lagesbild \(command)` logged \(standardError)")
        }
    }
}
