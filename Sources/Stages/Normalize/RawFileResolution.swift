import ColumnStore
import LagesbildModel
import PipelineModel
import StageKit
import Workspace

/// What each dictionary entry of one raw-events file resolves to.
struct RawFileResolution {
    let footer: ColumnFileFooter
    let source: SourceSpec
    let output: EventNormalizer.OutputDictionaries
    let normalizer: RecordNormalizer
    let municipalityMapped: Bool
    /// Raw dictionaries by role.
    let raw: [String: [String]]

    /// The years an event can be in; a date outside them is a typing error (0023 for 2023).
    static let years = 1900...2100

    /// Per raw crime code: output index, or -1 (reason in `crimeReasons`).
    var crime: [Int32] = []
    var crimeReasons: [String?] = []
    /// Per raw date: (year, month, day, weekday), or nil when impossible.
    var dates: [(Int32, Int32, Int32, Int32)?] = []
    /// Per raw time: hour, or -2 when unreadable.
    var hours: [Int32] = []
    /// Per raw municipality: output index, or -1 when unknown.
    var municipalities: [Int32] = []
    /// The row municipality when the column is not mapped.
    var defaultMunicipality: Int32 = 0
    /// Municipality codes by output index (every one is numbered before the rows are read).
    var municipalityCodes: [String] = []
    /// Per raw area: true when its name is used in several municipalities (looked up per row's kommun).
    var areaAmbiguous: [Bool] = []
    /// Ambiguous names already looked up, by raw area and row municipality.
    let ambiguousAreas = AmbiguousAreaCache()
    var areaUnique: [Bool] = []
    /// False when the pipeline has no area list: areas are then neither checked nor kept.
    let hasAreaList: Bool
    /// Per raw area with a unique entry: the output index of its municipality (-2 when none is numbered).
    var areaMunicipalities: [Int32] = []
    /// Per raw area with a unique entry: the output index of its district, or -1 when it is no district.
    var areaDistricts: [Int32] = []
    /// Per raw DeSO code: (output index, the output index of its municipality or -2, district output index
    /// or -1), or nil when the code is not a known DeSO (reason in `desoReasons`).
    var desos: [(Int32, Int32, Int32)?] = []
    var desoReasons: [String?] = []
    /// Per raw place: output index.
    var places: [Int32] = []

    init(
        footer: ColumnFileFooter, normalizer: RecordNormalizer, pipeline: Pipeline, source: SourceSpec,
        dateFormat: DateFormat, output: EventNormalizer.OutputDictionaries
    ) {
        self.footer = footer
        self.source = source
        self.output = output
        self.normalizer = normalizer
        municipalityMapped = source.columns["municipality"] != nil
        hasAreaList = !normalizer.lists.areas.isEmpty
        raw = footer.dictionaries
        let lists = normalizer.lists
        for code in raw["crime_code"] ?? [] {
            switch normalizer.eventCodeProblem(code, source: source) {
            case nil:
                crime.append(output.crimeCodes.index(code))
                crimeReasons.append(nil)
            case let reason?:
                crime.append(-1)
                crimeReasons.append(reason)
            }
        }
        dates = (raw["date"] ?? []).map { text in
            guard let date = dateFormat.parse(text), RawFileResolution.years.contains(date.year) else { return nil }
            output.years.insert(date.year)
            return (Int32(date.year), Int32(date.month), Int32(date.day), Int32(date.weekday))
        }
        hours = (raw["time"] ?? []).map { text in TimeOfDay.parse(text).map { Int32($0.hour) } ?? -2 }
        defaultMunicipality = output.municipalities.index(pipeline.municipality.code)
        municipalities = (raw["municipality"] ?? []).map { text in
            normalizer.municipalityCode(text).map { output.municipalities.index($0) } ?? -1
        }
        municipalityCodes = output.municipalities.strings
        for name in raw["area"] ?? [] {
            let candidates = normalizer.eventAreaCandidates(named: name)
            areaAmbiguous.append(candidates.count > 1)
            areaUnique.append(candidates.count == 1)
            let municipality = candidates.count == 1 ? normalizer.municipality(of: candidates[0]) : nil
            areaMunicipalities.append(municipality.flatMap { output.municipalities.existing($0) } ?? -2)
            let district = candidates.count == 1 && candidates[0].level == "district" ? candidates[0].code : nil
            areaDistricts.append(district.map { output.districts.index($0) } ?? -1)
        }
        for code in raw["deso"] ?? [] {
            guard code.utf8.count == 9 else {
                desos.append(nil)
                desoReasons.append("'\(code)' is not a DeSO code (9 characters, e.g. 1380C0010)")
                continue
            }
            if !lists.areas.isEmpty, lists.areas[code]?.level != "deso" {
                desos.append(nil)
                desoReasons.append("unknown DeSO code \(code): not in the area code list")
                continue
            }
            var district: Int32 = -1
            if let parent = lists.areas[code]?.parent, lists.areas[parent]?.level == "district" {
                district = output.districts.index(parent)
            }
            let municipality = output.municipalities.existing(String(code.prefix(4))) ?? -2
            desos.append((output.desos.index(code), municipality, district))
            desoReasons.append(nil)
        }
        places = (raw["place"] ?? []).map { output.places.index($0) }
    }

    func normalize(
        _ chunk: ColumnChunk, deliveryID: Int32, path: String, writer: ColumnFileWriter,
        quarantine: inout some RejectionSink, counts: inout StageCounts
    ) throws {
        let lines = chunk.column(0)
        let crimeColumn = chunk.column(1)
        let dateColumn = chunk.column(2)
        let timeColumn = chunk.column(3)
        let areaColumn = chunk.column(4)
        let desoColumn = chunk.column(5)
        let municipalityColumn = chunk.column(6)
        let placeColumn = chunk.column(7)
        var firstMonth = Int.max
        var lastMonth = Int.min
        defer { if firstMonth <= lastMonth { output.addMonths(firstMonth...lastMonth) } }
        for row in 0..<chunk.rows {
            counts.rowsIn += 1
            let crimeID = Int(crimeColumn[row])
            let code = crimeID >= 0 ? crime[crimeID] : -1
            guard code >= 0 else {
                try reject(
                    row, chunk, path: path,
                    reason: crimeID >= 0 ? crimeReasons[crimeID]! : "no \(source.roleName("crime_code"))",
                    quarantine: &quarantine, counts: &counts)
                continue
            }
            let dateID = Int(dateColumn[row])
            guard dateID >= 0, let date = dates[dateID] else {
                try reject(
                    row, chunk, path: path,
                    reason: "the date '\(text("date", dateID))' is impossible, not in the format of the source, "
                        + "or outside the years \(RawFileResolution.years.lowerBound)–\(RawFileResolution.years.upperBound)",
                    quarantine: &quarantine, counts: &counts)
                continue
            }
            let timeID = Int(timeColumn[row])
            let hour = timeID >= 0 ? hours[timeID] : -1
            guard hour != -2 else {
                try reject(
                    row, chunk, path: path,
                    reason: "the time of day '\(text("time", timeID))' cannot be read (expected e.g. 13:45)",
                    quarantine: &quarantine, counts: &counts)
                continue
            }
            var municipality = defaultMunicipality
            if municipalityMapped {
                let municipalityID = Int(municipalityColumn[row])
                guard municipalityID >= 0 else {
                    let column = source.columns["municipality"]?.column ?? "municipality"
                    try reject(
                        row, chunk, path: path, reason: "no municipality: the field \(column) is empty",
                        quarantine: &quarantine, counts: &counts)
                    continue
                }
                municipality = municipalities[municipalityID]
                guard municipality >= 0 else {
                    try reject(
                        row, chunk, path: path,
                        reason: "unknown municipality '\(text("municipality", municipalityID))': "
                            + "not a municipality of the area code list",
                        quarantine: &quarantine, counts: &counts)
                    continue
                }
            }
            var district: Int32 = -1
            let areaID = Int(areaColumn[row])
            if areaID >= 0, hasAreaList, areaUnique[areaID] {
                if municipalityMapped, areaMunicipalities[areaID] != municipality {
                    try reject(
                        row, chunk, path: path,
                        reason: "the area '\(text("area", areaID))' is not in municipality "
                            + municipalityCodes[Int(municipality)],
                        quarantine: &quarantine, counts: &counts)
                    continue
                }
                district = areaDistricts[areaID]
            } else if areaID >= 0, hasAreaList {
                guard areaAmbiguous[areaID], let resolved = ambiguousArea(areaID, in: municipality) else {
                    try reject(
                        row, chunk, path: path,
                        reason: "unknown area '\(text("area", areaID))': not in the area code list",
                        quarantine: &quarantine, counts: &counts)
                    continue
                }
                if municipalityMapped, resolved.municipality != municipality {
                    try reject(
                        row, chunk, path: path,
                        reason: "the area '\(text("area", areaID))' is not in municipality "
                            + municipalityCodes[Int(municipality)],
                        quarantine: &quarantine, counts: &counts)
                    continue
                }
                district = resolved.district
            }
            var deso: Int32 = -1
            let desoID = Int(desoColumn[row])
            if desoID >= 0 {
                guard let resolved = desos[desoID] else {
                    try reject(
                        row, chunk, path: path, reason: desoReasons[desoID]!, quarantine: &quarantine,
                        counts: &counts)
                    continue
                }
                guard resolved.1 == municipality else {
                    try reject(
                        row, chunk, path: path,
                        reason: "'\(text("deso", desoID))' is not a DeSO code of municipality "
                            + municipalityCodes[Int(municipality)],
                        quarantine: &quarantine, counts: &counts)
                    continue
                }
                deso = resolved.0
                if district < 0 { district = resolved.2 }
            }
            let placeID = Int(placeColumn[row])
            writer.set(0, deliveryID)
            writer.set(1, lines[row])
            writer.set(2, code)
            writer.set(3, date.0)
            writer.set(4, date.1)
            writer.set(5, date.2)
            writer.set(6, date.3)
            writer.set(7, hour)
            writer.set(8, municipality)
            writer.set(9, district)
            writer.set(10, deso)
            writer.set(11, placeID >= 0 ? places[placeID] : -1)
            try writer.endRow()
            counts.rowsOut += 1
            let month = Int(date.0) * 12 + Int(date.1) - 1
            firstMonth = min(firstMonth, month)
            lastMonth = max(lastMonth, month)
        }
    }

    /// The district (or -1) and municipality (or -2) of a name used in several municipalities, as it is
    /// meant in the row's municipality.
    private func ambiguousArea(_ areaID: Int, in municipality: Int32) -> (district: Int32, municipality: Int32)? {
        let key = Int64(areaID) << 32 | Int64(municipality)
        if let cached = ambiguousAreas.entries[key] { return cached }
        let entry = normalizer.eventArea(named: text("area", areaID), in: municipalityCodes[Int(municipality)])
        let resolved = entry.map { entry in
            (
                district: entry.level == "district" ? output.districts.index(entry.code) : -1,
                municipality: normalizer.municipality(of: entry).flatMap { output.municipalities.existing($0) } ?? -2
            )
        }
        ambiguousAreas.entries[key] = resolved
        return resolved
    }

    private func text(_ role: String, _ id: Int) -> String {
        guard id >= 0, let values = raw[role], id < values.count else { return "" }
        return values[id]
    }

    private func reject(
        _ row: Int, _ chunk: ColumnChunk, path: String, reason: String, quarantine: inout some RejectionSink,
        counts: inout StageCounts
    ) throws {
        var parts: [String] = []
        for (index, role) in EventColumns.rawRoles.enumerated()
        where role != "place" && (role != "municipality" || municipalityMapped) {
            parts.append("\(source.roleName(role))=\(text(role, Int(chunk.column(index + 1)[row])))")
        }
        try quarantine.add(
            RejectedRecord(
                location: SourceLocation(file: path, line: Int(chunk.column(0)[row])), reason: reason,
                raw: parts.joined(separator: "; ")))
        counts.rowsQuarantined += 1
    }
}

/// Remembers how names used in several municipalities were resolved, per municipality.
final class AmbiguousAreaCache {
    var entries: [Int64: (district: Int32, municipality: Int32)?] = [:]
}

/// Where the rows a file cannot normalize go: the quarantine table, or a buffer filled off the database
/// thread and written to the quarantine afterwards.
protocol RejectionSink {
    mutating func add(_ record: RejectedRecord) throws
}

extension QuarantineWriter: RejectionSink {}

/// Rejected rows kept in memory, in the order they were met.
struct RejectionBuffer: RejectionSink, Sendable {
    var records: [RejectedRecord] = []

    mutating func add(_ record: RejectedRecord) { records.append(record) }
}
