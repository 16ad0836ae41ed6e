import LagesbildModel

extension ConfigMapping {
    /// `table_ends`, `markers` and `texts` of a source: where its table ends, what its missing-value
    /// markers mean and which text attributes its observations keep.
    func readLayoutNotes(into spec: inout SourceSpec) throws {
        if let node = self["table_ends"] {
            guard spec.format == .csv || spec.format == .xlsx else {
                throw node.error("table_ends applies to CSV files and workbooks, not \(spec.format.rawValue)")
            }
            spec.tableEnd = try Self.tableEnd(node)
        }
        if let node = self["markers"] {
            guard spec.kind == .observations else {
                throw node.error("markers apply to the values of an observations source")
            }
            var meanings: [String: MarkerMeaning] = [:]
            for (marker, meaningNode) in try node.freeMapping() {
                let meaning: MarkerMeaning = try meaningNode.choice()
                if let earlier = meanings[CellMarkers.key(marker)], earlier != meaning {
                    throw meaningNode.error(
                        "the marker '\(marker)' is listed twice (markers are compared without case and spaces)")
                }
                if case .value = SwedishNumber.parse(marker) {
                    throw meaningNode.error("'\(marker)' is a number; a marker stands in for a number")
                }
                meanings[CellMarkers.key(marker)] = meaning
            }
            spec.markers = CellMarkers(meanings)
        }
        if let node = self["texts"] {
            guard spec.kind == .observations else {
                throw node.error("texts are kept with the observations of an observations source")
            }
            for (name, column) in try node.freeMapping() {
                guard !name.isEmpty, name.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" })
                else { throw column.error("a text's name uses ASCII letters, digits and '_', e.g. comment") }
                spec.texts[name] = try column.string()
            }
        }
    }

    /// `first-blank-line`, `{ before_line_matching: REGEX }` or `{ footer_lines: N }`.
    private static func tableEnd(_ node: ConfigNode) throws -> TableEnd {
        if let text = try? node.string() {
            guard text == "first-blank-line" else {
                throw node.error(
                    "unknown table end '\(text)'; use first-blank-line, { before_line_matching: REGEX } or "
                        + "{ footer_lines: N }")
            }
            return .firstBlankLine
        }
        let map = try node.mapping(allowedKeys: ["before_line_matching", "footer_lines"])
        switch (map["before_line_matching"], map["footer_lines"]) {
        case (let patternNode?, nil):
            let pattern = try patternNode.string()
            do {
                _ = try Regex(pattern)
            } catch {
                throw patternNode.error("'\(pattern)' is not a valid regular expression")
            }
            return .beforeLineMatching(pattern)
        case (nil, let countNode?):
            let count = try countNode.int()
            guard count > 0 else { throw countNode.error("footer_lines counts lines from the end: 1 or more") }
            return .footerLines(count)
        default:
            throw node.error("table_ends takes one of before_line_matching or footer_lines")
        }
    }
}

extension SourceSpec {
    /// The table end, markers and texts for the fingerprint; empty when none is set, so that other
    /// sources' fingerprints stay as they were.
    var notesFingerprintText: String {
        var lines: [String] = []
        if let tableEnd { lines.append("table_ends=\(tableEnd)") }
        if let markers { lines.append("markers=\(markers.fingerprintText)") }
        if !texts.isEmpty {
            lines.append("texts=" + texts.keys.sorted().map { "\($0)=\(texts[$0]!)" }.joined(separator: ","))
        }
        return lines.map { "\n" + $0 }.joined()
    }
}

extension PipelineLoader {
    /// An indicator's `texts: [name, …]`: each name must be a text some source keeps.
    static func indicatorTexts(_ node: ConfigNode?, sources: [SourceSpec]) throws -> [String] {
        guard let node else { return [] }
        let names = try node.stringList()
        let known = Set(sources.flatMap(\.texts.keys))
        for name in names where !known.contains(name) {
            throw node.error(
                "no source keeps a text named '\(name)'; texts kept: "
                    + (known.isEmpty ? "none (add texts: to a source)" : known.sorted().joined(separator: ", ")))
        }
        return names
    }
}
