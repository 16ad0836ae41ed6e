import Foundation
import GRDB
import PipelineModel
import StageKit
import Workspace

/// What `lagesbild validate` found: each source with its files, and what the action plan and the targets
/// still lack. Reading it writes nothing.
public struct ValidationReport: Sendable, Codable {
    public struct SourceFiles: Sendable, Codable {
        public var id: String
        public var files: [String]
    }

    public var pipeline: String
    public var sources: [SourceFiles]
    public var indicators: [String]
    /// The checks of the action plan and the targets; nil when the pipeline has neither.
    public var plan: PlanValidation?
}

/// The action plan and the targets checked for what Brå asks of a follow-up: every measure tied to a
/// problem, every problem met by a measure, every target SMART (its indicator exists, its baseline year
/// has a value, its target year comes later, and it moves the way the indicator is better), measures with
/// targets, citizen promises with an area.
public struct PlanValidation: Sendable, Codable {
    /// One thing missing or wrong, or one check that cannot be made yet.
    public struct Finding: Sendable, Codable, Hashable {
        /// What kind of check: `problem-without-measures`, `measure-without-targets`,
        /// `citizen-promise-without-area`, `target-indicator`, `target-years`, `target-baseline`,
        /// `target-direction`, `target-not-in-plan`.
        public var check: String
        /// The problem, measure or target id.
        public var subject: String
        public var message: String
        /// False when the check could not be made yet (no workspace to read the baseline from).
        public var checked: Bool
    }

    /// The plan file, when the pipeline names one.
    public var file: String?
    public var problems: Int
    public var measures: Int
    public var targets: Int
    /// The workspace database the baselines were read from; nil when there is none yet.
    public var workspaceDatabase: String?
    /// The checks that passed, in words.
    public var passed: [String]
    public var findings: [Finding]
}

/// Checks a loaded pipeline: every source has at least one readable file; the action plan and targets.
public enum PipelineValidator {
    /// Throws ``InputFileMissingError`` for the first source without readable files. The baselines of the
    /// targets are read from the workspace at `workspaceDirectory` when it has a database (read only).
    public static func validate(_ pipeline: Pipeline, workspaceDirectory: String? = nil) throws -> ValidationReport {
        var sources: [ValidationReport.SourceFiles] = []
        for source in pipeline.sources {
            var files: [String] = []
            for pattern in source.files { files += expandGlob(pattern) }
            guard !files.isEmpty else {
                throw InputFileMissingError(
                    source: source.id, pattern: source.files.joined(separator: ", "), detail: "no file matches")
            }
            for file in files where !FileManager.default.isReadableFile(atPath: file) {
                throw InputFileMissingError(source: source.id, pattern: file, detail: "the file cannot be read")
            }
            sources.append(.init(id: source.id, files: files))
        }
        var plan: PlanValidation?
        if pipeline.actionPlan != nil || !pipeline.targets.isEmpty {
            let database = workspaceDirectory.flatMap { Generations(directory: $0).currentDatabase() }
                .flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
            let baselines = try database.map { try BaselineReader(path: $0) }
            plan = try PlanValidator(pipeline: pipeline, baselines: baselines).validate(database: database)
        }
        return ValidationReport(
            pipeline: pipeline.path, sources: sources, indicators: pipeline.indicators.map(\.id), plan: plan)
    }
}

/// Reads the indicators' yearly values from a workspace database, read only.
struct BaselineReader {
    let database: DatabaseQueue

    init(path: String) throws {
        var configuration = Configuration()
        configuration.readonly = true
        database = try DatabaseQueue(path: path, configuration: configuration)
    }

    /// The published yearly value of `indicator` for `area` in `year`, or nil when there is none.
    func value(indicator: String, area: String, year: Int) throws -> Double? {
        try database.read { db in
            try Double.fetchOne(
                db,
                sql: """
                    SELECT value FROM indicator_values
                    WHERE indicator_id = ? AND area_code = ? AND period = ? AND period_type = 'year'
                        AND breakdown = '' AND status = 'ok'
                    """,
                arguments: [indicator, area, String(year)])
        }
    }
}

/// The checks of ``PlanValidation``.
struct PlanValidator {
    let pipeline: Pipeline
    let baselines: BaselineReader?

    func validate(database: String?) throws -> PlanValidation {
        var findings: [PlanValidation.Finding] = []
        var passed: [String] = []
        func find(_ check: String, _ subject: String, _ message: String, checked: Bool = true) {
            findings.append(.init(check: check, subject: subject, message: message, checked: checked))
        }
        let plan = pipeline.actionPlan
        if let plan {
            // The loader refuses a measure without a problem of the plan; say so, it is one of Brå's questions.
            passed.append("every measure addresses at least one problem of the plan")
            for problem in plan.problems where !plan.measures.contains(where: { $0.problems.contains(problem.id) }) {
                find(
                    "problem-without-measures", problem.id,
                    "problem \(problem.id) (\(problem.title)) has no measure against it (\(problem.definedAt))")
            }
            for measure in plan.measures where measure.targets.isEmpty {
                find(
                    "measure-without-targets", measure.id,
                    "measure \(measure.id) (\(measure.title)) names no target to follow its effect (targets:, "
                        + "\(measure.definedAt))")
            }
            for measure in plan.measures where measure.kind == .citizenPromise && measure.area == nil {
                find(
                    "citizen-promise-without-area", measure.id,
                    "citizen promise \(measure.id) (\(measure.title)) names no area (area:, \(measure.definedAt)); "
                        + "its effect cannot be compared with the rest of the kommun")
            }
        }
        for target in pipeline.targets {
            try check(target, plan: plan, find: find)
        }
        if !pipeline.targets.isEmpty {
            passed.append("every target names an indicator of the pipeline and a target year after its baseline year")
        }
        return PlanValidation(
            file: plan?.path, problems: plan?.problems.count ?? 0, measures: plan?.measures.count ?? 0,
            targets: pipeline.targets.count, workspaceDatabase: database, passed: passed, findings: findings)
    }

    /// The SMART checks of one target.
    func check(
        _ target: TargetSpec, plan: ActionPlan?, find: (String, String, String, Bool) -> Void
    ) throws {
        let name = "target \(target.id)"
        guard let indicator = pipeline.indicator(target.indicator) else {
            find("target-indicator", target.id, "\(name): no indicator '\(target.indicator)'", true)
            return
        }
        if target.targetYear <= target.baselineYear {
            find("target-years", target.id, "\(name): the target year is not after the baseline year", true)
        }
        if let plan,
            !plan.problems.contains(where: { $0.targets.contains(target.id) })
                && !plan.measures.contains(where: { $0.targets.contains(target.id) })
        {
            find(
                "target-not-in-plan", target.id,
                "\(name) is tied to no problem or measure of the action plan (\(target.definedAt))", true)
        }
        var baseline = target.declaredBaseline
        if let baselines {
            let computed = try baselines.value(
                indicator: indicator.id, area: target.area, year: target.baselineYear)
            if let computed {
                if target.baselineSource == nil { baseline = computed }
            } else {
                find(
                    "target-baseline", target.id,
                    "\(name): \(indicator.id) has no published value for \(target.area) in \(target.baselineYear), "
                        + "the baseline year (\(target.definedAt))", true)
            }
        } else {
            let direction = baseline == nil ? ", nor whether the target moves the way the indicator is better" : ""
            find(
                "target-baseline", target.id,
                "\(name): whether \(indicator.id) has a value for \(target.area) in \(target.baselineYear) cannot "
                    + "be checked yet\(direction): the workspace has no database (run `lagesbild run` first)", false)
        }
        guard let baseline else { return }
        let betterLower = indicator.better == .lower
        let movesRightWay = betterLower ? target.targetValue < baseline : target.targetValue > baseline
        if !movesRightWay {
            let side = target.targetValue == baseline ? "equal to" : betterLower ? "above" : "below"
            find(
                "target-direction", target.id,
                "\(name): \(indicator.id) is better when \(indicator.better.rawValue), but the target "
                    + "\(number(target.targetValue)) is \(side) the baseline \(number(baseline)) "
                    + "(\(target.definedAt))", true)
        }
    }

    private func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e12 ? String(Int(value)) : String(format: "%.2f", value)
    }
}
