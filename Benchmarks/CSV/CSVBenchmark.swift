import CSVReader
import Foundation
import LagesbildModel

/// Generates (or reuses) a police-style semicolon CSV and measures how fast `CSVFileReader` turns it
/// into typed fields. Usage: `csv-benchmark [FILE] [--megabytes N] [--passes N]`.
@main struct CSVBenchmark {
    static func main() throws {
        var arguments = Array(CommandLine.arguments.dropFirst())
        var megabytes = 1024
        var passes = 2
        var path: String?
        while !arguments.isEmpty {
            let argument = arguments.removeFirst()
            switch argument {
            case "--megabytes": megabytes = Int(arguments.removeFirst()) ?? megabytes
            case "--passes": passes = Int(arguments.removeFirst()) ?? passes
            case "-h", "--help":
                print("usage: csv-benchmark [FILE] [--megabytes N] [--passes N]")
                return
            default: path = argument
            }
        }
        let file =
            path
            ?? FileManager.default.temporaryDirectory.appendingPathComponent(
                "lagesbild-csv-benchmark/police-\(megabytes)MB.csv"
            ).path
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? nil
        if let size, size >= megabytes << 20 {
            print("reusing \(file) (\(size >> 20) MiB)")
        } else {
            let clock = ContinuousClock.now
            try PoliceExportGenerator.write(to: file, megabytes: megabytes)
            print("generated \(file) in \(clock.duration(to: .now))")
        }
        print("peak memory after generation: \(peakMemoryMiB()) MiB")
        for pass in 1...passes {
            try measure(file, pass: pass)
        }
        print("peak memory (VmHWM): \(peakMemoryMiB()) MiB")
    }

    /// One typed pass: crime code as a String, date and time as integers, X/Y as numbers, area as a String
    /// for rows in one area.
    static func measure(_ file: String, pass: Int) throws {
        let start = ContinuousClock.now
        let reader = try CSVFileReader(path: file, dialect: CSVDialect(delimiter: UInt8(ascii: ";")))
        let code = reader.columnIndex("Brottskod")!
        let date = reader.columnIndex("Datum")!
        let time = reader.columnIndex("Klockslag")!
        let x = reader.columnIndex("X")!
        let y = reader.columnIndex("Y")!
        let area = reader.columnIndex("Område")!
        var codes: [String: Int] = [:]
        var months = [Int](repeating: 0, count: 13)
        var hours = [Int](repeating: 0, count: 24)
        var sumX = 0.0
        var sumY = 0.0
        var missing = 0
        var vallas = 0
        let summary = try reader.forEachRecord { record in
            codes[record.string(at: code), default: 0] += 1
            if let day = record.withUTF8(at: date, parseISODate) { months[day.month] += 1 }
            if let minutes = record.withUTF8(at: time, parseClock) { hours[minutes / 60] += 1 }
            if let value = record.number(at: x).value { sumX += value } else { missing += 1 }
            if let value = record.number(at: y).value { sumY += value } else { missing += 1 }
            if record.withUTF8(at: area, { $0.first == UInt8(ascii: "V") }), record.string(at: area) == "Vallås" {
                vallas += 1
            }
        } onReject: { _ in
        }
        let seconds = start.duration(to: .now).seconds
        let megabytes = Double(summary.bytesRead) / 1_000_000
        print(
            "pass \(pass): \(summary.rowsRead) rows (\(summary.rowsRejected) rejected), \(String(format: "%.0f", megabytes)) MB"
                + " in \(String(format: "%.2f", seconds)) s = \(String(format: "%.0f", megabytes / seconds)) MB/s;"
                + " \(codes.count) codes, \(vallas) in Vallås, \(missing) missing X/Y, mean X \(Int(sumX / Double(max(1, summary.rowsDelivered))))"
                + " , busiest month \(months.indices.max { months[$0] < months[$1] }!), busiest hour \(hours.indices.max { hours[$0] < hours[$1] }!)"
        )
    }

    /// `yyyy-MM-dd` into its parts.
    static func parseISODate(_ bytes: UnsafeBufferPointer<UInt8>) -> (year: Int, month: Int, day: Int)? {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func digits(_ from: Int, _ count: Int) -> Int? {
            var value = 0
            for index in from..<(from + count) {
                let digit = bytes[index] &- 48
                guard digit < 10 else { return nil }
                value = value * 10 + Int(digit)
            }
            return value
        }
        guard let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2), (1...12).contains(month) else {
            return nil
        }
        return (year, month, day)
    }

    /// `HH:mm` into minutes after midnight.
    static func parseClock(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard bytes.count == 5, bytes[2] == UInt8(ascii: ":") else { return nil }
        let h1 = bytes[0] &- 48
        let h2 = bytes[1] &- 48
        let m1 = bytes[3] &- 48
        let m2 = bytes[4] &- 48
        guard h1 < 3, h2 < 10, m1 < 6, m2 < 10 else { return nil }
        let hours = Int(h1) * 10 + Int(h2)
        return hours < 24 ? hours * 60 + Int(m1) * 10 + Int(m2) : nil
    }

    static func peakMemoryMiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
            return kilobytes / 1024
        }
        return -1
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// Writes a synthetic police export: no real person, no real case.
enum PoliceExportGenerator {
    static let codes = [
        "0301", "0302", "0379", "0380", "0401", "0405", "0806", "0807", "0808", "0809", "0859", "0860", "0901", "0903",
        "1208", "1209", "1210", "1701", "3005", "4001", "5004", "5005", "5010", "5011", "9301", "9302",
    ]
    static let areas = [
        "Andersberg", "Vallås", "Centrum", "Söndrum", "Oskarström", "Getinge", "Frösakull", "Östra stranden",
    ]
    static let places = [
        "Storgatan 12", "Linjegatan 4", "Stora torget", "Vallås centrum", "Andersbergsringen 20", "Resecentrum",
        "\"Parkering; Nissan\"", "Frennarps gård", "Hallarnas köpcentrum",
    ]
    static let words = [
        "anmälaren", "uppger", "att", "cykeln", "stulits", "från", "cykelstället", "vid", "skolan", "under", "natten",
        "målsäganden", "blev", "slagen", "i", "ansiktet", "av", "okänd", "gärningsperson", "klotter", "på", "väggen",
        "bilen", "har", "brutits", "upp", "och", "radion", "är", "borta", "polis", "på", "plats", "vittne", "såg",
        "två", "personer", "springa", "mot", "ån", "fönsterruta", "krossad", "övervakningskamera", "finns",
    ]

    static func write(to path: String, megabytes: Int) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var random = SplitMix(state: 20_250_101)
        var block: [UInt8] = []
        block.reserveCapacity(4 << 20)
        block += Array("Ärendenummer;Brottskod;Datum;Klockslag;Område;DeSO;X;Y;Plats;Fritext\r\n".utf8)
        let codeBytes = codes.map { Array($0.utf8) }
        let areaBytes = areas.map { Array($0.utf8) }
        let placeBytes = places.map { Array($0.utf8) }
        let wordBytes = words.map { Array($0.utf8) }
        var written = 0
        var row = 0
        func number(_ value: Int, width: Int) {
            var digits = [UInt8](repeating: 48, count: width)
            var rest = value
            for index in stride(from: width - 1, through: 0, by: -1) {
                digits[index] = UInt8(48 + rest % 10)
                rest /= 10
            }
            block += digits
        }
        while written < megabytes << 20 {
            row += 1
            block += Array("5000-K".utf8)
            number(row % 1_000_000, width: 6)
            block += Array("-23;".utf8)
            block += codeBytes[random.next(codes.count)]
            block += Array(";2023-".utf8)
            number(1 + random.next(12), width: 2)
            block.append(UInt8(ascii: "-"))
            number(1 + random.next(28), width: 2)
            block.append(UInt8(ascii: ";"))
            number(random.next(24), width: 2)
            block.append(UInt8(ascii: ":"))
            number(random.next(60), width: 2)
            block.append(UInt8(ascii: ";"))
            block += areaBytes[random.next(areas.count)]
            block += Array(";1380C0".utf8)
            number(100 + random.next(60), width: 3)
            block.append(UInt8(ascii: ";"))
            if random.next(50) == 0 {
                block += Array("..;..".utf8)  // no coordinates
            } else {
                number(370_000 + random.next(20_000), width: 6)
                if random.next(4) == 0 { block += Array(",5".utf8) }
                block.append(UInt8(ascii: ";"))
                number(6_270_000 + random.next(30_000), width: 7)
            }
            block.append(UInt8(ascii: ";"))
            block += placeBytes[random.next(places.count)]
            block += Array(";\"".utf8)
            for index in 0..<(8 + random.next(20)) {
                if index > 0 {
                    switch random.next(40) {
                    case 0: block += Array("; ".utf8)
                    case 1: block += Array("\r\n".utf8)
                    case 2: block += Array(" \"\"citat\"\" ".utf8)
                    default: block.append(UInt8(ascii: " "))
                    }
                }
                block += wordBytes[random.next(words.count)]
            }
            block += Array("\"\r\n".utf8)
            if block.count >= 4 << 20 {
                handle.write(Data(block))
                written += block.count
                block.removeAll(keepingCapacity: true)
            }
        }
        handle.write(Data(block))
    }

    struct SplitMix {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }
}
