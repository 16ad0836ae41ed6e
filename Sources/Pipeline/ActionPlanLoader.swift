import Foundation
import Yams

/// Reads and checks an action plan file (YAML), with the same `file:line:column: key.path` errors as the
/// pipeline file (exit 78). See `Pipelines/README.md`, "The action plan".
public enum ActionPlanLoader {
    /// Loads the plan at `path` (absolute) and checks its references against the pipeline's indicators,
    /// targets and sources.
    public static func load(
        path: String, indicators: [IndicatorSpec], targets: [TargetSpec], sources: [SourceSpec]
    ) throws -> ActionPlan {
        let shownName = path
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist"
            throw PipelineFileError(file: shownName, keyPath: "", message: "the action plan file \(reason)")
        }
        guard data.count <= 1 << 20 else {
            throw PipelineFileError(file: shownName, keyPath: "", message: "the action plan file is larger than 1 MB")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PipelineFileError(file: shownName, keyPath: "", message: "the action plan file is not valid UTF-8")
        }
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw PipelineFileError(file: shownName, keyPath: "", message: "the action plan file is empty")
            }
            root = node
        } catch let error as YamlError {
            throw PipelineLoader.yamlSyntaxError(error, file: shownName)
        }
        let reader = PlanReader(
            indicators: Set(indicators.map(\.id)), targets: Set(targets.map(\.id)))
        return try reader.plan(ConfigNode(node: root, keyPath: "", file: shownName), path: path)
    }
}

private struct PlanReader {
    let indicators: Set<String>
    let targets: Set<String>

    func plan(_ node: ConfigNode, path: String) throws -> ActionPlan {
        let map = try node.mapping(allowedKeys: ["version", "title", "adopted", "problems", "measures"])
        guard try map.require("version").int() == 1 else {
            throw try map.require("version").error("only version 1 is supported")
        }
        var problems: [Problem] = []
        for problemNode in try map.require("problems").sequence() {
            let problem = try self.problem(problemNode)
            if problems.contains(where: { $0.id == problem.id }) {
                throw problemNode.error("problem id '\(problem.id)' is used twice")
            }
            problems.append(problem)
        }
        var measures: [Measure] = []
        for measureNode in try map["measures"]?.sequence() ?? [] {
            let measure = try self.measure(measureNode, problems: Set(problems.map(\.id)))
            if measures.contains(where: { $0.id == measure.id }) {
                throw measureNode.error("measure id '\(measure.id)' is used twice")
            }
            measures.append(measure)
        }
        return ActionPlan(
            path: path, title: try map["title"]?.string() ?? "Åtgärdsplan",
            adopted: try map["adopted"].map { try date($0) }, problems: problems, measures: measures)
    }

    func problem(_ node: ConfigNode) throws -> Problem {
        let map = try node.mapping(allowedKeys: [
            "id", "title", "priority", "indicators", "areas", "cause_analysis", "cause_analysis_link", "targets",
        ])
        let priority = try map["priority"]?.int() ?? 1
        guard priority >= 1 else { throw try map.require("priority").error("priority is 1 or more (1 is highest)") }
        let problemIndicators = try map["indicators"]?.stringList() ?? []
        for (index, indicator) in problemIndicators.enumerated() where !indicators.contains(indicator) {
            throw try map.require("indicators").sequenceItem(index).error(
                "no indicator with id '\(indicator)' in the pipeline file")
        }
        return Problem(
            id: try map.require("id").identifier(), title: try map.require("title").string(), priority: priority,
            indicators: problemIndicators, areas: try map["areas"]?.stringList() ?? [],
            causeAnalysis: try map["cause_analysis"]?.string(),
            causeAnalysisLink: try map["cause_analysis_link"]?.string(),
            targets: try targetList(map["targets"]), definedAt: node.error("").locationText)
    }

    func measure(_ node: ConfigNode, problems: Set<String>) throws -> Measure {
        let map = try node.mapping(allowedKeys: [
            "id", "title", "kind", "problems", "owner", "partners", "start", "end", "outputs", "hours_per_year",
            "cost_sek_per_year", "targets", "area", "signed",
        ])
        let measureProblems = try map.require("problems").stringList()
        guard !measureProblems.isEmpty else {
            throw try map.require("problems").error("a measure addresses at least one problem of the plan")
        }
        for (index, problem) in measureProblems.enumerated() where !problems.contains(problem) {
            throw try map.require("problems").sequenceItem(index).error(
                "no problem with id '\(problem)' in the plan; known: \(problems.sorted().joined(separator: ", "))")
        }
        let start = try month(map.require("start"))
        let end = try month(map.require("end"))
        guard start <= end else { throw try map.require("end").error("the measure ends before it starts") }
        var outputs: [PlannedOutput] = []
        for outputNode in try map["outputs"]?.sequence() ?? [] {
            let output = try outputNode.mapping(allowedKeys: ["name", "per_year"])
            let perYear = try output.require("per_year").double()
            guard perYear >= 0 else { throw try output.require("per_year").error("per_year cannot be negative") }
            outputs.append(PlannedOutput(name: try output.require("name").string(), perYear: perYear))
        }
        let kind: Measure.Kind = try map["kind"].map { try $0.choice() } ?? .measure
        let signed = try map["signed"].map { try date($0) }
        if kind == .citizenPromise, signed == nil {
            throw node.error("a citizen promise says when it was signed: signed: YYYY-MM-DD")
        }
        return Measure(
            id: try map.require("id").identifier(), title: try map.require("title").string(), kind: kind,
            problems: measureProblems, owner: try map.require("owner").string(),
            partners: try (map["partners"]?.sequenceOrSingle() ?? []).map { try $0.choice() },
            start: start, end: end, outputs: outputs,
            hoursPerYear: try nonNegative(map["hours_per_year"]),
            costPerYear: try nonNegative(map["cost_sek_per_year"]),
            targets: try targetList(map["targets"]), area: try map["area"]?.string(), signed: signed,
            definedAt: node.error("").locationText)
    }

    func targetList(_ node: ConfigNode?) throws -> [String] {
        guard let node else { return [] }
        let ids = try node.stringList()
        for (index, id) in ids.enumerated() where !targets.contains(id) {
            throw try node.sequenceItem(index).error(
                "no target with id '\(id)' in the pipeline file; known: \(targets.sorted().joined(separator: ", "))")
        }
        return ids
    }

    func month(_ node: ConfigNode) throws -> YearMonth {
        guard let month = YearMonth(try node.string()) else { throw node.error("write a month as YYYY-MM") }
        return month
    }

    func date(_ node: ConfigNode) throws -> String {
        let text = try node.string()
        guard text.count == 10, YearMonth(text) != nil, let day = Int(text.suffix(2)), (1...31).contains(day) else {
            throw node.error("write a date as YYYY-MM-DD")
        }
        return text
    }

    func nonNegative(_ node: ConfigNode?) throws -> Double? {
        guard let node else { return nil }
        let value = try node.double()
        guard value >= 0 else { throw node.error("cannot be negative") }
        return value
    }
}

extension ConfigNode {
    /// The item at `index` of a sequence node (itself when the node is a single value), for errors.
    func sequenceItem(_ index: Int) throws -> ConfigNode {
        guard case .sequence = node else { return self }
        return try sequence()[index]
    }

    /// A sequence, or a single value as a list of one.
    func sequenceOrSingle() throws -> [ConfigNode] {
        if case .scalar = node { return [self] }
        return try sequence()
    }
}
