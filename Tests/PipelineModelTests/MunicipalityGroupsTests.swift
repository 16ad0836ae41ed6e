import Foundation
import PipelineModel
import Testing

/// `code_lists.municipality_groups`: SKR's kommungrupper with the grouping's year.
struct MunicipalityGroupsTests {
    let lists = repositoryRoot + "/Pipelines/codelists"

    func load(_ entry: String, in folder: String) throws -> Pipeline {
        let yaml = PipelineLoaderTests.valid.replacingOccurrences(
            of: "sources:", with: "code_lists:\n  municipality_groups: \(entry)\nsources:")
        return try PipelineLoader.parse(yaml: yaml, path: folder + "/test.yaml", displayName: "test.yaml")
    }

    @Test func theYearComesFromTheFileNameOrTheMapping() throws {
        let fromName = try load("kommungrupper_2023.csv", in: lists)
        #expect(fromName.codeLists.municipalityGroups?.version == 2023)
        #expect(fromName.codeLists.municipalityGroups?.path == lists + "/kommungrupper_2023.csv")
        let stated = try load("{ file: kommungrupper_2023.csv, version: 2024 }", in: lists)
        #expect(stated.codeLists.municipalityGroups?.version == 2024)
    }

    @Test func aListWithoutAYearIsRefusedWithItsLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("groups-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "municipality_code;group_code;group_name\n".write(
            toFile: folder + "/kommungrupper.csv", atomically: true, encoding: .utf8)
        do {
            _ = try load("kommungrupper.csv", in: folder)
            Issue.record("a list without a year was accepted")
        } catch let error as PipelineFileError {
            #expect(error.keyPath == "code_lists.municipality_groups", "\(error)")
            #expect(error.message.contains("version: YEAR"), "\(error)")
            #expect(error.line == 7, "\(error)")
        }
    }

    @Test func theSampleListGroupsAll290Kommuner() throws {
        let groups = try MunicipalityGroupList(path: lists + "/kommungrupper_2023.csv", version: 2023).read()
        #expect(groups.groupOf.count == 290)
        #expect(Set(groups.groupOf.values.map(\.code)) == ["A1", "A2", "B3", "B4", "B5", "C6", "C7", "C8", "C9"])
        let halmstad = try #require(groups.groupOf["1380"])
        #expect(halmstad == MunicipalityGroup(code: "B3", name: "Större städer"))
        #expect(groups.members(of: halmstad).contains("1383"))
    }

    @Test func aMalformedListNamesItsLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("groups-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/kommungrupper_2023.csv"
        try "municipality_code;group_code;group_name\n1380;B3;Större städer\n1380;B3;Större städer\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: MunicipalityGroupListError.self) {
            try MunicipalityGroupList(path: path, version: 2023).read()
        }
        do {
            _ = try MunicipalityGroupList(path: path, version: 2023).read()
        } catch let error as MunicipalityGroupListError {
            #expect(error.description == path + ":3: kommun 1380 is listed twice")
        }
    }
}
