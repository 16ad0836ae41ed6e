import Foundation
import LagesbildModel
import Yams

/// Reads and checks a pipeline file.
public enum PipelineLoader {
    /// Roles each kind of source maps to columns, and whether the role is required.
    public static let roles: [SourceKind: [String: Bool]] = [
        .events: [
            "crime_code": true, "date": true, "time": false, "area": false, "deso": false, "municipality": false,
            "x": false, "y": false, "place": false,
        ],
        .observations: [
            "area": true, "period": false, "measure": false, "value": false, "base": false, "period_start": false,
            "period_end": false,
        ],
        .measureReports: [
            "measure": true, "period": true, "status": true, "output": false, "outputs": false, "hours": false,
            "cost": false, "comment": false,
        ],
    ]

    /// Loads the pipeline file at `path`; throws ``PipelineFileError`` on any problem.
    public static func load(path: String) throws -> Pipeline {
        let absolute = absolutePath(path, relativeTo: FileManager.default.currentDirectoryPath)
        if let size = (try? FileManager.default.attributesOfItem(atPath: absolute))?[.size] as? Int,
            size > PipelineFileLimits.maximumBytes
        {
            throw PipelineFileError(
                file: path, keyPath: "",
                message: "the pipeline file has \(size) bytes; a pipeline file may have at most "
                    + "\(PipelineFileLimits.maximumBytes)")
        }
        guard let data = FileManager.default.contents(atPath: absolute) else {
            let reason = FileManager.default.fileExists(atPath: absolute) ? "cannot be read" : "does not exist"
            throw PipelineFileError(file: path, keyPath: "", message: "the pipeline file \(reason)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PipelineFileError(file: path, keyPath: "", message: "the pipeline file is not valid UTF-8")
        }
        return try parse(yaml: text, path: absolute, displayName: path)
    }

    /// Parses pipeline YAML; `path` is the file's absolute path (relative paths resolve against its folder).
    ///
    /// The text is untrusted: ``PipelineFileLimits`` bound its size, nesting and aliases before Yams
    /// composes it.
    public static func parse(yaml: String, path: String, displayName: String? = nil) throws -> Pipeline {
        let shownName = displayName ?? path
        try PipelineFileLimits.check(yaml, file: shownName)
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw PipelineFileError(file: shownName, keyPath: "", message: "the pipeline file is empty")
            }
            root = node
        } catch let error as YamlError {
            throw yamlSyntaxError(error, file: shownName)
        }
        let folder = (path as NSString).deletingLastPathComponent
        var reader = Reader(file: shownName, folder: folder)
        return try reader.pipeline(ConfigNode(node: root, keyPath: "", file: shownName), path: path)
    }

    static func yamlSyntaxError(_ error: YamlError, file: String) -> PipelineFileError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return PipelineFileError(
                file: file, line: mark.line, column: mark.column, keyPath: "", message: "YAML syntax error: \(problem)")
        default:
            return PipelineFileError(file: file, keyPath: "", message: "YAML error: \(error)")
        }
    }

    static func absolutePath(_ path: String, relativeTo folder: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return (expanded as NSString).standardizingPath }
        return ((folder as NSString).appendingPathComponent(expanded) as NSString).standardizingPath
    }
}

/// Walks the YAML tree into the model, checking keys and types as it goes.
private struct Reader {
    let file: String
    let folder: String
    /// The folders source files may be read from (see ``Pipeline/dataRoots``).
    var dataRoots: [String] = []

    func resolve(_ path: String) -> String { PipelineLoader.absolutePath(path, relativeTo: folder) }

    mutating func pipeline(_ node: ConfigNode, path: String) throws -> Pipeline {
        let map = try node.mapping(allowedKeys: [
            "version", "name", "title", "municipality", "scope", "workspace", "code_lists", "sources",
            "indicators", "targets", "disclosure", "gates", "outputs", "data_roots", "action_plan",
            "periods", "maps",
        ])
        dataRoots =
            try map["data_roots"]?.stringList().map(resolve)
            ?? [folder, (folder as NSString).deletingLastPathComponent]
        let version = try map.require("version").int()
        guard version == 1 else { throw try map.require("version").error("only version 1 is supported") }
        let name = try map.require("name").string()
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }), !name.isEmpty else {
            throw try map.require("name").error("use letters, digits, '-' and '_' only")
        }
        let sourceNodes = try map.require("sources").sequence()
        guard !sourceNodes.isEmpty else { throw try map.require("sources").error("list at least one source") }
        var sources: [SourceSpec] = []
        for sourceNode in sourceNodes {
            let source = try self.source(sourceNode)
            if sources.contains(where: { $0.id == source.id }) {
                throw sourceNode.error("source id '\(source.id)' is used twice")
            }
            sources.append(source)
        }
        var indicators: [IndicatorSpec] = []
        for indicatorNode in try map["indicators"]?.sequence() ?? [] {
            let indicator = try self.indicator(indicatorNode, sources: sources)
            if indicators.contains(where: { $0.id == indicator.id }) {
                throw indicatorNode.error("indicator id '\(indicator.id)' is used twice")
            }
            indicators.append(indicator)
        }
        let municipality = try municipality(map.require("municipality"))
        var targets: [TargetSpec] = []
        for targetNode in try map["targets"]?.sequence() ?? [] {
            let target = try target(targetNode, indicators: indicators, municipality: municipality.code)
            if targets.contains(where: { $0.id == target.id }) {
                throw targetNode.error("target id '\(target.id)' is used twice; give each target its own 'id'")
            }
            targets.append(target)
        }
        var actionPlan: ActionPlan?
        if let planNode = map["action_plan"] {
            let planPath = resolve(try planNode.string())
            guard Pipeline.isInside(planPath, roots: dataRoots) else {
                throw planNode.error("\(planPath) is outside the folders the pipeline may read (data_roots)")
            }
            actionPlan = try ActionPlanLoader.load(
                path: planPath, indicators: indicators, targets: targets, sources: sources)
        }
        if actionPlan == nil, let index = sources.firstIndex(where: { $0.kind == .measureReports }) {
            throw sourceNodes[index].error(
                "a measure-reports source reports on the measures of an action plan; name the plan file with "
                    + "action_plan: FILE")
        }
        let maps = try map["maps"].map {
            try MapSpec.read(
                $0, resolve: resolve, dataRoots: dataRoots, sources: sources, indicators: indicators)
        }
        return Pipeline(
            path: path,
            version: version,
            name: name,
            title: try map["title"]?.string() ?? "Lägesbild \(name)",
            municipality: municipality,
            scope: try map["scope"].map { try choice($0) } ?? Scope.municipality,
            workspace: try map["workspace"].map { resolve(try $0.string()) },
            codeLists: try codeLists(map["code_lists"]),
            sources: sources,
            indicators: indicators,
            targets: targets,
            disclosure: try disclosure(map["disclosure"]),
            gates: try gates(map["gates"]),
            outputs: try outputs(map["outputs"]),
            dataRoots: dataRoots,
            actionPlan: actionPlan,
            periods: try PeriodSettings.read(map["periods"]),
            maps: maps
        )
    }

    /// Refuses a file pattern outside the data roots: a pipeline file may not read `/etc/…`.
    func checkInsideDataRoots(_ pattern: String, node: ConfigNode) throws {
        guard Pipeline.isInside(pattern, roots: dataRoots) else {
            throw node.error(
                "\(pattern) is outside the folders sources may read (\(dataRoots.joined(separator: ", "))); "
                    + "add its folder to data_roots if it is meant to be read")
        }
    }

    func municipality(_ node: ConfigNode) throws -> Municipality {
        let map = try node.mapping(allowedKeys: ["code", "name", "county_code"])
        let code = try map.require("code").string()
        guard code.count == 4, code.allSatisfy(\.isASCII), code.allSatisfy(\.isNumber) else {
            throw try map.require("code").error("a municipality code has 4 digits, e.g. \"1380\" (quote it)")
        }
        let county = try map["county_code"]?.string() ?? String(code.prefix(2))
        guard county.count == 2, county.allSatisfy(\.isNumber) else {
            throw try map.require("county_code").error("a county code has 2 digits, e.g. \"13\" (quote it)")
        }
        return Municipality(code: code, name: try map.require("name").string(), countyCode: county)
    }

    func codeLists(_ node: ConfigNode?) throws -> CodeLists {
        guard let node else { return CodeLists() }
        let map = try node.mapping(allowedKeys: [
            "crime_codes", "crime_categories", "areas", "deso_crosswalk", "municipality_groups",
        ])
        func path(_ key: String) throws -> String? {
            guard let entry = map[key] else { return nil }
            let resolved = resolve(try entry.string())
            guard FileManager.default.isReadableFile(atPath: resolved) else {
                throw entry.error("code list file \(resolved) does not exist or cannot be read")
            }
            return resolved
        }
        return CodeLists(
            crimeCodes: try map["crime_codes"]?.codeListFile(resolve: resolve),
            crimeCategories: try path("crime_categories"),
            areas: try path("areas"),
            desoCrosswalk: try path("deso_crosswalk"),
            municipalityGroups: try map["municipality_groups"]?.municipalityGroupList(resolve: resolve))
    }

    func source(_ node: ConfigNode) throws -> SourceSpec {
        let map = try node.mapping(allowedKeys: [
            "id", "supplier", "kind", "files", "format", "encoding", "delimiter", "title_lines", "record_path",
            "namespaces", "columns", "dimensions", "total_labels", "measure", "wide", "area_codes", "date_format",
            "quarantine_limit", "on_file_error", "values", "max_age_days", "delivery", "fetch", "sheet", "header_row",
            "range", "until_empty_row", "shape", "records", "dates_as", "table_ends", "markers", "texts", "event_types",
            "supplier_name",
        ])
        let id = try identifier(map.require("id"))
        let kind: SourceKind = try choice(map.require("kind"))
        let format: SourceFormat = try map["format"].map { try choice($0) } ?? .csv
        var encoding: TextEncoding?
        if let node = map["encoding"] {
            let name = try node.string()
            if name.lowercased() != "detect" {
                guard let value = TextEncoding(name: name) else {
                    throw node.error("unknown encoding '\(name)'; use one of \(TextEncoding.acceptedNames) or detect")
                }
                encoding = value
            }
        }
        let delimiter = try map["delimiter"]?.delimiterByte()
        let eventTypes = try map["event_types"].map { try $0.codeListFile(resolve: resolve, allowRetired: false) }
        if eventTypes != nil, kind != .events {
            throw try map.require("event_types").error("event_types belong to a source of kind events")
        }
        let columns = try columnMappings(map.require("columns"), kind: kind, eventTypes: eventTypes != nil)
        let wide = try map["wide"].map { try wideLayout($0) }
        var values: [String: String] = [:]
        for (measure, column) in try map["values"]?.freeMapping() ?? [] { values[measure] = try column.string() }
        if kind == .observations {
            let layouts = [columns["value"] != nil, wide != nil, !values.isEmpty].filter { $0 }.count
            guard layouts == 1 else {
                throw node.error(
                    "an observations source needs exactly one of: a 'value' column, 'values' (measure: column) or "
                        + "a 'wide' layout")
            }
            let periodFromHeader = wide?.pattern.contains("?<period>") == true
            let periodFromRange = try periodRange(columns, node: map.require("columns"))
            if columns["period"] == nil, !periodFromHeader, !periodFromRange {
                throw try map.require("columns").error(
                    "an observations source needs a 'period' column (or 'period_start' and 'period_end'), or a "
                        + "wide pattern with a 'period' group")
            }
            let measureFromHeader = wide?.pattern.contains("?<measure>") == true
            if columns["measure"] == nil, map["measure"] == nil, values.isEmpty, !measureFromHeader {
                throw node.error("an observations source needs 'measure' (a fixed name) or a 'measure' column")
            }
        }
        if kind == .measureReports, format != .csv {
            throw try map.require("format").error("measure reports are read from CSV files")
        }
        if format == .xml || format == .json, let wideNode = map["wide"] {
            throw wideNode.error(
                "a wide layout reads CSV and workbook headers; an \(format.rawValue.uppercased()) source maps "
                    + "'period' and 'value' fields")
        }
        if format == .xml, map["record_path"] == nil {
            throw node.error("an XML source needs 'record_path', e.g. Export/Kommun/Tillsyn")
        }
        var namespaces: [String: String] = [:]
        for (prefix, value) in try map["namespaces"]?.freeMapping() ?? [] { namespaces[prefix] = try value.string() }
        var dimensions: [String: String] = [:]
        for (dimension, value) in try map["dimensions"]?.freeMapping() ?? [] {
            dimensions[dimension] = try value.string()
        }
        let files = try map.require("files").stringList().map(resolve)
        for pattern in files { try checkInsideDataRoots(pattern, node: map.require("files")) }
        let fetch = try map["fetch"].map { try PipelineLoader.fetchSpec($0, sourceID: id, files: files) }
        var delivery = try map["delivery"].map { try deliveryContract($0) } ?? DeliveryContract()
        if let fetch, fetch.keep == .latest { delivery.withdrawn.append(fetch.deliveryPattern) }
        var spec = SourceSpec(
            id: id,
            supplier: try choice(map.require("supplier")),
            kind: kind,
            files: files,
            format: format,
            encoding: encoding,
            delimiter: delimiter,
            titleLines: try map["title_lines"].map { node in
                let lines = try node.int()
                guard lines >= 0 else { throw node.error("title_lines cannot be negative") }
                return lines
            },
            recordPath: try map["record_path"]?.string(),
            namespaces: namespaces,
            columns: columns,
            dimensions: dimensions,
            totalLabels: try map["total_labels"]?.stringList() ?? ["totalt", "total", "samtliga", "alla"],
            measure: try map["measure"]?.string(),
            values: values,
            wide: wide,
            areaCodes: try map["area_codes"].map { try choice($0) } ?? .scb,
            dateFormat: try dateFormat(map["date_format"]),
            quarantineLimit: try quarantineLimit(map["quarantine_limit"]),
            onFileError: try map["on_file_error"].map { try choice($0) } ?? .skipFile,
            maxAgeDays: try map["max_age_days"].map { node in
                let days = try node.int()
                guard days > 0 else { throw node.error("max_age_days must be positive") }
                return days
            },
            delivery: delivery,
            fetch: fetch
        )
        spec.workbook = try map.workbookSettings()
        spec.json = try map.jsonSettings()
        spec.datesAs = try DatesAs.read(map["dates_as"], kind: kind)
        try map.readLayoutNotes(into: &spec)
        spec.eventTypes = eventTypes
        if let node = map["supplier_name"] {
            let name = try node.string().trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, name.count <= 80 else {
                throw node.error("supplier_name must be 1–80 characters, e.g. supplier_name: Polisen, LPO Halmstad")
            }
            spec.supplierName = name
        }
        return spec
    }

    /// `delivery: { expect: FILE-WITH-{year}, years: 2014-current, min_rows: N, withdrawn: [FILE, …] }`.
    func deliveryContract(_ node: ConfigNode) throws -> DeliveryContract {
        let map = try node.mapping(allowedKeys: ["expect", "years", "min_rows", "withdrawn"])
        var contract = DeliveryContract()
        if let expect = map["expect"] {
            let text = try expect.string()
            guard text.contains("{year}") else {
                throw expect.error("'expect' names the files by year, e.g. polisen/brott_{year}.csv")
            }
            contract.expect = resolve(text)
            guard let yearsNode = map["years"] else {
                throw node.error("'expect' needs 'years', e.g. years: 2014-current")
            }
            contract.years = try yearRange(yearsNode)
        } else if let yearsNode = map["years"] {
            throw yearsNode.error("'years' needs 'expect', the file name with {year}")
        }
        if let rows = map["min_rows"] {
            let count = try rows.int()
            guard count >= 0 else { throw rows.error("min_rows cannot be negative") }
            contract.minRows = count
        }
        contract.withdrawn = try map["withdrawn"]?.stringList().map(resolve) ?? []
        return contract
    }

    /// `2014-2023`, `2014-current` or one year.
    func yearRange(_ node: ConfigNode) throws -> ClosedRange<Int> {
        let text = try node.string().replacingOccurrences(of: " ", with: "")
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        let currentYear = Calendar(identifier: .gregorian).component(.year, from: Date())
        func year(_ part: String) -> Int? {
            part == "current" ? currentYear : Int(part).flatMap { (1900...2200).contains($0) ? $0 : nil }
        }
        guard (1...2).contains(parts.count), let first = year(parts[0]), let last = year(parts.last!), first <= last
        else {
            throw node.error("years must read FIRST-LAST, e.g. 2014-2023 or 2014-current (got '\(text)')")
        }
        return first...last
    }

    /// The `columns:` of a source. An events source with `event_types` maps `event_type` instead of
    /// `crime_code`; it is kept under the `crime_code` role (the role of an event's code).
    func columnMappings(_ node: ConfigNode, kind: SourceKind, eventTypes: Bool = false) throws
        -> [String: ColumnMapping]
    {
        var roles = PipelineLoader.roles[kind] ?? [:]
        if eventTypes { (roles["crime_code"], roles["event_type"]) = (nil, true) }
        let map = try node.mapping(allowedKeys: Set(roles.keys))
        var result: [String: ColumnMapping] = [:]
        for role in map.keys {
            let entry = try map.require(role)
            if case .mapping = entry.node {
                let fields = try entry.mapping(allowedKeys: ["column", "required"])
                result[role] = ColumnMapping(
                    column: try fields.require("column").string(),
                    required: try fields["required"]?.bool() ?? (roles[role] ?? false))
            } else {
                result[role] = ColumnMapping(column: try entry.string(), required: roles[role] ?? false)
            }
        }
        for (role, required) in roles where required && result[role] == nil {
            throw node.error("missing required column mapping '\(role)'")
        }
        if eventTypes { result["crime_code"] = result.removeValue(forKey: "event_type") }
        return result
    }

    func wideLayout(_ node: ConfigNode) throws -> WideLayout {
        let map = try node.mapping(allowedKeys: ["pattern", "measures"])
        let patternNode = try map.require("pattern")
        let pattern = try patternNode.string()
        do {
            _ = try Regex(pattern)
        } catch {
            throw patternNode.error("not a valid regular expression: \(error)")
        }
        guard pattern.contains("?<period>") || pattern.contains("?<measure>") else {
            throw patternNode.error(
                "the pattern needs a named group 'period' or 'measure', e.g. ^(?<period>[0-9]{4})$")
        }
        var measures: [String: String] = [:]
        for (label, value) in try map["measures"]?.freeMapping() ?? [] { measures[label] = try value.string() }
        return WideLayout(pattern: pattern, measures: measures)
    }

    func dateFormat(_ node: ConfigNode?) throws -> String {
        guard let node else { return "yyyy-MM-dd" }
        let format = try node.string()
        guard DateFormat(format) != nil else {
            throw node.error("unsupported date format '\(format)'; use e.g. yyyy-MM-dd, yyyyMMdd, dd/MM/yyyy, d.M.yyyy")
        }
        return format
    }

    func quarantineLimit(_ node: ConfigNode?) throws -> QuarantineLimit {
        guard let node else { return .share(0.01) }
        let text = try node.string().trimmingCharacters(in: .whitespaces)
        if text.hasSuffix("%"), let percent = Double(text.dropLast().trimmingCharacters(in: .whitespaces)),
            (0...100).contains(percent)
        {
            return .share(percent / 100)
        }
        if let count = Int(text), count >= 0 { return .count(count) }
        throw node.error("expected a row count (e.g. 10) or a share (e.g. 1%), found '\(text)'")
    }

    func disclosure(_ node: ConfigNode?) throws -> DisclosureSpec {
        guard let node else { return DisclosureSpec() }
        let map = try node.mapping(allowedKeys: ["threshold", "secondary", "suppress_zeros"])
        let threshold = try map["threshold"]?.int() ?? DisclosureSpec.defaultThreshold
        guard threshold >= 0 else { throw try map.require("threshold").error("the threshold cannot be negative") }
        return DisclosureSpec(
            threshold: threshold, secondary: try map["secondary"]?.bool() ?? true,
            suppressZeros: try map["suppress_zeros"]?.bool() ?? false)
    }

    func gates(_ node: ConfigNode?) throws -> GateSpec {
        guard let node else { return GateSpec(jumps: .warn, staleDeliveries: .warn, deliveries: .fail) }
        let map = try node.mapping(allowedKeys: ["jumps", "stale_deliveries", "deliveries"])
        return GateSpec(
            jumps: try map["jumps"].map { try choice($0) } ?? .warn,
            staleDeliveries: try map["stale_deliveries"].map { try choice($0) } ?? .warn,
            deliveries: try map["deliveries"].map { try choice($0) } ?? .fail)
    }

    func outputs(_ node: ConfigNode?) throws -> OutputSpec {
        guard let node else { return OutputSpec(directory: nil, csv: true, json: true, report: true, postgres: nil) }
        let map = try node.mapping(allowedKeys: ["directory", "csv", "json", "report", "postgres"])
        var postgres: PostgresOutputSpec?
        if let postgresNode = map["postgres"] {
            let postgresMap = try postgresNode.mapping(allowedKeys: ["schema", "required"])
            let schemaNode = try postgresMap.require("schema")
            let schema = try schemaNode.string()
            guard let first = schema.first, first.isASCII, first.isLowercase,
                schema.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") })
            else {
                throw schemaNode.error("a schema name has lowercase letters, digits and '_', starting with a letter")
            }
            postgres = PostgresOutputSpec(schema: schema, required: try postgresMap["required"]?.bool() ?? false)
        }
        return OutputSpec(
            directory: try map["directory"].map { resolve(try $0.string()) }, csv: try map["csv"]?.bool() ?? true,
            json: try map["json"]?.bool() ?? true, report: try map["report"]?.bool() ?? true, postgres: postgres)
    }

    func indicator(_ node: ConfigNode, sources: [SourceSpec]) throws -> IndicatorSpec {
        let map = try node.mapping(allowedKeys: [
            "id", "title", "definition", "kind", "numerator", "denominator", "scale", "unit", "periods",
            "area_levels", "patterns", "comparison", "jump_threshold", "better", "section", "texts",
        ])
        let kind: IndicatorKind = try choice(map.require("kind"))
        let numerator = try quantity(map.require("numerator"), sources: sources)
        let denominator = try map["denominator"].map { try quantity($0, sources: sources) }
        switch kind {
        case .rate where denominator == nil: throw node.error("a rate needs a 'denominator'")
        case .count where denominator != nil, .value where denominator != nil:
            throw try map.require("denominator").error("a \(kind.rawValue) has no denominator")
        default: break
        }
        let defaultScale: Double = kind == .rate ? 100_000 : kind == .share ? 100 : 1
        let scale = try map["scale"]?.double() ?? defaultScale
        if kind == .rate, ![1_000, 10_000, 100_000].contains(scale) {
            throw try map.require("scale").error("a rate is per 1000, 10000 or 100000 inhabitants")
        }
        if kind != .rate, scale != defaultScale {
            throw try map.require("scale").error("only a rate has a scale")
        }
        let periods: [PeriodType] = try map["periods"].map { try list($0) } ?? [.year]
        let patterns: [Pattern] = try map["patterns"].map { try list($0) } ?? []
        if !patterns.isEmpty, case .measure = numerator {
            throw try map.require("patterns").error("patterns are counted from events; the numerator is a measure")
        }
        try EventFilterLoader.checkEvents(
            kind: kind, numerator: numerator, denominator: denominator, patterns: patterns, map: map, sources: sources)
        // The municipality group is a comparison row only, never a level an indicator is computed for.
        let choosable = AreaLevel.allCases.filter { $0 != .municipalityGroup }
        let levels = try (map["area_levels"]?.stringList() ?? ["municipality"]).map { word in
            guard let level = AreaLevel(rawValue: word), choosable.contains(level) else {
                throw try map.require("area_levels").error(
                    "unknown area level '\(word)'; use: \(choosable.map(\.rawValue).joined(separator: ", "))")
            }
            return level
        }
        let defaultUnit: String
        switch kind {
        case .rate: defaultUnit = "per \(scale == 1_000 ? "1 000" : scale == 10_000 ? "10 000" : "100 000") inv."
        case .share: defaultUnit = "%"
        case .count: defaultUnit = "antal"
        case .value: defaultUnit = ""
        }
        var spec = IndicatorSpec(
            id: try identifier(map.require("id")),
            title: try map.require("title").string(),
            definition: try map["definition"]?.string() ?? "",
            kind: kind,
            numerator: numerator,
            denominator: denominator,
            scale: scale,
            unit: try map["unit"]?.string() ?? defaultUnit,
            periods: periods,
            areaLevels: levels,
            patterns: patterns,
            comparison: try comparison(map["comparison"], sources: sources),
            jumpThreshold: try map["jump_threshold"]?.double() ?? 25,
            better: try map["better"].map { try choice($0) } ?? .lower,
            section: try section(map["section"])
        )
        spec.texts = try PipelineLoader.indicatorTexts(map["texts"], sources: sources)
        return spec
    }

    func section(_ node: ConfigNode?) throws -> ReportSection {
        guard let node else { return .crime }
        let word = try node.string()
        guard let section = ReportSection(rawValue: word) else {
            throw node.error(
                "unknown report section '\(word)'; use one of: "
                    + ReportSection.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return section
    }

    /// A comparison: a measure delivered for Sweden, the county and the kommun (events have none).
    func comparison(_ node: ConfigNode?, sources: [SourceSpec]) throws -> Quantity? {
        guard let node else { return nil }
        let quantity = try quantity(node, sources: sources)
        if quantity.countsEvents {
            throw node.error("a comparison is a measure delivered for Sweden and the county, e.g. {measure: X}")
        }
        return quantity
    }

    func target(_ node: ConfigNode, indicators: [IndicatorSpec], municipality: String) throws -> TargetSpec {
        let map = try node.mapping(allowedKeys: [
            "id", "indicator", "area", "commitment", "name", "baseline", "target", "tolerance",
        ])
        let indicatorNode = try map.require("indicator")
        let indicator = try indicatorNode.string()
        guard let spec = indicators.first(where: { $0.id == indicator }) else {
            throw indicatorNode.error("no indicator with id '\(indicator)'")
        }
        let baselineMap = try map.require("baseline").mapping(allowedKeys: ["year", "value", "source"])
        let baselineYear = try baselineMap.require("year").int()
        let declared = try baselineMap["value"]?.double()
        let source = try baselineMap["source"]?.string()
        if source != nil, declared == nil {
            throw try baselineMap.require("source").error("'source' names where a declared 'value' comes from")
        }
        let targetMap = try map.require("target").mapping(allowedKeys: ["year", "value"])
        let targetYear = try targetMap.require("year").int()
        let targetValue = try targetMap.require("value").double()
        guard targetYear > baselineYear else {
            throw try map.require("target").error("the target year must come after the baseline year")
        }
        if let declared, targetValue != declared,
            (targetValue < declared) != (spec.better == .lower)
        {
            throw try map.require("target").error(
                "the target moves the wrong way: \(indicator) is better when \(spec.better.rawValue), but the "
                    + "target \(targetValue) is \(targetValue < declared ? "below" : "above") the baseline \(declared)")
        }
        var tolerance = 0.01
        if let toleranceNode = map["tolerance"] {
            let text = try toleranceNode.string().trimmingCharacters(in: .whitespaces)
            guard text.hasSuffix("%"), let percent = Double(text.dropLast()), percent >= 0 else {
                throw toleranceNode.error("tolerance is a percentage, e.g. 2%")
            }
            tolerance = percent / 100
        }
        let area = try map["area"]?.string() ?? municipality
        let place = node.error("").locationText
        return TargetSpec(
            id: try map["id"].map { try identifier($0) } ?? "\(indicator)@\(area)",
            indicator: indicator,
            area: area,
            commitment: try choice(map.require("commitment")),
            name: try map["name"]?.string() ?? "",
            baselineYear: baselineYear, declaredBaseline: declared, baselineSource: source, tolerance: tolerance,
            targetYear: targetYear, targetValue: targetValue, definedAt: place)
    }

    /// A list of enumeration values; a single value counts as a list of one.
    func list<T: RawRepresentable & CaseIterable>(_ node: ConfigNode) throws -> [T] where T.RawValue == String {
        if case .scalar = node.node { return [try choice(node)] }
        return try node.sequence().map { try choice($0) }
    }

    func quantity(_ node: ConfigNode, sources: [SourceSpec]) throws -> Quantity {
        let map = try node.mapping(allowedKeys: ["events", "measure", "dimensions", "where", "source"])
        if let events = map["events"] {
            guard map["measure"] == nil else { throw node.error("give either 'events' or 'measure', not both") }
            guard sources.contains(where: { $0.kind == .events }) else {
                throw events.error("no source of kind 'events' is declared")
            }
            if let whereNode = map["where"] {
                if let sourceNode = map["source"] {
                    throw sourceNode.error(
                        "a share over events ('where') counts crime-coded events; it cannot name a 'source'")
                }
                let filter = try EventFilterLoader.filter(whereNode, sources: sources)
                if !filter.isEmpty { return .filteredEvents(category: try events.string(), filter: filter) }
            }
            return .events(
                category: try events.string(),
                source: try PipelineLoader.eventSource(map["source"], events: events, sources: sources))
        }
        if let sourceNode = map["source"] {
            throw sourceNode.error("'source' names the events source of 'events: CATEGORY'")
        }
        if let whereNode = map["where"] {
            throw whereNode.error("'where' picks events; a measure picks its rows with 'dimensions'")
        }
        guard let measure = map["measure"] else { throw node.error("give 'events: CATEGORY' or 'measure: NAME'") }
        var dimensions: [String: String] = [:]
        for (name, value) in try map["dimensions"]?.freeMapping() ?? [] { dimensions[name] = try value.string() }
        return .measure(name: try measure.string(), dimensions: dimensions)
    }

    /// An id that also names files: letters, digits, `-` and `_`.
    func identifier(_ node: ConfigNode) throws -> String { try node.identifier() }

    func choice<T: RawRepresentable & CaseIterable>(_ node: ConfigNode) throws -> T where T.RawValue == String {
        try node.choice()
    }
}
