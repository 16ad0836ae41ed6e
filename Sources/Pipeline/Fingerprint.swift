extension SourceSpec {
    /// A stable text of every setting that changes how the source's files are read; its hash tells
    /// ingest to read an unchanged file again when the pipeline file changed how to read it.
    public var fingerprintText: String {
        func sorted(_ dictionary: [String: String]) -> String {
            dictionary.keys.sorted().map { "\($0)=\(dictionary[$0]!)" }.joined(separator: ",")
        }
        let columnText = columns.keys.sorted().map { "\($0)=\(columns[$0]!.column)/\(columns[$0]!.required)" }
            .joined(separator: ",")
        return [
            "kind=\(kind.rawValue)", "format=\(format.rawValue)", "encoding=\(encoding?.rawValue ?? "detect")",
            "delimiter=\(delimiter.map(String.init) ?? "detect")",
            "title_lines=\(titleLines.map(String.init) ?? "detect")",
            "record_path=\(recordPath ?? "")", "namespaces=\(sorted(namespaces))", "columns=\(columnText)",
            "dimensions=\(sorted(dimensions))", "total_labels=\(totalLabels.joined(separator: ","))",
            "measure=\(measure ?? "")", "values=\(sorted(values))",
            "wide=\(wide.map { "\($0.pattern)|\(sorted($0.measures))" } ?? "")",
            "quarantine_limit=\(quarantineLimit)",
        ].joined(separator: "\n") + formatFingerprintText + notesFingerprintText
    }
}

extension IndicatorSpec {
    /// A stable text of the indicator's definition, for the aggregate stage's fingerprint.
    public var fingerprintText: String {
        [
            id, title, definition, kind.rawValue, numerator.description, denominator?.description ?? "-",
            String(scale), unit, periods.map(\.rawValue).joined(separator: ","),
            areaLevels.map(\.rawValue).joined(separator: ","),
            patterns.map(\.rawValue).joined(separator: ","), comparison?.description ?? "-", String(jumpThreshold),
            better.rawValue, section.rawValue,
        ].joined(separator: "\n")
    }
}

extension TargetSpec {
    /// A stable text of the target, for the aggregate stage's fingerprint.
    public var fingerprintText: String {
        [
            id, indicator, area, commitment.rawValue, name, String(baselineYear),
            declaredBaseline.map { "\($0)" } ?? "computed", baselineSource ?? "", String(tolerance),
            String(targetYear), String(targetValue),
        ].joined(separator: "|")
    }
}
