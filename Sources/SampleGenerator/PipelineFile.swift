import Foundation

/// The `pipeline.yaml` written beside the generated data: the structure of `Pipelines/halmstad.yaml`
/// for the sources generated here, with the code lists copied into `codelists/`.
struct PipelineFile {
    var scale: SampleScale
    var years: SampleYears
    var multiMunicipality: Bool
    /// The municipality groups' file name in `codelists/` (county and national scale), when copied.
    var municipalityGroups: String? = nil

    /// SKR's municipality groups, copied beside the other code lists for a county or national sample.
    static let municipalityGroupsFile = "kommungrupper_2023.csv"

    /// The comparison of each crime category with Brå's SOL table (county and national scale): the crime
    /// type whose reported crimes per 100 000 inhabitants are compared (nil: all crimes).
    static let braCrimeTypes: [String: String?] = [
        "anmalda_brott": String?.none, "misshandel": "Misshandel inkl. grov", "ran": "Rån inkl. grovt",
        "bostadsinbrott": "Bostadsinbrott", "skadegorelse": "Skadegörelse", "narkotika": "Narkotikabrott",
        "bedrageri": "Bedrägeri",
    ]

    /// Copies the municipality groups from `lists` into `target` for a county or national sample; returns
    /// the file name, or nil at municipality scale or when `lists` has no such file.
    mutating func copyMunicipalityGroups(from lists: String, to target: String) throws -> String? {
        let name = Self.municipalityGroupsFile
        guard scale.pipelineScope != "municipality", FileManager.default.isReadableFile(atPath: lists + "/" + name)
        else { return nil }
        try? FileManager.default.removeItem(atPath: target + "/" + name)
        try FileManager.default.copyItem(atPath: lists + "/" + name, toPath: target + "/" + name)
        municipalityGroups = name
        return name
    }

    /// The `comparison:` line of a category's indicator (county and national scale), or nothing.
    func comparison(_ category: String) -> String {
        guard scale.pipelineScope != "municipality", let crimeType = Self.braCrimeTypes[category] else { return "" }
        guard let crimeType else { return "\n    comparison: { measure: reported_crimes_per_100k }" }
        return "\n    comparison: { measure: reported_crimes_per_100k, dimensions: { crime_type: \(crimeType) } }"
    }

    static let categories = [
        ("vald", "Våldsbrott (som Kolada N07403)"), ("misshandel", "Misshandel inkl. grov"),
        ("ran", "Rån inkl. grovt"), ("bostadsinbrott", "Bostadsinbrott"), ("fordonsbrott", "Fordonsbrott"),
        ("skadegorelse", "Skadegörelse"), ("klotter", "Klotter"), ("narkotika", "Narkotikabrott"),
        ("vald_mot_tjansteman", "Våld och hot mot tjänsteman"), ("bedrageri", "Bedrägeri"),
    ]

    /// The report's title: the kommun's, or the county's or country's kommuner side by side.
    var title: String {
        switch scale.pipelineScope {
        case "county": return "Lägesbild för länets kommuner (syntetiska data)"
        case "country": return "Lägesbild för Sveriges kommuner (syntetiska data)"
        default: return "Lägesbild Halmstad (syntetiska data, \(scale.name))"
        }
    }

    var text: String {
        var lines: [String] = []
        lines.append(
            """
            # Lagesbild pipeline file for synthetic data at \(scale.name) scale (`lagesbild sample`).
            # Relative paths are relative to this file's folder; code lists are copies in codelists/.
            version: 1
            name: sample-\(scale.name)
            title: \(title)
            municipality:
              code: "1380"
              name: Halmstad
              county_code: "13"
            scope: \(scale.pipelineScope)
            workspace: workspace

            code_lists:
              crime_codes: codelists/brottskoder.csv
              crime_categories: codelists/crime_categories.csv
              areas: codelists/areas.csv\(municipalityGroups.map { "\n  municipality_groups: codelists/\($0)" } ?? "")

            disclosure:
              threshold: 3

            sources:
              # Police events: one file per year, Windows-1252, semicolons.
            """)
        if multiMunicipality {
            lines.append(
                """
                  # The files cover several municipalities: the column Kommun (SCB code) says whose each event is.
                """)
        }
        lines.append(
            """
              - id: police-events
                supplier: police
                kind: events
                files: police/brott_*.csv
                format: csv
                encoding: windows-1252
                delimiter: ";"
                title_lines: 0
                date_format: yyyy-MM-dd
                area_codes: name
                quarantine_limit: 1%
                columns:
                  crime_code: Brottskod
                  date: Brottsdatum
                  time: Klockslag
                  area: Område
                  deso: DeSO
            """)
        if multiMunicipality { lines.append("      municipality: Kommun") }
        lines.append(
            """
                  x: X
                  y: Y
                  place: Plats

              # SCB population (PX-Web CSV): region × age × sex, one column per year.
              - id: population
                supplier: scb
                kind: observations
                files: population/befolkning.csv
                format: csv
                encoding: iso-8859-1
                delimiter: ","
                title_lines: 2
                area_codes: scb
                measure: population
                columns:
                  area: region
                dimensions:
                  age: ålder
                  sex: kön
                total_labels: [totalt]
                wide:
                  pattern: "^(?<period>[0-9]{4})$"
                quarantine_limit: 0

              # Brå's statistics of reported crimes (SOL, saved from Excel).
              - id: bra-sol
                supplier: bra
                kind: observations
                files: bra/anmalda_brott_sol.csv
                encoding: windows-1252
                delimiter: ";"
                title_lines: 1
                area_codes: name
                columns:
                  area: Region
                dimensions:
                  crime_type: Brottstyp
                total_labels: [samtliga brott]
                wide:
                  pattern: "^(?<period>[0-9]{4}) (?<measure>.+)$"
                  measures:
                    Antal: reported_crimes
                    Per 100 000 inv.: reported_crimes_per_100k
                quarantine_limit: 0

              # Länsstyrelsen: alcohol licensing and inspection per municipality and year (namespaced XML).
              - id: county-board-alcohol
                supplier: county-board
                kind: observations
                format: xml
                files: county-board/alkoholtillsyn_*.xml
                record_path: lst:Export/lst:Kommun/lst:Uppgift
                namespaces:
                  lst: urn:se:lansstyrelsen:alkoholtillsyn:1
                area_codes: scb
                columns:
                  area: ../@kod
                  period: ../../@ar
                  measure: "@typ"
                  value: lst:Antal
                quarantine_limit: 0
                on_file_error: fail

            indicators:
              - id: anmalda_brott_per_100k
                title: Anmälda brott per 100 000 invånare
                definition: >-
                  Alla anmälda brott med brottsplats i kommunen under året, per 100 000 invånare
                  (folkmängd 31 december samma år).
                kind: rate
                numerator: { events: all }
                denominator: { measure: population }
                scale: 100000
                unit: per 100 000 inv.
                periods: [year]
                area_levels: [municipality]
                better: lower\(comparison("anmalda_brott"))
            """)
        for (category, title) in Self.categories {
            lines.append(
                """
                  - id: \(category)_per_100k
                    title: \(title) per 100 000 invånare
                    kind: rate
                    numerator: { events: \(category) }
                    denominator: { measure: population }
                    scale: 100000
                    unit: per 100 000 inv.
                    periods: [year]
                    area_levels: [municipality]
                    better: lower\(comparison(category))
                """)
        }
        lines.append(
            """
              - id: serveringstillstand_per_10k
                title: Serveringstillstånd per 10 000 invånare
                kind: rate
                numerator: { measure: serveringstillstand }
                denominator: { measure: population }
                scale: 10000
                unit: per 10 000 inv.
                periods: [year]
                area_levels: [municipality]
                better: lower

            outputs:
              csv: true
            """)
        return lines.joined(separator: "\n") + "\n"
    }
}
