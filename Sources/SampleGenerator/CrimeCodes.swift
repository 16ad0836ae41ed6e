import CSVReader
import Foundation
import LagesbildModel

/// When in the day a crime type happens.
enum TimeProfile: Int, CaseIterable, Sendable {
    case day, mixed, evening, night

    /// Relative weight of each hour 0–23 (from `tools/generate_sample_data.py`).
    var hours: [Double] {
        switch self {
        case .day:
            return [
                0.3, 0.2, 0.1, 0.1, 0.1, 0.2, 0.4, 0.8, 1.2, 1.6, 2.0, 2.2, 2.3, 2.4, 2.5, 2.6, 2.7, 2.5, 2.0, 1.5,
                1.1, 0.8, 0.6, 0.4,
            ]
        case .mixed:
            return [
                0.8, 0.6, 0.5, 0.4, 0.3, 0.3, 0.5, 0.8, 1.0, 1.1, 1.2, 1.3, 1.4, 1.4, 1.5, 1.6, 1.7, 1.8, 1.8, 1.7,
                1.6, 1.4, 1.2, 1.0,
            ]
        case .evening:
            return [
                1.2, 0.9, 0.7, 0.4, 0.2, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 0.8, 0.9, 1.0, 1.2, 1.4, 1.6, 1.8, 2.0, 2.2,
                2.3, 2.2, 1.9, 1.5,
            ]
        case .night:
            return [
                2.2, 2.4, 2.2, 1.6, 0.9, 0.4, 0.3, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4,
                1.6, 1.8, 2.0, 2.1,
            ]
        }
    }

    /// Boost of Friday/Saturday evenings and Saturday/Sunday nights.
    var weekendBoost: Double {
        switch self {
        case .night: return 2.6
        case .evening: return 1.8
        case .mixed: return 1.3
        case .day: return 1.0
        }
    }
}

/// Indoors, outdoors or either.
enum PlaceKind: Sendable {
    case indoors, outdoors, either
}

/// A crime code the police file may hold, with its weight and pattern.
struct WeightedCode: Sendable {
    var code: String
    var weight: Double
    var profile: TimeProfile
    var place: PlaceKind
    /// Frauds often lack a place.
    var isFraud: Bool
}

/// The crime codes of the generated police events: the common codes of the Halmstad sample with their
/// weights (together ~88 % of events) and every other code of Brå's list that is in use in all the
/// generated years (the remaining ~12 %, evenly), so that the code list check meets the whole list.
struct CrimeCodeTable: Sendable {
    var codes: [WeightedCode]
    var choice: WeightedChoice

    /// (code, weight, profile, place, fraud) — the sample generator's `POLICE_CODES`.
    static let common: [(String, Double, TimeProfile, PlaceKind, Bool)] = [
        ("0853", 9.0, .day, .indoors, false), ("0880", 10.0, .mixed, .either, false),
        ("9830", 6.5, .mixed, .outdoors, false), ("9829", 1.8, .mixed, .outdoors, false),
        ("9833", 0.8, .mixed, .outdoors, false), ("9817", 1.8, .day, .either, false),
        ("0841", 0.8, .mixed, .outdoors, false), ("0846", 0.8, .day, .indoors, false),
        ("0818", 0.8, .night, .indoors, false), ("0811", 0.5, .night, .indoors, false),
        ("0825", 2.0, .mixed, .indoors, false), ("9826", 0.6, .day, .outdoors, false),
        ("9828", 4.5, .night, .outdoors, false), ("9827", 2.5, .night, .outdoors, false),
        ("0801", 0.8, .night, .outdoors, false), ("0802", 1.8, .night, .outdoors, false),
        ("9801", 1.4, .mixed, .indoors, false), ("0857", 0.7, .mixed, .indoors, false),
        ("9802", 1.0, .mixed, .indoors, false), ("0874", 0.6, .mixed, .indoors, false),
        ("0826", 0.3, .mixed, .indoors, false), ("1203", 4.0, .night, .outdoors, false),
        ("1212", 1.5, .night, .outdoors, false), ("1201", 3.0, .night, .outdoors, false),
        ("1205", 1.8, .night, .outdoors, false), ("1208", 0.9, .night, .outdoors, false),
        ("1209", 3.8, .night, .outdoors, false), ("1210", 0.4, .night, .outdoors, false),
        ("1211", 0.4, .night, .outdoors, false), ("0357", 2.8, .night, .outdoors, false),
        ("0355", 0.9, .night, .outdoors, false), ("0367", 1.0, .night, .indoors, false),
        ("0365", 0.6, .night, .indoors, false), ("9365", 1.0, .mixed, .indoors, false),
        ("9369", 0.5, .mixed, .indoors, false), ("9385", 0.3, .mixed, .indoors, false),
        ("0377", 0.4, .night, .outdoors, false), ("9319", 0.5, .mixed, .outdoors, false),
        ("9323", 0.2, .mixed, .indoors, false), ("9447", 1.8, .mixed, .either, false),
        ("9443", 0.9, .mixed, .either, false), ("9440", 0.9, .mixed, .indoors, false),
        ("0459", 0.3, .day, .either, false), ("9463", 1.4, .mixed, .either, false),
        ("9459", 1.0, .mixed, .either, false), ("0412", 0.2, .mixed, .indoors, false),
        ("0661", 0.15, .night, .indoors, false), ("9635", 0.15, .night, .indoors, false),
        ("9471", 0.5, .night, .indoors, false), ("0901", 2.8, .day, .either, true),
        ("0983", 2.8, .day, .either, true), ("0987", 1.4, .day, .either, true),
        ("0957", 0.9, .day, .either, true), ("0906", 0.9, .day, .either, true),
        ("9467", 0.4, .day, .either, true), ("5010", 2.8, .evening, .outdoors, false),
        ("5011", 3.8, .evening, .outdoors, false), ("5005", 0.6, .evening, .outdoors, false),
        ("5004", 0.05, .mixed, .indoors, false), ("1701", 0.3, .night, .outdoors, false),
        ("1703", 0.2, .night, .outdoors, false), ("1704", 0.3, .night, .either, false),
        ("1705", 0.5, .night, .either, false), ("9810", 0.35, .night, .outdoors, false),
        ("9806", 0.3, .evening, .outdoors, false), ("0870", 0.15, .evening, .indoors, false),
        ("3005", 1.8, .night, .outdoors, false), ("3070", 1.5, .evening, .outdoors, false),
        ("3008", 0.8, .day, .outdoors, false), ("0407", 0.5, .mixed, .either, false),
        ("1714", 0.3, .night, .outdoors, false), ("1706", 0.3, .night, .outdoors, false),
    ]

    /// Share of events spread over the codes outside ``common``.
    static let tailShare = 0.12

    /// Reads Brå's code list (`brottskod;benamning;upphord`) and keeps the codes in use in every year up
    /// to `lastYear` (no `upphord`, or one after it).
    init(codeList path: String, lastYear: Int) throws {
        let reader: CSVFileReader
        do {
            reader = try CSVFileReader(
                path: path, dialect: CSVDialect(delimiter: UInt8(ascii: ";"), encoding: .utf8, titleLines: 0))
        } catch {
            throw SampleGeneratorError("cannot read the crime code list: \(error)")
        }
        let header = reader.header.map { $0.lowercased() }
        guard let codeColumn = header.firstIndex(of: "brottskod"), let endColumn = header.firstIndex(of: "upphord")
        else {
            throw SampleGeneratorError("\(path): the crime code list needs the columns brottskod and upphord")
        }
        var current: [String] = []
        try reader.forEachRecord(
            { record in
                let code = record.string(at: codeColumn)
                let end = Int(record.string(at: endColumn).trimmingCharacters(in: .whitespaces))
                if code.utf8.count == 4, end.map({ $0 > lastYear }) ?? true { current.append(code) }
            },
            onReject: { rejected in throw SampleGeneratorError("\(rejected.location): \(rejected.reason)") })
        let currentSet = Set(current)
        var codes: [WeightedCode] = []
        for (code, weight, profile, place, fraud) in Self.common where currentSet.contains(code) {
            codes.append(WeightedCode(code: code, weight: weight, profile: profile, place: place, isFraud: fraud))
        }
        let commonSet = Set(codes.map(\.code))
        let tail = current.filter { !commonSet.contains($0) }
        let commonWeight = codes.reduce(0) { $0 + $1.weight }
        guard !codes.isEmpty || !tail.isEmpty else {
            throw SampleGeneratorError("\(path): no crime code is in use up to \(lastYear)")
        }
        if !tail.isEmpty {
            let each = codes.isEmpty ? 1 : commonWeight * Self.tailShare / (1 - Self.tailShare) / Double(tail.count)
            for code in tail {
                codes.append(WeightedCode(code: code, weight: each, profile: .mixed, place: .either, isFraud: false))
            }
        }
        self.codes = codes
        choice = WeightedChoice(codes.map(\.weight))
    }
}
