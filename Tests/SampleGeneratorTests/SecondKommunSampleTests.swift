import Foundation
import SampleGenerator
import Testing

/// The second synthetic kommun's committed files are exactly what its generator writes.
struct SecondKommunSampleTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test func regeneratingGivesTheCommittedBytes() throws {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("lagesbild-second-kommun-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let written = try SecondKommunSample().generate(intoRepository: scratch)
        #expect(written.count == 15)
        #expect(written.contains("SampleData/vaxjo/est/est_handelser_2023.csv"))
        for path in written {
            let fresh = try Data(contentsOf: URL(fileURLWithPath: scratch + "/" + path))
            let committed = try Data(contentsOf: URL(fileURLWithPath: Self.repository + "/" + path))
            #expect(
                fresh == committed,
                "\(path) differs from the generator's output: run `lagesbild sample --kommun vaxjo -o .`")
        }
        // The encodings the layouts promise.
        let police = try Data(
            contentsOf: URL(fileURLWithPath: scratch + "/SampleData/vaxjo/polisen/anmalningar_2021.csv"))
        #expect(Array(police.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let population = try Data(
            contentsOf: URL(fileURLWithPath: scratch + "/SampleData/vaxjo/scb/folkmangd_stadsdelar.csv"))
        #expect(population.contains(0xE4))  // ä in ISO-8859-1
        #expect(String(data: population, encoding: .utf8) == nil)
    }
}
