import GRDB
import LagesbildModel
import PipelineModel
import Workspace

/// The comparison with the kommun's municipality group (SKR's kommungrupp, `code_lists.municipality_groups`):
/// the group's rate from the same source as the kommun's comparison line, like with like.
///
/// For a rate whose comparison is a delivered rate (Brå's per 100 000) and whose denominator is a measure
/// (the population), each kommun of the group counts `rate × population / scale` (its number of crimes
/// in that source) and the group's rate is the sum of those counts over the sum of the populations. A
/// year gets a value only when every kommun of the group has both numbers; otherwise it is missing, with
/// how many had them — a group rate from the kommuner that happen to be in the file is no group rate.
/// When the source has no kommun of the group besides the pipeline's own, nothing is written (the report
/// says why there is no group line).
struct MunicipalityGroupComparison {
    let indicator: IndicatorSpec
    let reader: QuantityReader
    let municipality: Municipality
    let groups: MunicipalityGroups

    /// The area code of a group's rows: `kommungrupp-B3`.
    static func areaCode(_ group: MunicipalityGroup) -> String { "kommungrupp-\(group.code)" }

    /// The area name of a group's rows, with the grouping's year: `Kommungruppen Större städer (SKR 2023)`.
    static func areaName(_ group: MunicipalityGroup, version: Int) -> String {
        "Kommungruppen \(group.name) (SKR \(version))"
    }

    /// The group's comparison table, or nil when it does not apply or the source has no other kommun of
    /// the group.
    func table() throws -> IndicatorTable? {
        guard indicator.kind == .rate, case .measure(let name, let dimensions) = indicator.comparison,
            let denominator = indicator.denominator,
            case .measure(let population, let populationDimensions) = denominator,
            let group = groups.groupOf[municipality.code]
        else { return nil }
        let members = groups.members(of: group)
        // Every kommun of the data, whatever the pipeline's scope: the group reaches beyond the county.
        let everywhere = QuantityReader(
            db: reader.db, workspace: reader.workspace, municipality: municipality, scope: .country,
            directory: reader.directory, eventCategories: [], eventLevels: [])
        let rates = try everywhere.measure(
            name, dimensions: dimensions, level: "municipality", period: .year, additive: false)
        let populations = try everywhere.measure(
            population, dimensions: populationDimensions, level: "municipality", period: .year, additive: true)
        var ratesByPeriod: [String: [String: Double]] = [:]
        for (cell, observed) in rates where members.contains(cell.area) {
            ratesByPeriod[cell.period, default: [:]][cell.area] = observed.value
        }
        guard ratesByPeriod.values.contains(where: { $0.keys.contains { $0 != municipality.code } }) else {
            return nil
        }
        let code = Self.areaCode(group)
        var values: [Cell: IndicatorValue] = [:]
        for (period, byKommun) in ratesByPeriod {
            var count = 0.0
            var exposure = 0.0
            var complete = 0
            for member in members {
                guard let rate = byKommun[member],
                    let people = populations[Cell(area: member, period: period)]?.value, people > 0
                else { continue }
                count += rate * people / indicator.scale
                exposure += people
                complete += 1
            }
            let cell = Cell(area: code, period: period, breakdown: "comparison", breakdownValue: name)
            if complete == members.count, exposure > 0 {
                values[cell] = IndicatorValue(
                    numerator: count, denominator: exposure, value: count / exposure * indicator.scale, status: .ok)
            } else {
                values[cell] = IndicatorValue(
                    numerator: nil, denominator: nil, value: nil, status: .missing,
                    note: "the group's value needs every kommun of the group: \(complete) of \(members.count) "
                        + "have a number in the source")
            }
        }
        return IndicatorTable(
            areas: .level(.municipalityGroup), periodType: .year, values: values,
            names: [code: Self.areaName(group, version: groups.version)])
    }
}
