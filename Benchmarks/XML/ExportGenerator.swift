import Foundation

/// Writes a synthetic county-board (Länsstyrelsen) alcohol and tobacco inspection export: two
/// namespaces, attributes on every level, child elements, CDATA and Swedish text. No real persons.
enum ExportGenerator {
    static let lst = "urn:lansstyrelsen:alkohol:1"
    static let gemensam = "urn:lagesbild:gemensam:1"

    /// The benchmark file for `megabytes`, written unless a file of at least that size exists.
    static func fileFor(megabytes: Int) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lagesbild-xml-benchmark")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("export-\(megabytes)MB.xml").path
        let target = megabytes * 1_000_000
        if let size = try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int, size >= target {
            return path
        }
        print("writing \(path) …")
        try write(path: path, bytes: target)
        return path
    }

    private static let municipalities: [(String, String)] = [
        ("1380", "Halmstad"), ("1381", "Laholm"), ("1382", "Falkenberg"), ("1383", "Varberg"),
        ("1384", "Kungsbacka"), ("1315", "Hylte"), ("1280", "Malmö"), ("1480", "Göteborg"),
        ("0180", "Stockholm"), ("2580", "Luleå"), ("1880", "Örebro"), ("0380", "Uppsala"),
    ]
    private static let kinds = ["serveringstillstånd", "tobak", "folköl", "e-cigaretter", "receptfria läkemedel"]
    private static let places = [
        "Restaurang Storgatan", "Café Västra Strandgatan", "Krogen Fiskaregatan", "Pizzeria Älvgatan",
        "Hotell Övre Hamngatan", "Kiosken Åkaregatan", "Nattklubb Brogatan", "Bistro Köpmansgatan",
    ]
    private static let outcomes = [
        ("A", "Inga anmärkningar"), ("B", "Erinran: bristande ålderskontroll"), ("C", "Varning"),
        ("D", "Återkallelse av tillstånd"),
    ]
    private static let remarks = [
        "Öppet efter 01:00 – kontroll av ålder & berusning",
        "Uppföljning efter anmälan från polisen; <ljudnivå> mättes",
        "Samordnad tillsyn med räddningstjänst och Skatteverket",
        "Ingen anmärkning",
    ]
    private static let officers = ["Åsa Öberg", "Björn Ström", "Märta Ålund", "Göran Näslund", "Ella Sjöö"]

    static func write(path: String, bytes target: Int) throws {
        guard let file = fopen(path, "wb") else { throw CocoaError(.fileWriteUnknown) }
        defer { fclose(file) }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        var written = 0
        func emit(_ text: String) {
            buffer.append(contentsOf: text.utf8)
            if buffer.count >= 1 << 20 {
                fwrite(buffer, 1, buffer.count, file)
                written += buffer.count
                buffer.removeAll(keepingCapacity: true)
            }
        }
        emit(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <lst:Export xmlns:lst="\(lst)" xmlns:g="\(gemensam)" skapad="2024-02-01T06:00:00" version="1.2">

            """)
        var random = SplitMix(seed: 13_80)
        var id = 0
        var done = false
        while !done {
            for (code, name) in municipalities where !done {
                emit("  <lst:Kommun kod=\"\(code)\" namn=\"\(name)\" lan=\"\(code.prefix(2))\">\n")
                for year in 2019...2024 where !done {
                    emit("    <lst:Ar varde=\"\(year)\">\n")
                    for _ in 0..<500 {
                        id += 1
                        let quarter = Int(random.next() % 4)
                        let outcome = outcomes[Int(random.next() % UInt64(outcomes.count))]
                        let startMonth = quarter * 3 + 1
                        emit(
                            """
                                  <lst:Tillsyn id="T\(id)" typ="\(kinds[Int(random.next() % UInt64(kinds.count))])">
                                    <lst:Stalle orgnr="55\(100_000 + random.next() % 899_999)">\(places[Int(random.next() % UInt64(places.count))]) \(1 + random.next() % 60)</lst:Stalle>
                                    <lst:Antal>\(random.next() % 40)</lst:Antal>
                                    <g:Period><g:Start>\(year)-\(startMonth < 10 ? "0" : "")\(startMonth)-01</g:Start><g:Slut>\(year)-\(startMonth + 2 < 10 ? "0" : "")\(startMonth + 2)-\(quarter == 0 || quarter == 3 ? 31 : 30)</g:Slut></g:Period>
                                    <lst:Utfall kod="\(outcome.0)">\(outcome.1)</lst:Utfall>
                                    <lst:Anmarkning><![CDATA[\(remarks[Int(random.next() % UInt64(remarks.count))])]]></lst:Anmarkning>
                                    <lst:Handlaggare>\(officers[Int(random.next() % UInt64(officers.count))])</lst:Handlaggare>
                                  </lst:Tillsyn>

                            """)
                    }
                    emit("    </lst:Ar>\n")
                    done = written + buffer.count >= target
                }
                emit("  </lst:Kommun>\n")
            }
        }
        emit("</lst:Export>\n")
        fwrite(buffer, 1, buffer.count, file)
    }
}

/// A small deterministic generator, so the file is the same on every machine.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
