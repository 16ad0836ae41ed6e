import Foundation
import GRDB
import LagesbildRunner
import Testing

/// A crime code list used as a kommun receives it: Windows-1252, commas, each code's category and two
/// flag columns that disagree with it for some codes; every category applies.
@Suite struct CodeListColumnsTests {
    /// The delivered list: `Kategori` says 0858 is assault but its violence flag is off; 1203 is
    /// vandalism with the violence flag on; 5011 has no category but the drugs flag (`ja`).
    static let deliveredList = """
        Kod,Benämning,Upphörd,Kategori,Våldsbrott,Narkotikaflagga\r
        0857,"Misshandel, grov, mot kvinna",,misshandel,ja,\r
        0858,Misshandel mot man,,misshandel,nej,0\r
        9301,Rån mot privatperson,,ran,X,\r
        5010,Narkotikabrott - innehav,2019,narkotika,,J\r
        5011,Eget bruk av narkotika,,,0,ja\r
        1203,Skadegörelse på fordon,,skadegorelse,1,n\r

        """

    /// Events per code in 2023.
    static let eventsPerCode = ["0857": 3, "0858": 5, "9301": 3, "5010": 4, "5011": 6, "1203": 7]

    func fixture(list: String = deliveredList, flags: String? = nil, extraEvents: String = "") throws
        -> PipelineFixture
    {
        let fixture = try PipelineFixture()
        try fixture.writeWindows1252("koder.csv", list)
        try fixture.write("kategorier.csv", "category;crime_code\negen;0857\negen;5011\n")
        var indicators = ""
        for category in ["all", "vald", "misshandel", "ran", "narkotika", "skadegorelse", "egen"] {
            indicators += """
                  - id: n_\(category)
                    title: \(category)
                    kind: count
                    numerator: { events: \(category) }

                """
        }
        try fixture.writePipeline(sources: policeSource, indicators: indicators, codeLists: false)
        let pipeline = try String(contentsOfFile: fixture.path("pipeline.yaml"), encoding: .utf8)
            .replacingOccurrences(
                of: "sources:\n",
                with: """
                    code_lists:
                      crime_codes:
                        file: koder.csv
                        encoding: windows-1252
                        delimiter: ","
                        code: kod
                        name: BENÄMNING
                        retired: Upphörd
                        category: Kategori
                        flags:
                    \(flags ?? "        vald: Våldsbrott\n        narkotika: Narkotikaflagga")
                      crime_categories: kategorier.csv
                      areas: \(repositoryRoot)/Pipelines/codelists/areas_halmstad.csv
                    sources:

                    """)
        try fixture.write("pipeline.yaml", pipeline)
        var rows = "Ärendenummer;Brottskod;Brottsdatum;Klockslag;Område;DeSO\r\n"
        for (code, count) in Self.eventsPerCode.sorted(by: { $0.key < $1.key }) {
            for index in 0..<count { rows += "\(code)-\(index);\(code);2023-03-1\(index % 9);21:00;Vallås;\r\n" }
        }
        try fixture.writeWindows1252("police/brott_2023.csv", rows + extraEvents)
        return fixture
    }

    func municipalityValue(_ fixture: PipelineFixture, _ indicator: String) throws -> Double? {
        try fixture.rows(
            """
            SELECT value FROM indicator_values WHERE indicator_id = '\(indicator)' AND area_level = 'municipality'
            AND period = '2023' AND breakdown = ''
            """
        ).first?["value"]
    }

    @Test func categoriesFromTheCategoryColumnFlagsAndTheCategoryListAllApply() async throws {
        let fixture = try fixture()
        try await fixture.run([.ingest, .normalize, .aggregate])
        // vald: the flag (0857, 9301, 1203), although 1203's category is vandalism and 0858's is assault.
        #expect(try municipalityValue(fixture, "n_vald") == 13)
        #expect(try municipalityValue(fixture, "n_misshandel") == 8)
        #expect(try municipalityValue(fixture, "n_ran") == 3)
        // narkotika: the category (5010) and the flag alone (5011).
        #expect(try municipalityValue(fixture, "n_narkotika") == 10)
        #expect(try municipalityValue(fixture, "n_skadegorelse") == 7)
        // egen: from crime_categories, beside the list's own columns.
        #expect(try municipalityValue(fixture, "n_egen") == 9)
        #expect(try municipalityValue(fixture, "n_all") == 28)
        // Names are read in Windows-1252 with a quoted comma; the end year from the named column.
        let codes = try fixture.rows("SELECT code, name, retired_year FROM codelist_crime_codes ORDER BY code")
        #expect(codes.count == 6)
        #expect(codes.first?["name"] == "Misshandel, grov, mot kvinna")
        #expect(try fixture.count("SELECT retired_year FROM codelist_crime_codes WHERE code = '5010'") == 2019)
        let categories = try fixture.rows(
            "SELECT category || ':' || crime_code AS pair FROM codelist_crime_categories ORDER BY pair"
        ).map { $0["pair"] as String }
        #expect(
            categories == [
                "egen:0857", "egen:5011", "misshandel:0857", "misshandel:0858", "narkotika:5010", "narkotika:5011",
                "ran:9301", "skadegorelse:1203", "vald:0857", "vald:1203", "vald:9301",
            ])
    }

    @Test func aCodeNotInTheDeliveredListIsQuarantined() async throws {
        let fixture = try fixture(extraEvents: "x-1;0859;2023-03-10;21:00;Vallås;\r\n")
        try await fixture.run([.ingest, .normalize, .aggregate])
        let reasons = try fixture.rows("SELECT reason FROM quarantine WHERE stage = 'normalize'").map {
            $0["reason"] as String
        }
        #expect(reasons == ["unknown crime code 0859: not in the crime code list"])
        #expect(try municipalityValue(fixture, "n_all") == 28)
    }

    @Test func aNamedColumnMissingFromTheHeaderFailsNormalizeWithFileAndLine() async throws {
        let fixture = try fixture(flags: "        vald: Våldsbrott\n        narkotika: Narkotika")
        await #expect {
            try await fixture.run([.ingest, .normalize])
        } throws: { error in
            "\(error)".contains("koder.csv:1: code list has no column 'Narkotika'")
                && "\(error)".contains("Narkotikaflagga")
        }
    }

    @Test func anUnreadableFlagFailsNormalizeWithFileAndLine() async throws {
        let list = Self.deliveredList.replacingOccurrences(
            of: "9301,Rån mot privatperson,,ran,X,", with: "9301,Rån,,ran,kanske,")
        let fixture = try fixture(list: list)
        await #expect {
            try await fixture.run([.ingest, .normalize])
        } throws: { error in
            "\(error)".contains("koder.csv:4: the flag Våldsbrott of code 9301 reads 'kanske'")
        }
    }

    @Test func aCodeListedTwiceFailsNormalize() async throws {
        let list = Self.deliveredList + "0858,Misshandel igen,,misshandel,,\r\n"
        let fixture = try fixture(list: list)
        await #expect {
            try await fixture.run([.ingest, .normalize])
        } throws: { error in
            "\(error)".contains("koder.csv:8: the code '0858' is listed twice (also on line 3)")
        }
    }

    @Test func theCategoryAllIsReservedInACategoryColumn() async throws {
        let list = Self.deliveredList.replacingOccurrences(of: ",ran,X,", with: ",all,X,")
        let fixture = try fixture(list: list)
        await #expect {
            try await fixture.run([.ingest, .normalize])
        } throws: { error in
            "\(error)".contains("koder.csv:4: the category name 'all' is reserved")
        }
    }
}
