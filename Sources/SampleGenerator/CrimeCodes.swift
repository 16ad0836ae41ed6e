import CSVReader
import Foundation
import LagesbildModel

/// When in the day a crime type happens.
enum TimeProfile: Int, CaseIterable, Sendable {
    case day, mixed, evening, night

    /// Relative weight of each hour 0–23 (the Halmstad sample's).
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

    /// (code, weight, profile, place, fraud): the Halmstad sample's codes (``HalmstadPolice/codes``).
    static let common: [(String, Double, TimeProfile, PlaceKind, Bool)] = HalmstadPolice.codes.map {
        ($0.code, $0.weight, $0.profile, $0.place, $0.group == .fraud)
    }

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
