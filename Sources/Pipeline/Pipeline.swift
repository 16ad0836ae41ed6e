import Foundation
import LagesbildModel

#if canImport(Glibc)
    import Glibc
#endif

/// A pipeline file: what a municipality configures — its sources, code lists, indicators and outputs.
///
/// Every relative path in the file is resolved against the folder the file is in. See
/// `Pipelines/README.md` for each key.
public struct Pipeline: Sendable {
    /// Absolute path of the pipeline file.
    public var path: String
    public var version: Int
    /// Short name, used for the default workspace folder.
    public var name: String
    /// The report's title.
    public var title: String
    public var municipality: Municipality
    /// Which municipalities the lägesbild covers: the municipality alone (default), every municipality
    /// of its county, or the whole country.
    public var scope: Scope
    /// Absolute path of the workspace folder, when the file sets one.
    public var workspace: String?
    public var codeLists: CodeLists
    public var sources: [SourceSpec]
    public var indicators: [IndicatorSpec]
    /// Targets of the action plan and citizen promises, for follow-up.
    public var targets: [TargetSpec]
    public var disclosure: DisclosureSpec
    /// Validation gates checked before publishing.
    public var gates: GateSpec
    public var outputs: OutputSpec
    /// The folders source files may be read from (absolute): `data_roots:` in the pipeline file, by default
    /// the pipeline file's folder and the folder above it. A pattern outside them is refused when the file
    /// is loaded, and a matched file whose real path (symbolic links followed) leaves them is refused at
    /// ingest.
    public var dataRoots: [String] = []
    /// The action plan the pipeline file names (`action_plan:`), if any.
    public var actionPlan: ActionPlan?
    /// How school years count as calendar years (`periods:`).
    public var periods = PeriodSettings()
    /// Maps in the report (`maps:`), if any.
    public var maps: MapSpec? = nil

    /// True when `path` lies inside one of `roots` (both absolute and standardized).
    public static func isInside(_ path: String, roots: [String]) -> Bool {
        roots.contains { root in
            let folder = root.hasSuffix("/") ? root : root + "/"
            return path.hasPrefix(folder) || path == root
        }
    }

    /// The source with this id.
    public func source(_ id: String) -> SourceSpec? { sources.first { $0.id == id } }
    /// The indicator with this id.
    public func indicator(_ id: String) -> IndicatorSpec? { indicators.first { $0.id == id } }
}

/// The municipality the lägesbild is for.
public struct Municipality: Sendable, Hashable {
    /// SCB's 4-digit municipality code, e.g. `1380`.
    public var code: String
    public var name: String
    /// SCB's 2-digit county code, e.g. `13`.
    public var countyCode: String
}

/// The municipalities a pipeline's indicators cover.
public enum Scope: String, Sendable, Hashable, CaseIterable {
    case municipality
    case county
    case country
}

/// Paths of the code lists (absolute, resolved against the pipeline file's folder).
public struct CodeLists: Sendable, Hashable {
    /// The crime codes with name and end year: Brå's list (`brottskod;benamning;upphord;kodgrupp`) or a
    /// delivered list read through its own columns, categories and flags.
    public var crimeCodes: CodeListFile? = nil
    /// Crime code → category (`category;crime_code`).
    public var crimeCategories: String? = nil
    /// Area codes → names, levels and parents (`code;name;level;parent;aliases`).
    public var areas: String? = nil
    /// DeSO codes merged or split: `old_code;new_code;share;valid_from`.
    public var desoCrosswalk: String? = nil
    /// SKR's municipality groups (`municipality_code;group_code;group_name`) and their version year.
    public var municipalityGroups: MunicipalityGroupList? = nil
}

/// Where a source's areas come from: which code system its area column uses.
public enum AreaCodeSystem: String, Sendable, Hashable, CaseIterable {
    /// SCB codes: 4-digit municipality, 2-digit county, `00` Sweden, 9-character DeSO.
    case scb
    /// Names of areas (districts, municipalities, counties) as in the area code list.
    case name
}

/// What a source delivers.
public enum SourceKind: String, Sendable, Hashable, CaseIterable {
    /// One row per police event: crime code, date, place.
    case events
    /// Values per area and period (population, survey shares, school statistics, licences).
    case observations
    /// Status reports of the action plan's measures, one row per measure and period, from their owners
    /// (see ``ActionPlan``).
    case measureReports = "measure-reports"
}

/// The file format of a source.
public enum SourceFormat: String, Sendable, Hashable, CaseIterable {
    case csv
    case xml
    /// An Excel workbook; see ``WorkbookSettings``.
    case xlsx
    /// A JSON answer of an API; see ``JSONSettings``.
    case json
}

/// Who delivers a source.
public enum Supplier: String, Sendable, Hashable, CaseIterable {
    case police
    case bra
    case countyBoard = "county-board"
    case schools
    case scb
    /// The municipality itself, e.g. the owners of the action plan's measures reporting on them.
    case municipality
}

/// How many rows a file of a source may lose to the quarantine before the stage fails.
public enum QuarantineLimit: Sendable, Hashable, CustomStringConvertible {
    /// At most this many rows.
    case count(Int)
    /// At most this share (0…1) of the rows read.
    case share(Double)

    /// True when `quarantined` of `read` rows stays within the limit.
    public func allows(quarantined: Int, read: Int) -> Bool {
        switch self {
        case .count(let limit): return quarantined <= limit
        case .share(let share): return read == 0 || Double(quarantined) <= share * Double(read)
        }
    }

    public var description: String {
        switch self {
        case .count(let limit): return "\(limit) rows"
        case .share(let share): return "\(share * 100) %"
        }
    }
}

/// One source: which files, how to read them, and which column means what.
public struct SourceSpec: Sendable, Hashable {
    public var id: String
    public var supplier: Supplier
    /// The supplier as the report names it (`supplier_name`); nil: the supplier's usual Swedish name.
    public var supplierName: String? = nil
    public var kind: SourceKind
    /// Glob patterns (absolute).
    public var files: [String]
    public var format: SourceFormat
    /// Given encoding, or nil to detect.
    public var encoding: TextEncoding?
    /// Given delimiter byte, or nil to detect.
    public var delimiter: UInt8?
    /// Lines above the header, or nil to detect.
    public var titleLines: Int?
    /// For XML: the record element path, e.g. `lst:Export/lst:Kommun/lst:Tillsyn`.
    public var recordPath: String?
    /// For XML: namespace prefixes used in paths.
    public var namespaces: [String: String]
    /// Role → column name (CSV header) or field path (XML).
    public var columns: [String: ColumnMapping]
    /// Extra dimensions of observations: dimension name → column.
    public var dimensions: [String: String]
    /// Dimension values that mean "all" (e.g. `totalt`), compared case-insensitively.
    public var totalLabels: [String]
    /// For observations without a measure column: the measure every row holds.
    public var measure: String?
    /// Measure → column, for sources with one value column per measure (e.g. a share and a mean).
    public var values: [String: String]
    /// For wide layouts (one column per period): how to read the period columns.
    public var wide: WideLayout?
    public var areaCodes: AreaCodeSystem
    /// Date format of the `date` column, e.g. `yyyy-MM-dd`, `yyyyMMdd`, `dd/MM/yyyy`.
    public var dateFormat: String
    public var quarantineLimit: QuarantineLimit
    /// When a file cannot be read at all (malformed XML, say): fail the stage, or skip the file.
    public var onFileError: FileErrorPolicy
    /// The oldest a source's newest file may be, in days, before the stale-delivery gate speaks.
    public var maxAgeDays: Int?
    /// What the source promises to deliver, and which earlier files were withdrawn on purpose.
    public var delivery: DeliveryContract = DeliveryContract()
    /// How `lagesbild fetch` downloads this source's deliveries from an API, when it can (`fetch:`).
    public var fetch: FetchSpec? = nil
    /// For workbooks: the sheet, header row and range.
    public var workbook = WorkbookSettings()
    /// For JSON: the shape and where the records are.
    public var json = JSONSettings()
    /// For an events source of the kommun's own incidents: its list of event types (`event_types:`), used
    /// instead of the crime codes. The type column is then mapped as `event_type` and kept under the
    /// `crime_code` role, the role of an event's code.
    public var eventTypes: CodeListFile? = nil
    /// How a date in the period field, or a range in `period_start` and `period_end`, is read
    /// (`dates_as:`): nil reads a range as the month, quarter or year it covers and refuses a single date.
    public var datesAs: Period.Kind? = nil
    /// Where the table ends when notes follow it (`table_ends:`); nil reads to the end.
    public var tableEnd: TableEnd? = nil
    /// The source's own missing-value markers (`markers:`); nil keeps the defaults.
    public var markers: CellMarkers? = nil
    /// Text attributes kept with the observations (`texts:`): name → column or field path.
    public var texts: [String: String] = [:]
}

/// A source's delivery contract (`delivery:` in the pipeline file), checked by the delivery gate before
/// publishing. A file delivered before that is now missing or empty is a finding unless it is listed as
/// withdrawn; its last good data is kept meanwhile.
public struct DeliveryContract: Sendable, Hashable {
    /// The files expected, as an absolute path with `{year}` for each year of ``years``.
    public var expect: String?
    /// The years ``expect`` names a file for.
    public var years: ClosedRange<Int>?
    /// The fewest data rows each file must have.
    public var minRows: Int?
    /// Files (absolute paths or glob patterns) that were delivered before and withdrawn on purpose: their
    /// data is retired when they disappear, without a finding.
    public var withdrawn: [String] = []

    public init(expect: String? = nil, years: ClosedRange<Int>? = nil, minRows: Int? = nil, withdrawn: [String] = []) {
        self.expect = expect
        self.years = years
        self.minRows = minRows
        self.withdrawn = withdrawn
    }

    /// The expected files, one per year; empty without ``expect``.
    public var expectedFiles: [(year: Int, path: String)] {
        guard let expect, let years else { return [] }
        return years.map { ($0, expect.replacingOccurrences(of: "{year}", with: String($0))) }
    }

    /// True when `path` is listed as withdrawn.
    public func isWithdrawn(_ path: String) -> Bool {
        withdrawn.contains { pattern in
            pattern == path || fnmatch(pattern, path, 0) == 0
        }
    }
}

/// What to do with a file that cannot be read to its end.
public enum FileErrorPolicy: String, Sendable, Hashable, CaseIterable {
    /// The file's delivery is marked failed and its accepted rows are kept out; the run goes on.
    case skipFile = "skip-file"
    /// The stage fails (exit 65).
    case fail
}

/// Which column a role is read from.
public struct ColumnMapping: Sendable, Hashable {
    public var column: String
    public var required: Bool
}

/// A wide layout: period (and optionally measure) taken from header names that match a pattern.
public struct WideLayout: Sendable, Hashable {
    /// A regular expression over header names with a named group `period` and optionally `measure`.
    public var pattern: String
    /// Header text of the `measure` group → measure name.
    public var measures: [String: String]
}

/// Disclosure control settings.
public struct DisclosureSpec: Sendable, Hashable {
    /// Counts below this are suppressed. Default 3 (see Pipelines/README.md).
    public var threshold: Int
    /// Secondary suppression: where a published total would reveal a suppressed cell, suppress another
    /// cell of the same table too. Default on.
    public var secondary: Bool
    /// Suppress counts of 0 as well (below the threshold). Default off: 0 is published as a value.
    public var suppressZeros: Bool

    public init(threshold: Int = Self.defaultThreshold, secondary: Bool = true, suppressZeros: Bool = false) {
        self.threshold = threshold
        self.secondary = secondary
        self.suppressZeros = suppressZeros
    }

    /// True when a count of events must be hidden: above 0 (or 0 too, with ``suppressZeros``) and below
    /// the threshold. Counts carried through the DeSO crosswalk can be fractions.
    public func hides(count: Double) -> Bool {
        count < Double(threshold) && (count > 0 || (suppressZeros && count == 0))
    }

    public static let defaultThreshold = 3
}

/// Where results are written besides the workspace.
public struct OutputSpec: Sendable, Hashable {
    /// Folder for exported files, absolute; nil means `<workspace>/out`.
    public var directory: String?
    /// Write each indicator table as CSV, in the plain and the Swedish Excel dialect.
    public var csv: Bool
    /// Write each indicator table as JSON.
    public var json: Bool
    /// Write the HTML lägesbild report (`lagesbild.html`).
    public var report: Bool
    /// Load the tables into PostgreSQL (connection from the environment), when set.
    public var postgres: PostgresOutputSpec?
}

/// The PostgreSQL output: which schema to load into. The connection is never in the pipeline file.
public struct PostgresOutputSpec: Sendable, Hashable {
    public var schema: String
    /// Fail the run when no connection is configured (otherwise the output is skipped with a notice).
    public var required: Bool
}

/// What a validation gate does when its rule is broken.
public enum GateAction: String, Sendable, Hashable, CaseIterable {
    case off
    /// Log and record a warning; publish anyway.
    case warn
    /// Stop: publish nothing (exit 65); the run history says which gate and why.
    case fail
}

/// Plausibility rules checked before publishing (quarantine limits are checked by the stages).
public struct GateSpec: Sendable, Hashable {
    /// A municipality value of the latest period changed beyond the indicator's jump threshold.
    public var jumps: GateAction
    /// A source's newest file is older than its `max_age_days`.
    public var staleDeliveries: GateAction
    /// A file delivered before is missing or empty, or a source breaks its delivery contract.
    public var deliveries: GateAction = .fail
}
