import Foundation

/// The synthetic districts and DeSO of Halmstad and the area code list built from them and SCB's list
/// of counties and municipalities (`Pipelines/codelists/areas_halmstad.csv`, `deso_crosswalk.csv`).
enum HalmstadAreas {
    struct District {
        var code: String
        var name: String
        var aliases: [String]
        /// Centre in SWEREF 99 TM (E, N), compressed into E 365 000–385 000, N 6 270 000–6 295 000.
        var centre: (east: Double, north: Double)
        /// Standard deviation of event coordinates around the centre (m).
        var spread: Double
        /// The DeSO plan: letter (A rural, B mixed, C urban) and population weight per DeSO.
        var plan: [(letter: String, weight: Double)]
    }

    enum Status { case active, retired, new }

    struct Deso {
        var code: String
        var name: String
        var districtCode: String
        var districtName: String
        var letter: String
        var weight: Double
        var index: Int
        var status: Status
    }

    static func urban(_ weights: [Double]) -> [(letter: String, weight: Double)] { weights.map { ("C", $0) } }

    static let districts: [District] = [
        District(
            code: "1380D01", name: "Centrum", aliases: ["Halmstad centrum", "Halmstad C"], centre: (368700, 6_283_200),
            spread: 600, plan: urban([1.00, 1.05, 0.95, 1.02, 0.90, 0.98])),
        District(
            code: "1380D02", name: "Andersberg", aliases: [], centre: (370500, 6_281_800), spread: 500,
            plan: urban([1.05, 1.04, 1.02, 1.00, 0.95])),
        District(
            code: "1380D03", name: "Vallås", aliases: [], centre: (367800, 6_281_100), spread: 550,
            plan: urban([1.05, 1.03, 1.00, 1.00, 0.90])),
        District(
            code: "1380D04", name: "Linehed", aliases: [], centre: (370600, 6_284_700), spread: 550,
            plan: urban([1.00, 0.95, 0.90, 0.90, 0.85])),
        District(
            code: "1380D05", name: "Sannarp", aliases: [], centre: (366300, 6_281_900), spread: 550,
            plan: urban([1.00, 0.95, 0.95, 0.90, 0.85])),
        District(
            code: "1380D06", name: "Söndrum", aliases: [], centre: (366100, 6_282_700), spread: 400,
            plan: urban([1.00, 1.00, 0.95, 0.90, 0.85])),
        District(
            code: "1380D07", name: "Fyllinge", aliases: [], centre: (369300, 6_286_900), spread: 700,
            plan: urban([0.95, 0.95, 0.90, 0.90, 0.85])),
        District(
            code: "1380D08", name: "Getinge", aliases: [], centre: (367300, 6_292_700), spread: 800,
            plan: [("B", 0.95), ("B", 0.85), ("A", 0.45), ("A", 0.42)]),
        District(
            code: "1380D09", name: "Oskarström", aliases: [], centre: (375700, 6_292_600), spread: 800,
            plan: [("B", 1.00), ("B", 0.95), ("B", 0.90), ("A", 0.70)]),
        District(
            code: "1380D10", name: "Harplinge", aliases: [], centre: (366900, 6_289_500), spread: 900,
            plan: [("B", 0.90), ("A", 0.80)]),
        District(
            code: "1380D11", name: "Simlångsdalen", aliases: [], centre: (383000, 6_286_900), spread: 1200,
            plan: [("B", 0.70), ("A", 0.60)]),
        District(
            code: "1380D12", name: "Kvibille", aliases: [], centre: (368600, 6_291_800), spread: 1200,
            plan: [("B", 0.75), ("A", 0.65)]),
    ]

    static let urbanDistricts: Set<String> = [
        "Centrum", "Andersberg", "Vallås", "Linehed", "Sannarp", "Söndrum", "Fyllinge",
    ]

    /// Crosswalk changes valid from 2024-01-01: Vallås 1 split in two, Getinge 3 and 4 merged.
    static let changeYear = 2024
    static let splitOld = "1380C0120"
    static let splitNew: [(code: String, share: Double)] = [("1380C0121", 0.6), ("1380C0122", 0.4)]
    static let mergeOld = ["1380A0390", "1380A0400"]
    static let mergeNew = "1380A0391"

    /// Every DeSO: active ones numbered through the districts, the retired and the new ones of 2024.
    static let desos: [Deso] = {
        var out: [Deso] = []
        var number = 0
        for district in districts {
            for (offset, part) in district.plan.enumerated() {
                number += 1
                let numberText =
                    String(number).count >= 3
                    ? String(number) : String(repeating: "0", count: 3 - String(number).count) + String(number)
                out.append(
                    Deso(
                        code: "1380\(part.letter)\(numberText)0", name: "\(district.name) \(offset + 1)",
                        districtCode: district.code, districtName: district.name, letter: part.letter,
                        weight: part.weight, index: offset + 1, status: .active))
            }
        }
        func position(_ code: String) -> Int { out.firstIndex { $0.code == code }! }
        for code in [splitOld] + mergeOld {
            out[position(code)].status = .retired
            out[position(code)].name += " (upphörd \(changeYear))"
        }
        let source = out[position(splitOld)]
        for ((code, _), suffix) in zip(splitNew, ["a", "b"]) {
            out.append(
                Deso(
                    code: code, name: "\(source.districtName) \(source.index)\(suffix)",
                    districtCode: source.districtCode,
                    districtName: source.districtName, letter: source.letter, weight: 0, index: source.index,
                    status: .new))
        }
        let first = out[position(mergeOld[0])]
        let second = out[position(mergeOld[1])]
        out.append(
            Deso(
                code: mergeNew, name: "\(first.districtName) \(first.index)+\(second.index)",
                districtCode: first.districtCode, districtName: first.districtName, letter: first.letter, weight: 0,
                index: first.index, status: .new))
        return out
    }()

    /// The DeSO valid 2020–2023 (active and retired).
    static let activeDesos = desos.filter { $0.status != .new }

    /// A row of SCB's list of municipalities and counties (`scb_kommuner_lan.csv`).
    struct SCBRow {
        var municipalityCode: String
        var municipalityName: String
        var countyCode: String
        var countyName: String
    }

    /// Reads `municipality_code,municipality_name,county_code,county_name` (UTF-8, no quoting).
    static func readSCB(_ path: String) throws -> [SCBRow] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SampleGeneratorError("cannot read \(path) (SCB's list of municipalities and counties)")
        }
        let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).dropFirst()
        let rows = try lines.enumerated().map { offset, line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 4 else {
                throw SampleGeneratorError("\(path):\(offset + 2): expected 4 fields, found \(fields.count)")
            }
            return SCBRow(
                municipalityCode: fields[0], municipalityName: fields[1], countyCode: fields[2], countyName: fields[3])
        }
        guard rows.count == 290 else {
            throw SampleGeneratorError("\(path): expected 290 municipalities, found \(rows.count)")
        }
        return rows
    }

    /// The county's short name (`Hallands län` → `Halland`).
    static func countyShort(_ name: String) -> String {
        var short = name.hasSuffix(" län") ? String(name.dropLast(4)) : name
        if short.hasSuffix("s") { short.removeLast() }
        return short
    }

    /// The area code list's rows (code, name, level, parent, aliases) and the county short names left
    /// out because a municipality has that name.
    static func areaRows(scb: [SCBRow], schools: [HalmstadSchools.Unit]) throws -> (
        rows: [[String]], skipped: [String]
    ) {
        var countyNames: [String: String] = [:]
        for row in scb where countyNames[row.countyCode] == nil { countyNames[row.countyCode] = row.countyName }
        let municipalityNames = Set(scb.map(\.municipalityName))
        var rows: [[String]] = [["00", "Sverige", "country", "", "Riket|0000|Hela landet|00 Riket"]]
        var skipped: [String] = []
        for code in countyNames.keys.sorted() {
            let name = countyNames[code]!
            let short = countyShort(name)
            var aliases = ["00\(code)"]
            if municipalityNames.contains(short) { skipped.append(short) } else { aliases.append(short) }
            aliases.append("\(code) \(name)")
            rows.append([code, name, "county", "00", aliases.joined(separator: "|")])
        }
        for row in scb.sorted(by: { $0.municipalityCode < $1.municipalityCode }) {
            let (code, name) = (row.municipalityCode, row.municipalityName)
            rows.append([code, name, "municipality", row.countyCode, "\(code) \(name)|\(name) kommun"])
        }
        for district in districts {
            rows.append([district.code, district.name, "district", "1380", district.aliases.joined(separator: "|")])
        }
        for deso in desos.sorted(by: { $0.code < $1.code }) {
            rows.append([deso.code, deso.name, "deso", deso.districtCode, "\(deso.code) Halmstad"])
        }
        let districtCodes = Dictionary(uniqueKeysWithValues: districts.map { ($0.name, $0.code) })
        for unit in schools { rows.append([unit.code, unit.name, "school", districtCodes[unit.district]!, ""]) }

        // Codes and aliases are unique, and no alias is another area's name.
        guard Set(rows.map { $0[0] }).count == rows.count else {
            throw SampleGeneratorError("an area code is used twice")
        }
        var aliasOwner: [String: String] = [:]
        for row in rows {
            for alias in row[4].split(separator: "|").map(String.init) {
                guard aliasOwner[alias] == nil else { throw SampleGeneratorError("alias \(alias) used twice") }
                aliasOwner[alias] = row[0]
            }
        }
        let codesByName = Dictionary(grouping: rows, by: { $0[1] }).mapValues { $0.map { $0[0] } }
        for (alias, code) in aliasOwner where codesByName[alias].map({ $0 != [code] }) ?? false {
            throw SampleGeneratorError("alias \(alias) is another area's name")
        }
        return (rows, skipped)
    }

    /// `areas_halmstad.csv` (UTF-8, `;`, LF).
    static func areaList(_ rows: [[String]]) -> [UInt8] {
        let lines = ["code;name;level;parent;aliases"] + rows.map { $0.joined(separator: ";") }
        return Array((lines.joined(separator: "\n") + "\n").utf8)
    }

    /// `deso_crosswalk.csv` (UTF-8, `;`, LF).
    static func crosswalk() -> [UInt8] {
        var text = "old_code;new_code;share;valid_from\n"
        for (code, share) in splitNew {
            text += "\(splitOld);\(code);\(PythonFormat.fixed(share, 1));\(changeYear)-01-01\n"
        }
        for old in mergeOld { text += "\(old);\(mergeNew);1.0;\(changeYear)-01-01\n" }
        return Array(text.utf8)
    }
}
