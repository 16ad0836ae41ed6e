import Foundation
import Testing

@testable import SampleGenerator

/// `lagesbild sample --kommun halmstad` writes the committed Halmstad sample byte for byte: every file
/// under `SampleData/` (except the second kommun's `vaxjo/`, the maps and the README) and the three code
/// lists it owns (crime categories, areas, DeSO crosswalk).
@Suite struct HalmstadSampleTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// The committed files the Halmstad generator owns, relative to the repository.
    static func committedFiles() -> Set<String> {
        var paths: Set<String> = [
            "Pipelines/codelists/crime_categories.csv", "Pipelines/codelists/areas_halmstad.csv",
            "Pipelines/codelists/deso_crosswalk.csv",
        ]
        let enumerator = FileManager.default.enumerator(atPath: root + "/SampleData")
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: root + "/SampleData/" + path, isDirectory: &isDirectory)
            if isDirectory.boolValue || path == "README.md" || path.hasPrefix("vaxjo/") || path.hasPrefix("maps/") {
                continue
            }
            paths.insert("SampleData/" + path)
        }
        return paths
    }

    @Test func regeneratesTheCommittedSampleByteForByte() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lagesbild-halmstad-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let written = try HalmstadSample().generate(
            intoRepository: folder, codeLists: Self.root + "/Pipelines/codelists")
        #expect(Set(written) == Self.committedFiles())
        for path in written {
            let fresh = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + path))
            let committed = try Data(contentsOf: URL(fileURLWithPath: Self.root + "/" + path))
            #expect(fresh == committed, "\(path) differs from the committed file")
        }
    }

    @Test func anotherSeedGivesOtherPoliceFiles() throws {
        let files = try HalmstadSample(seed: 7).files(codeLists: Self.root + "/Pipelines/codelists")
        let police = try #require(files.first { $0.path == "SampleData/police/brott_2021.csv" })
        let committed = try Data(contentsOf: URL(fileURLWithPath: Self.root + "/SampleData/police/brott_2021.csv"))
        #expect(Data(police.bytes) != committed)
    }
}

/// The category rules, on names from Brå's list.
@Suite struct CrimeCategoryRuleTests {
    @Test func rulesMatchOnNamesNotPrefixes() {
        #expect(CrimeCategories.categorise(name: "Misshandel, grov, utomhus", group: "03") == ["vald", "misshandel"])
        #expect(CrimeCategories.categorise(name: "Rån mot taxi, butiksrån", group: "08") == ["vald", "ran"])
        #expect(CrimeCategories.categorise(name: "Olaga intrång", group: "04").isEmpty)
        #expect(CrimeCategories.categorise(name: "Oaktsam våldtäkt", group: "06").isEmpty)
        #expect(CrimeCategories.categorise(name: "Skadegörelse (ej klotter)", group: "12") == ["skadegorelse"])
        #expect(
            CrimeCategories.categorise(name: "Klotter mot kollektivtrafik", group: "12") == ["skadegorelse", "klotter"])
        #expect(CrimeCategories.categorise(name: "Bedrägeri", group: "09") == ["bedrageri"])
        #expect(CrimeCategories.categorise(name: "Bedrägeri", group: "20 - 51").isEmpty)
    }
}
